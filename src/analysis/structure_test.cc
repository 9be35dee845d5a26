// Tests for the structural kernels, GAP-style: each kernel against an independent, naive
// serial verifier on many random graphs (union-find components, mutual reachability for
// SCCs, repeated peeling for k-cores, remove-and-recount for bridges and articulation
// points, triple loops for triangles), plus published values on the karate club.
#include "analysis/structure.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <queue>
#include <set>

#include <gtest/gtest.h>

#include "analysis/sna_test_util.h"
#include "analysis/test_graphs.h"

namespace casegraph::analysis {
namespace {

// Random graph with hidden nodes, self-loops, multi-links, mixed schemata and two types.
graph::EdgeList Messy(std::int64_t n, std::int64_t m, std::uint64_t seed) {
  testing::RandomGraphOptions o;
  o.num_nodes = n;
  o.num_links = m;
  o.seed = seed;
  o.self_loops = true;
  o.num_types = 2;
  graph::EdgeList e = testing::RandomGraph(o);
  e.directed.assign(e.src.size(), 1);
  for (std::size_t i = 0; i < e.src.size(); i += 4) e.directed[i] = 0;
  e.visible_node.assign(n, 1);
  for (std::int64_t v = 0; v < n; v += 7) e.visible_node[v] = 0;
  return e;
}

bool Usable(const graph::EdgeList& e, std::size_t l, const std::vector<std::uint16_t>& types) {
  if (!e.visible_node.empty() && (!e.visible_node[e.src[l]] || !e.visible_node[e.dst[l]])) {
    return false;
  }
  if (types.empty()) return true;
  const std::uint16_t t = e.type.empty() ? 0 : e.type[l];
  return std::find(types.begin(), types.end(), t) != types.end();
}

bool Visible(const graph::EdgeList& e, std::int64_t v) {
  return e.visible_node.empty() || e.visible_node[v];
}

struct UnionFind {
  std::vector<std::int64_t> p;
  explicit UnionFind(std::int64_t n) : p(n) { std::iota(p.begin(), p.end(), 0); }
  std::int64_t Find(std::int64_t x) { return p[x] == x ? x : p[x] = Find(p[x]); }
  void Union(std::int64_t a, std::int64_t b) { p[Find(a)] = Find(b); }
};

// Same partition (labels may differ by a bijection)?
void ExpectSamePartition(const graph::EdgeList& e, const std::vector<std::uint32_t>& got,
                         const std::vector<std::int64_t>& expect_rep) {
  std::map<std::uint32_t, std::int64_t> fwd;
  std::map<std::int64_t, std::uint32_t> back;
  for (std::int64_t v = 0; v < e.num_nodes; ++v) {
    if (!Visible(e, v)) {
      EXPECT_EQ(got[v], kNoComponent);
      continue;
    }
    auto [f, fi] = fwd.emplace(got[v], expect_rep[v]);
    auto [b, bi] = back.emplace(expect_rep[v], got[v]);
    EXPECT_EQ(f->second, expect_rep[v]) << "node " << v;
    EXPECT_EQ(b->second, got[v]) << "node " << v;
  }
}

TEST(StructureVerify, WeaklyConnectedComponentsVsUnionFind) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    const std::int64_t n = 10 + static_cast<std::int64_t>(seed * 37 % 400);
    const graph::EdgeList e = Messy(n, n * (seed % 4) / 2 + 1, seed);
    const graph::Graph g = graph::Graph::Build(e);
    for (const std::vector<std::uint16_t>& types :
         {std::vector<std::uint16_t>{}, std::vector<std::uint16_t>{1}}) {
      UnionFind uf(n);
      for (std::size_t l = 0; l < e.src.size(); ++l) {
        if (Usable(e, l, types)) uf.Union(e.src[l], e.dst[l]);
      }
      std::vector<std::int64_t> rep(n);
      for (std::int64_t v = 0; v < n; ++v) rep[v] = uf.Find(v);
      const Components c = WeaklyConnectedComponents(g, types);
      ExpectSamePartition(e, c.label, rep);
      std::uint64_t total = 0;
      for (auto s : c.size) total += s;
      EXPECT_EQ(total, static_cast<std::uint64_t>(
                           std::count(e.visible_node.begin(), e.visible_node.end(), 1)));
      // Labels are numbered by smallest member.
      std::uint32_t next = 0;
      for (std::int64_t v = 0; v < n; ++v) {
        if (c.label[v] == kNoComponent) continue;
        ASSERT_LE(c.label[v], next);
        if (c.label[v] == next) ++next;
      }
    }
  }
}

