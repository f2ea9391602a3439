// Reading a workspace into the engine once and resuming from the context cache: CorpusRunner in the library,
// and `folio corpus build` / `folio ask` as a user runs them, on the sample contracts and a repository, with
// tiny models of every variant. The corpora are longer than the tiny models' context length (4,096), as a
// real corpus may be longer than a real model's: that is where resuming once failed unnoticed (issue 17).

#include "folio/app/ask_prompt.h"
#include "folio/app/context_cache.h"
#include "folio/app/corpus.h"
#include "folio/app/corpus_runner.h"
#include "folio_process.h"
#include "pdf_fixtures.h"
#include "repo_builder.h"
#include "tiny_model.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <random>

using namespace folio;
namespace fs = std::filesystem;

namespace {

ingest::Document textDocument(const std::string& path, const std::string& text)
{
    ingest::Document d;
    d.path = path;
    d.text = text;
    d.size = text.size();
    d.contentHash = "h-" + std::to_string(std::hash<std::string>()(text));
    return d;
}

std::string randomText(std::mt19937& rng, int words)
{
    static const char* vocab[] = {"the", "agreement", "and", "there", "is", "in", "at", "on", "party", "shall",
                                  "notice", "term", "\n", "section", "1.2", "(a)", "licence", "fee", "days", "of"};
    std::string s;
    for (int i = 0; i < words; ++i) s += std::string(vocab[rng() % 20]) + (rng() % 7 ? " " : ", ");
    return s;
}

// A source file long enough that snapshot points fall inside it.
std::string longSourceFile()
{
    std::string s = "// Parses the configuration of a licence server.\n#include <string>\n\n";
    for (int i = 0; i < 60; ++i)
        s += "int licence_fee_" + std::to_string(i) + "(int days) { return days * " + std::to_string(i + 3) + " + 1; }\n";
    return s;
}

const char* variantName(test::TinyVariant v)
{
    switch (v) {
    case test::TinyVariant::Qwen3Next: return "qwen3next";
    case test::TinyVariant::Qwen3NextLegacy: return "qwen3next-legacy";
    case test::TinyVariant::Qwen35: return "qwen35";
    case test::TinyVariant::Qwen35Moe: return "qwen35moe";
    }
    return "?";
}

constexpr test::TinyVariant kVariants[] = {test::TinyVariant::Qwen3Next, test::TinyVariant::Qwen3NextLegacy,
                                           test::TinyVariant::Qwen35, test::TinyVariant::Qwen35Moe};

}  // namespace

