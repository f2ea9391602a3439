#include "folio/engine/thread_pool.h"

#include <algorithm>

namespace folio::engine {

ThreadPool::ThreadPool(int threads)
{
    if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { run(i); });
}

ThreadPool::~ThreadPool()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    start_.notify_all();
    for (auto& w : workers_) w.join();
}

void ThreadPool::parallelFor(std::int64_t n, const std::function<void(std::int64_t, std::int64_t)>& fn)
{
    const int parts = size();
    if (workers_.empty() || n < 2) {
        fn(0, n);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        job_ = &fn;
        n_ = n;
        pending_ = int(workers_.size());
        ++generation_;
    }
    start_.notify_all();
    fn(0, n / parts);
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
    job_ = nullptr;
}

void ThreadPool::run(int index)
{
    std::uint64_t seen = 0;
    for (;;) {
        const std::function<void(std::int64_t, std::int64_t)>* job;
        std::int64_t n;
        {
            std::unique_lock lock(mutex_);
            start_.wait(lock, [&] { return stopping_ || generation_ != seen; });
            if (stopping_) return;
            seen = generation_;
            job = job_;
            n = n_;
        }
        const int parts = size();
        (*job)(n * index / parts, n * (index + 1) / parts);
        std::lock_guard lock(mutex_);
        if (--pending_ == 0) done_.notify_one();
    }
}

}  // namespace folio::engine
