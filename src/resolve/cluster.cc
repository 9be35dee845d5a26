// Clustering: see cluster.h.
#include "resolve/cluster.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace casegraph::resolve {

UnionFind::UnionFind(size_t n) : parent_(n), size_(n, 1) {
  std::iota(parent_.begin(), parent_.end(), 0u);
}

uint32_t UnionFind::Find(uint32_t x) {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];
    x = parent_[x];
  }
  return x;
}

uint32_t UnionFind::Unite(uint32_t a, uint32_t b) {
  if (size_[a] < size_[b]) std::swap(a, b);
  parent_[b] = a;
  size_[a] += size_[b];
  return a;
}

std::vector<std::vector<uint32_t>> ClusterEdges(
    size_t n, std::vector<Edge> edges, double threshold, bool check_consistency,
    size_t max_cluster_size, const std::function<double(uint32_t, uint32_t)>& score) {
  // Strongest evidence first; ties broken by the pair (ordered endpoints), so the result
  // does not depend on the order the caller listed the edges in.
  auto ordered = [](const Edge& e) { return std::minmax(e.a, e.b); };
  std::sort(edges.begin(), edges.end(), [&](const Edge& x, const Edge& y) {
    if (x.probability != y.probability) return x.probability > y.probability;
    return ordered(x) < ordered(y);
  });
  std::unordered_map<uint64_t, double> known;
  auto key = [](uint32_t a, uint32_t b) {
    if (a > b) std::swap(a, b);
    return (static_cast<uint64_t>(a) << 32) | b;
  };
  for (const auto& e : edges) known[key(e.a, e.b)] = e.probability;
  UnionFind uf(n);
  std::unordered_map<uint32_t, std::vector<uint32_t>> members;
  auto members_of = [&](uint32_t root) -> std::vector<uint32_t>& {
    auto& m = members[root];
    if (m.empty()) m.push_back(root);
    return m;
  };
  for (const auto& e : edges) {
    if (e.probability < threshold) break;
    uint32_t ra = uf.Find(e.a), rb = uf.Find(e.b);
    if (ra == rb) continue;
    auto& ma = members_of(ra);
    auto& mb = members_of(rb);
    if (check_consistency && ma.size() + mb.size() > 2) {
      if (ma.size() + mb.size() > max_cluster_size) continue;
      double sum = 0;
      for (uint32_t x : ma)
        for (uint32_t y : mb) {
          auto it = known.find(key(x, y));
          double p = 0;
          if (it != known.end()) {
            p = it->second;
          } else if (score) {
            p = score(x, y);
            known[key(x, y)] = p;
          }
          sum += p;
        }
      if (sum / static_cast<double>(ma.size() * mb.size()) < threshold) continue;
    }
    std::vector<uint32_t> merged = std::move(ma);
    merged.insert(merged.end(), mb.begin(), mb.end());
    members.erase(ra);
    members.erase(rb);
    uint32_t root = uf.Unite(ra, rb);
    members[root] = std::move(merged);
  }
  std::unordered_map<uint32_t, size_t> index;
  std::vector<std::vector<uint32_t>> clusters;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t r = uf.Find(i);
    auto [it, inserted] = index.emplace(r, clusters.size());
    if (inserted) clusters.emplace_back();
    clusters[it->second].push_back(i);
  }
  return clusters;
}

}  // namespace casegraph::resolve
