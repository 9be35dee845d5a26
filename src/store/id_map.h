// IdMap: an open-addressing hash map from an entity's FtM id (as its 128-bit xxh3 hash,
// so collisions are negligible: ~1e-24 at 10 M ids) to its dense iid, holding every id an
// import transaction touches. 24 bytes per slot, linear probing, grows at 70% load.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace casegraph::store {

class IdMap {
 public:
  IdMap() { slots_.resize(1024); }
  // iid of `id`, or 0 if absent.
  std::int64_t Find(std::string_view id) const;
  // Inserts or overwrites.
  void Put(std::string_view id, std::int64_t iid);
  std::size_t size() const { return size_; }
  std::size_t MemoryBytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    std::int64_t iid = 0;  // 0 = empty slot
  };
  struct Key {
    std::uint64_t lo, hi;
  };
  static Key Hash(std::string_view id);
  void Grow();
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace casegraph::store
