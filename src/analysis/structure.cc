// Structural kernels: components (Afforest union-find, iterative Tarjan SCC), k-core
// (Batagelj–Zaversnik), articulation points and bridges (Hopcroft–Tarjan), triangles and
// clustering (degree-ordered intersection), degree list. See structure.h for contracts.
#include "analysis/structure.h"

#include <algorithm>
#include <atomic>
#include <numeric>
#include <unordered_map>

#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/parallel_for.h>

namespace casegraph::analysis {
namespace {

using graph::Graph;
using graph::LinkIdx;

struct TypeMask {
  std::vector<std::uint8_t> allowed;
  explicit TypeMask(const std::vector<std::uint16_t>& types) {
    if (types.empty()) return;
    allowed.assign(65536, 0);
    for (auto t : types) allowed[t] = 1;
  }
  bool all() const { return allowed.empty(); }
  bool Pass(std::uint16_t t) const { return allowed.empty() || allowed[t] != 0; }
};

// Dense relabelling of root ids (root = any representative per component) in order of
// each component's smallest node id.
Components Relabel(const Graph& g, const std::vector<NodeId>& rep) {
  Components out;
  const std::int64_t n = g.num_nodes();
  out.label.assign(n, kNoComponent);
  std::vector<std::uint32_t> dense(n, kNoComponent);
  for (std::int64_t v = 0; v < n; ++v) {
    if (!g.node_visible(v)) continue;
    std::uint32_t& d = dense[rep[v]];
    if (d == kNoComponent) {
      d = static_cast<std::uint32_t>(out.size.size());
      out.size.push_back(0);
    }
    out.label[v] = d;
    ++out.size[d];
  }
  return out;
}

// Afforest primitives (GAP benchmark suite, cc.cc), over an atomic view of comp[].
inline NodeId LoadC(std::vector<NodeId>& comp, NodeId v) {
  return std::atomic_ref<NodeId>(comp[v]).load(std::memory_order_relaxed);
}

void Link(NodeId u, NodeId v, std::vector<NodeId>& comp) {
  NodeId p1 = LoadC(comp, u);
  NodeId p2 = LoadC(comp, v);
  while (p1 != p2) {
    const NodeId high = std::max(p1, p2);
    const NodeId low = p1 + (p2 - high);
    const NodeId p_high = LoadC(comp, high);
    if (p_high == low) break;
    if (p_high == high) {
      NodeId expected = high;
      if (std::atomic_ref<NodeId>(comp[high]).compare_exchange_strong(expected, low)) break;
    }
    p1 = LoadC(comp, LoadC(comp, high));
    p2 = LoadC(comp, low);
  }
}

void Compress(std::vector<NodeId>& comp) {
  const std::int64_t n = static_cast<std::int64_t>(comp.size());
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 16384), [&](const auto& r) {
    for (std::int64_t v = r.begin(); v < r.end(); ++v) {
      while (LoadC(comp, comp[v]) != comp[v]) {
        std::atomic_ref<NodeId>(comp[v]).store(LoadC(comp, comp[v]), std::memory_order_relaxed);
      }
    }
  });
}

NodeId SampleFrequentElement(const std::vector<NodeId>& comp, std::int64_t samples = 1024) {
  std::unordered_map<NodeId, int> counts;
  std::uint64_t x = 0x9E3779B97F4A7C15ull;  // fixed seed: deterministic
  const std::uint64_t n = comp.size();
  for (std::int64_t i = 0; i < samples; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    ++counts[comp[x % n]];
  }
  return std::max_element(counts.begin(), counts.end(),
                          [](const auto& a, const auto& b) {
                            return a.second < b.second ||
                                   (a.second == b.second && a.first > b.first);
                          })
      ->first;
}

