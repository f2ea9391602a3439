#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace folio::engine {

// A fixed set of workers for data-parallel loops. parallelFor splits [0, n) into one contiguous range per
// thread (the caller included); each thread works through its own range from the front in small pieces, and a
// thread that is done takes pieces from the back of ranges still unfinished. Each thread's reads stay one
// sequential stream (finer shared ranges were measured slower for decode), while a thread that lost its core
// for a moment on a shared machine, or was slow to wake, no longer holds the others back at the end of a loop.
//
// Decode calls parallelFor about 150 times per token, tens of microseconds apart, so waking a sleeping
// thread each time would cost as much as the work. Workers therefore spin for a while (0.1 ms)
// after each job before they sleep, and the caller spins while the last pieces finish.
class ThreadPool {
public:
    explicit ThreadPool(int threads = 0);  // 0 = one per core
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return int(workers_.size()) + 1; }
    // Calls fn on non-empty pieces that cover [0, n) once each, n < 2^32; returns when all are done.
    void parallelFor(std::int64_t n, const std::function<void(std::int64_t begin, std::int64_t end)>& fn);

private:
    // What is left of one thread's range: the front in the low 32 bits, the end in the high 32 bits, changed
    // together so the owner (at the front) and a helper (at the back) never take the same index.
    struct alignas(64) Range {
        std::atomic<std::uint64_t> bounds{0};
    };

    void run(int self);
    void work(int self);
    bool takeFront(int owner, std::int64_t& begin, std::int64_t& end);
    bool takeBack(int owner, std::int64_t& begin, std::int64_t& end);

    std::vector<std::thread> workers_;
    std::unique_ptr<Range[]> ranges_;
    const std::function<void(std::int64_t, std::int64_t)>* job_ = nullptr;
    std::int64_t piece_ = 1;                    // how much a thread takes from its own range at a time
    std::atomic<std::uint64_t> generation_{0};  // a new job (or stopping) when it changes
    std::atomic<int> pending_{0};               // workers still on the current job
    std::atomic<bool> stopping_{false};
};

}  // namespace folio::engine
