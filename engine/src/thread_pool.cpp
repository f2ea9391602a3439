#include "folio/engine/thread_pool.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

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

constexpr std::uint64_t pack(std::uint64_t front, std::uint64_t end) { return front | (end << 32); }
constexpr std::int64_t frontOf(std::uint64_t bounds) { return std::int64_t(bounds & 0xFFFFFFFFu); }
constexpr std::int64_t endOf(std::uint64_t bounds) { return std::int64_t(bounds >> 32); }

// Pieces of a 32nd of a thread's share: small enough that the threads finish within a few pieces of each other
// (a decode step's loops end with one thread waiting for the other's last piece about 120 times per token; with
// an eighth the threads spent up to a fifth more time waiting in perf samples of decode), large enough that each
// piece is a run of rows long enough for the hardware prefetcher (16 rows of the 0.8B model's FFN down
// projection, 33 KB in Q4_K, at the smallest).
constexpr std::int64_t kPiecesPerShare = 32;

}  // namespace

ThreadPool::ThreadPool(int threads)
{
    if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
    ranges_ = std::make_unique<Range[]>(std::size_t(threads));
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { run(i); });
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
    if (n >= (std::int64_t(1) << 32)) throw std::length_error("ThreadPool::parallelFor: more than 2^32 indices");
    if (n <= 0) return;
    const int parts = size();
    if (workers_.empty() || n < 2) {
        fn(0, n);
        return;
    }
    job_ = &fn;
    const std::int64_t share = (n + parts - 1) / parts;
    piece_ = std::max<std::int64_t>(1, share / kPiecesPerShare);
    for (int p = 0; p < parts; ++p)
        ranges_[p].bounds.store(pack(std::uint64_t(std::min(n, p * share)), std::uint64_t(std::min(n, (p + 1) * share))),
                                std::memory_order_relaxed);
    pending_.store(int(workers_.size()), std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    work(0);
    if (!spinUntil([&] { return pending_.load(std::memory_order_acquire) == 0; }))
        for (int left = pending_.load(std::memory_order_acquire); left != 0; left = pending_.load(std::memory_order_acquire))
            pending_.wait(left, std::memory_order_acquire);
    job_ = nullptr;
}

bool ThreadPool::takeFront(int owner, std::int64_t& begin, std::int64_t& end)
{
    std::atomic<std::uint64_t>& bounds = ranges_[owner].bounds;
    std::uint64_t b = bounds.load(std::memory_order_relaxed);
    do {
        begin = frontOf(b);
        end = std::min(endOf(b), begin + piece_);
        if (begin >= end) return false;
    } while (!bounds.compare_exchange_weak(b, pack(std::uint64_t(end), std::uint64_t(endOf(b))), std::memory_order_relaxed));
    return true;
}

// Half of what is left (at least a piece): a helper that finds a whole range untouched, its owner not yet
// awake, takes it in a few long runs rather than many short ones.
bool ThreadPool::takeBack(int owner, std::int64_t& begin, std::int64_t& end)
{
    std::atomic<std::uint64_t>& bounds = ranges_[owner].bounds;
    std::uint64_t b = bounds.load(std::memory_order_relaxed);
    do {
        end = endOf(b);
        const std::int64_t front = frontOf(b);
        if (front >= end) return false;
        begin = std::max(front, end - std::max(piece_, (end - front) / 2));
    } while (!bounds.compare_exchange_weak(b, pack(std::uint64_t(frontOf(b)), std::uint64_t(begin)), std::memory_order_relaxed));
    return true;
}

void ThreadPool::work(int self)
{
    std::int64_t begin = 0, end = 0;
    while (takeFront(self, begin, end)) (*job_)(begin, end);
    const int parts = size();
    for (int k = 1; k < parts; ++k) {
        const int owner = (self + k) % parts;
        while (takeBack(owner, begin, end)) (*job_)(begin, end);
    }
}

void ThreadPool::run(int self)
{
    std::uint64_t seen = 0;
    for (;;) {
        if (!spinUntil([&] { return generation_.load(std::memory_order_acquire) != seen; }))
            generation_.wait(seen, std::memory_order_acquire);
        seen = generation_.load(std::memory_order_acquire);
        if (stopping_.load()) return;
        work(self);
        if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
    }
}

}  // namespace folio::engine
