// Implementation of IdMap (see id_map.h).
#include "store/id_map.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace casegraph::store {

IdMap::Key IdMap::Hash(std::string_view id) {
  XXH128_hash_t h = XXH3_128bits(id.data(), id.size());
  return {h.low64, h.high64};
}

std::int64_t IdMap::Find(std::string_view id) const {
  Key k = Hash(id);
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = k.lo & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.iid == 0) return 0;
    if (s.lo == k.lo && s.hi == k.hi) return s.iid;
  }
}

void IdMap::Put(std::string_view id, std::int64_t iid) {
  if ((size_ + 1) * 10 > slots_.size() * 7) Grow();
  Key k = Hash(id);
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = k.lo & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.iid == 0) {
      s = Slot{k.lo, k.hi, iid};
      ++size_;
      return;
    }
    if (s.lo == k.lo && s.hi == k.hi) {
      s.iid = iid;
      return;
    }
  }
}

void IdMap::Grow() {
  std::vector<Slot> old;
  old.swap(slots_);
  slots_.resize(old.size() * 2);
  std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.iid == 0) continue;
    std::size_t i = s.lo & mask;
    while (slots_[i].iid != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace casegraph::store
