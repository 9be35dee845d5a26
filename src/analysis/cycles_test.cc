// Tests for the bounded cycle search: hand-made cases and a brute-force verifier (plain
// DFS over all simple paths, constraints checked only on complete cycles) on many random
// graphs with types, amounts and times.
#include "analysis/cycles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "analysis/test_graphs.h"

namespace casegraph::analysis {
namespace {

using graph::EdgeList;
using graph::Graph;
using graph::LinkIdx;
using graph::NodeId;

// Canonical form: the link sequence rotated to start at the link leaving the smallest node.
std::vector<LinkIdx> Canonical(const Graph& g, const Cycle& c) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < c.links.size(); ++i) {
    if (g.link_source(c.links[i]) < g.link_source(c.links[best])) best = i;
  }
  std::vector<LinkIdx> out(c.links.begin() + best, c.links.end());
  out.insert(out.end(), c.links.begin(), c.links.begin() + best);
  return out;
}

bool ConstraintsHold(const Graph& g, const std::vector<LinkIdx>& links, const CycleOptions& o) {
  std::set<std::uint16_t> types(o.link_types.begin(), o.link_types.end());
  std::int64_t lo = 0, hi = 0;
  for (std::size_t i = 0; i < links.size(); ++i) {
    LinkIdx l = links[i];
    if (!types.empty() && !types.count(g.link_type(l))) return false;
    if (g.link_weight(l) < o.min_amount) return false;
    std::int64_t t = g.link_time(l);
    if ((o.window_seconds > 0 || o.time_ordered) && t == graph::kNoTime) return false;
    if (i == 0 || t < lo) lo = t;
    if (i == 0 || t > hi) hi = t;
  }
  if (o.window_seconds > 0 && hi - lo > o.window_seconds) return false;
  if (o.time_ordered) {
    int descents = 0;
    for (std::size_t i = 0; i < links.size(); ++i) {
      if (g.link_time(links[(i + 1) % links.size()]) < g.link_time(links[i])) ++descents;
    }
    if (descents > 1) return false;
  }
  return true;
}

// Independent verifier: every simple path from s over any nodes, closed at s, kept when s is
// the cycle's smallest node and the constraints hold.
std::set<std::vector<LinkIdx>> BruteForceCycles(const Graph& g, const CycleOptions& o) {
  std::set<std::vector<LinkIdx>> out;
  std::vector<LinkIdx> path;
  std::vector<char> on(g.num_nodes(), 0);
  auto dfs = [&](auto&& self, NodeId s, NodeId v) -> void {
    for (LinkIdx l : g.OutLinks(v)) {
      NodeId w = g.link_target(l);
      path.push_back(l);
      if (w == s) {
        int len = static_cast<int>(path.size());
        if (len >= o.min_length && len <= o.max_length && ConstraintsHold(g, path, o)) {
          out.insert(path);
        }
      } else if (w > s && !on[w] && static_cast<int>(path.size()) < o.max_length) {
        on[w] = 1;
        self(self, s, w);
        on[w] = 0;
      }
      path.pop_back();
    }
  };
  for (NodeId s = 0; s < g.num_nodes(); ++s) {
    on[s] = 1;
    dfs(dfs, s, s);
    on[s] = 0;
  }
  return out;
}

TEST(Cycles, HandMadeTriangleAndParallelLink) {
  // 0 -> 1 -> 2 -> 0 with two parallel 1 -> 2 links, plus a 2-cycle 2 <-> 3.
  EdgeList e;
  e.num_nodes = 4;
  e.src = {0, 1, 1, 2, 2, 3};
  e.dst = {1, 2, 2, 0, 3, 2};
  Graph g = Graph::Build(e);
  CycleOptions o;
  CycleResult r = FindCycles(g, o);
  ASSERT_EQ(r.cycles.size(), 3u);
  EXPECT_FALSE(r.truncated);
  std::set<std::vector<LinkIdx>> got;
  for (const auto& c : r.cycles) {
    EXPECT_EQ(c.nodes.size(), c.links.size());
    got.insert(c.links);
  }
  EXPECT_TRUE(got.count({0, 1, 3}));
  EXPECT_TRUE(got.count({0, 2, 3}));
  EXPECT_TRUE(got.count({4, 5}));
  o.max_length = 2;
  EXPECT_EQ(FindCycles(g, o).cycles.size(), 1u);
  o.max_length = 6;
  o.max_cycles = 2;
  r = FindCycles(g, o);
  EXPECT_EQ(r.cycles.size(), 2u);
  EXPECT_TRUE(r.truncated);
}