TEST(StructureVerify, WeaklyConnectedComponentsLargePowerLaw) {
  // Big enough for the parallel Afforest path and its dominant-component skip.
  const graph::EdgeList e = testing::PowerLawGraph(200000, 400000, 5);
  const graph::Graph g = graph::Graph::Build(e);
  UnionFind uf(e.num_nodes);
  for (std::size_t l = 0; l < e.src.size(); ++l) uf.Union(e.src[l], e.dst[l]);
  std::vector<std::int64_t> rep(e.num_nodes);
  for (std::int64_t v = 0; v < e.num_nodes; ++v) rep[v] = uf.Find(v);
  ExpectSamePartition(e, WeaklyConnectedComponents(g).label, rep);
}

TEST(StructureVerify, StronglyConnectedComponentsVsReachability) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const std::int64_t n = 5 + static_cast<std::int64_t>(seed % 45);
    const graph::EdgeList e = Messy(n, n + static_cast<std::int64_t>(seed % 3) * n / 2, seed + 9);
    const graph::Graph g = graph::Graph::Build(e);
    std::vector<std::vector<int>> adj(n);
    for (std::size_t l = 0; l < e.src.size(); ++l) {
      if (!Usable(e, l, {})) continue;
      adj[e.src[l]].push_back(e.dst[l]);
      if (!e.directed[l]) adj[e.dst[l]].push_back(e.src[l]);
    }
    std::vector<std::vector<char>> reach(n, std::vector<char>(n, 0));
    for (std::int64_t s = 0; s < n; ++s) {
      std::queue<int> q;
      q.push(static_cast<int>(s));
      reach[s][s] = 1;
      while (!q.empty()) {
        int v = q.front();
        q.pop();
        for (int w : adj[v]) {
          if (!reach[s][w]) {
            reach[s][w] = 1;
            q.push(w);
          }
        }
      }
    }
    std::vector<std::int64_t> rep(n);
    for (std::int64_t v = 0; v < n; ++v) {
      rep[v] = v;
      for (std::int64_t u = 0; u < v; ++u) {
        if (reach[u][v] && reach[v][u]) {
          rep[v] = rep[u];
          break;
        }
      }
    }
    ExpectSamePartition(e, StronglyConnectedComponents(g).label, rep);
  }
}

TEST(StructureVerify, CoreNumbersVsNaivePeeling) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const std::int64_t n = 10 + static_cast<std::int64_t>(seed % 60);
    const graph::EdgeList e = Messy(n, n * (1 + seed % 5), seed + 77);
    const graph::Graph g = graph::Graph::Build(e);
    std::vector<std::set<int>> nb(n);
    for (std::size_t l = 0; l < e.src.size(); ++l) {
      if (!Usable(e, l, {}) || e.src[l] == e.dst[l]) continue;
      nb[e.src[l]].insert(e.dst[l]);
      nb[e.dst[l]].insert(e.src[l]);
    }
    std::vector<std::uint32_t> expect(n, 0);
    for (std::uint32_t k = 1;; ++k) {
      std::vector<char> alive(n, 1);
      bool changed = true;
      while (changed) {
        changed = false;
        for (std::int64_t v = 0; v < n; ++v) {
          if (!alive[v]) continue;
          std::uint32_t d = 0;
          for (int w : nb[v]) d += alive[w];
          if (d < k) {
            alive[v] = 0;
            changed = true;
          }
        }
      }
      bool any = false;
      for (std::int64_t v = 0; v < n; ++v) {
        if (alive[v]) {
          expect[v] = k;
          any = true;
        }
      }
      if (!any) break;
    }
    EXPECT_EQ(CoreNumbers(g), expect) << "seed " << seed;
  }
}