// Calls fn(w, link) for each link incident to v in the directed view (out direction):
// out-links always, in-links of undirected schemata. Self-loops and hidden ends skipped.
template <typename Fn>
void ForDirectedOut(const Graph& g, const TypeMask& mask, NodeId v, Fn&& fn) {
  auto links = g.OutLinks(v);
  auto nbrs = g.OutNeighbors(v);
  for (std::size_t i = 0; i < links.size(); ++i) {
    if (nbrs[i] == v || !g.node_visible(nbrs[i]) || !mask.Pass(g.link_type(links[i]))) continue;
    fn(nbrs[i], links[i]);
  }
  auto in_links = g.InLinks(v);
  auto in_nbrs = g.InNeighbors(v);
  for (std::size_t i = 0; i < in_links.size(); ++i) {
    const LinkIdx l = in_links[i];
    if (g.link_directed(l)) continue;
    if (in_nbrs[i] == v || !g.node_visible(in_nbrs[i]) || !mask.Pass(g.link_type(l))) continue;
    fn(in_nbrs[i], l);
  }
}

}  // namespace

std::uint32_t Components::Largest() const {
  if (size.empty()) return kNoComponent;
  return static_cast<std::uint32_t>(std::max_element(size.begin(), size.end()) - size.begin());
}

Components WeaklyConnectedComponents(const Graph& g, const std::vector<std::uint16_t>& types) {
  const std::int64_t n = g.num_nodes();
  std::vector<NodeId> comp(n);
  std::iota(comp.begin(), comp.end(), NodeId{0});
  if (n == 0) return Relabel(g, comp);
  const TypeMask mask(types);
  auto ok = [&](NodeId v, NodeId w, LinkIdx l) {
    return g.node_visible(w) && mask.Pass(g.link_type(l));
  };
  constexpr int kRounds = 2;
  // Phase 1: link each node to its first kRounds out-neighbours.
  for (int r = 0; r < kRounds; ++r) {
    tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 8192), [&](const auto& range) {
      for (std::int64_t vi = range.begin(); vi < range.end(); ++vi) {
        const NodeId v = static_cast<NodeId>(vi);
        if (!g.node_visible(v)) continue;
        auto nbrs = g.OutNeighbors(v);
        if (static_cast<std::int64_t>(nbrs.size()) <= r) continue;
        if (ok(v, nbrs[r], g.OutLinks(v)[r])) Link(v, nbrs[r], comp);
      }
    });
    Compress(comp);
  }
  // Phase 2: skip the dominant component; finish everything else.
  const NodeId c = SampleFrequentElement(comp);
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 4096), [&](const auto& range) {
    for (std::int64_t vi = range.begin(); vi < range.end(); ++vi) {
      const NodeId v = static_cast<NodeId>(vi);
      if (!g.node_visible(v) || LoadC(comp, v) == c) continue;
      auto nbrs = g.OutNeighbors(v);
      auto links = g.OutLinks(v);
      for (std::size_t i = kRounds; i < nbrs.size(); ++i) {
        if (ok(v, nbrs[i], links[i])) Link(v, nbrs[i], comp);
      }
      auto in_nbrs = g.InNeighbors(v);
      auto in_links = g.InLinks(v);
      for (std::size_t i = 0; i < in_nbrs.size(); ++i) {
        if (ok(v, in_nbrs[i], in_links[i])) Link(v, in_nbrs[i], comp);
      }
    }
  });
  Compress(comp);
  return Relabel(g, comp);
}

