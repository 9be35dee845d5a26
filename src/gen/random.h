// Deterministic pseudo-random numbers for the generator: SplitMix64 plus the few
// distributions it needs, written out so the output is identical across compilers and
// standard libraries (std::*_distribution is not).
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

#include "common/random.h"

namespace casegraph::gen {

using ::casegraph::Mix64;

// SplitMix64 (Steele, Lea, Flood 2014). Small, fast, and good enough for synthetic data.
class Rng : public SplitMix64 {
 public:
  explicit Rng(std::uint64_t seed) : SplitMix64(seed) {}
  // A stream for entity `index` of kind `salt`: random access, independent of order.
  static Rng For(std::uint64_t seed, std::uint64_t salt, std::uint64_t index) {
    return Rng(Mix64(seed ^ Mix64(salt * 0x9e3779b97f4a7c15ULL + index)));
  }
  // Uniform integer in [lo, hi].
  std::int64_t Range(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  // Uniform in [0, 1) with 53 bits.
  double Uniform() { return Unit(); }
  bool Chance(double p) { return Uniform() < p; }
  // Standard normal (Box-Muller, one value per call).
  double Normal() {
    double u1 = Uniform();
    double u2 = Uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double LogNormal(double mu, double sigma) { return std::exp(mu + sigma * Normal()); }
  // Index in [0, n) drawn with a heavy head: P(index < k) = (k/n)^(1/skew). The caller
  // permutes indices so the heavy ones are scattered.
  std::uint64_t Skewed(std::uint64_t n, double skew) {
    double u = Uniform();
    double x = std::pow(u, skew);
    auto i = static_cast<std::uint64_t>(x * static_cast<double>(n));
    return i >= n ? n - 1 : i;
  }
  template <typename T, std::size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }
};

// A bijection on [0, n) that scatters indices (for placing hubs at random ids).
inline std::uint64_t Scatter(std::uint64_t i, std::uint64_t n, std::uint64_t seed) {
  // 2^31 - 1 is prime and larger than any n we use, so it is coprime with n.
  return (i * 2147483647ULL + (seed % n)) % n;
}

}  // namespace casegraph::gen