TEST(StructureVerify, BridgesAndArticulationPointsVsRemoval) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    const std::int64_t n = 6 + static_cast<std::int64_t>(seed % 30);
    // Sparse graphs have many bridges; multi-links must not be bridges.
    const graph::EdgeList e = Messy(n, n + static_cast<std::int64_t>(seed % 4) - 2, seed + 300);
    const graph::Graph g = graph::Graph::Build(e);
    auto count_components = [&](std::int64_t skip_link, std::int64_t skip_node) {
      UnionFind uf(n);
      for (std::size_t l = 0; l < e.src.size(); ++l) {
        if (static_cast<std::int64_t>(l) == skip_link || !Usable(e, l, {})) continue;
        if (e.src[l] == skip_node || e.dst[l] == skip_node) continue;
        uf.Union(e.src[l], e.dst[l]);
      }
      std::set<std::int64_t> roots;
      for (std::int64_t v = 0; v < n; ++v) {
        if (Visible(e, v) && v != skip_node) roots.insert(uf.Find(v));
      }
      return roots.size();
    };
    const std::size_t base = count_components(-1, -1);
    std::vector<graph::LinkIdx> bridges;
    for (std::size_t l = 0; l < e.src.size(); ++l) {
      if (!Usable(e, l, {}) || e.src[l] == e.dst[l]) continue;
      if (count_components(static_cast<std::int64_t>(l), -1) > base) {
        bridges.push_back(static_cast<graph::LinkIdx>(l));
      }
    }
    std::vector<NodeId> cuts;
    for (std::int64_t v = 0; v < n; ++v) {
      if (!Visible(e, v)) continue;
      bool isolated = true;
      for (std::size_t l = 0; l < e.src.size(); ++l) {
        if (Usable(e, l, {}) && e.src[l] != e.dst[l] && (e.src[l] == v || e.dst[l] == v)) {
          isolated = false;
        }
      }
      const std::size_t after = count_components(-1, v);
      if (after > base - (isolated ? 1 : 0)) cuts.push_back(static_cast<NodeId>(v));
    }
    const Brokers b = ArticulationPointsAndBridges(g);
    EXPECT_EQ(b.bridges, bridges) << "seed " << seed;
    EXPECT_EQ(b.articulation_points, cuts) << "seed " << seed;
  }
}

TEST(StructureVerify, TrianglesAndClusteringVsTripleLoop) {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const std::int64_t n = 5 + static_cast<std::int64_t>(seed % 40);
    const graph::EdgeList e = Messy(n, n * (2 + seed % 4), seed + 1000);
    const graph::Graph g = graph::Graph::Build(e);
    std::vector<std::vector<char>> a(n, std::vector<char>(n, 0));
    for (std::size_t l = 0; l < e.src.size(); ++l) {
      if (!Usable(e, l, {}) || e.src[l] == e.dst[l]) continue;
      a[e.src[l]][e.dst[l]] = a[e.dst[l]][e.src[l]] = 1;
    }
    std::vector<std::uint64_t> per(n, 0);
    std::uint64_t total = 0;
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = i + 1; j < n; ++j)
        for (std::int64_t k = j + 1; k < n; ++k)
          if (a[i][j] && a[j][k] && a[i][k]) {
            ++total;
            ++per[i], ++per[j], ++per[k];
          }
    const Triangles t = CountTriangles(g);
    EXPECT_EQ(t.total, total);
    EXPECT_EQ(t.per_node, per);
    double triples = 0, sum_cc = 0, visible = 0;
    for (std::int64_t v = 0; v < n; ++v) {
      if (!Visible(e, v)) continue;
      double d = 0;
      for (std::int64_t w = 0; w < n; ++w) d += a[v][w];
      const double cc = d >= 2 ? 2.0 * per[v] / (d * (d - 1)) : 0.0;
      EXPECT_NEAR(t.local_clustering[v], cc, 1e-12);
      triples += d * (d - 1) / 2;
      sum_cc += cc;
      visible += 1;
    }
    EXPECT_NEAR(t.average_clustering, sum_cc / visible, 1e-12);
    EXPECT_NEAR(t.transitivity, triples > 0 ? 3.0 * total / triples : 0.0, 1e-12);
  }
}

