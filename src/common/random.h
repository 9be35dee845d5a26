// SplitMix64 (Steele, Lea, Flood 2014): the one small, fast, platform-independent random
// stream every deterministic part of casegraph uses (generator, community detection,
// sampling, test graphs), so a seed gives the same result on every compiler and standard
// library (std::*_distribution does not). Not thread-safe: one instance per thread.
#pragma once

#include <cstdint>

namespace casegraph {

// The SplitMix64 output function: a strong 64-bit mixer, also usable as a hash.
inline std::uint64_t Mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return Mix64(state_);
  }
  // Uniform in [0, bound), bound > 0 (Lemire's multiply-shift; bias negligible here).
  std::uint64_t Below(std::uint64_t bound) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(Next()) * bound) >> 64);
  }
  // Uniform in [0, 1) with 53 bits.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

}  // namespace casegraph
