// The tiered context cache alone: tiers, damaged entries, failed writes, budgets. Resuming a corpus from it is
// tst_corpusrunner's.

#include "folio/app/context_cache.h"

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

}  // namespace

class TestContextCache : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

    fs::path dir(const char* name) { return fs::path(tmp.filePath(name).toStdString()); }

private slots:
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
        QCOMPARE(app::ContextCache::dropCount(dir("damaged")), std::uint64_t(3));  // what `folio cache stats` counts
    }
    void dropRemovesAnEntryFromEveryTierAndRecordsWhy()
    {
        std::vector<std::string> warnings;
        const std::string fp(64, 'f');
        app::ContextCache cache(dir("drop"), fp, {}, [&](const std::string& w) { warnings.push_back(w); });
        cache.put("recurrent", "r1", randomBytes(3000, 1));
        cache.put("recurrent", "r2", randomBytes(3000, 2));
        cache.persist();  // r1 now in hot and on disk
        cache.drop("recurrent", "r1", "the state at token 7 cannot be restored (a test)");
        QVERIFY(!cache.contains("recurrent", "r1"));
        QVERIFY(!cache.get("recurrent", "r1"));
        QVERIFY(!fs::exists(dir("drop") / fp.substr(0, 16) / "recurrent-r1.zst"));
        QCOMPARE(cache.stats().dropped, std::uint64_t(1));
        QCOMPARE(warnings.size(), std::size_t(1));
        QVERIFY(warnings[0].find("recurrent r1") != std::string::npos);
        QVERIFY(warnings[0].find("cannot be restored (a test)") != std::string::npos);
        QCOMPARE(app::ContextCache::dropCount(dir("drop")), std::uint64_t(1));
        const auto drops = app::ContextCache::recentDrops(dir("drop"), 10);
        QCOMPARE(drops.size(), std::size_t(1));
        QCOMPARE(drops[0].kind, std::string("recurrent"));
        QCOMPARE(drops[0].key, std::string("r1"));
        QCOMPARE(drops[0].fingerprint, fp);
        QCOMPARE(drops[0].reason, std::string("the state at token 7 cannot be restored (a test)"));
        QVERIFY(cache.get("recurrent", "r2"));  // the others stay
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
};

QTEST_GUILESS_MAIN(TestContextCache)
#include "tst_contextcache.moc"