class TestCorpusRunner : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::string modelPath;  // qwen3next, for the library tests
    QString mixed;          // a workspace with the sample contracts and a repository

    fs::path dir(const char* name) { return fs::path(tmp.filePath(name).toStdString()); }
    QString model(test::TinyVariant v) { return tmp.filePath(QString("tiny-%1.gguf").arg(variantName(v))); }

    using Result = test::FolioRun;
    Result folio(const QString& workspace, const QStringList& args) { return test::runFolio(QStringList{"--workspace", workspace} + args); }
    // Runs a command that must succeed and prints JSON.
    QJsonObject folioJson(const QString& workspace, const QStringList& args)
    {
        const Result r = folio(workspace, QStringList(args) << "--json");
        if (r.exitCode != 0) qWarning("folio %s failed: %s", qPrintable(args.join(' ')), r.err.constData());
        return r.exitCode == 0 ? r.json() : QJsonObject();
    }
    static QByteArray readAll(const QString& path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // The document order and snapshot points `folio` uses for this workspace, read through the library.
    app::Corpus corpusOf(const QString& workspace, test::TinyVariant v)
    {
        const auto m = engine::Model::load(model(v).toStdString());
        const engine::Tokenizer tokenizer(m->file());
        const auto prompt = app::AskPrompt::chat(engine::ChatFormat::fromModel(m->file(), tokenizer), engine::Thinking::Default);
        return app::Corpus::build(app::WorkspaceStore(workspace.toStdString()), tokenizer, prompt.corpusFrame());
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!qgetenv("FOLIO_EXECUTABLE").isEmpty(), "FOLIO_EXECUTABLE names the folio binary (set by ctest)");
        for (auto v : kVariants) test::writeTinyModel(model(v).toStdString(), {v, engine::TensorType::F32, 9, 4});
        modelPath = model(test::TinyVariant::Qwen3Next).toStdString();

        // Repository files and PDFs in one workspace, the repository first.
        test::RepoBuilder repo(tmp.filePath("repo").toStdString());
        repo.setFile("README.md", "# Licence server\n\nComputes licence fees from the days of use.\n");
        repo.setFile("src/fees.cpp", longSourceFile());
        repo.setFile("tools/report.py", "def report(fees):\n    return sum(fees) / len(fees)\n");
        repo.commit("first");
        mixed = tmp.filePath("mixed");
        QCOMPARE(folio(mixed, {"ingest", tmp.filePath("repo")}).exitCode, 0);
        QCOMPARE(folio(mixed, {"sample", tmp.filePath("contracts")}).exitCode, 0);
        QCOMPARE(folio(mixed, {"ingest", tmp.filePath("contracts")}).exitCode, 0);
    }

    // After `corpus build`, a second build computes nothing and `ask` resumes at the corpus end, computing only the
    // question, with the logits and answer of the run without the cache. With a small --snapshot-every the
    // points fall inside documents too.
    void askResumesAtTheCorpusEnd_data()
    {
        QTest::addColumn<int>("variant");
        QTest::addColumn<QString>("every");
        for (auto v : kVariants)
            for (const char* every : {"4096", "300"})
                QTest::addRow("%s/every-%s", variantName(v), every) << int(v) << QString(every);
    }
    void askResumesAtTheCorpusEnd()
    {
        QFETCH(int, variant);
        QFETCH(QString, every);
        QCOMPARE(folio(mixed, {"cache", "prune"}).exitCode, 0);
        const QStringList corpusArgs = {"--model", model(test::TinyVariant(variant)), "--snapshot-every", every};

        const Result first = folio(mixed, QStringList{"corpus", "build"} + corpusArgs << "--json");
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QJsonObject build = first.json();
        const int tokens = build["tokens"].toInt();
        QVERIFY(tokens > 4096);  // past the tiny models' context length
        QVERIFY(first.err.contains("more than the context length of 4096"));
        QCOMPARE(build["documents"].toInt(), 6);
        QCOMPARE(build["resumed_at"].toInt(), 0);
        QCOMPARE(build["computed_tokens"].toInt(), tokens);
        QCOMPARE(build["snapshots_saved"].toInt(), build["snapshot_points"].toInt());
        if (every == "300") QVERIFY(build["snapshot_points"].toInt() > 2 * build["documents"].toInt());  // inside documents

        const QJsonObject again = folioJson(mixed, QStringList{"corpus", "build"} + corpusArgs);
        QCOMPARE(again["resumed_at"].toInt(), tokens);
        QCOMPARE(again["computed_tokens"].toInt(), 0);
        QCOMPARE(again["snapshots_saved"].toInt(), 0);
        QCOMPARE(again["restore_failures"].toInt(), 0);

        const QStringList question = {"-n", "8", "What", "is", "the", "notice", "period?"};
        const QString cachedLogits = tmp.filePath("cached.logits"), slowLogits = tmp.filePath("slow.logits");
        const Result asked = folio(mixed, QStringList{"ask"} + corpusArgs + question + QStringList{"--logits", cachedLogits, "--json"});
        QVERIFY2(asked.exitCode == 0, asked.err.constData());
        QVERIFY2(!asked.err.contains("context cache"), asked.err.constData());  // nothing dropped, nothing failed to write
        const QJsonObject ask = asked.json();
        QCOMPARE(ask["corpus_tokens"].toInt(), tokens);
        QCOMPARE(ask["resumed_at"].toInt(), ask["corpus_tokens"].toInt());
        QCOMPARE(ask["computed_tokens"].toInt(), 0);
        QCOMPARE(ask["restore_failures"].toInt(), 0);
        QVERIFY(ask["question_tokens"].toInt() > 0);

        const QJsonObject slow = folioJson(mixed, QStringList{"ask"} + corpusArgs + question + QStringList{"--logits", slowLogits, "--no-cache"});
        QCOMPARE(slow["resumed_at"].toInt(), 0);
        QCOMPARE(slow["computed_tokens"].toInt(), tokens);
        QCOMPARE(ask["answer"], slow["answer"]);
        QCOMPARE(ask["tokens"].toInt(), 8);
        const QByteArray logits = readAll(cachedLogits);
        QCOMPARE(logits.size(), qsizetype(test::kTinyVocab * sizeof(float)));
        QVERIFY(logits == readAll(slowLogits));  // bit for bit
    }

    // Every snapshot point can be resumed, not only the last: document ends, points inside long documents, and
    // points past the model's context length. Each restored state, continued to the end, gives the logits of the
    // uninterrupted run.
    void everySnapshotPointResumes_data()
    {
        QTest::addColumn<int>("variant");
        for (auto v : kVariants) QTest::newRow(variantName(v)) << int(v);
    }
    void everySnapshotPointResumes()
    {
        QFETCH(int, variant);
        const auto m = engine::Model::load(model(test::TinyVariant(variant)).toStdString());
        const engine::Tokenizer tokenizer(m->file());
        const fs::path ws = dir(("points-" + std::to_string(variant)).c_str());
        app::WorkspaceStore store(ws);
        const auto source = store.beginSource("repository", "/points", "");
        std::mt19937 rng(21);
        store.writeDocument(source.id, textDocument("long.txt", randomText(rng, 1500)));
        store.writeDocument(source.id, textDocument("short.txt", randomText(rng, 40)));
        store.writeDocument(source.id, textDocument("middle.txt", randomText(rng, 600)));
        const auto corpus = app::Corpus::build(store, tokenizer, app::AskPrompt::raw().corpusFrame());
        const auto points = corpus.snapshotPoints(700);
        QVERIFY(corpus.tokens().size() > 4096);
        QVERIFY(points.size() >= 8);
        const engine::SessionOptions options{2, 4096, 64};
        app::ContextCache cache(ws / "cache", app::modelFingerprint(ws / "cache", model(test::TinyVariant(variant)).toStdString(), options));
        std::vector<float> uninterrupted;
        {
            engine::Session s(*m, options);
            const auto report = app::CorpusRunner(s, &cache).prefill(corpus.tokens(), points);
            QCOMPARE(report.snapshotsSaved, int(points.size()));
            uninterrupted = s.logits();
        }
        const auto keys = app::CorpusRunner(*std::make_unique<engine::Session>(*m, options), &cache).pointKeys(corpus.tokens(), points);
        for (std::size_t i = 0; i < points.size(); ++i) {
            engine::Session s(*m, options);
            const auto recurrent = cache.get("recurrent", keys[i]);
            QVERIFY(recurrent);
            std::vector<std::shared_ptr<const app::CacheBytes>> kv;
            std::vector<std::span<const std::uint8_t>> ranges;
            for (std::size_t j = 0; j <= i; ++j) {
                kv.push_back(cache.get("kv", keys[j]));
                QVERIFY(kv.back());
                ranges.emplace_back(*kv.back());
            }
            QVERIFY_THROWS_NO_EXCEPTION(s.restoreParts(*recurrent, ranges, std::span(corpus.tokens()).first(std::size_t(points[i]))));
            QCOMPARE(s.position(), points[i]);
            for (std::size_t j = i + 1; j < points.size(); ++j)
                s.prefill(std::span(corpus.tokens()).subspan(std::size_t(points[j - 1]), std::size_t(points[j] - points[j - 1])));
            QVERIFY2(s.logits() == uninterrupted, qPrintable(QString("resumed at point %1 (token %2)").arg(i).arg(points[i])));
        }
        QCOMPARE(cache.stats().dropped, std::uint64_t(0));
    }

    // A corpus of one PDF, with points inside it.
    void oneDocumentCorpus()
    {
        const QString ws = tmp.filePath("one");
        test::writeSampleContract(tmp.filePath("one.pdf"), 8);
        QCOMPARE(folio(ws, {"ingest", tmp.filePath("one.pdf")}).exitCode, 0);
        const QStringList corpusArgs = {"--model", model(test::TinyVariant::Qwen35), "--snapshot-every", "500"};
        const QJsonObject build = folioJson(ws, QStringList{"corpus", "build"} + corpusArgs);
        QCOMPARE(build["documents"].toInt(), 1);
        QVERIFY(build["snapshot_points"].toInt() >= 4);
        const QJsonObject ask = folioJson(ws, QStringList{"ask"} + corpusArgs + QStringList{"-n", "4", "Who", "supplies?"});
        QCOMPARE(ask["resumed_at"].toInt(), build["tokens"].toInt());
        QCOMPARE(ask["computed_tokens"].toInt(), 0);
        const QJsonObject slow = folioJson(ws, QStringList{"ask"} + corpusArgs + QStringList{"-n", "4", "--no-cache", "Who", "supplies?"});
        QCOMPARE(ask["answer"], slow["answer"]);

        // A question without --snapshot-every takes the build's spacing (its cache keys follow the snapshot
        // points), so it too resumes the whole corpus rather than computing it again at the default spacing.
        const QJsonObject plain = folioJson(ws, {"ask", "--model", model(test::TinyVariant::Qwen35), "-n", "4", "Who", "supplies?"});
        QCOMPARE(plain["resumed_at"].toInt(), build["tokens"].toInt());
        QCOMPARE(plain["answer"], slow["answer"]);
    }

    // One PDF replaced and ingested again: it moves to the end of the corpus, so the resume stops exactly where
    // it stood before (the end of the document before it), and the build computes only the rest.
    void replacedPdfResumesAtTheFirstChangedDocument()
    {
        const QString ws = tmp.filePath("changed");
        const QString pdfs = tmp.filePath("changed-pdfs");
        QDir().mkpath(pdfs);
        for (const char* party : {"Acme Corp.", "Bolt Ltd.", "Crane plc"})
            test::writeSampleContract(pdfs + "/" + QString(party).left(4).trimmed() + ".pdf", 2, party);
        QCOMPARE(folio(ws, {"ingest", tmp.filePath("repo")}).exitCode, 0);
        QCOMPARE(folio(ws, {"ingest", pdfs}).exitCode, 0);
        const QStringList corpusArgs = {"--model", model(test::TinyVariant::Qwen35Moe), "--snapshot-every", "400"};
        QCOMPARE(folioJson(ws, QStringList{"corpus", "build"} + corpusArgs)["resumed_at"].toInt(), 0);

        const auto before = corpusOf(ws, test::TinyVariant::Qwen35Moe);
        // The worker threads decide which PDF is stored first, so the one replaced is the first PDF in corpus
        // order: two documents follow it whatever that order is.
        const auto replaced = std::find_if(before.documents().begin(), before.documents().end(),
                                           [](const app::CorpusDocument& d) { return d.path.ends_with(".pdf"); });
        QVERIFY(replaced != before.documents().end());
        QVERIFY(replaced != before.documents().end() - 1);
        const std::string replacedPath = replaced->path;
        test::writeSampleContract(QString::fromStdString(replacedPath), 2, "Dune Holdings Ltd.");
        const Result ingest = folio(ws, {"ingest", pdfs, "--json"});
        QCOMPARE(ingest.exitCode, 0);
        QCOMPARE(ingest.json()["updated"].toInt(), 1);

        const auto after = corpusOf(ws, test::TinyVariant::Qwen35Moe);
        QCOMPARE(after.documents().back().path, replacedPath);
        const QJsonObject rebuild = folioJson(ws, QStringList{"corpus", "build"} + corpusArgs);
        QCOMPARE(rebuild["resumed_at"].toInt(), int(replaced->tokenBegin));
        QCOMPARE(rebuild["computed_tokens"].toInt(), rebuild["tokens"].toInt() - int(replaced->tokenBegin));
        QCOMPARE(rebuild["restore_failures"].toInt(), 0);
        const QJsonObject ask = folioJson(ws, QStringList{"ask"} + corpusArgs + QStringList{"-n", "4", "Who", "supplies?"});
        QCOMPARE(ask["resumed_at"].toInt(), ask["corpus_tokens"].toInt());
        QCOMPARE(ask["computed_tokens"].toInt(), 0);
    }

    // A cached state that the cache reads back intact but the engine refuses (here: the recurrent state of
    // another point, filed under the last point's key) is never a silent recompute: `ask` warns naming the entry
    // and the reason, drops it, resumes at the point before, gives the same answer, and `cache stats` counts it.
    void unrestorableStateIsWarnedDroppedAndCounted()
    {
        const QString ws = tmp.filePath("refused");
        QCOMPARE(folio(ws, {"ingest", tmp.filePath("repo")}).exitCode, 0);
        const QString modelFile = model(test::TinyVariant::Qwen3Next);
        const QStringList corpusArgs = {"--model", modelFile, "--snapshot-every", "300"};
        const QJsonObject build = folioJson(ws, QStringList{"corpus", "build"} + corpusArgs);
        QVERIFY(build["snapshot_points"].toInt() >= 3);

        const QJsonObject stats = folioJson(ws, {"cache", "stats"});
        QCOMPARE(stats["dropped"].toInt(), 0);
        const std::string fingerprint = stats["entries"].toArray()[0].toObject()["fingerprint"].toString().toStdString();
        const auto corpus = corpusOf(ws, test::TinyVariant::Qwen3Next);
        const auto points = corpus.snapshotPoints(300);
        const fs::path folder = fs::path(ws.toStdString()) / "cache";
        std::string lastKey;
        {
            app::ContextCache cache(folder, fingerprint);
            const auto m = engine::Model::load(modelFile.toStdString());
            engine::Session s(*m);
            const auto keys = app::CorpusRunner(s, &cache).pointKeys(corpus.tokens(), points);
            lastKey = keys.back();
            const auto earlier = cache.get("recurrent", keys[keys.size() - 2]);
            QVERIFY(earlier);
            cache.put("recurrent", lastKey, *earlier);
            cache.persist();
        }
        const QStringList question = {"-n", "4", "What", "is", "the", "fee?"};
        const Result asked = folio(ws, QStringList{"ask"} + corpusArgs + question << "--json");
        QVERIFY2(asked.exitCode == 0, asked.err.constData());
        QVERIFY2(asked.err.contains(("context cache: dropped recurrent " + lastKey.substr(0, 16)).c_str()), asked.err.constData());
        QVERIFY2(asked.err.contains("cannot be restored"), asked.err.constData());
        QVERIFY2(asked.err.contains("does not match"), asked.err.constData());
        const QJsonObject ask = asked.json();
        QCOMPARE(ask["restore_failures"].toInt(), 1);
        QCOMPARE(ask["resumed_at"].toInt(), int(points[points.size() - 2]));
        QCOMPARE(ask["computed_tokens"].toInt(), int(points.back() - points[points.size() - 2]));
        QCOMPARE(ask["cache"].toObject()["dropped"].toInt(), 1);
        const QJsonObject slow = folioJson(ws, QStringList{"ask"} + corpusArgs + question << "--no-cache");
        QCOMPARE(ask["answer"], slow["answer"]);

        const QJsonObject after = folioJson(ws, {"cache", "stats"});
        QCOMPARE(after["dropped"].toInt(), 1);
        const QJsonObject drop = after["recent_drops"].toArray()[0].toObject();
        QCOMPARE(drop["kind"].toString(), QString("recurrent"));
        QCOMPARE(drop["key"].toString().toStdString(), lastKey);
        QVERIFY(drop["reason"].toString().contains("cannot be restored"));
        const Result text = folio(ws, {"cache", "stats"});
        QVERIFY(text.out.contains("1 entries dropped as unusable"));

        // The ask that dropped it computed the last segment again and saved it: the next one resumes at the end.
        const QJsonObject next = folioJson(ws, QStringList{"ask"} + corpusArgs + question);
        QCOMPARE(next["resumed_at"].toInt(), next["corpus_tokens"].toInt());
        QCOMPARE(next["restore_failures"].toInt(), 0);
        QCOMPARE(next["answer"], slow["answer"]);
    }

    void resumeEqualsNoCacheBitwise()
    {
        const auto model = engine::Model::load(modelPath);
        const engine::Tokenizer tokenizer(model->file());
        std::mt19937 rng(11);
        for (int round = 0; round < 3; ++round) {
            const fs::path ws = dir(("ws" + std::to_string(round)).c_str());
            app::WorkspaceStore store(ws);
            const auto source = store.beginSource("repository", "/r" + std::to_string(round), "");
            const int docs = 2 + int(rng() % 4);
            for (int i = 0; i < docs; ++i)
                store.writeDocument(source.id, textDocument("doc" + std::to_string(i) + ".txt", randomText(rng, 10 + int(rng() % 40))));
            const auto corpus = app::Corpus::build(store, tokenizer, app::AskPrompt::raw().corpusFrame());
            const auto points = corpus.snapshotPoints(16 + std::int64_t(rng() % 40));
            const engine::SessionOptions options{1, 4096, 64};
            app::ContextCache cache(ws / "cache", app::modelFingerprint(ws / "cache", modelPath, options));
            const auto question = app::AskPrompt::raw().question("what is the term?").tokens(tokenizer);

            auto answer = [&](app::ContextCache* c, std::int64_t* resumedAt) {
                engine::Session s(*model, options);
                const auto report = app::CorpusRunner(s, c).prefill(corpus.tokens(), points);
                if (resumedAt) *resumedAt = report.resumedAt;
                s.prefill(question);
                std::vector<float> out = s.logits();
                for (int i = 0; i < 4; ++i) {
                    s.decode(std::int32_t(std::max_element(s.logits().begin(), s.logits().end()) - s.logits().begin()));
                    out.insert(out.end(), s.logits().begin(), s.logits().end());
                }
                return out;
            };
            std::int64_t resumed = -1;
            const auto cold = answer(&cache, &resumed);
            QCOMPARE(resumed, std::int64_t(0));
            const auto slow = answer(nullptr, nullptr);
            QCOMPARE(cold, slow);
            const auto warm = answer(&cache, &resumed);  // from memory
            QCOMPARE(resumed, points.back());
            QCOMPARE(warm, slow);
            cache.demoteAll(app::CacheTier::Disk);
            const auto fromDisk = answer(&cache, &resumed);
            QCOMPARE(resumed, points.back());
            QCOMPARE(fromDisk, slow);

            // A cut: without the last snapshot the run resumes one point earlier, with the same result.
            if (points.size() >= 2) {
                const auto keys = app::CorpusRunner(*std::make_unique<engine::Session>(*model, options), &cache).pointKeys(corpus.tokens(), points);
                cache.demoteAll(app::CacheTier::Disk);
                app::ContextCache::pruneFolder(ws / "cache", 1ull << 40);
                fs::remove(ws / "cache" / cache.fingerprint().substr(0, 16) / ("recurrent-" + keys.back() + ".zst"));
                app::ContextCache reopened(ws / "cache", cache.fingerprint(), {}, [](const std::string&) {});
                const auto cut = answer(&reopened, &resumed);
                QCOMPARE(resumed, points[points.size() - 2]);
                QCOMPARE(cut, slow);
            }
        }
    }
    void changedDocumentInvalidatesOnlyWhatFollows()
    {
        const auto model = engine::Model::load(modelPath);
        const engine::Tokenizer tokenizer(model->file());
        const fs::path ws = dir("changes");
        app::WorkspaceStore store(ws);
        const auto source = store.beginSource("repository", "/changes", "");
        std::mt19937 rng(5);
        for (int i = 0; i < 4; ++i) store.writeDocument(source.id, textDocument("d" + std::to_string(i), randomText(rng, 30)));
        const engine::SessionOptions options{1, 4096, 64};
        app::ContextCache cache(ws / "cache", app::modelFingerprint(ws / "cache", modelPath, options));
        {
            engine::Session s(*model, options);
            const auto corpus = app::Corpus::build(store, tokenizer, app::AskPrompt::raw().corpusFrame());
            app::CorpusRunner(s, &cache).prefill(corpus.tokens(), corpus.snapshotPoints(4096));
        }
        // d1 changes: it moves to the end; d0 stays first, so the state after d0 is still good.
        store.writeDocument(source.id, textDocument("d1", randomText(rng, 30)));
        const auto corpus = app::Corpus::build(store, tokenizer, app::AskPrompt::raw().corpusFrame());
        QCOMPARE(corpus.documents().back().path, std::string("d1"));
        engine::Session s(*model, options);
        const auto report = app::CorpusRunner(s, &cache).prefill(corpus.tokens(), corpus.snapshotPoints(4096));
        QCOMPARE(report.resumedAt, corpus.documents().front().tokenEnd);
        const auto& d2 = corpus.documents()[1];
        QVERIFY(d2.anchors.size() >= 1);
        const auto loc = corpus.locate(d2.anchors.front().first);
        QVERIFY(loc);
        QCOMPARE(loc->path, std::string("d2"));
        QCOMPARE(loc->line, 1);
        QCOMPARE(corpus.locate(d2.tokenBegin)->line, 0);  // the boundary marker belongs to no line
        QVERIFY(!corpus.locate(std::int64_t(corpus.tokens().size())));
    }
    void twoProcessesShareOneCache()
    {
        const QByteArray folio = qgetenv("FOLIO_EXECUTABLE");
        QVERIFY(!folio.isEmpty());
        const QString ws = tmp.filePath("shared-ws");
        {
            app::WorkspaceStore store(ws.toStdString());
            const auto source = store.beginSource("repository", "/shared", "");
            std::mt19937 rng(3);
            for (int i = 0; i < 3; ++i) store.writeDocument(source.id, textDocument("s" + std::to_string(i), randomText(rng, 60)));
        }
        const QStringList args = {"--workspace", ws, "ask", "--model", QString::fromStdString(modelPath), "--threads", "1",
                                  "--snapshot-every", "32", "-n", "6", "--json", "what", "is", "the", "fee?"};
        QProcess a, b;
        a.start(QString::fromUtf8(folio), args);
        b.start(QString::fromUtf8(folio), args);
        QVERIFY(a.waitForFinished(120000) && b.waitForFinished(120000));
        QVERIFY2(a.exitCode() == 0, a.readAllStandardError().constData());
        QVERIFY2(b.exitCode() == 0, b.readAllStandardError().constData());
        const auto ja = QJsonDocument::fromJson(a.readAllStandardOutput()).object();
        const auto jb = QJsonDocument::fromJson(b.readAllStandardOutput()).object();
        QCOMPARE(ja["answer"], jb["answer"]);
        QProcess c;
        c.start(QString::fromUtf8(folio), args);
        QVERIFY(c.waitForFinished(120000));
        const auto jc = QJsonDocument::fromJson(c.readAllStandardOutput()).object();
        QCOMPARE(jc["answer"], ja["answer"]);
        QCOMPARE(jc["computed_tokens"].toInt(), 0);  // everything came from the cache the first two wrote
        QProcess slow;
        slow.start(QString::fromUtf8(folio), QStringList(args) << "--no-cache");
        QVERIFY(slow.waitForFinished(120000));
        QCOMPARE(QJsonDocument::fromJson(slow.readAllStandardOutput()).object()["answer"], ja["answer"]);
    }
};

QTEST_MAIN(TestCorpusRunner)
#include "tst_corpusrunner.moc"
