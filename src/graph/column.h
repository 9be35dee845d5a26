// Column<T>: one per-link (or per-node) array of the graph snapshot, held either in a
// BigVector the builder allocated (huge pages, not zeroed) or in a std::vector adopted from
// the builder's input: Graph::Build(EdgeList&&) moves the loader's arrays into the snapshot
// instead of copying them, which on a fresh process saves both the copy and the page faults
// of the copy's fresh memory (the dominant cost of a cold build).
//
// Reads go through one pointer (data_), so an adopted column costs the kernels nothing.
// Copying a Column copies its elements; moving keeps the buffer. Not thread-safe for
// writes; concurrent reads are safe.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "graph/huge_page_allocator.h"

namespace casegraph::graph {

template <typename T>
class Column {
 public:
  using value_type = T;

  Column() = default;
  Column(const Column& o) : big_(o.big_), adopted_(o.adopted_) { Rebind(); }
  Column(Column&& o) noexcept : big_(std::move(o.big_)), adopted_(std::move(o.adopted_)) {
    Rebind();
    o.Reset();
  }
  Column& operator=(const Column& o) {
    if (this != &o) {
      big_ = o.big_;
      adopted_ = o.adopted_;
      Rebind();
    }
    return *this;
  }
  Column& operator=(Column&& o) noexcept {
    if (this != &o) {
      big_ = std::move(o.big_);
      adopted_ = std::move(o.adopted_);
      Rebind();
      o.Reset();
    }
    return *this;
  }

  // Takes over v's buffer (no copy, no new memory); v is left empty.
  void Adopt(std::vector<T>&& v) {
    BigVector<T>().swap(big_);
    adopted_ = std::move(v);
    std::vector<T>().swap(v);
    Rebind();
  }
  // Fresh storage for n elements on huge pages, not initialised; returns its start.
  T* Allocate(std::size_t n) {
    std::vector<T>().swap(adopted_);
    BigVector<T> fresh;
    fresh.resize(n);
    big_.swap(fresh);
    Rebind();
    return data_;
  }
  // Releases the memory.
  void Reset() {
    BigVector<T>().swap(big_);
    std::vector<T>().swap(adopted_);
    Rebind();
  }

  const T& operator[](std::size_t i) const { return data_[i]; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T* data() const { return data_; }
  T* data() { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Bytes held (capacity, as MemoryBytes counts every array).
  std::size_t bytes() const { return (big_.capacity() + adopted_.capacity()) * sizeof(T); }

 private:
  void Rebind() {
    if (!big_.empty()) {
      data_ = big_.data();
      size_ = big_.size();
    } else {
      data_ = adopted_.data();
      size_ = adopted_.size();
    }
  }

  BigVector<T> big_;
  std::vector<T> adopted_;
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace casegraph::graph
