// `folio ask --remote` and `folio complete --remote` as a user runs them: against `folio serve` (the answers,
// the server's prefix cache serving the corpus again, the context-size check) and against a scripted
// OpenAI-compatible server on loopback (what is sent: the corpus first and unchanged, the key, the FIM prompt;
// what is shown: citations, cached tokens, the server's errors without the key, timeouts, Stop).

#include "folio_process.h"
#include "repo_builder.h"
#include "serve_process.h"
#include "tiny_model.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>
#include <mutex>
#include <thread>

using namespace folio;
using nlohmann::json;

namespace {

std::string sse(const json& event)
{
    return "data: " + event.dump() + "\n\n";
}

json chunk(const std::string& field, const std::string& text)
{
    return {{"object", "chat.completion.chunk"}, {"choices", json::array({{{"index", 0}, {"delta", {{field, text}}}}})}};
}

// An OpenAI-compatible server whose answers a test scripts; it keeps the last request of each kind.
class ScriptedRemote {
public:
    using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
    Handler chat, completion, tokenize;
    std::mutex mutex;
    json lastChat, lastCompletion;
    std::string lastAuthorization;
    std::atomic<bool> clientLeft{false};

    ScriptedRemote()
    {
        http.Get("/v1/models", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(json({{"object", "list"}, {"data", {{{"id", "remote-model"}, {"max_model_len", 100000}},
                                                                {{"id", "other-model"}}}}}).dump(), "application/json");
        });
        http.Post("/tokenize", [this](const httplib::Request& req, httplib::Response& res) {
            if (tokenize) return tokenize(req, res);
            res.set_content(json({{"count", 1000}, {"max_model_len", 100000}}).dump(), "application/json");
        });
        http.Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) {
            {
                std::lock_guard lock(mutex);
                lastChat = json::parse(req.body);
                lastAuthorization = req.get_header_value("Authorization");
            }
            chat(req, res);
        });
        http.Post("/v1/completions", [this](const httplib::Request& req, httplib::Response& res) {
            {
                std::lock_guard lock(mutex);
                lastCompletion = json::parse(req.body);
            }
            completion(req, res);
        });
        port_ = http.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { http.listen_after_bind(); });
    }
    ~ScriptedRemote()
    {
        http.stop();
        thread_.join();
    }
    QString url() const { return QString("http://127.0.0.1:%1/v1").arg(port_); }

    // A stream of these events, then the usage and [DONE].
    static Handler streams(std::vector<json> events, std::int64_t cached)
    {
        return [events, cached](const httplib::Request&, httplib::Response& res) {
            std::string body;
            for (const auto& e : events) body += sse(e);
            body += sse({{"choices", json::array()},
                         {"usage", {{"prompt_tokens", 1200}, {"completion_tokens", 9}, {"prompt_tokens_details", {{"cached_tokens", cached}}}}}});
            body += "data: [DONE]\n\n";
            res.set_content(body, "text/event-stream");
        };
    }

private:
    httplib::Server http;
    std::thread thread_;
    int port_ = 0;
};

}  // namespace