Components StronglyConnectedComponents(const Graph& g, const std::vector<std::uint16_t>& types) {
  const std::int64_t n = g.num_nodes();
  const TypeMask mask(types);
  // Successor lists of the directed view as a compact CSR (so the DFS can resume).
  std::vector<std::uint64_t> off(n + 1, 0);
  std::vector<NodeId> adj;
  adj.reserve(g.num_links());
  for (std::int64_t v = 0; v < n; ++v) {
    if (g.node_visible(v)) {
      ForDirectedOut(g, mask, static_cast<NodeId>(v), [&](NodeId w, LinkIdx) { adj.push_back(w); });
    }
    off[v + 1] = adj.size();
  }
  constexpr std::uint32_t kUnvisited = 0xFFFFFFFFu;
  std::vector<std::uint32_t> index(n, kUnvisited), low(n, 0);
  std::vector<std::uint8_t> on_stack(n, 0);
  std::vector<NodeId> stack, rep(n);
  std::vector<std::pair<NodeId, std::uint64_t>> call;  // (node, next edge position)
  std::uint32_t next_index = 0;
  for (std::int64_t root = 0; root < n; ++root) {
    if (!g.node_visible(root) || index[root] != kUnvisited) continue;
    call.emplace_back(static_cast<NodeId>(root), off[root]);
    index[root] = low[root] = next_index++;
    stack.push_back(root);
    on_stack[root] = 1;
    while (!call.empty()) {
      auto& [v, pos] = call.back();
      if (pos < off[v + 1]) {
        const NodeId w = adj[pos++];
        if (index[w] == kUnvisited) {
          index[w] = low[w] = next_index++;
          stack.push_back(w);
          on_stack[w] = 1;
          call.emplace_back(w, off[w]);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      const NodeId done = v;
      call.pop_back();
      if (!call.empty()) {
        const NodeId parent = call.back().first;
        low[parent] = std::min(low[parent], low[done]);
      }
      if (low[done] == index[done]) {
        NodeId w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = 0;
          rep[w] = done;
        } while (w != done);
      }
    }
  }
  return Relabel(g, rep);
}

std::vector<std::uint32_t> CoreNumbers(const Graph& g, const std::vector<std::uint16_t>& types) {
  ViewOptions opt;
  opt.link_types = types;
  const SimpleView view = SimpleView::Build(g, opt);
  const std::int64_t n = view.num_nodes();
  std::vector<std::uint32_t> deg(n);
  std::uint32_t max_deg = 0;
  for (std::int64_t v = 0; v < n; ++v) {
    deg[v] = static_cast<std::uint32_t>(view.OutDegree(v));
    max_deg = std::max(max_deg, deg[v]);
  }
  // Bucket sort nodes by degree (bin = start of each degree's block in vert[]).
  std::vector<std::uint64_t> bin(max_deg + 2, 0);
  for (std::int64_t v = 0; v < n; ++v) ++bin[deg[v] + 1];
  for (std::uint32_t d = 1; d <= max_deg + 1; ++d) bin[d] += bin[d - 1];
  std::vector<NodeId> vert(n);
  std::vector<std::uint64_t> pos(n);
  {
    std::vector<std::uint64_t> fill(bin.begin(), bin.end() - 1);
    for (std::int64_t v = 0; v < n; ++v) {
      pos[v] = fill[deg[v]]++;
      vert[pos[v]] = static_cast<NodeId>(v);
    }
  }
  for (std::int64_t i = 0; i < n; ++i) {
    const NodeId v = vert[i];
    for (NodeId u : view.Out(v)) {
      if (deg[u] <= deg[v]) continue;
      // Move u to the front of its bucket, then shrink its degree by one.
      const std::uint32_t du = deg[u];
      const std::uint64_t pu = pos[u];
      const std::uint64_t pw = bin[du];
      const NodeId w = vert[pw];
      if (u != w) {
        pos[u] = pw;
        vert[pu] = w;
        pos[w] = pu;
        vert[pw] = u;
      }
      ++bin[du];
      --deg[u];
    }
  }
  for (std::int64_t v = 0; v < n; ++v) {
    if (!view.visible(v)) deg[v] = 0;
  }
  return deg;
}

Brokers ArticulationPointsAndBridges(const Graph& g, const std::vector<std::uint16_t>& types) {
  const std::int64_t n = g.num_nodes();
  const TypeMask mask(types);
  // Incident (neighbour, link) pairs of the undirected multigraph, as CSR.
  std::vector<std::uint64_t> off(n + 1, 0);
  std::vector<std::pair<NodeId, LinkIdx>> inc;
  inc.reserve(2 * g.num_links());
  for (std::int64_t vi = 0; vi < n; ++vi) {
    const NodeId v = static_cast<NodeId>(vi);
    if (g.node_visible(v)) {
      auto add = [&](std::span<const NodeId> nbrs, std::span<const LinkIdx> links) {
        for (std::size_t i = 0; i < nbrs.size(); ++i) {
          if (nbrs[i] == v || !g.node_visible(nbrs[i]) || !mask.Pass(g.link_type(links[i]))) {
            continue;
          }
          inc.emplace_back(nbrs[i], links[i]);
        }
      };
      add(g.OutNeighbors(v), g.OutLinks(v));
      add(g.InNeighbors(v), g.InLinks(v));
    }
    off[vi + 1] = inc.size();
  }
  constexpr std::uint32_t kUnvisited = 0xFFFFFFFFu;
  constexpr LinkIdx kNoLink = 0xFFFFFFFFu;
  std::vector<std::uint32_t> disc(n, kUnvisited), low(n, 0);
  std::vector<std::uint8_t> is_cut(n, 0);
  Brokers out;
  struct Frame {
    NodeId v;
    LinkIdx parent_link;
    std::uint64_t pos;
  };
  std::vector<Frame> call;
  std::uint32_t time = 0;
  for (std::int64_t root = 0; root < n; ++root) {
    if (!g.node_visible(root) || disc[root] != kUnvisited) continue;
    disc[root] = low[root] = time++;
    call.push_back({static_cast<NodeId>(root), kNoLink, off[root]});
    std::uint32_t root_children = 0;
    while (!call.empty()) {
      Frame& f = call.back();
      if (f.pos < off[f.v + 1]) {
        const auto [w, l] = inc[f.pos++];
        if (l == f.parent_link) continue;
        if (disc[w] == kUnvisited) {
          disc[w] = low[w] = time++;
          if (f.v == root) ++root_children;
          call.push_back({w, l, off[w]});
        } else {
          low[f.v] = std::min(low[f.v], disc[w]);
        }
        continue;
      }
      const NodeId w = f.v;
      const LinkIdx l = f.parent_link;
      call.pop_back();
      if (call.empty()) break;
      const NodeId v = call.back().v;
      low[v] = std::min(low[v], low[w]);
      if (low[w] > disc[v]) out.bridges.push_back(l);
      if (low[w] >= disc[v] && v != root) is_cut[v] = 1;
    }
    if (root_children > 1) is_cut[root] = 1;
  }
  for (std::int64_t v = 0; v < n; ++v) {
    if (is_cut[v]) out.articulation_points.push_back(static_cast<NodeId>(v));
  }
  std::sort(out.bridges.begin(), out.bridges.end());
  return out;
}

Triangles CountTriangles(const SimpleView& view) {
  const std::int64_t n = view.num_nodes();
  Triangles out;
  out.per_node.assign(n, 0);
  out.local_clustering.assign(n, 0.0);
  auto rank_less = [&](NodeId a, NodeId b) {
    const auto da = view.OutDegree(a), db = view.OutDegree(b);
    return da < db || (da == db && a < b);
  };
  // Forward lists: neighbours of higher rank, kept sorted by id.
  std::vector<std::uint64_t> off(n + 1, 0);
  for (std::int64_t v = 0; v < n; ++v) {
    std::uint64_t c = 0;
    for (NodeId w : view.Out(v)) c += rank_less(static_cast<NodeId>(v), w);
    off[v + 1] = off[v] + c;
  }
  std::vector<NodeId> fwd(off[n]);
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 4096), [&](const auto& r) {
    for (std::int64_t v = r.begin(); v < r.end(); ++v) {
      std::uint64_t k = off[v];
      for (NodeId w : view.Out(v)) {
        if (rank_less(static_cast<NodeId>(v), w)) fwd[k++] = w;
      }
    }
  });
  tbb::combinable<std::uint64_t> total([] { return std::uint64_t{0}; });
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 256), [&](const auto& r) {
    std::uint64_t local = 0;
    for (std::int64_t u = r.begin(); u < r.end(); ++u) {
      const NodeId* ub = fwd.data() + off[u];
      const NodeId* ue = fwd.data() + off[u + 1];
      for (const NodeId* pv = ub; pv != ue; ++pv) {
        const NodeId v = *pv;
        const NodeId* a = ub;
        const NodeId* b = fwd.data() + off[v];
        const NodeId* be = fwd.data() + off[v + 1];
        std::uint64_t found = 0;
        while (a != ue && b != be) {
          if (*a < *b) {
            ++a;
          } else if (*b < *a) {
            ++b;
          } else {
            std::atomic_ref<std::uint64_t>(out.per_node[*a])
                .fetch_add(1, std::memory_order_relaxed);
            ++found;
            ++a;
            ++b;
          }
        }
        if (found) {
          std::atomic_ref<std::uint64_t>(out.per_node[u])
              .fetch_add(found, std::memory_order_relaxed);
          std::atomic_ref<std::uint64_t>(out.per_node[v])
              .fetch_add(found, std::memory_order_relaxed);
          local += found;
        }
      }
    }
    total.local() += local;
  });
  out.total = total.combine(std::plus<>());
  double triples = 0, sum_cc = 0;
  for (std::int64_t v = 0; v < n; ++v) {
    if (!view.visible(v)) continue;
    const double d = static_cast<double>(view.OutDegree(v));
    if (d >= 2) {
      out.local_clustering[v] = 2.0 * static_cast<double>(out.per_node[v]) / (d * (d - 1));
      triples += d * (d - 1) / 2;
    }
    sum_cc += out.local_clustering[v];
  }
  out.average_clustering =
      view.num_visible() ? sum_cc / static_cast<double>(view.num_visible()) : 0;
  out.transitivity = triples > 0 ? 3.0 * static_cast<double>(out.total) / triples : 0;
  return out;
}

