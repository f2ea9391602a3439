#include "folio/app/context_cache.h"
#include "folio/app/corpus.h"
#include "folio/app/corpus_runner.h"
#include "tiny_model.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <random>

using namespace folio;
namespace fs = std::filesystem;

namespace {

app::CacheBytes randomBytes(std::size_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    app::CacheBytes b(n);
    for (auto& x : b) x = std::uint8_t(rng());
    return b;
}

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

}  // namespace

class TestContextCache : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::string modelPath;

    fs::path dir(const char* name) { return fs::path(tmp.filePath(name).toStdString()); }

private slots:
    void initTestCase()
    {
        modelPath = tmp.filePath("tiny.gguf").toStdString();
        test::writeTinyModel(modelPath, {test::TinyVariant::Qwen3Next, engine::TensorType::F32, 9, 4});
    }
    void tiersMoveBytesUnchanged()
    {
        std::vector<std::string> warnings;
        app::ContextCache cache(dir("tiers"), std::string(64, 'a'), {1000, 1000, 1 << 20},
                                [&](const std::string& w) { warnings.push_back(w); });
        const auto a = randomBytes(600, 1), b = randomBytes(600, 2), c = randomBytes(600, 3);
        cache.put("kv", "a", a);
        QCOMPARE(cache.tierOf("kv", "a"), app::CacheTier::Hot);
        cache.put("kv", "b", b);  // a no longer fits in hot: warm
        QCOMPARE(cache.tierOf("kv", "a"), app::CacheTier::Warm);
        cache.put("kv", "c", c);  // b to warm, warm over budget: a to disk
        QCOMPARE(cache.tierOf("kv", "a"), app::CacheTier::Disk);
        QCOMPARE(cache.tierOf("kv", "b"), app::CacheTier::Warm);
        QCOMPARE(*cache.get("kv", "a"), a);  // from disk, promoted to hot
        QCOMPARE(cache.tierOf("kv", "a"), app::CacheTier::Hot);
        QCOMPARE(*cache.get("kv", "b"), b);
        QCOMPARE(*cache.get("kv", "c"), c);
        const auto s = cache.stats();
        QVERIFY(s.tiers[2].hits >= 1);
        QVERIFY(!cache.get("kv", "missing"));
        QCOMPARE(cache.stats().misses, std::uint64_t(1));
        QVERIFY(warnings.empty());

        // Another process (another cache object) sees what was persisted, byte for byte.
        cache.persist();
        app::ContextCache other(dir("tiers"), std::string(64, 'a'));
        QCOMPARE(*other.get("kv", "c"), c);
        app::ContextCache foreign(dir("tiers"), std::string(64, 'b'));
        QVERIFY(!foreign.get("kv", "c"));  // another model's entries are never hits
    }
    void damagedEntriesAreDroppedWithAWarning()
    {
        std::vector<std::string> warnings;
        const std::string fp(64, 'c');
        auto open = [&] { return std::make_unique<app::ContextCache>(dir("damaged"), fp, app::CacheBudgets{}, [&](const std::string& w) { warnings.push_back(w); }); };
        auto cache = open();
        for (int i = 0; i < 4; ++i) cache->put("recurrent", "k" + std::to_string(i), randomBytes(5000, unsigned(i)));
        cache->persist();
        cache = open();  // a fresh process: only the disk tier
        const fs::path entries = dir("damaged") / fp.substr(0, 16);
        {   // flip a byte in the compressed payload
            std::fstream f(entries / "recurrent-k0.zst", std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(-10, std::ios::end);
            f.put('\x5a');
        }
        fs::resize_file(entries / "recurrent-k1.zst", fs::file_size(entries / "recurrent-k1.zst") / 2);  // truncated
        fs::copy_file(entries / "recurrent-k3.zst", entries / "recurrent-k2.zst", fs::copy_options::overwrite_existing);  // another entry's file
        for (int i = 0; i < 3; ++i) QVERIFY2(!cache->get("recurrent", "k" + std::to_string(i)), qPrintable(QString::number(i)));
        QCOMPARE(cache->stats().dropped, std::uint64_t(3));
        QCOMPARE(warnings.size(), std::size_t(3));
        QVERIFY(!cache->contains("recurrent", "k0"));  // dropped from the index too
        QCOMPARE(*cache->get("recurrent", "k3"), randomBytes(5000, 3));
    }
    void failedWritesKeepEntriesInMemory()
    {
        const std::string fp(64, 'd');
        app::ContextCache cache(dir("full"), fp);
        // The file the cache writes first goes to a device that is always full.
        const fs::path tmpName = dir("full") / fp.substr(0, 16) / ("kv-x.zst.tmp" + std::to_string(::getpid()));
        fs::create_symlink("/dev/full", tmpName);
        cache.put("kv", "x", randomBytes(4096, 7));
        cache.persist();
        QCOMPARE(cache.stats().writeFailures, std::uint64_t(1));
        QVERIFY(cache.get("kv", "x"));
        QCOMPARE(cache.tierOf("kv", "x"), app::CacheTier::Hot);
        fs::remove(tmpName);
    }
    void diskBudgetAndPrune()
    {
        const std::string fp(64, 'e');
        app::ContextCache cache(dir("budget"), fp, {0, 0, 30000});  // everything goes straight to disk
        for (int i = 0; i < 10; ++i) cache.put("kv", "k" + std::to_string(i), randomBytes(8000, unsigned(i)));
        const auto s = cache.stats();
        QVERIFY(s.tiers[2].bytes <= 30000);
        QVERIFY(s.tiers[2].entries < 10);
        QVERIFY(cache.contains("kv", "k9"));   // the newest stay
        QVERIFY(!cache.contains("kv", "k0"));  // the oldest went
        QVERIFY(app::ContextCache::pruneFolder(dir("budget"), 0) > 0);
        QCOMPARE(cache.stats().tiers[2].entries, std::uint64_t(0));
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
            const auto corpus = app::Corpus::build(store, tokenizer);
            const auto points = corpus.snapshotPoints(16 + std::int64_t(rng() % 40));
            const engine::SessionOptions options{1, 4096, 64};
            app::ContextCache cache(ws / "cache", app::modelFingerprint(ws / "cache", modelPath, options));
            const auto question = tokenizer.encode(app::questionPrompt("what is the term?"), false);

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
            const auto corpus = app::Corpus::build(store, tokenizer);
            app::CorpusRunner(s, &cache).prefill(corpus.tokens(), corpus.snapshotPoints(4096));
        }
        // d1 changes: it moves to the end; d0 stays first, so the state after d0 is still good.
        store.writeDocument(source.id, textDocument("d1", randomText(rng, 30)));
        const auto corpus = app::Corpus::build(store, tokenizer);
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

QTEST_GUILESS_MAIN(TestContextCache)
#include "tst_contextcache.moc"