class TestRemote : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString workspace, keyFile;

    QString tinyModel(const QString& name, test::TinyModelSpec spec)
    {
        const QString path = tmp.filePath(name);
        if (!QFile::exists(path)) test::writeTinyModel(path.toStdString(), spec);
        return path;
    }
    QStringList serveArgs(const QString& model, const QString& ws)
    {
        return {"--workspace", tmp.filePath(ws), "serve", "--model", model, "--model-name", "tiny", "--threads", "1",
                "--snapshot-every", "64"};
    }
    test::FolioRun folio(const QStringList& args, int timeoutMs = 300000)
    {
        return test::runFolio(QStringList{"--workspace", workspace} + args, timeoutMs);
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
        keyFile = tmp.filePath("key");
        QFile f(keyFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("sk-folio-test-123\n");
    }

    void asksFolioServeWithTheCorpusCachedThere()
    {
        test::TinyModelSpec spec;
        spec.layers = 2;
        test::ServeProcess server(serveArgs(tinyModel("chat.gguf", spec), "ws-serve"));
        QVERIFY2(server.started(), server.startupOutput().constData());
        const QString url = QString("http://127.0.0.1:%1").arg(server.port());
        const auto first = folio({"ask", "--remote", url, "-n", "6", "--json", "Who", "pays?"});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QJsonObject a = first.json();
        QCOMPARE(a["model"].toString(), QString("tiny"));
        QCOMPARE(a["model_context_length"].toInt(), 4096);
        QCOMPARE(a["corpus_documents"].toInt(), 2);
        QVERIFY(a["corpus_tokens"].toInt() > 100);
        QVERIFY(a["answer"].isString());
        QVERIFY(a["citations"].isArray());
        const QJsonObject usage = a["usage"].toObject();
        QVERIFY(usage["prompt_tokens"].toInt() > a["corpus_tokens"].toInt());
        QCOMPARE(usage["completion_tokens"].toInt(), 6);
        QCOMPARE(usage["cached_tokens"].toInt(), 0);

        // Another question: the corpus went first and unchanged, so the server's cache serves all of it.
        const auto second = folio({"ask", "--remote", url, "-n", "3", "--json", "Who", "invoices?"});
        QVERIFY2(second.exitCode == 0, second.err.constData());
        const QJsonObject b = second.json();
        const int cached = b["usage"].toObject()["cached_tokens"].toInt();
        // corpus_tokens counts the assistant's generation prompt after the system turn too (vLLM's /tokenize does).
        QVERIFY2(cached >= b["corpus_tokens"].toInt() - 16, qPrintable(QString("cached %1 of a %2-token corpus").arg(cached).arg(b["corpus_tokens"].toInt())));
        // The plain output names the server's cache.
        const auto plain = folio({"ask", "--remote", url, "-n", "2", "Who", "invoices?"});
        QVERIFY2(plain.exitCode == 0, plain.err.constData());
        QVERIFY2(plain.err.contains("from the server's cache"), plain.err.constData());

        // Several questions sent at once, each on its own connection: the answers, in order, are the ones asked
        // one after another get.
        const QStringList several = {"ask", "--remote", url, "-n", "3", "--json", "--question", "Who pays?",
                                     "--question", "Who invoices?", "--question", "When are fees late?"};
        const auto oneByOne = folio(several);
        const auto atOnce = folio(several + QStringList{"--parallel", "3"});
        QVERIFY2(atOnce.exitCode == 0, atOnce.err.constData());
        const QJsonArray expected = oneByOne.json()["answers"].toArray(), got = atOnce.json()["answers"].toArray();
        QCOMPARE(got.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(got[i].toObject()["question"], expected[i].toObject()["question"]);
            QCOMPARE(got[i].toObject()["answer"], expected[i].toObject()["answer"]);
        }
    }

    void completesThroughFolioServe()
    {
        test::TinyModelSpec spec;
        spec.layers = 2;
        spec.fimTokens = true;
        test::ServeProcess server(serveArgs(tinyModel("fim.gguf", spec), "ws-fim"));
        QVERIFY2(server.started(), server.startupOutput().constData());
        const QString url = QString("http://127.0.0.1:%1").arg(server.port());
        const auto first = folio({"complete", "fees.txt:1:5", "--remote", url, "-n", "4", "--json"});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        QCOMPARE(first.json()["form"].toString(), QString("fill-in-the-middle"));
        QCOMPARE(first.json()["path"].toString(), QString("fees.txt"));
        QVERIFY(first.json()["completion"].isString());
        const auto again = folio({"complete", "fees.txt:2:3", "--remote", url, "-n", "4", "--json"});
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QVERIFY(again.json()["usage"].toObject()["cached_tokens"].toInt() > 0);
    }

    void refusesACorpusBeyondTheRemoteContext()
    {
        test::TinyModelSpec spec;
        spec.layers = 2;
        spec.contextLength = 256;
        test::ServeProcess server(serveArgs(tinyModel("short.gguf", spec), "ws-short"));
        QVERIFY2(server.started(), server.startupOutput().constData());
        const auto r = folio({"ask", "--remote", QString("http://127.0.0.1:%1").arg(server.port()), "-n", "8", "Who", "pays?"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("the corpus is ") && r.err.contains("takes at most 256 tokens"), r.err.constData());
    }

    void sendsTheCorpusFirstAndCitesTheAnswer()
    {
        ScriptedRemote remote;
        remote.chat = ScriptedRemote::streams({chunk("reasoning_content", "Look at the fees file."),
                                               chunk("content", "The licensee pays [D1 L1]."),
                                               {{"choices", json::array({{{"index", 0}, {"delta", json::object()}, {"finish_reason", "stop"}}})}}},
                                              1100);
        const auto r = folio({"ask", "--remote", remote.url(), "--api-key-file", keyFile, "--thinking", "off", "--json", "Who", "pays?"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject j = r.json();
        QCOMPARE(j["answer"].toString(), QString("The licensee pays [D1 L1]."));
        QCOMPARE(j["thinking"].toString(), QString("Look at the fees file."));
        QCOMPARE(j["model"].toString(), QString("remote-model"));
        QCOMPARE(j["corpus_tokens"].toInt(), 1000);
        QCOMPARE(j["usage"].toObject()["cached_tokens"].toInt(), 1100);
        QCOMPARE(j["stop_reason"].toString(), QString("stop"));
        const QJsonArray citations = j["citations"].toArray();
        QCOMPARE(citations.size(), 1);
        QCOMPARE(citations[0].toObject()["path"].toString(), QString("fees.txt"));
        QCOMPARE(citations[0].toObject()["line"].toInt(), 1);

        {
            std::lock_guard lock(remote.mutex);
            QCOMPARE(remote.lastAuthorization, std::string("Bearer sk-folio-test-123"));
            const json& body = remote.lastChat;
            QCOMPARE(body["model"].get<std::string>(), std::string("remote-model"));
            QCOMPARE(body["stream"].get<bool>(), true);
            QCOMPARE(body["stream_options"]["include_usage"].get<bool>(), true);
            QCOMPARE(body["chat_template_kwargs"]["enable_thinking"].get<bool>(), false);
            QCOMPARE(body["messages"].size(), std::size_t(2));
            const std::string system = body["messages"][0]["content"];
            QCOMPARE(body["messages"][0]["role"].get<std::string>(), std::string("system"));
            QVERIFY(system.rfind("You answer questions about the documents below", 0) == 0);
            QVERIFY(system.find("<document id=\"D1\" path=\"fees.txt\">") != std::string::npos);
            QVERIFY(system.find("The licensee pays the fees within thirty days.") != std::string::npos);
            QCOMPARE(body["messages"][1]["content"].get<std::string>(), std::string("Who pays?"));
        }

        // The plain output lists the sources and the cache.
        const auto plain = folio({"ask", "--remote", remote.url(), "Who", "pays?"});
        QVERIFY2(plain.exitCode == 0, plain.err.constData());
        QVERIFY2(plain.out.contains("Sources:") && plain.out.contains("fees.txt, line 1"), plain.out.constData());
        QVERIFY2(plain.err.contains("1100 of them from the server's cache"), plain.err.constData());
    }

    void fillInTheMiddleIsWrittenIntoThePrompt()
    {
        ScriptedRemote remote;
        remote.completion = [](const httplib::Request&, httplib::Response& res) {
            res.set_content(sse({{"choices", json::array({{{"index", 0}, {"text", "icensee"}, {"finish_reason", "stop"}}})}}) +
                                "data: [DONE]\n\n", "text/event-stream");
        };
        const auto r = folio({"complete", "fees.txt:1:6", "--remote", remote.url(), "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json()["completion"].toString(), QString("icensee"));
        std::lock_guard lock(remote.mutex);
        const std::string prompt = remote.lastCompletion["prompt"];
        QVERIFY2(prompt.rfind("<|repo_name|>repo\n<|file_sep|>", 0) == 0, prompt.c_str());
        QVERIFY(prompt.find("<|file_sep|>notes.md\n# Notes\n") != std::string::npos);
        const std::string tail = "<|file_sep|>fees.txt\n<|fim_prefix|>The l<|fim_suffix|>icensee pays the fees";
        QVERIFY2(prompt.find(tail) != std::string::npos, prompt.c_str());
        QVERIFY(prompt.ends_with("<|fim_middle|>"));
        QVERIFY(!remote.lastCompletion.contains("suffix"));  // vLLM takes none
        QVERIFY(remote.lastCompletion["stop"].is_array());
    }

    void showsTheServersErrorButNeverTheKey()
    {
        ScriptedRemote remote;
        remote.chat = [](const httplib::Request& req, httplib::Response& res) {
            res.status = 400;
            res.set_content(json({{"error", {{"message", "bad request from " + req.get_header_value("Authorization")},
                                             {"type", "invalid_request_error"}, {"code", "bad_thing"}}}}).dump(), "application/json");
        };
        const auto r = folio({"ask", "--remote", remote.url(), "--api-key-file", keyFile, "Who", "pays?"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("HTTP 400") && r.err.contains("bad request from Bearer ***") && r.err.contains("bad_thing"), r.err.constData());
        QVERIFY(!r.err.contains("sk-folio-test-123") && !r.out.contains("sk-folio-test-123"));
        // Nor is it written into the workspace.
        for (const QString& name : QDir(workspace).entryList(QDir::Files)) {
            QFile f(QDir(workspace).filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains("sk-folio-test-123"), qPrintable(name));
        }
    }

    void namesWhatItCannotReach()
    {
        ScriptedRemote remote;
        const auto model = folio({"ask", "--remote", remote.url(), "--remote-model", "nope", "Who", "pays?"});
        QVERIFY(model.exitCode != 0);
        QVERIFY2(model.err.contains("has no model 'nope'; it serves: remote-model, other-model"), model.err.constData());

        // A port nothing listens on (below 1024: no test's server gets it).
        const auto refused = folio({"ask", "--remote", "http://127.0.0.1:1", "Who", "pays?"});
        QVERIFY(refused.exitCode != 0);
        QVERIFY2(refused.err.contains("remote http://127.0.0.1:1: "), refused.err.constData());

        const auto scheme = folio({"ask", "--remote", "ftp://127.0.0.1:1", "Who", "pays?"});
        QVERIFY2(scheme.err.contains("must begin with http:// or https://"), scheme.err.constData());
    }

    void warnsWhenTheServerCannotCountTokens()
    {
        ScriptedRemote remote;
        remote.tokenize = [](const httplib::Request&, httplib::Response& res) { res.status = 404; };
        remote.chat = ScriptedRemote::streams({chunk("content", "Yes.")}, 0);
        const auto r = folio({"ask", "--remote", remote.url(), "--json", "Who", "pays?"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("has no /tokenize"), r.err.constData());
        QVERIFY(r.json()["corpus_tokens"].isNull());
    }

    void aSilentServerTimesOut()
    {
        ScriptedRemote remote;
        remote.chat = [](const httplib::Request&, httplib::Response&) { std::this_thread::sleep_for(std::chrono::seconds(6)); };
        QElapsedTimer timer;
        timer.start();
        const auto r = folio({"ask", "--remote", remote.url(), "--read-timeout", "1", "Who", "pays?"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("(the read timeout)"), r.err.constData());
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    }

    void interruptClosesTheStream()
    {
        ScriptedRemote remote;
        remote.chat = [&remote](const httplib::Request&, httplib::Response& res) {
            res.set_chunked_content_provider("text/event-stream", [&remote](std::size_t, httplib::DataSink& sink) {
                for (int i = 0; i < 600; ++i) {
                    const std::string e = sse(chunk("content", "word "));
                    if (!sink.write(e.data(), e.size())) break;
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
                }
                remote.clientLeft = true;
                sink.done();
                return true;
            });
        };
        QProcess p;
        p.start(QString::fromUtf8(qgetenv("FOLIO_EXECUTABLE")), {"--workspace", workspace, "ask", "--remote", remote.url(), "Who", "pays?"});
        QVERIFY(p.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).contains("word"), 20000);
        QElapsedTimer timer;
        timer.start();
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(5000));
        QCOMPARE(p.exitCode(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(remote.clientLeft.load(), 5000);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TestRemote)
#include "tst_remote.moc"
