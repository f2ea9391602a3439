#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace folio::engine {

// A fixed set of workers for data-parallel loops: parallelFor splits [0, n) into one contiguous range per
// thread and returns when all are done. The calling thread takes the first range.
class ThreadPool {
public:
    explicit ThreadPool(int threads = 0);  // 0 = one per core
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return int(workers_.size()) + 1; }
    void parallelFor(std::int64_t n, const std::function<void(std::int64_t begin, std::int64_t end)>& fn);

private:
    void run(int index);

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable start_, done_;
    const std::function<void(std::int64_t, std::int64_t)>* job_ = nullptr;
    std::int64_t n_ = 0;
    std::uint64_t generation_ = 0;
    int pending_ = 0;
    bool stopping_ = false;
};

}  // namespace folio::engine
