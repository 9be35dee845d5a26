// Tests for the path kernels, GAP style: each kernel is checked against a simple,
// independent serial verifier (adjacency rebuilt straight from the edge list, plain BFS,
// O(n^2) Dijkstra, hop-layered Bellman-Ford, brute-force simple-path enumeration) on many
// random graphs with random filters, plus hand-made cases for the edge semantics.
#include "analysis/paths.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <thread>

#include "analysis/test_graphs.h"
#include "casegraph/status.h"

namespace casegraph::analysis {
namespace {

using graph::EdgeList;
using graph::Graph;
using graph::kNoTime;
using graph::LinkFilter;
using graph::LinkIdx;
using graph::NodeId;
using testing::RandomGraph;
using testing::RandomGraphOptions;
using testing::SplitMix64;
using Dir = LinkFilter::Direction;

// ---- The independent reference model ---------------------------------------------------

// adj[u] = (v, link) for every link the filter lets a walk use from u to v, rebuilt from
// the raw edge list (not from the CSR or graph/traverse.h).
using RefAdj = std::vector<std::vector<std::pair<NodeId, LinkIdx>>>;

RefAdj BuildRefAdj(const EdgeList& e, const LinkFilter& f) {
  RefAdj adj(e.num_nodes);
  auto node_ok = [&](NodeId n) {
    if (!e.visible_node.empty() && !e.visible_node[n]) return false;
    return std::find(f.excluded_nodes.begin(), f.excluded_nodes.end(), n) == f.excluded_nodes.end();
  };
  for (std::size_t i = 0; i < e.src.size(); ++i) {
    const NodeId s = e.src[i], t = e.dst[i];
    const std::uint16_t type = e.type.empty() ? 0 : e.type[i];
    if (!f.allowed_types.empty() &&
        std::find(f.allowed_types.begin(), f.allowed_types.end(), type) == f.allowed_types.end())
      continue;
    if (!e.time.empty() && e.time[i] != kNoTime) {
      if (f.time_from != kNoTime && e.time[i] < f.time_from) continue;
      if (f.time_to != kNoTime && e.time[i] > f.time_to) continue;
    }
    if (!node_ok(s) || !node_ok(t)) continue;
    const bool directed = e.directed.empty() || e.directed[i];
    const bool forward = !directed || f.direction != Dir::kIn;
    const bool backward = !directed || f.direction != Dir::kOut;
    if (forward) adj[s].push_back({t, static_cast<LinkIdx>(i)});
    if (backward && (s != t || !forward)) adj[t].push_back({s, static_cast<LinkIdx>(i)});
  }
  return adj;
}

bool RefNodeOk(const EdgeList& e, const LinkFilter& f, NodeId n) {
  if (!e.visible_node.empty() && !e.visible_node[n]) return false;
  return std::find(f.excluded_nodes.begin(), f.excluded_nodes.end(), n) == f.excluded_nodes.end();
}

constexpr int kInf = std::numeric_limits<int>::max();

std::vector<int> RefBfs(const RefAdj& adj, std::vector<NodeId> sources) {
  std::vector<int> dist(adj.size(), kInf);
  std::vector<NodeId> queue;
  for (NodeId s : sources) {
    if (dist[s] == kInf) queue.push_back(s);
    dist[s] = 0;
  }
  for (std::size_t h = 0; h < queue.size(); ++h)
    for (auto [v, l] : adj[queue[h]])
      if (dist[v] == kInf) {
        dist[v] = dist[queue[h]] + 1;
        queue.push_back(v);
      }
  return dist;
}

// Cheapest cost with at most `max_hops` links: Bellman-Ford by hop layers.
double RefHopCost(const RefAdj& adj, NodeId s, NodeId t, const std::vector<double>& w,
                  int max_hops) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> d(adj.size(), inf);
  d[s] = 0;
  for (int h = 0; h < max_hops; ++h) {
    std::vector<double> nd = d;
    for (std::size_t u = 0; u < adj.size(); ++u)
      if (d[u] < inf)
        for (auto [v, l] : adj[u]) nd[v] = std::min(nd[v], d[u] + w[l]);
    d = nd;
  }
  return d[t];
}

// Plain O(n^2) Dijkstra without a hop limit.
double RefDijkstra(const RefAdj& adj, NodeId s, NodeId t, const std::vector<double>& w) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> d(adj.size(), inf);
  std::vector<bool> done(adj.size(), false);
  d[s] = 0;
  for (;;) {
    std::size_t u = adj.size();
    for (std::size_t v = 0; v < adj.size(); ++v)
      if (!done[v] && d[v] < inf && (u == adj.size() || d[v] < d[u])) u = v;
    if (u == adj.size()) break;
    done[u] = true;
    for (auto [v, l] : adj[u]) d[v] = std::min(d[v], d[u] + w[l]);
  }
  return d[t];
}

