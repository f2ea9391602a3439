#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace folio::engine {

// A fixed set of workers for data-parallel loops: parallelFor splits [0, n) into as many contiguous ranges as
// there are threads (the caller included), which the threads take in turn, and returns when all are done; a
// thread slow to wake finds its range taken. (Smaller ranges were measured slower for decode: each thread's
// reads stop being one sequential stream.)
//
// Decode calls parallelFor a few hundred times per token, tens of microseconds apart, so waking a sleeping
// thread each time would cost as much as the work. Workers therefore spin for a while (0.1 ms)
// after each job before they sleep, and the caller spins while the last ranges finish.
class ThreadPool {
public:
    explicit ThreadPool(int threads = 0);  // 0 = one per core
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return int(workers_.size()) + 1; }
    void parallelFor(std::int64_t n, const std::function<void(std::int64_t begin, std::int64_t end)>& fn);

private:
    void run();
    void takeRanges();

    std::vector<std::thread> workers_;
    const std::function<void(std::int64_t, std::int64_t)>* job_ = nullptr;
    std::int64_t n_ = 0, chunk_ = 1;
    std::atomic<std::int64_t> next_{0};         // the first index no thread has taken yet
    std::atomic<std::uint64_t> generation_{0};  // a new job (or stopping) when it changes
    std::atomic<int> pending_{0};               // workers still on the current job
    std::atomic<bool> stopping_{false};
};

}  // namespace folio::engine