Triangles CountTriangles(const Graph& g, const std::vector<std::uint16_t>& types) {
  ViewOptions opt;
  opt.link_types = types;
  return CountTriangles(SimpleView::Build(g, opt));
}

DegreeList ComputeDegreeList(const Graph& g, const std::vector<std::uint16_t>& types) {
  const std::int64_t n = g.num_nodes();
  ViewOptions opt;
  opt.link_types = types;
  opt.directed = true;
  const SimpleView view = SimpleView::Build(g, opt);
  const TypeMask mask(types);
  DegreeList out;
  out.in_neighbors.assign(n, 0);
  out.out_neighbors.assign(n, 0);
  out.neighbors.assign(n, 0);
  out.in_links.assign(n, 0);
  out.out_links.assign(n, 0);
  out.in_weight.assign(n, 0.0);
  out.out_weight.assign(n, 0.0);
  tbb::combinable<std::uint64_t> total([] { return std::uint64_t{0}; });
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 2048), [&](const auto& r) {
    for (std::int64_t vi = r.begin(); vi < r.end(); ++vi) {
      const NodeId v = static_cast<NodeId>(vi);
      if (!g.node_visible(v)) continue;
      auto o = view.Out(v);
      auto i = view.In(v);
      out.out_neighbors[v] = static_cast<std::uint32_t>(o.size());
      out.in_neighbors[v] = static_cast<std::uint32_t>(i.size());
      // |Out ∪ In| by merging the two sorted lists.
      std::size_t a = 0, b = 0, u = 0;
      while (a < o.size() || b < i.size()) {
        if (b == i.size() || (a < o.size() && o[a] < i[b])) {
          ++a;
        } else if (a == o.size() || i[b] < o[a]) {
          ++b;
        } else {
          ++a;
          ++b;
        }
        ++u;
      }
      out.neighbors[v] = static_cast<std::uint32_t>(u);
      auto ol = g.OutLinks(v);
      auto on = g.OutNeighbors(v);
      for (std::size_t k = 0; k < ol.size(); ++k) {
        if (!g.node_visible(on[k]) || !mask.Pass(g.link_type(ol[k]))) continue;
        ++out.out_links[v];
        out.out_weight[v] += g.link_weight(ol[k]);
      }
      total.local() += out.out_links[v];
      auto il = g.InLinks(v);
      auto in = g.InNeighbors(v);
      for (std::size_t k = 0; k < il.size(); ++k) {
        if (!g.node_visible(in[k]) || !mask.Pass(g.link_type(il[k]))) continue;
        ++out.in_links[v];
        out.in_weight[v] += g.link_weight(il[k]);
      }
    }
  });
  out.total_links = total.combine(std::plus<>());
  return out;
}

std::vector<NodeId> TopNodes(const Graph& g, const std::vector<double>& score, std::size_t k) {
  std::vector<NodeId> ids;
  for (std::int64_t v = 0; v < g.num_nodes() && v < static_cast<std::int64_t>(score.size()); ++v) {
    if (g.node_visible(v)) ids.push_back(static_cast<NodeId>(v));
  }
  auto cmp = [&](NodeId a, NodeId b) {
    return score[a] > score[b] || (score[a] == score[b] && a < b);
  };
  k = std::min(k, ids.size());
  std::partial_sort(ids.begin(), ids.begin() + k, ids.end(), cmp);
  ids.resize(k);
  return ids;
}

}  // namespace casegraph::analysis