// Every simple path s -> t with at most max_hops links, as link sequences.
void RefSimplePaths(const RefAdj& adj, NodeId u, NodeId t, int max_hops, std::vector<bool>& on_path,
                    std::vector<LinkIdx>& links, std::vector<std::vector<LinkIdx>>& out) {
  if (u == t) {
    out.push_back(links);
    return;
  }
  if (static_cast<int>(links.size()) >= max_hops) return;
  for (auto [v, l] : adj[u]) {
    if (on_path[v]) continue;
    on_path[v] = true;
    links.push_back(l);
    RefSimplePaths(adj, v, t, max_hops, on_path, links, out);
    links.pop_back();
    on_path[v] = false;
  }
}

std::vector<std::vector<LinkIdx>> RefAllSimplePaths(const RefAdj& adj, NodeId s, NodeId t,
                                                    int max_hops) {
  std::vector<std::vector<LinkIdx>> out;
  std::vector<bool> on_path(adj.size(), false);
  std::vector<LinkIdx> links;
  on_path[s] = true;
  RefSimplePaths(adj, s, t, max_hops, on_path, links, out);
  return out;
}

// A path is valid when it starts and ends right and each link may be walked in order.
::testing::AssertionResult ValidPath(const RefAdj& adj, const Path& p, NodeId s, NodeId t) {
  if (p.nodes.empty() || p.nodes.front() != s || p.nodes.back() != t)
    return ::testing::AssertionFailure() << "wrong endpoints";
  if (p.links.size() + 1 != p.nodes.size())
    return ::testing::AssertionFailure() << "nodes/links length mismatch";
  for (std::size_t i = 0; i < p.links.size(); ++i) {
    const auto& a = adj[p.nodes[i]];
    if (std::find(a.begin(), a.end(), std::make_pair(p.nodes[i + 1], p.links[i])) == a.end())
      return ::testing::AssertionFailure() << "link " << p.links[i] << " not walkable from "
                                           << p.nodes[i] << " to " << p.nodes[i + 1];
  }
  return ::testing::AssertionSuccess();
}

bool IsSimple(const Path& p) {
  std::set<NodeId> s(p.nodes.begin(), p.nodes.end());
  return s.size() == p.nodes.size();
}

// ---- Random cases --------------------------------------------------------------------------

struct Case {
  EdgeList edges;
  Graph graph;
  LinkFilter filter;
  int max_hops = kNoHopLimit;
};

