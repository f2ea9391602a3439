// `folio ask` as a user runs it: the question in the model's chat format (recognised from its template), the
// errors for models whose template Folio cannot use, --raw, the thinking option, the document scope, and the
// answer's citations in the JSON. Tiny random models: this checks the plumbing, not the answers.

#include "folio/app/ask_history.h"
#include "folio/app/corpus_session.h"
#include "folio/app/workspace_store.h"
#include "folio_process.h"
#include "repo_builder.h"
#include "tiny_model.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace folio;
using test::TinyChat;

class TestAsk : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString workspace;

    QString model(TinyChat chat)
    {
        const QString path = tmp.filePath(QString("tiny-%1.gguf").arg(int(chat)));
        if (!QFile::exists(path)) {
            test::TinyModelSpec spec;
            spec.layers = 2;
            spec.chat = chat;
            test::writeTinyModel(path.toStdString(), spec);
        }
        return path;
    }
    test::FolioRun ask(TinyChat chat, const QStringList& extra)
    {
        return test::runFolio(QStringList{"--workspace", workspace, "ask", "--model", model(chat), "--threads", "1", "-n", "6",
                                          "--json"} + extra + QStringList{"Who", "pays?"});
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!qgetenv("FOLIO_EXECUTABLE").isEmpty(), "FOLIO_EXECUTABLE names the folio binary (set by ctest)");
        test::RepoBuilder repo(tmp.filePath("repo").toStdString());
        repo.setFile("fees.txt", "The licensee pays the fees within thirty days.\nLate fees accrue at one percent.\n");
        repo.setFile("notes.md", "# Notes\n\nThe licensor invoices monthly.\n");
        repo.commit("first");
        workspace = tmp.filePath("ws");
        QCOMPARE(test::runFolio({"--workspace", workspace, "ingest", tmp.filePath("repo")}).exitCode, 0);
    }

    void asksInTheChatFormat()
    {
        const auto r = ask(TinyChat::ChatML, {});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject j = r.json();
        QCOMPARE(j["prompt_format"].toString(), QString("chatml"));
        QCOMPARE(j["corpus_documents"].toInt(), 2);
        QVERIFY(j["citations"].isArray());
        QVERIFY(j["answer"].isString());
        QCOMPARE(j["thinking"].toString(), QString());
        QVERIFY(j["tokens"].toInt() >= 1);
        // The corpus is the same for every question, so the second question resumes all of it.
        const auto again = test::runFolio(QStringList{"--workspace", workspace, "ask", "--model", model(TinyChat::ChatML),
                                                      "--threads", "1", "-n", "2", "--json", "Who", "invoices?"});
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(again.json()["resumed_at"].toInt(), j["corpus_tokens"].toInt());
        QVERIFY(again.json()["question_tokens"].toInt() != j["question_tokens"].toInt());

        // Both are in the workspace's history, newest first, with their answers.
        const auto history = app::AskHistory(workspace.toStdString()).recent();
        QVERIFY(history.size() >= 2);
        QCOMPARE(history[0].question, std::string("Who invoices?"));
        QCOMPARE(history[1].question, std::string("Who pays?"));
        // A random model writes any bytes; the JSON replaces invalid UTF-8, so compare the valid text.
        const auto valid = [](QString s) { return s.remove(QChar(0xFFFD)); };
        QCOMPARE(valid(QString::fromStdString(history[1].answer)), valid(j["answer"].toString()));
        QCOMPARE(history[1].scope, std::string("the whole workspace"));
        QCOMPARE(history[1].model, model(TinyChat::ChatML).toStdString());
    }

    void rawCompletion()
    {
        const auto refused = ask(TinyChat::None, {});
        QVERIFY(refused.exitCode != 0);
        QVERIFY2(refused.err.contains("has no chat template") && refused.err.contains("--raw"), refused.err.constData());
        QVERIFY2(refused.err.contains(model(TinyChat::None).toUtf8()), refused.err.constData());
        const auto raw = ask(TinyChat::None, {"--raw"});
        QVERIFY2(raw.exitCode == 0, raw.err.constData());
        QCOMPARE(raw.json()["prompt_format"].toString(), QString("raw"));
        // Raw and chat corpora differ, so they are cached apart.
        QVERIFY(raw.json()["corpus_tokens"].toInt() != ask(TinyChat::ChatML, {}).json()["corpus_tokens"].toInt());
    }

    void unrecognisedTemplate()
    {
        const auto r = ask(TinyChat::Unrecognised, {});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("not one Folio recognises") && r.err.contains("<|im_start|> and <|im_end|>"), r.err.constData());
    }

    void thinking()
    {
        const auto cannot = ask(TinyChat::ChatML, {"--thinking", "on"});
        QVERIFY(cannot.exitCode != 0);
        QVERIFY2(cannot.err.contains("no thinking block"), cannot.err.constData());
        const auto cannotStop = ask(TinyChat::AlwaysThinks, {"--thinking", "off"});
        QVERIFY(cannotStop.exitCode != 0);
        QVERIFY2(cannotStop.err.contains("always thinks"), cannotStop.err.constData());

        // The prompt opens the block, so what the model writes first is thinking until it closes it.
        const auto on = ask(TinyChat::ThinkOpened, {});
        QVERIFY2(on.exitCode == 0, on.err.constData());
        QCOMPARE(on.json()["prompt_format"].toString(), QString("chatml, thinking on or off"));
        QVERIFY(!on.json()["thinking"].toString().isEmpty() || !on.json()["answer"].toString().isEmpty());
        const auto off = ask(TinyChat::ThinkOpened, {"--thinking", "off"});
        QVERIFY2(off.exitCode == 0, off.err.constData());
        QCOMPARE(off.json()["thinking"].toString(), QString());
        QVERIFY(off.json()["question_tokens"].toInt() > on.json()["question_tokens"].toInt());  // the empty block
    }

    // `folio complete --model`: the file's repository as the context, in the fill-in-the-middle form when the
    // vocabulary has the tokens, else asked in the chat format.
    void completesCode()
    {
        test::TinyModelSpec spec;
        spec.layers = 2;
        spec.fimTokens = true;
        const QString fimModel = tmp.filePath("tiny-fim.gguf");
        test::writeTinyModel(fimModel.toStdString(), spec);
        const QStringList at = {"--workspace", workspace, "complete", "fees.txt:2:6", "--threads", "1", "-n", "4", "--json"};
        const auto fim = test::runFolio(at + QStringList{"--model", fimModel});
        QVERIFY2(fim.exitCode == 0, fim.err.constData());
        QCOMPARE(fim.json()["form"].toString(), QString("fill-in-the-middle"));
        QCOMPARE(fim.json()["corpus_documents"].toInt(), 2);  // the repository's files
        QCOMPARE(fim.json()["path"].toString(), QString("fees.txt"));
        QVERIFY(fim.json()["tokens"].toInt() >= 1);
        // The repository's state is cached: the next completion, elsewhere in the file, computes none of it.
        const auto again = test::runFolio(QStringList{"--workspace", workspace, "complete", "notes.md:3:4", "--threads", "1",
                                                      "-n", "2", "--json", "--model", fimModel});
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(again.json()["resumed_at"].toInt(), fim.json()["corpus_tokens"].toInt());
        QCOMPARE(again.json()["computed_tokens"].toInt(), 0);

        const auto chat = test::runFolio(at + QStringList{"--model", model(TinyChat::ChatML)});
        QVERIFY2(chat.exitCode == 0, chat.err.constData());
        QCOMPARE(chat.json()["form"].toString(), QString("chat"));
        QVERIFY(chat.json()["prompt_tokens"].toInt() > fim.json()["prompt_tokens"].toInt());  // the request's words

        const auto pastLine = test::runFolio(QStringList{"--workspace", workspace, "complete", "fees.txt:2:400", "--model", fimModel});
        QVERIFY(pastLine.exitCode != 0);
        QVERIFY2(pastLine.err.contains("line 2 has only"), pastLine.err.constData());
        const auto pastEnd = test::runFolio(QStringList{"--workspace", workspace, "complete", "fees.txt:9:1", "--model", fimModel});
        QVERIFY(pastEnd.exitCode != 0);
        QVERIFY2(pastEnd.err.contains("has only"), pastEnd.err.constData());
    }

    // Several questions resume the same corpus state, each in a session of its own that shares the corpus's KV:
    // at once, every answer is the one the question gets alone, to the logits after the question.
    void severalQuestionsAtOnce()
    {
        const QStringList questions{"Who pays?", "When are fees late?", "Who invoices, and how often?"};
        app::WorkspaceStore store(workspace.toStdString());
        app::CorpusSessionOptions o;
        o.model = model(TinyChat::ChatML).toStdString();
        o.threads = 2;
        app::CorpusSession corpus(store, o);
        engine::GenerationOptions greedy;
        greedy.maxTokens = 6;
        std::vector<app::AskAnswer> alone;
        std::vector<std::vector<float>> aloneLogits(questions.size()), atOnceLogits(questions.size());
        std::vector<app::AskRequest> requests;
        for (qsizetype i = 0; i < questions.size(); ++i) {
            auto options = greedy;
            options.afterPrefill = [&, i](const engine::Session& s) { aloneLogits[i] = s.logits(); };
            alone.push_back(corpus.ask(questions[i].toStdString(), options, {}, {}));
            requests.push_back({questions[i].toStdString(), greedy});
            requests.back().options.afterPrefill = [&, i](const engine::Session& s) { atOnceLogits[i] = s.logits(); };
        }
        const auto atOnce = corpus.askAll(requests, 3);
        QCOMPARE(atOnce.size(), alone.size());
        for (std::size_t i = 0; i < alone.size(); ++i) {
            QCOMPARE(atOnce[i].generation.tokens, alone[i].generation.tokens);
            QCOMPARE(atOnce[i].answer, alone[i].answer);
            QCOMPARE(atOnceLogits[i], aloneLogits[i]);
            QVERIFY(!aloneLogits[i].empty());
        }
        QCOMPARE(corpus.session().position(), std::int64_t(corpus.corpus().tokens().size()));  // the corpus's, untouched

        // The same through `folio ask`: repeated --question with --parallel, an array of answers with the peak
        // memory, the logits of question i in FILE.i; the positional question alone gives the same numbers.
        QStringList args{"--workspace", workspace, "ask", "--model", model(TinyChat::ChatML), "--threads", "2", "-n", "6",
                         "--parallel", "3", "--logits", tmp.filePath("several")};
        for (const auto& q : questions) args << "--question" << q;
        const auto several = test::runFolio(args + QStringList{"--json"});
        QVERIFY2(several.exitCode == 0, several.err.constData());
        const QJsonArray answers = several.json()["answers"].toArray();
        QCOMPARE(answers.size(), questions.size());
        QVERIFY(several.json()["peak_rss_bytes"].toDouble() > 0);
        const auto readLogits = [](const QString& path) {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        for (qsizetype i = 0; i < questions.size(); ++i) {
            const QJsonObject a = answers[i].toObject();
            QCOMPARE(a["question"].toString(), questions[i]);
            QVERIFY(a["citations"].isArray());
            QCOMPARE(a["stop_reason"].toString().isEmpty(), false);
            const auto one = test::runFolio(QStringList{"--workspace", workspace, "ask", "--model", model(TinyChat::ChatML),
                                                        "--threads", "1", "-n", "6", "--json", "--logits", tmp.filePath("one"),
                                                        questions[i]});
            QVERIFY2(one.exitCode == 0, one.err.constData());
            QCOMPARE(a["answer"].toString(), one.json()["answer"].toString());
            QCOMPARE(a["tokens"].toInt(), one.json()["tokens"].toInt());
            const QByteArray logits = readLogits(tmp.filePath("several.%1").arg(i + 1));
            QCOMPARE(logits.size(), qsizetype(test::kTinyVocab * sizeof(float)));
            QCOMPARE(logits, readLogits(tmp.filePath("one")));
        }
        // Text: the answers in order, each under its question.
        const auto text = test::runFolio(args);
        QVERIFY2(text.exitCode == 0, text.err.constData());
        const QString out = QString::fromUtf8(text.out);
        QVERIFY2(out.indexOf("Q1: Who pays?") >= 0 && out.indexOf("Q1: Who pays?") < out.indexOf("Q3: Who invoices"), text.out.constData());
    }

    void scope()
    {
        const auto one = ask(TinyChat::ChatML, {"--document", "fees.txt"});
        QVERIFY2(one.exitCode == 0, one.err.constData());
        QCOMPARE(one.json()["corpus_documents"].toInt(), 1);
        const auto missing = ask(TinyChat::ChatML, {"--document", "nowhere.txt"});
        QVERIFY(missing.exitCode != 0);
        QVERIFY2(missing.err.contains("no document 'nowhere.txt'"), missing.err.constData());
    }

    // Selected attention through the command line: the corpus build reports its mode and what its queries read,
    // a question resumes the selected corpus from the cache, and exact mode (another cache key) does not.
    void selectedAttention()
    {
        test::RepoBuilder repo(tmp.filePath("long").toStdString());
        std::string text;
        for (int i = 0; i < 60; ++i) text += "Clause " + std::to_string(i) + ": the licensee pays the fees within thirty days.\n";
        repo.setFile("terms.txt", text);
        repo.commit("long");
        const QString ws = tmp.filePath("ws-long");
        QCOMPARE(test::runFolio({"--workspace", ws, "ingest", tmp.filePath("long")}).exitCode, 0);
        const QString withAttention = tmp.filePath("four-layers.gguf");  // model()'s two layers are both DeltaNet
        test::writeTinyModel(withAttention.toStdString(), {});
        const QStringList selected{"--attention", "selected", "--block-size", "64", "--hot-window", "128", "--sink-tokens", "64",
                                   "--top-blocks", "2", "--threads", "1", "--json"};
        const auto build = test::runFolio(QStringList{"--workspace", ws, "corpus", "build", "--model", withAttention} + selected);
        QVERIFY2(build.exitCode == 0, build.err.constData());
        const QJsonObject attention = build.json()["attention"].toObject();
        QCOMPARE(attention["mode"].toString(), QString("selected"));
        QCOMPARE(attention["block_size"].toInt(), 64);
        QCOMPARE(attention["top_blocks"].toInt(), 2);
        QCOMPARE(attention["block_summary"].toString(), QString("minmax"));
        QVERIFY(attention["selecting_queries"].toInteger() > 0);
        QCOMPARE(attention["selected_blocks"].toInteger(), 2 * attention["selecting_queries"].toInteger());
        const auto corpusTokens = build.json()["tokens"].toInt();

        const QStringList question{"-n", "2", "Who", "pays?"};
        const auto asked = test::runFolio(QStringList{"--workspace", ws, "ask", "--model", withAttention} + selected + question);
        QVERIFY2(asked.exitCode == 0, asked.err.constData());
        QCOMPARE(asked.json()["attention"].toObject()["mode"].toString(), QString("selected"));
        QCOMPARE(asked.json()["resumed_at"].toInt(), corpusTokens);
        const auto exact = test::runFolio(QStringList{"--workspace", ws, "ask", "--model", withAttention, "--threads", "1",
                                                      "--json"} + question);
        QVERIFY2(exact.exitCode == 0, exact.err.constData());
        QCOMPARE(exact.json()["attention"].toObject()["mode"].toString(), QString("exact"));
        QCOMPARE(exact.json()["computed_tokens"].toInt(), corpusTokens);

        const auto refused = test::runFolio(QStringList{"--workspace", ws, "ask", "--model", withAttention, "--attention",
                                                        "selected", "--block-size", "100", "Who", "pays?"});
        QVERIFY(refused.exitCode != 0);
        QVERIFY2(refused.err.contains("block size 100 is not a positive multiple of 64"), refused.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestAsk)
#include "tst_ask.moc"