TEST(Cycles, TimeOrderedRoundTripIsRotatedToEarliestHop) {
  // Money leaves 2 at t=10 and goes 2 -> 0 -> 1 -> 2 at t = 10, 20, 30: time-ordered.
  // The cycle 0 -> 3 -> 4 -> 0 at t = 60, 50, 40 has two descents: no rotation is ordered.
  EdgeList e;
  e.num_nodes = 5;
  e.src = {2, 0, 1, 0, 3, 4};
  e.dst = {0, 1, 2, 3, 4, 0};
  e.time = {10, 20, 30, 60, 50, 40};
  Graph g = Graph::Build(e);
  CycleOptions o;
  o.time_ordered = true;
  CycleResult r = FindCycles(g, o);
  ASSERT_EQ(r.cycles.size(), 1u);
  EXPECT_EQ(r.cycles[0].nodes, (std::vector<NodeId>{2, 0, 1}));
  EXPECT_EQ(r.cycles[0].links, (std::vector<LinkIdx>{0, 1, 2}));
  o.time_ordered = false;
  EXPECT_EQ(FindCycles(g, o).cycles.size(), 2u);
  o.window_seconds = 15;  // 10..30 spans 20 > 15; 40..60 spans 20 > 15
  EXPECT_EQ(FindCycles(g, o).cycles.size(), 0u);
  o.window_seconds = 20;
  EXPECT_EQ(FindCycles(g, o).cycles.size(), 2u);
}

TEST(Cycles, MinAmountAndTypesFilterLinks) {
  EdgeList e;
  e.num_nodes = 3;
  e.src = {0, 1, 2, 1};
  e.dst = {1, 2, 0, 0};
  e.type = {1, 1, 1, 2};
  e.weight = {100, 90, 80, 5};
  Graph g = Graph::Build(e);
  CycleOptions o;
  EXPECT_EQ(FindCycles(g, o).cycles.size(), 2u);
  o.link_types = {1};
  EXPECT_EQ(FindCycles(g, o).cycles.size(), 1u);
  o.link_types = {};
  o.min_amount = 50;
  EXPECT_EQ(FindCycles(g, o).cycles.size(), 1u);
  o.min_amount = 85;
  EXPECT_EQ(FindCycles(g, o).cycles.size(), 0u);
}

TEST(Cycles, SelfLoopsOnlyWithMinLengthOne) {
  EdgeList e;
  e.num_nodes = 2;
  e.src = {0, 0, 1};
  e.dst = {0, 1, 0};
  Graph g = Graph::Build(e);
  CycleOptions o;
  EXPECT_EQ(FindCycles(g, o).cycles.size(), 1u);
  o.min_length = 1;
  EXPECT_EQ(FindCycles(g, o).cycles.size(), 2u);
}

TEST(Cycles, MatchesBruteForceOnRandomGraphs) {
  int compared = 0;
  std::size_t total_cycles = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    testing::RandomGraphOptions ro;
    ro.num_nodes = 4 + static_cast<std::int64_t>(seed % 9);
    ro.num_links = ro.num_nodes * (1 + static_cast<std::int64_t>(seed % 3));
    ro.seed = seed;
    ro.self_loops = seed % 5 == 0;
    ro.num_types = 1 + static_cast<int>(seed % 2);
    ro.with_times = true;
    ro.time_max = 100;
    ro.with_weights = true;
    ro.weight_max = 100;
    Graph g = Graph::Build(testing::RandomGraph(ro));
    CycleOptions o;
    o.max_length = 2 + static_cast<int>(seed % 6);
    o.min_length = seed % 5 == 0 ? 1 : 2;
    if (seed % 3 == 1) o.min_amount = 30;
    if (seed % 4 == 1) o.window_seconds = 40;
    if (seed % 4 == 2) o.time_ordered = true;
    if (seed % 7 == 3) o.link_types = {0};
    o.max_cycles = 1u << 30;
    CycleResult r = FindCycles(g, o);
    std::set<std::vector<LinkIdx>> got;
    for (const Cycle& c : r.cycles) {
      ASSERT_EQ(c.nodes.size(), c.links.size());
      for (std::size_t i = 0; i < c.links.size(); ++i) {
        ASSERT_EQ(g.link_source(c.links[i]), c.nodes[i]);
        ASSERT_EQ(g.link_target(c.links[i]), c.nodes[(i + 1) % c.nodes.size()]);
        if (o.time_ordered && i + 1 < c.links.size()) {
          ASSERT_LE(g.link_time(c.links[i]), g.link_time(c.links[i + 1]));
        }
      }
      auto canon = Canonical(g, c);
      ASSERT_TRUE(got.insert(canon).second) << "duplicate cycle, seed " << seed;
    }
    auto want = BruteForceCycles(g, o);
    ASSERT_EQ(got, want) << "seed " << seed;
    total_cycles += want.size();
    ++compared;
  }
  EXPECT_EQ(compared, 300);
  EXPECT_GT(total_cycles, 1000u);  // the comparison is not vacuous
}

TEST(Cycles, DenserGraphsMatchBruteForce) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Graph g = Graph::Build(testing::RandomGraph(10, 40, seed));
    CycleOptions o;
    o.max_length = 5;
    o.max_cycles = 1u << 30;
    auto r = FindCycles(g, o);
    std::set<std::vector<LinkIdx>> got;
    for (const Cycle& c : r.cycles) got.insert(Canonical(g, c));
    EXPECT_EQ(got.size(), r.cycles.size());
    EXPECT_EQ(got, BruteForceCycles(g, o)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace casegraph::analysis