Case RandomCase(std::uint64_t seed, std::int64_t max_nodes, std::int64_t max_links) {
  SplitMix64 rng(seed * 7919 + 3);
  RandomGraphOptions o;
  o.seed = seed;
  o.num_nodes = 2 + static_cast<std::int64_t>(rng.Below(max_nodes - 1));
  o.num_links = static_cast<std::int64_t>(rng.Below(max_links + 1));
  o.num_types = 1 + static_cast<int>(rng.Below(3));
  o.with_times = rng.Below(2) == 0;
  o.with_weights = true;
  o.weight_min = 0.0;
  o.weight_max = 10.0;
  o.with_integer_weights = rng.Below(2) == 0;  // exact ties between paths
  o.self_loops = rng.Below(4) == 0;
  o.directed = rng.Below(3) != 0;
  Case c;
  c.edges = RandomGraph(o);
  auto& e = c.edges;
  if (o.directed && rng.Below(2) == 0) {  // mix in undirected link types
    e.directed.assign(e.src.size(), 1);
    for (std::size_t i = 0; i < e.src.size(); ++i)
      if (!e.type.empty() && e.type[i] == 1) e.directed[i] = 0;
  }
  if (rng.Below(4) == 0) {
    e.visible_node.assign(e.num_nodes, 1);
    e.visible_node[rng.Below(e.num_nodes)] = 0;
  }
  if (!e.time.empty() && rng.Below(4) == 0) e.time[0] = kNoTime;
  c.graph = Graph::Build(e);
  LinkFilter& f = c.filter;
  f.direction = static_cast<Dir>(rng.Below(3));
  if (o.num_types > 1 && rng.Below(2) == 0) f.allowed_types = {0, 2};
  if (o.with_times && rng.Below(2) == 0) {
    f.time_from = static_cast<std::int64_t>(rng.Below(400));
    f.time_to = rng.Below(2) == 0 ? kNoTime : 600 + static_cast<std::int64_t>(rng.Below(400));
  }
  if (rng.Below(3) == 0) f.excluded_nodes = {static_cast<NodeId>(rng.Below(e.num_nodes))};
  c.max_hops = rng.Below(3) == 0 ? 1 + static_cast<int>(rng.Below(4)) : kNoHopLimit;
  return c;
}

TEST(ShortestPath, MatchesBfsOnRandomGraphs) {
  int found = 0, not_found = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    Case c = RandomCase(seed, 60, 150);
    RefAdj adj = BuildRefAdj(c.edges, c.filter);
    SplitMix64 rng(seed);
    for (int q = 0; q < 20; ++q) {
      const auto s = static_cast<NodeId>(rng.Below(c.edges.num_nodes));
      const auto t = static_cast<NodeId>(rng.Below(c.edges.num_nodes));
      auto p = ShortestPath(c.graph, s, t, c.filter, c.max_hops);
      int expect = kInf;
      if (RefNodeOk(c.edges, c.filter, s) && RefNodeOk(c.edges, c.filter, t)) {
        expect = RefBfs(adj, {s})[t];
        if (expect != kInf && expect > c.max_hops) expect = kInf;
      }
      if (expect == kInf) {
        EXPECT_FALSE(p.has_value()) << "seed " << seed << " " << s << "->" << t;
        ++not_found;
        continue;
      }
      ++found;
      ASSERT_TRUE(p.has_value()) << "seed " << seed << " " << s << "->" << t;
      EXPECT_EQ(p->hops(), expect) << "seed " << seed;
      EXPECT_DOUBLE_EQ(p->cost, expect);
      EXPECT_TRUE(ValidPath(adj, *p, s, t)) << "seed " << seed;
    }
  }
  EXPECT_GT(found, 1000);  // the random cases exercise both outcomes
  EXPECT_GT(not_found, 300);
}

TEST(ShortestPath, DeterministicAndLargeGraph) {
  EdgeList e = testing::PowerLawGraph(20000, 100000, 9);
  Graph g = Graph::Build(e);
  RefAdj adj = BuildRefAdj(e, {});
  SplitMix64 rng(4);
  for (int q = 0; q < 30; ++q) {
    const auto s = static_cast<NodeId>(rng.Below(20000));
    const auto t = static_cast<NodeId>(rng.Below(20000));
    auto p1 = ShortestPath(g, s, t);
    auto p2 = ShortestPath(g, s, t);
    const int expect = RefBfs(adj, {s})[t];
    ASSERT_EQ(p1.has_value(), expect != kInf);
    if (!p1) continue;
    EXPECT_EQ(p1->hops(), expect);
    EXPECT_TRUE(ValidPath(adj, *p1, s, t));
    EXPECT_EQ(*p1, *p2);
  }
}

