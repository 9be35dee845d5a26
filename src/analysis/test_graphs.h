// Deterministic random graphs for tests and benchmarks of the graph kernels.
//
// Header-only, shared by every analysis test (paths, sna, flows) and bench/graph_bench.cc.
// All generators are fully deterministic given the seed, on every platform and standard
// library (they use their own SplitMix64 stream, not <random> distributions), and return
// a graph::EdgeList ready for graph::Graph::Build.
//
//   RandomGraph(n, m, seed)                 directed G(n, m) (multi-links allowed, no self loops)
//   RandomGraph(opts)                       G(n, m) with types, times, weights, undirected links
//   PowerLawGraph(n, m, seed)               R-MAT (Chakrabarti et al. 2004) skewed-degree graph,
//                                           node ids permuted so hubs are spread out
//
// Node 0 is a regular node here (the store leaves 0 unused; kernels must not care).
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "common/random.h"
#include "graph/graph.h"

namespace casegraph::analysis::testing {

using ::casegraph::SplitMix64;  // common/random.h

struct RandomGraphOptions {
  std::int64_t num_nodes = 10;
  std::int64_t num_links = 20;
  std::uint64_t seed = 1;
  bool directed = true;     // false: every link is undirected (EdgeList::directed = 0)
  bool self_loops = false;  // allow src == dst
  bool multi_links = true;  // allow the same (src, dst) pair twice
  int num_types = 1;        // > 1: type codes uniform in [0, num_types)
  bool with_times = false;  // times uniform in [time_min, time_max]
  std::int64_t time_min = 0;
  std::int64_t time_max = 1000;
  bool with_weights = false;  // weights uniform in [weight_min, weight_max)
  double weight_min = 0.0;
  double weight_max = 1.0;
  bool with_integer_weights = false;  // weights are integers in [1, weight_max] (exact ties)
};

// G(n, m): m links with endpoints uniform over [0, n). With multi_links = false the number
// of links is capped by the number of possible pairs.
inline graph::EdgeList RandomGraph(const RandomGraphOptions& o) {
  graph::EdgeList e;
  e.num_nodes = o.num_nodes;
  if (o.num_nodes <= 0) return e;
  SplitMix64 rng(o.seed * 0x2545F4914F6CDD1DULL + 17);
  const auto n = static_cast<std::uint64_t>(o.num_nodes);
  std::int64_t m = o.num_links;
  if (!o.multi_links) {
    std::uint64_t pairs = o.self_loops ? n * n : n * (n - 1);
    if (!o.directed) pairs = o.self_loops ? n * (n + 1) / 2 : n * (n - 1) / 2;
    m = std::min<std::int64_t>(m, static_cast<std::int64_t>(pairs));
  }
  if (!o.self_loops && n < 2) m = 0;
  std::vector<std::uint64_t> seen;  // sorted pair keys, only when !multi_links
  e.src.reserve(m);
  e.dst.reserve(m);
  while (static_cast<std::int64_t>(e.src.size()) < m) {
    auto s = static_cast<graph::NodeId>(rng.Below(n));
    auto d = static_cast<graph::NodeId>(rng.Below(n));
    if (!o.self_loops && s == d) continue;
    if (!o.multi_links) {
      std::uint64_t a = s, b = d;
      if (!o.directed && a > b) std::swap(a, b);
      std::uint64_t key = a * n + b;
      auto it = std::lower_bound(seen.begin(), seen.end(), key);
      if (it != seen.end() && *it == key) continue;
      seen.insert(it, key);
    }
    e.src.push_back(s);
    e.dst.push_back(d);
  }
  const auto count = e.src.size();
  if (!o.directed) e.directed.assign(count, 0);
  if (o.num_types > 1) {
    e.type.resize(count);
    for (auto& t : e.type) t = static_cast<std::uint16_t>(rng.Below(o.num_types));
  }
  if (o.with_times) {
    e.time.resize(count);
    const auto span = static_cast<std::uint64_t>(o.time_max - o.time_min + 1);
    for (auto& t : e.time) t = o.time_min + static_cast<std::int64_t>(rng.Below(span));
  }
  if (o.with_weights || o.with_integer_weights) {
    e.weight.resize(count);
    for (auto& w : e.weight) {
      w = o.with_integer_weights
              ? 1.0 + static_cast<double>(
                          rng.Below(static_cast<std::uint64_t>(std::max(1.0, o.weight_max))))
              : o.weight_min + (o.weight_max - o.weight_min) * rng.Unit();
    }
  }
  return e;
}

// Directed (or undirected) G(n, m) with multi-links, no self loops, no attributes.
inline graph::EdgeList RandomGraph(std::int64_t num_nodes, std::int64_t num_links,
                                   std::uint64_t seed, bool directed = true) {
  RandomGraphOptions o;
  o.num_nodes = num_nodes;
  o.num_links = num_links;
  o.seed = seed;
  o.directed = directed;
  return RandomGraph(o);
}

// R-MAT skewed-degree graph (Chakrabarti, Zhan, Faloutsos, "R-MAT: A Recursive Model for
// Graph Mining", SDM 2004) with the Graph500 parameters a=0.57, b=c=0.19. Ids are drawn
// over the next power of two and folded into [0, n), then permuted. Self loops dropped
// (the count may fall slightly short of m). Serial: about 1 s per 10 M links.
inline graph::EdgeList PowerLawGraph(std::int64_t num_nodes, std::int64_t num_links,
                                     std::uint64_t seed, bool directed = true) {
  graph::EdgeList e;
  e.num_nodes = num_nodes;
  if (num_nodes < 2) return e;
  const auto n = static_cast<std::uint64_t>(num_nodes);
  int levels = 0;
  while ((1ULL << levels) < n) ++levels;
  SplitMix64 rng(seed ^ 0xA0761D6478BD642FULL);
  // Random permutation of node ids (Fisher-Yates).
  std::vector<graph::NodeId> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  for (std::uint64_t i = n - 1; i > 0; --i) std::swap(perm[i], perm[rng.Below(i + 1)]);
  e.src.reserve(num_links);
  e.dst.reserve(num_links);
  // Thresholds on a 32-bit draw: a = 0.57, a+b = 0.76, a+b+c = 0.95.
  constexpr std::uint64_t kA = 2448131358ULL, kAB = 3264175145ULL, kABC = 4080218931ULL;
  for (std::int64_t i = 0; i < num_links; ++i) {
    std::uint64_t s = 0, d = 0;
    for (int l = 0; l < levels; l += 2) {
      std::uint64_t r = rng.Next();
      for (int h = 0; h < 2 && l + h < levels; ++h) {
        std::uint64_t x = (r >> (32 * h)) & 0xFFFFFFFFULL;
        s <<= 1;
        d <<= 1;
        if (x < kA) {
        } else if (x < kAB) {
          d |= 1;
        } else if (x < kABC) {
          s |= 1;
        } else {
          s |= 1;
          d |= 1;
        }
      }
    }
    s %= n;
    d %= n;
    if (s == d) continue;
    e.src.push_back(perm[s]);
    e.dst.push_back(perm[d]);
  }
  if (!directed) e.directed.assign(e.src.size(), 0);
  return e;
}

}  // namespace casegraph::analysis::testing
