#include "folio/engine/thread_pool.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace folio::engine;

class TestThreadPool : public QObject {
    Q_OBJECT
private slots:
    void everyIndexExactlyOnce_data()
    {
        QTest::addColumn<int>("threads");
        for (int threads : {1, 2, 3, 8}) QTest::newRow(qPrintable(QString("%1 threads").arg(threads))) << threads;
    }
    // Owners take pieces from the front of their ranges while helpers take from the back: no index may be
    // taken twice or left out, whatever n is (fewer indices than threads, pieces that do not divide a range).
    void everyIndexExactlyOnce()
    {
        QFETCH(int, threads);
        ThreadPool pool(threads);
        QCOMPARE(pool.size(), threads);
        for (std::int64_t n : {0, 1, 2, 3, 7, 16, 63, 64, 65, 1000, 4099}) {
            for (int round = 0; round < 20; ++round) {
                std::vector<std::atomic<int>> seen(static_cast<std::size_t>(n));
                std::atomic<int> badPieces{0};  // QTest's checks are for the test's own thread
                pool.parallelFor(n, [&](std::int64_t begin, std::int64_t end) {
                    if (!(0 <= begin && begin < end && end <= n)) {
                        ++badPieces;
                        return;
                    }
                    for (std::int64_t i = begin; i < end; ++i) seen[std::size_t(i)].fetch_add(1);
                });
                QCOMPARE(badPieces.load(), 0);
                for (std::int64_t i = 0; i < n; ++i)
                    QVERIFY2(seen[std::size_t(i)].load() == 1, qPrintable(QString("n %1, index %2 done %3 times").arg(n).arg(i).arg(seen[std::size_t(i)].load())));
            }
        }
    }
    // A thread that stalls (its core taken by another process) must not hold the loop back: the others finish
    // its range from the back. Here the caller stalls in its first piece, and the worker does the rest.
    void stalledThreadsRangeIsFinishedByOthers()
    {
        ThreadPool pool(2);
        const std::int64_t n = 1024;
        const auto caller = std::this_thread::get_id();
        std::atomic<std::int64_t> byCaller{0};
        std::atomic<bool> stalled{false};
        pool.parallelFor(n, [&](std::int64_t begin, std::int64_t end) {
            if (std::this_thread::get_id() != caller) return;
            byCaller += end - begin;
            if (!stalled.exchange(true)) std::this_thread::sleep_for(std::chrono::milliseconds(300));
        });
        // The caller's range is half; its first piece an eighth of that.
        QVERIFY2(byCaller.load() <= n / 4, qPrintable(QString("the stalled caller did %1 of %2").arg(byCaller.load()).arg(n)));
    }
    void refusesMoreIndicesThanItCounts()
    {
        ThreadPool pool(2);
        QVERIFY_THROWS_EXCEPTION(std::length_error, pool.parallelFor(std::int64_t(1) << 32, [](std::int64_t, std::int64_t) {}));
    }
};

QTEST_APPLESS_MAIN(TestThreadPool)
#include "tst_threadpool.moc"
