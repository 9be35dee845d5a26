// Clustering of scored pairs into entities: edges at or above the threshold are merged
// best-first with union-find (connected components), guarded against chaining: two
// clusters merge only if the mean probability over all their cross pairs holds the
// threshold (pairs not scored yet are scored on demand through `score`). Pure function;
// thread-compatible (score must be callable from the calling thread).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace casegraph::resolve {

struct Edge {
  uint32_t a = 0, b = 0;
  double probability = 0;
};

// Returns clusters (record indices, sorted; singletons included) over n records.
// `score` may be empty: unscored cross pairs then count as probability 0.
std::vector<std::vector<uint32_t>> ClusterEdges(
    size_t n, std::vector<Edge> edges, double threshold, bool check_consistency,
    size_t max_cluster_size, const std::function<double(uint32_t, uint32_t)>& score = {});

// Plain union-find over indices (path halving, union by size).
class UnionFind {
 public:
  explicit UnionFind(size_t n);
  uint32_t Find(uint32_t x);
  // Returns the new root; a and b must be roots of different sets.
  uint32_t Unite(uint32_t a, uint32_t b);
  uint32_t Size(uint32_t root) const { return size_[root]; }

 private:
  std::vector<uint32_t> parent_, size_;
};

}  // namespace casegraph::resolve