TEST(ShortestPath, EdgeCases) {
  // 0 -> 1 -> 2 -> 3, 0 -> 4 -> 3 (type 1), 5 isolated
  EdgeList e;
  e.num_nodes = 6;
  e.src = {0, 1, 2, 0, 4};
  e.dst = {1, 2, 3, 4, 3};
  e.type = {0, 0, 0, 1, 1};
  Graph g = Graph::Build(e);
  auto p = ShortestPath(g, 0, 3);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->nodes, (std::vector<NodeId>{0, 4, 3}));
  EXPECT_EQ(p->links, (std::vector<LinkIdx>{3, 4}));
  LinkFilter only0;
  only0.allowed_types = {0};
  p = ShortestPath(g, 0, 3, only0);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->nodes, (std::vector<NodeId>{0, 1, 2, 3}));
  EXPECT_FALSE(ShortestPath(g, 0, 3, only0, 2));
  LinkFilter in;
  in.direction = Dir::kIn;
  EXPECT_FALSE(ShortestPath(g, 0, 3, in));
  p = ShortestPath(g, 3, 0, in);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->nodes, (std::vector<NodeId>{3, 4, 0}));
  LinkFilter out;
  out.direction = Dir::kOut;
  EXPECT_FALSE(ShortestPath(g, 3, 0, out));
  p = ShortestPath(g, 2, 2);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->nodes, (std::vector<NodeId>{2}));
  EXPECT_TRUE(p->links.empty());
  EXPECT_FALSE(ShortestPath(g, 0, 5));
  EXPECT_FALSE(ShortestPath(g, 0, 3, {}, 0));
  LinkFilter excl;
  excl.excluded_nodes = {4};
  p = ShortestPath(g, 0, 3, excl);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->hops(), 3);
  excl.excluded_nodes = {3};
  EXPECT_FALSE(ShortestPath(g, 0, 3, excl));
  EXPECT_THROW(ShortestPath(g, 0, 6), Error);
}

TEST(AllShortestPaths, MatchesBruteForceOnTinyGraphs) {
  int nontrivial = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    Case c = RandomCase(seed, 9, 22);
    RefAdj adj = BuildRefAdj(c.edges, c.filter);
    SplitMix64 rng(seed + 100);
    for (int q = 0; q < 6; ++q) {
      const auto s = static_cast<NodeId>(rng.Below(c.edges.num_nodes));
      const auto t = static_cast<NodeId>(rng.Below(c.edges.num_nodes));
      if (s == t) continue;
      auto got = AllShortestPaths(c.graph, s, t, c.filter, c.max_hops);
      std::set<std::vector<LinkIdx>> expect;
      if (RefNodeOk(c.edges, c.filter, s) && RefNodeOk(c.edges, c.filter, t)) {
        auto all = RefAllSimplePaths(adj, s, t, std::min(c.max_hops, 20));
        std::size_t best = std::numeric_limits<std::size_t>::max();
        for (auto& p : all) best = std::min(best, p.size());
        for (auto& p : all)
          if (p.size() == best) expect.insert(p);
      }
      std::set<std::vector<LinkIdx>> got_set;
      for (const Path& p : got) {
        EXPECT_TRUE(ValidPath(adj, p, s, t)) << "seed " << seed;
        got_set.insert(p.links);
      }
      EXPECT_EQ(got_set.size(), got.size()) << "duplicates, seed " << seed;
      EXPECT_EQ(got_set, expect) << "seed " << seed << " " << s << "->" << t;
      if (expect.size() > 1) ++nontrivial;
      // The cap keeps a prefix of the same enumeration.
      if (got.size() > 1) {
        auto capped = AllShortestPaths(c.graph, s, t, c.filter, c.max_hops, 1);
        ASSERT_EQ(capped.size(), 1u);
        EXPECT_EQ(capped[0], got[0]);
      }
    }
  }
  EXPECT_GT(nontrivial, 50);
}