TEST(StructureReference, KarateClub) {
  auto karate = testing::LoadReferenceGraph(testing::ReferenceGraphs()[0]);
  if (!karate) GTEST_SKIP() << "karate fixture missing (tests/fixtures/graphs/karate)";
  const graph::Graph g = graph::Graph::Build(karate->edges);
  // networkx: nx.transitivity(karate) and nx.average_clustering(karate).
  const Triangles t = CountTriangles(g);
  EXPECT_EQ(t.total, 45u);
  EXPECT_NEAR(t.transitivity, 0.2556818181818182, 1e-12);
  EXPECT_NEAR(t.average_clustering, 0.5706384782076823, 1e-12);
  const auto core = CoreNumbers(g);
  EXPECT_EQ(*std::max_element(core.begin(), core.end()), 4u);
  const Components c = WeaklyConnectedComponents(g);
  EXPECT_EQ(c.num_components(), 1u);
  // Node 11 (Actor 12) hangs on Mr Hi alone: Mr Hi is a cut vertex, that link a bridge.
  const Brokers b = ArticulationPointsAndBridges(g);
  EXPECT_EQ(b.articulation_points, (std::vector<NodeId>{0}));
  ASSERT_EQ(b.bridges.size(), 1u);
  const auto l = b.bridges[0];
  EXPECT_EQ(std::min(g.link_source(l), g.link_target(l)), 0u);
  EXPECT_EQ(std::max(g.link_source(l), g.link_target(l)), 11u);
}

TEST(StructureDegreeList, CountsLinksNeighboursAndWeights) {
  // 0→1 twice (amounts 10, 5), 1→0 once (3), 1→2 (7), 2–3 undirected (1), 3→3 loop (2).
  graph::EdgeList e = testing::PairsToEdges(4, {{0, 1}, {0, 1}, {1, 0}, {1, 2}, {2, 3}, {3, 3}});
  e.directed = {1, 1, 1, 1, 0, 1};
  e.weight = {10, 5, 3, 7, 1, 2};
  const graph::Graph g = graph::Graph::Build(e);
  const DegreeList d = ComputeDegreeList(g);
  EXPECT_EQ(d.out_links, (std::vector<std::uint64_t>{2, 2, 1, 1}));
  EXPECT_EQ(d.in_links, (std::vector<std::uint64_t>{1, 2, 1, 2}));
  EXPECT_EQ(d.out_weight, (std::vector<double>{15, 10, 1, 2}));
  EXPECT_EQ(d.in_weight, (std::vector<double>{3, 15, 7, 3}));
  EXPECT_EQ(d.out_neighbors, (std::vector<std::uint32_t>{1, 2, 1, 1}));
  EXPECT_EQ(d.in_neighbors, (std::vector<std::uint32_t>{1, 1, 2, 1}));
  EXPECT_EQ(d.neighbors, (std::vector<std::uint32_t>{1, 2, 2, 1}));
  EXPECT_EQ(d.total_links, 6u);
  const std::vector<double> score = {1, 3, 3, 2};
  EXPECT_EQ(TopNodes(g, score, 3), (std::vector<NodeId>{1, 2, 3}));
}

}  // namespace
}  // namespace casegraph::analysis
