#include "folio/engine/thread_pool.h"

#include <algorithm>
#include <chrono>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace folio::engine {
namespace {

// Long enough to span the gaps between one decode step's loops (the serial work between them takes tens of
// microseconds), short enough that threads which lose their core to another process (tests run side by side,
// an application's other work) give it back soon.
constexpr int kSpinMicroseconds = 100;

void pause()
{
#if defined(__x86_64__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
}

// Spins until done() or kSpinMicroseconds have passed; says whether done() came true.
template <typename Done>
bool spinUntil(Done done)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinMicroseconds);
    for (int i = 0;; ++i) {
        if (done()) return true;
        pause();
        if ((i & 255) == 255 && std::chrono::steady_clock::now() > deadline) return false;
    }
}

}  // namespace

ThreadPool::ThreadPool(int threads)
{
    if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { run(); });
}

ThreadPool::~ThreadPool()
{
    stopping_.store(true);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    for (auto& w : workers_) w.join();
}

void ThreadPool::parallelFor(std::int64_t n, const std::function<void(std::int64_t, std::int64_t)>& fn)
{
    const int parts = size();
    if (workers_.empty() || n < 2) {
        fn(0, n);
        return;
    }
    job_ = &fn;
    n_ = n;
    chunk_ = (n + parts - 1) / parts;
    next_.store(0, std::memory_order_relaxed);
    pending_.store(int(workers_.size()), std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    takeRanges();
    if (!spinUntil([&] { return pending_.load(std::memory_order_acquire) == 0; }))
        for (int left = pending_.load(std::memory_order_acquire); left != 0; left = pending_.load(std::memory_order_acquire))
            pending_.wait(left, std::memory_order_acquire);
    job_ = nullptr;
}

void ThreadPool::takeRanges()
{
    for (;;) {
        const std::int64_t begin = next_.fetch_add(chunk_, std::memory_order_relaxed);
        if (begin >= n_) return;
        (*job_)(begin, std::min(n_, begin + chunk_));
    }
}

void ThreadPool::run()
{
    std::uint64_t seen = 0;
    for (;;) {
        if (!spinUntil([&] { return generation_.load(std::memory_order_acquire) != seen; }))
            generation_.wait(seen, std::memory_order_acquire);
        seen = generation_.load(std::memory_order_acquire);
        if (stopping_.load()) return;
        takeRanges();
        if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
    }
}

}  // namespace folio::engine