TEST(AllShortestPaths, GridCountsBinomial) {
  // 4x4 grid, undirected: C(6,3) = 20 shortest paths corner to corner.
  EdgeList e;
  e.num_nodes = 16;
  for (NodeId r = 0; r < 4; ++r)
    for (NodeId col = 0; col < 4; ++col) {
      if (col + 1 < 4) e.src.push_back(r * 4 + col), e.dst.push_back(r * 4 + col + 1);
      if (r + 1 < 4) e.src.push_back(r * 4 + col), e.dst.push_back((r + 1) * 4 + col);
    }
  e.directed.assign(e.src.size(), 0);
  Graph g = Graph::Build(e);
  EXPECT_EQ(AllShortestPaths(g, 0, 15).size(), 20u);
  EXPECT_EQ(AllShortestPaths(g, 0, 15, {}, kNoHopLimit, 7).size(), 7u);
  EXPECT_TRUE(AllShortestPaths(g, 0, 15, {}, 5).empty());
}

TEST(WeightedShortestPath, MatchesReferenceDijkstraAndBellmanFord) {
  int found = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    Case c = RandomCase(seed, 40, 120);
    RefAdj adj = BuildRefAdj(c.edges, c.filter);
    const std::vector<double>& w = c.edges.weight;
    SplitMix64 rng(seed + 7);
    for (int q = 0; q < 10; ++q) {
      const auto s = static_cast<NodeId>(rng.Below(c.edges.num_nodes));
      const auto t = static_cast<NodeId>(rng.Below(c.edges.num_nodes));
      auto p = WeightedShortestPath(c.graph, s, t, WeightCost(c.graph), c.filter, c.max_hops);
      double expect = std::numeric_limits<double>::infinity();
      if (RefNodeOk(c.edges, c.filter, s) && RefNodeOk(c.edges, c.filter, t)) {
        expect = c.max_hops == kNoHopLimit ? RefDijkstra(adj, s, t, w)
                                           : RefHopCost(adj, s, t, w, c.max_hops);
      }
      if (std::isinf(expect)) {
        EXPECT_FALSE(p.has_value()) << "seed " << seed;
        continue;
      }
      ++found;
      ASSERT_TRUE(p.has_value()) << "seed " << seed << " " << s << "->" << t;
      EXPECT_NEAR(p->cost, expect, 1e-9) << "seed " << seed;
      EXPECT_TRUE(ValidPath(adj, *p, s, t)) << "seed " << seed;
      EXPECT_LE(p->hops(), c.max_hops);
      double sum = 0;
      for (LinkIdx l : p->links) sum += w[l];
      EXPECT_NEAR(sum, p->cost, 1e-9);
    }
  }
  EXPECT_GT(found, 800);
}

TEST(WeightedShortestPath, HopLimitPicksCheaperShortPath) {
  // 0-1-2-3 costs 1 each (3 hops, cost 3); 0-3 direct costs 10.
  EdgeList e;
  e.num_nodes = 4;
  e.src = {0, 1, 2, 0};
  e.dst = {1, 2, 3, 3};
  e.weight = {1, 1, 1, 10};
  Graph g = Graph::Build(e);
  auto p = WeightedShortestPath(g, 0, 3, WeightCost(g));
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->cost, 3);
  p = WeightedShortestPath(g, 0, 3, WeightCost(g), {}, 2);
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->cost, 10);
  EXPECT_EQ(p->links, (std::vector<LinkIdx>{3}));
  // Inverse weights: shares 0.5 (cost 2) vs 1.0 (cost 1).
  e.weight = {1.0, 1.0, 1.0, 0.25};
  g = Graph::Build(e);
  p = WeightedShortestPath(g, 0, 3, InverseWeightCost(g));
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->cost, 3);
  e.weight = {1, -1, 1, 1};
  g = Graph::Build(e);
  EXPECT_THROW(WeightedShortestPath(g, 0, 3, WeightCost(g)), Error);
}

