#pragma once

// An allocator for the KV cache: blocks of 2 MiB and more come straight from mmap with a request for transparent
// huge pages, so restoring or growing a cache of hundreds of megabytes takes a few hundred page faults instead of
// tens of thousands. In a virtual machine each fault is costly: resuming a 4K-token context from memory spent most
// of its time in them. Smaller blocks, and kernels without huge pages, behave as with std::allocator.

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace folio::engine {

template <typename T>
struct LargePageAllocator {
    using value_type = T;
    static constexpr std::size_t kLarge = std::size_t(2) << 20;

    LargePageAllocator() = default;
    template <typename U>
    LargePageAllocator(const LargePageAllocator<U>&) noexcept
    {
    }

    T* allocate(std::size_t n)
    {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < kLarge) {
            if (void* p = std::malloc(bytes)) return static_cast<T*>(p);
            throw std::bad_alloc();
        }
        void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        madvise(p, bytes, MADV_HUGEPAGE);  // a request only: refused where huge pages are off
        return static_cast<T*>(p);
    }

    void deallocate(T* p, std::size_t n) noexcept
    {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < kLarge) std::free(p);
        else munmap(p, bytes);
    }

    template <typename U>
    bool operator==(const LargePageAllocator<U>&) const noexcept
    {
        return true;
    }
};

}  // namespace folio::engine
