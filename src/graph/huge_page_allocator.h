// HugePageAllocator: the allocator behind the graph snapshot's big arrays. Allocations of
// 2 MiB or more are 2 MiB-aligned and advised for transparent huge pages (this machine
// runs THP in "madvise" mode), which cuts TLB misses on the random accesses every graph
// kernel makes and page faults during the build. Elements are default-initialised, not
// zeroed, on resize(): the builder overwrites every element anyway, and skipping the
// zeroing saves a full pass over memory. Stateless, thread-safe.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <utility>

namespace casegraph::graph {

template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t{1} << 21;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: allocator rebinding

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) return std::allocator<T>().allocate(n);
    const std::size_t rounded = (bytes + kHugePage - 1) & ~(kHugePage - 1);
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) throw std::bad_alloc();
    madvise(p, rounded, MADV_HUGEPAGE);  // advisory: failure only costs speed
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) {
    if (n * sizeof(T) < kHugePage) {
      std::allocator<T>().deallocate(p, n);
      return;
    }
    std::free(p);
  }
  // Default-initialise (no zeroing) when no value is given.
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

// A vector on huge pages whose resize() does not zero.
template <typename T>
using BigVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace casegraph::graph