TEST(KShortestPaths, MatchesBruteForceOnTinyGraphs) {
  int deep = 0;
  for (std::uint64_t seed = 1; seed <= 250; ++seed) {
    Case c = RandomCase(seed, 8, 18);
    RefAdj adj = BuildRefAdj(c.edges, c.filter);
    const std::vector<double>& w = c.edges.weight;
    SplitMix64 rng(seed + 11);
    for (int q = 0; q < 4; ++q) {
      const auto s = static_cast<NodeId>(rng.Below(c.edges.num_nodes));
      const auto t = static_cast<NodeId>(rng.Below(c.edges.num_nodes));
      if (s == t) continue;
      const bool weighted = q % 2 == 1;
      const std::size_t k = 1 + rng.Below(8);
      auto got = KShortestPaths(c.graph, s, t, k, c.filter, c.max_hops,
                                weighted ? WeightCost(c.graph) : LinkCost());
      std::vector<double> expect;
      if (RefNodeOk(c.edges, c.filter, s) && RefNodeOk(c.edges, c.filter, t)) {
        for (auto& p : RefAllSimplePaths(adj, s, t, std::min(c.max_hops, 20))) {
          double cost = 0;
          for (LinkIdx l : p) cost += weighted ? w[l] : 1.0;
          expect.push_back(cost);
        }
      }
      std::sort(expect.begin(), expect.end());
      if (expect.size() > k) expect.resize(k);
      ASSERT_EQ(got.size(), expect.size()) << "seed " << seed << " " << s << "->" << t;
      std::set<std::vector<LinkIdx>> distinct;
      for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_NEAR(got[i].cost, expect[i], 1e-9) << "seed " << seed << " path " << i;
        EXPECT_TRUE(ValidPath(adj, got[i], s, t)) << "seed " << seed;
        EXPECT_TRUE(IsSimple(got[i])) << "seed " << seed;
        EXPECT_LE(got[i].hops(), c.max_hops);
        distinct.insert(got[i].links);
      }
      EXPECT_EQ(distinct.size(), got.size());
      if (got.size() >= 4) ++deep;
    }
  }
  EXPECT_GT(deep, 30);
}

TEST(Expand, MatchesBfsOnRandomGraphs) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    Case c = RandomCase(seed, 60, 150);
    RefAdj adj = BuildRefAdj(c.edges, c.filter);
    SplitMix64 rng(seed + 21);
    std::vector<NodeId> seeds;
    for (std::uint64_t i = 0, cnt = 1 + rng.Below(3); i < cnt; ++i)
      seeds.push_back(static_cast<NodeId>(rng.Below(c.edges.num_nodes)));
    const int depth = static_cast<int>(rng.Below(4));
    Subgraph r = Expand(c.graph, seeds, depth, c.filter);
    std::vector<NodeId> ok_seeds;
    for (NodeId s : seeds)
      if (RefNodeOk(c.edges, c.filter, s)) ok_seeds.push_back(s);
    std::vector<int> dist = RefBfs(adj, ok_seeds);
    std::map<NodeId, int> expect_nodes;
    for (NodeId v = 0; v < dist.size(); ++v)
      if (dist[v] <= depth) expect_nodes[v] = dist[v];
    std::map<NodeId, int> got_nodes;
    ASSERT_EQ(r.nodes.size(), r.depth.size());
    for (std::size_t i = 0; i < r.nodes.size(); ++i) got_nodes[r.nodes[i]] = r.depth[i];
    EXPECT_EQ(got_nodes.size(), r.nodes.size()) << "duplicate nodes, seed " << seed;
    EXPECT_EQ(got_nodes, expect_nodes) << "seed " << seed;
    EXPECT_TRUE(std::is_sorted(r.depth.begin(), r.depth.end()));
    std::set<LinkIdx> expect_links;
    for (auto [u, d] : expect_nodes)
      if (d < depth)
        for (auto [v, l] : adj[u])
          if (expect_nodes.count(v)) expect_links.insert(l);
    std::set<LinkIdx> got_links(r.links.begin(), r.links.end());
    EXPECT_EQ(got_links.size(), r.links.size()) << "duplicate links, seed " << seed;
    EXPECT_EQ(got_links, expect_links) << "seed " << seed;
    EXPECT_FALSE(r.truncated);

    // Capped: a prefix of the BFS, with only links among the kept nodes.
    if (r.nodes.size() > 3) {
      Subgraph capped = Expand(c.graph, seeds, depth, c.filter, 3);
      EXPECT_TRUE(capped.truncated);
      ASSERT_EQ(capped.nodes.size(), 3u);
      EXPECT_TRUE(std::equal(capped.nodes.begin(), capped.nodes.end(), r.nodes.begin()));
      std::set<NodeId> kept(capped.nodes.begin(), capped.nodes.end());
      for (LinkIdx l : capped.links) {
        EXPECT_TRUE(kept.count(c.edges.src[l]) && kept.count(c.edges.dst[l]));
        EXPECT_TRUE(expect_links.count(l));
      }
    }
  }
}

