// Tests for the direction-optimising BFS, GAP-style: distances against an independent
// serial queue BFS written here straight from the edge list (its own reading of the
// LinkFilter rules), on many random graphs with mixed schemata, types, times, hidden and
// excluded nodes, for every direction and with the direction heuristic forced each way.
#include "analysis/traversal.h"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "analysis/test_graphs.h"
#include "casegraph/status.h"

namespace casegraph::analysis {
namespace {

using graph::LinkFilter;
using Direction = LinkFilter::Direction;

// The verifier: adjacency lists built from the edge list by the filter's rules, then a
// textbook FIFO BFS.
std::vector<std::int32_t> VerifierDepths(const graph::EdgeList& e, NodeId source,
                                         const LinkFilter& f) {
  const std::int64_t n = e.num_nodes;
  auto node_ok = [&](NodeId v) {
    if (!e.visible_node.empty() && !e.visible_node[v]) return false;
    return std::find(f.excluded_nodes.begin(), f.excluded_nodes.end(), v) == f.excluded_nodes.end();
  };
  std::vector<std::vector<NodeId>> adj(n);
  for (std::size_t l = 0; l < e.src.size(); ++l) {
    const NodeId s = e.src[l], d = e.dst[l];
    if (!node_ok(s) || !node_ok(d)) continue;
    const std::uint16_t type = e.type.empty() ? 0 : e.type[l];
    if (!f.allowed_types.empty() &&
        std::find(f.allowed_types.begin(), f.allowed_types.end(), type) == f.allowed_types.end())
      continue;
    if (!e.time.empty() && e.time[l] != graph::kNoTime) {
      if (f.time_from != graph::kNoTime && e.time[l] < f.time_from) continue;
      if (f.time_to != graph::kNoTime && e.time[l] > f.time_to) continue;
    }
    const bool undirected = !e.directed.empty() && e.directed[l] == 0;
    if (undirected || f.direction != Direction::kIn) adj[s].push_back(d);
    if (undirected || f.direction != Direction::kOut) adj[d].push_back(s);
  }
  std::vector<std::int32_t> depth(n, -1);
  if (!node_ok(source)) return depth;
  std::vector<NodeId> queue{source};
  depth[source] = 0;
  for (std::size_t h = 0; h < queue.size(); ++h) {
    for (NodeId u : adj[queue[h]]) {
      if (depth[u] < 0) {
        depth[u] = depth[queue[h]] + 1;
        queue.push_back(u);
      }
    }
  }
  return depth;
}

void ExpectSame(const BfsResult& r, const std::vector<std::int32_t>& want) {
  ASSERT_EQ(r.depth.size(), want.size());
  std::int64_t reached = 0;
  std::int32_t max_depth = -1;
  for (std::size_t v = 0; v < want.size(); ++v) {
    ASSERT_EQ(r.depth[v], want[v]) << "node " << v;
    reached += want[v] >= 0;
    max_depth = std::max(max_depth, want[v]);
  }
  EXPECT_EQ(r.reached, reached);
  EXPECT_EQ(r.max_depth, max_depth);
}

TEST(TraversalVerify, PlainGraphsAllDirectionsAndHeuristics) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    testing::RandomGraphOptions o;
    o.num_nodes = 50 + static_cast<std::int64_t>(seed * 37 % 400);
    o.num_links = o.num_nodes * static_cast<std::int64_t>(1 + seed % 6);
    o.seed = seed;
    o.self_loops = seed % 3 == 0;
    const graph::EdgeList e = testing::RandomGraph(o);
    const graph::Graph g = graph::Graph::Build(e);
    for (Direction dir : {Direction::kBoth, Direction::kOut, Direction::kIn}) {
      LinkFilter f;
      f.direction = dir;
      const NodeId source = static_cast<NodeId>(seed % o.num_nodes);
      const auto want = VerifierDepths(e, source, f);
      for (int alpha : {15, 1, 0}) {  // default, bottom-up early, top-down only
        BfsOptions bo;
        bo.alpha = alpha;
        SCOPED_TRACE("seed " + std::to_string(seed) + " alpha " + std::to_string(alpha));
        ExpectSame(BreadthFirstSearch(g, source, f, bo), want);
      }
    }
  }
}

TEST(TraversalVerify, FilteredMixedSchemataHiddenAndExcluded) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    testing::RandomGraphOptions o;
    o.num_nodes = 80 + static_cast<std::int64_t>(seed * 53 % 300);
    o.num_links = o.num_nodes * static_cast<std::int64_t>(2 + seed % 5);
    o.seed = seed + 1000;
    o.num_types = 3;
    o.with_times = true;
    graph::EdgeList e = testing::RandomGraph(o);
    e.directed.assign(e.src.size(), 1);
    for (std::size_t i = seed % 3; i < e.src.size(); i += 3) e.directed[i] = 0;
    if (seed % 2 == 0) {
      e.visible_node.assign(o.num_nodes, 1);
      for (std::int64_t v = 3; v < o.num_nodes; v += 11) e.visible_node[v] = 0;
    }
    const graph::Graph g = graph::Graph::Build(e);
    for (Direction dir : {Direction::kBoth, Direction::kOut, Direction::kIn}) {
      for (int variant = 0; variant < 4; ++variant) {
        LinkFilter f;
        f.direction = dir;
        if (variant & 1) f.allowed_types = {0, 2};
        if (variant & 2) {
          f.time_from = 200;
          f.time_to = 900;
          f.excluded_nodes = {1, 5, 8};
        }
        const NodeId source = static_cast<NodeId>((seed * 7) % o.num_nodes);
        const auto want = VerifierDepths(e, source, f);
        for (int alpha : {15, 1, 0}) {
          BfsOptions bo;
          bo.alpha = alpha;
          SCOPED_TRACE("seed " + std::to_string(seed) + " variant " + std::to_string(variant) +
                       " alpha " + std::to_string(alpha));
          ExpectSame(BreadthFirstSearch(g, source, f, bo), want);
        }
      }
    }
  }
}

TEST(TraversalVerify, LargePowerLawUsesBothDirections) {
  const graph::EdgeList e = testing::PowerLawGraph(20000, 200000, 3, /*directed=*/false);
  const graph::Graph g = graph::Graph::Build(e);
  NodeId source = 0;
  while (g.OutDegree(source) + g.InDegree(source) == 0) ++source;
  const BfsResult r = BreadthFirstSearch(g, source);
  ExpectSame(r, VerifierDepths(e, source, {}));
  EXPECT_GT(r.bottom_up_steps, 0);
  EXPECT_GT(r.top_down_steps, 0);
}

TEST(TraversalVerify, ExcludedSourceReachesNothingAndBadSourceThrows) {
  const graph::EdgeList e = testing::RandomGraph(testing::RandomGraphOptions{});
  const graph::Graph g = graph::Graph::Build(e);
  LinkFilter f;
  f.excluded_nodes = {2};
  const BfsResult r = BreadthFirstSearch(g, 2, f);
  EXPECT_EQ(r.reached, 0);
  EXPECT_TRUE(std::all_of(r.depth.begin(), r.depth.end(), [](std::int32_t d) { return d < 0; }));
  EXPECT_THROW(BreadthFirstSearch(g, static_cast<NodeId>(g.num_nodes()), {}), Error);
}

}  // namespace
}  // namespace casegraph::analysis