TEST(ConnectingNetwork, MatchesBruteForceOnTinyGraphs) {
  int nonempty = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    Case c = RandomCase(seed, 9, 20);
    RefAdj adj = BuildRefAdj(c.edges, c.filter);
    SplitMix64 rng(seed + 31);
    std::vector<NodeId> chosen;
    for (std::uint64_t i = 0, cnt = 2 + rng.Below(3); i < cnt; ++i)
      chosen.push_back(static_cast<NodeId>(rng.Below(c.edges.num_nodes)));
    const int hops = c.max_hops == kNoHopLimit ? 6 : c.max_hops;
    ConnectingNetworkResult r = ConnectingNetwork(c.graph, chosen, c.filter, hops);
    std::set<NodeId> expect_nodes;
    std::set<LinkIdx> expect_links;
    std::set<std::tuple<NodeId, NodeId, int>> expect_pairs;
    std::vector<NodeId> ok;
    for (NodeId s : chosen)
      if (RefNodeOk(c.edges, c.filter, s) && std::find(ok.begin(), ok.end(), s) == ok.end())
        ok.push_back(s);
    for (NodeId s : ok) expect_nodes.insert(s);
    for (std::size_t i = 0; i < ok.size(); ++i)
      for (std::size_t j = 0; j < ok.size(); ++j) {
        if (i == j || (c.filter.direction == Dir::kBoth && j < i)) continue;
        auto all = RefAllSimplePaths(adj, ok[i], ok[j], hops);
        std::size_t best = std::numeric_limits<std::size_t>::max();
        for (auto& p : all) best = std::min(best, p.size());
        if (all.empty()) continue;
        expect_pairs.insert({ok[i], ok[j], static_cast<int>(best)});
        for (auto& p : all) {
          if (p.size() != best) continue;
          for (LinkIdx l : p) {
            expect_links.insert(l);
            expect_nodes.insert(c.edges.src[l]);
            expect_nodes.insert(c.edges.dst[l]);
          }
        }
      }
    EXPECT_EQ(std::set<NodeId>(r.network.nodes.begin(), r.network.nodes.end()), expect_nodes)
        << "seed " << seed;
    EXPECT_EQ(std::set<LinkIdx>(r.network.links.begin(), r.network.links.end()), expect_links)
        << "seed " << seed;
    std::set<std::tuple<NodeId, NodeId, int>> got_pairs;
    for (auto& p : r.pairs) got_pairs.insert({p.from, p.to, p.hops});
    EXPECT_EQ(got_pairs, expect_pairs) << "seed " << seed;
    if (!expect_links.empty()) ++nonempty;
  }
  EXPECT_GT(nonempty, 100);
}

TEST(Paths, ConcurrentQueriesAgree) {
  EdgeList e = testing::PowerLawGraph(5000, 40000, 5);
  Graph g = Graph::Build(e);
  std::vector<std::optional<Path>> serial(200), parallel(200);
  for (int i = 0; i < 200; ++i) serial[i] = ShortestPath(g, i * 7 % 5000, i * 13 % 5000 + 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = t; i < 200; i += 4)
        parallel[i] = ShortestPath(g, i * 7 % 5000, i * 13 % 5000 + 1);
    });
  for (auto& th : threads) th.join();
  for (int i = 0; i < 200; ++i) EXPECT_EQ(serial[i], parallel[i]);
}

}  // namespace
}  // namespace casegraph::analysis
