// Tests for the CSR builder and the traversal helpers: the CSR equals the edge list, out-
// and in-adjacency agree, the build is deterministic across runs and thread counts,
// attributes round-trip, malformed input is rejected, and Traversal honours LinkFilter.
#include "graph/graph.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <tuple>

#include "analysis/test_graphs.h"
#include "casegraph/status.h"
#include "graph/traverse.h"

namespace casegraph::graph {
namespace {

using analysis::testing::RandomGraph;
using analysis::testing::RandomGraphOptions;

// Serial reference: per-node lists of (neighbour, link) in input order.
void ExpectCsrMatches(const Graph& g, const EdgeList& e) {
  const auto n = static_cast<std::size_t>(e.num_nodes);
  std::vector<std::vector<std::pair<NodeId, LinkIdx>>> out(n), in(n);
  for (std::size_t i = 0; i < e.src.size(); ++i) {
    out[e.src[i]].push_back({e.dst[i], static_cast<LinkIdx>(i)});
    in[e.dst[i]].push_back({e.src[i], static_cast<LinkIdx>(i)});
  }
  ASSERT_EQ(g.num_nodes(), e.num_nodes);
  ASSERT_EQ(g.num_links(), static_cast<std::int64_t>(e.src.size()));
  for (std::size_t v = 0; v < n; ++v) {
    auto on = g.OutNeighbors(v);
    auto ol = g.OutLinks(v);
    ASSERT_EQ(on.size(), out[v].size()) << "node " << v;
    ASSERT_EQ(g.OutDegree(v), out[v].size());
    for (std::size_t k = 0; k < on.size(); ++k) {
      EXPECT_EQ(on[k], out[v][k].first);
      EXPECT_EQ(ol[k], out[v][k].second);
      EXPECT_EQ(g.link_source(ol[k]), v);
      EXPECT_EQ(g.link_target(ol[k]), on[k]);
    }
    auto in_n = g.InNeighbors(v);
    auto il = g.InLinks(v);
    ASSERT_EQ(in_n.size(), in[v].size()) << "node " << v;
    ASSERT_EQ(g.InDegree(v), in[v].size());
    for (std::size_t k = 0; k < in_n.size(); ++k) {
      EXPECT_EQ(in_n[k], in[v][k].first);
      EXPECT_EQ(il[k], in[v][k].second);
      EXPECT_EQ(g.link_target(il[k]), v);
      EXPECT_EQ(g.link_source(il[k]), in_n[k]);
    }
  }
}

TEST(GraphBuild, EmptyGraph) {
  EdgeList e;
  Graph g = Graph::Build(e);
  EXPECT_EQ(g.num_nodes(), 0);
  EXPECT_EQ(g.num_links(), 0);
  e.num_nodes = 5;
  g = Graph::Build(e);
  EXPECT_EQ(g.num_nodes(), 5);
  for (NodeId v = 0; v < 5; ++v) {
    EXPECT_EQ(g.OutDegree(v), 0u);
    EXPECT_TRUE(g.InNeighbors(v).empty());
  }
}

TEST(GraphBuild, SmallHandMade) {
  EdgeList e;
  e.num_nodes = 4;
  e.src = {0, 0, 2, 3, 0};
  e.dst = {1, 2, 1, 3, 1};
  Graph g = Graph::Build(e);
  EXPECT_EQ(std::vector<NodeId>(g.OutNeighbors(0).begin(), g.OutNeighbors(0).end()),
            (std::vector<NodeId>{1, 2, 1}));
  EXPECT_EQ(std::vector<LinkIdx>(g.OutLinks(0).begin(), g.OutLinks(0).end()),
            (std::vector<LinkIdx>{0, 1, 4}));
  EXPECT_EQ(std::vector<NodeId>(g.InNeighbors(1).begin(), g.InNeighbors(1).end()),
            (std::vector<NodeId>{0, 2, 0}));
  EXPECT_EQ(g.InDegree(3), 1u);  // self loop
  EXPECT_EQ(g.OutDegree(3), 1u);
  EXPECT_TRUE(g.link_directed(2));
  EXPECT_FALSE(g.has_undirected());
  EXPECT_EQ(g.link_store_id(3), 3u);
  EXPECT_EQ(g.link_time(3), kNoTime);
  EXPECT_DOUBLE_EQ(g.link_weight(3), 1.0);
}

TEST(GraphBuild, RandomGraphsMatchEdgeList) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    RandomGraphOptions o;
    o.num_nodes = 1 + static_cast<std::int64_t>(seed * 7 % 50);
    o.num_links = static_cast<std::int64_t>(seed * 13 % 300);
    o.seed = seed;
    o.self_loops = seed % 2 == 0;
    EdgeList e = RandomGraph(o);
    Graph g = Graph::Build(e);
    ExpectCsrMatches(g, e);
  }
}

TEST(GraphBuild, LargeGraphMatchesEdgeListAcrossChunks) {
  // Big enough to be cut into several chunks.
  EdgeList e = analysis::testing::PowerLawGraph(20000, 600000, 3);
  Graph g = Graph::Build(e);
  ExpectCsrMatches(g, e);
}

TEST(GraphBuild, DeterministicAcrossRunsAndThreadCounts) {
  EdgeList e = analysis::testing::PowerLawGraph(5000, 400000, 11);
  Graph reference;
  {
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    reference = Graph::Build(e);
  }
  for (int threads : {2, 4, 8}) {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, threads);
    for (int run = 0; run < 2; ++run) {
      Graph g = Graph::Build(e);
      for (NodeId v = 0; v < 5000; ++v) {
        ASSERT_TRUE(std::ranges::equal(g.OutLinks(v), reference.OutLinks(v)));
        ASSERT_TRUE(std::ranges::equal(g.InLinks(v), reference.InLinks(v)));
        ASSERT_TRUE(std::ranges::equal(g.OutNeighbors(v), reference.OutNeighbors(v)));
        ASSERT_TRUE(std::ranges::equal(g.InNeighbors(v), reference.InNeighbors(v)));
      }
    }
  }
}

TEST(GraphBuild, AttributesRoundTrip) {
  RandomGraphOptions o;
  o.num_nodes = 30;
  o.num_links = 200;
  o.num_types = 5;
  o.with_times = true;
  o.with_weights = true;
  o.seed = 5;
  EdgeList e = RandomGraph(o);
  e.store_id.resize(e.src.size());
  for (std::size_t i = 0; i < e.store_id.size(); ++i) e.store_id[i] = 1000 + 3 * i;
  e.directed.resize(e.src.size());
  for (std::size_t i = 0; i < e.directed.size(); ++i) e.directed[i] = e.type[i] % 2;
  e.visible_node.assign(30, 1);
  e.visible_node[7] = 0;
  Graph g = Graph::Build(e);
  EXPECT_TRUE(g.has_undirected());
  EXPECT_TRUE(g.has_times());
  EXPECT_TRUE(g.has_weights());
  for (LinkIdx l = 0; l < e.src.size(); ++l) {
    EXPECT_EQ(g.link_type(l), e.type[l]);
    EXPECT_EQ(g.link_time(l), e.time[l]);
    EXPECT_EQ(g.link_store_id(l), e.store_id[l]);
    EXPECT_EQ(g.link_directed(l), e.directed[l] != 0);
    EXPECT_DOUBLE_EQ(g.link_weight(l), e.weight[l]);
  }
  EXPECT_FALSE(g.node_visible(7));
  EXPECT_TRUE(g.node_visible(8));

  // Mixed directedness within a type falls back to per-link flags.
  e.directed[0] = 1 - e.directed[0];
  Graph mixed = Graph::Build(e);
  for (LinkIdx l = 0; l < e.src.size(); ++l) EXPECT_EQ(mixed.link_directed(l), e.directed[l] != 0);
}

// Every observable of two snapshots: adjacency in order, link attributes, node flags.
void ExpectSameGraph(const Graph& a, const Graph& b) {
  ASSERT_EQ(a.num_nodes(), b.num_nodes());
  ASSERT_EQ(a.num_links(), b.num_links());
  EXPECT_EQ(a.has_undirected(), b.has_undirected());
  EXPECT_EQ(a.has_weights(), b.has_weights());
  EXPECT_EQ(a.has_times(), b.has_times());
  EXPECT_EQ(a.has_visibility(), b.has_visibility());
  for (NodeId v = 0; v < a.num_nodes(); ++v) {
    ASSERT_TRUE(std::ranges::equal(a.OutNeighbors(v), b.OutNeighbors(v))) << v;
    ASSERT_TRUE(std::ranges::equal(a.OutLinks(v), b.OutLinks(v))) << v;
    ASSERT_TRUE(std::ranges::equal(a.InNeighbors(v), b.InNeighbors(v))) << v;
    ASSERT_TRUE(std::ranges::equal(a.InLinks(v), b.InLinks(v))) << v;
    ASSERT_EQ(a.node_visible(v), b.node_visible(v)) << v;
  }
  for (LinkIdx l = 0; l < a.num_links(); ++l) {
    ASSERT_EQ(a.link_source(l), b.link_source(l));
    ASSERT_EQ(a.link_target(l), b.link_target(l));
    ASSERT_EQ(a.link_type(l), b.link_type(l));
    ASSERT_EQ(a.link_time(l), b.link_time(l));
    ASSERT_EQ(a.link_store_id(l), b.link_store_id(l));
    ASSERT_EQ(a.link_directed(l), b.link_directed(l));
    ASSERT_EQ(a.link_weight(l), b.link_weight(l));
  }
}

TEST(GraphBuild, MovedBuildEqualsCopiedBuild) {
  // All attributes, mixed directedness within a type (per-link flags), hidden nodes, and
  // sizes from empty to several chunks; the moved build must leave its input empty.
  for (const std::int64_t links : {0, 1, 300, 5000, 700000}) {
    RandomGraphOptions o;
    o.num_nodes = links > 1000 ? 20000 : 40;
    o.num_links = links;
    o.num_types = 6;
    o.with_times = true;
    o.with_weights = true;
    o.self_loops = true;
    o.seed = 9 + static_cast<std::uint64_t>(links);
    EdgeList e = RandomGraph(o);
    const std::size_t m = e.src.size();
    e.store_id.resize(m);
    e.directed.resize(m);
    for (std::size_t i = 0; i < m; ++i) {
      e.store_id[i] = static_cast<std::uint32_t>(7 * i + 1);
      e.directed[i] = (e.type[i] + (i % 97 == 0)) % 2;
    }
    e.visible_node.assign(static_cast<std::size_t>(o.num_nodes), 1);
    e.visible_node[3] = 0;
    const Graph copied = Graph::Build(e);
    ExpectCsrMatches(copied, e);
    EdgeList input = e;
    const Graph moved = Graph::Build(std::move(input));
    EXPECT_TRUE(input.src.empty() && input.dst.empty() && input.type.empty());
    EXPECT_TRUE(input.weight.empty() && input.store_id.empty() && input.time.empty());
    ExpectSameGraph(moved, copied);
    ExpectCsrMatches(moved, e);
    EXPECT_EQ(moved.MemoryBytes(), copied.MemoryBytes());
    // A copy of a moved-built graph is independent of it (adopted arrays copied too).
    Graph copy_of_moved = moved;
    ExpectSameGraph(copy_of_moved, copied);
  }
}

TEST(GraphBuild, MovedBuildCopiesInputWithMuchSpareCapacity) {
  // A filtered load may leave vectors with far more capacity than size: the snapshot then
  // copies them to their exact size instead of keeping (and counting) the spare memory.
  EdgeList e = RandomGraph(100, 1000, 4);
  const EdgeList reference = e;
  e.src.reserve(100000);
  e.dst.reserve(100000);
  const Graph copied = Graph::Build(reference);
  const Graph moved = Graph::Build(std::move(e));
  ExpectSameGraph(moved, copied);
  EXPECT_EQ(moved.MemoryBytes(), copied.MemoryBytes());
}

TEST(GraphBuild, DeterministicForAnyChunkCount) {
  // Arenas of 1..8 threads cut the links into 1..8 chunks: the lists must not change.
  EdgeList e = analysis::testing::PowerLawGraph(3000, 600000, 17);
  const Graph reference = [&] {
    tbb::task_arena one(1);
    return one.execute([&] { return Graph::Build(e); });
  }();
  ExpectCsrMatches(reference, e);
  for (int threads : {2, 3, 5, 8}) {
    tbb::task_arena arena(threads);
    const Graph g = arena.execute([&] { return Graph::Build(e); });
    ExpectSameGraph(g, reference);
    EdgeList input = e;
    const Graph moved = arena.execute([&] { return Graph::Build(std::move(input)); });
    ExpectSameGraph(moved, reference);
  }
}

TEST(GraphBuild, MovedBuildRejectsMalformedInput) {
  EdgeList e;
  e.num_nodes = 3;
  e.src = {0, 1, 2};
  e.dst = {1, 2, 3};
  EXPECT_THROW(Graph::Build(std::move(e)), Error);
  EdgeList f;
  f.num_nodes = 3;
  f.src = {0, 1};
  f.dst = {1};
  EXPECT_THROW(Graph::Build(std::move(f)), Error);
}

TEST(GraphBuild, RejectsMalformedInput) {
  EdgeList e;
  e.num_nodes = 3;
  e.src = {0, 1};
  e.dst = {1, 3};
  EXPECT_THROW(Graph::Build(e), Error);
  e.dst = {1};
  EXPECT_THROW(Graph::Build(e), Error);
  e.dst = {1, 2};
  e.type = {1};
  EXPECT_THROW(Graph::Build(e), Error);
  e.type.clear();
  e.visible_node = {1, 1};
  EXPECT_THROW(Graph::Build(e), Error);
  e.visible_node.clear();
  EXPECT_NO_THROW(Graph::Build(e));
  try {
    e.src = {5, 0};
    Graph::Build(e);
    FAIL();
  } catch (const Error& err) {
    EXPECT_EQ(err.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(GraphBuild, MemoryWithinBudget) {
  // 40 bytes per link budget (issue 2), checked here at a ratio like the 10 M benchmark
  // (10 links per node), with types, times and store ids, without weights.
  EdgeList e = analysis::testing::PowerLawGraph(100000, 1000000, 2);
  const std::size_t m = e.src.size();
  e.type.resize(m);
  e.time.resize(m);
  e.store_id.resize(m);
  e.directed.resize(m);
  for (std::size_t i = 0; i < m; ++i) {
    e.type[i] = static_cast<std::uint16_t>(i % 12);
    e.time[i] = 1600000000 + static_cast<std::int64_t>(i);
    e.store_id[i] = static_cast<std::uint32_t>(m - i);
    e.directed[i] = e.type[i] < 8;
  }
  Graph g = Graph::Build(e);
  const double per_link = static_cast<double>(g.MemoryBytes()) / static_cast<double>(m);
  EXPECT_LE(per_link, 40.0);
  EXPECT_GE(per_link, 32.0);  // sanity: everything is really stored (4-byte times)
}

TEST(Traversal, FilterTypesTimesDirectionExclusion) {
  // 0 -a-> 1 -b-> 2, 3 -a-> 1 (t=50), 1 ~c~ 4 (undirected), 0 -a-> 5 (5 invisible)
  EdgeList e;
  e.num_nodes = 6;
  e.src = {0, 1, 3, 1, 0};
  e.dst = {1, 2, 1, 4, 5};
  e.type = {0, 1, 0, 2, 0};
  e.time = {10, 20, 50, kNoTime, 10};
  e.directed = {1, 1, 1, 0, 1};
  e.visible_node = {1, 1, 1, 1, 1, 0};
  Graph g = Graph::Build(e);
  auto collect = [&](const LinkFilter& f, NodeId n) {
    std::vector<std::pair<NodeId, LinkIdx>> r;
    Traversal(g, f).ForEachNeighbor(n, [&](NodeId v, LinkIdx l) { r.push_back({v, l}); });
    return r;
  };
  using P = std::vector<std::pair<NodeId, LinkIdx>>;
  LinkFilter both;
  EXPECT_EQ(collect(both, 1), (P{{2, 1}, {4, 3}, {0, 0}, {3, 2}}));
  LinkFilter out;
  out.direction = LinkFilter::Direction::kOut;
  EXPECT_EQ(collect(out, 1), (P{{2, 1}, {4, 3}}));
  EXPECT_EQ(collect(out, 4), (P{{1, 3}}));  // undirected link walked backwards
  EXPECT_EQ(collect(out, 0), (P{{1, 0}}));  // 5 invisible
  LinkFilter in;
  in.direction = LinkFilter::Direction::kIn;
  EXPECT_EQ(collect(in, 1), (P{{4, 3}, {0, 0}, {3, 2}}));
  LinkFilter typed;
  typed.allowed_types = {0, 2};
  EXPECT_EQ(collect(typed, 1), (P{{4, 3}, {0, 0}, {3, 2}}));
  LinkFilter timed;
  timed.time_from = 15;
  timed.time_to = 40;
  EXPECT_EQ(collect(timed, 1), (P{{2, 1}, {4, 3}}));  // untimed link passes
  LinkFilter excl;
  excl.excluded_nodes = {3, 2};
  EXPECT_EQ(collect(excl, 1), (P{{4, 3}, {0, 0}}));
  Traversal rev = Traversal(g, out).Reversed();
  EXPECT_EQ(rev.direction(), LinkFilter::Direction::kIn);
  EXPECT_TRUE(Traversal(g, out).CanWalk(3, 4));
  EXPECT_FALSE(Traversal(g, out).CanWalk(1, 2));
  EXPECT_FALSE(Traversal(g, both).CanWalk(4, 0));  // invisible endpoint
}

TEST(NodeMap, ClearIsCheapAndCorrect) {
  NodeMap<int> m;
  m.Clear(10);
  EXPECT_FALSE(m.Has(3));
  m.Set(3, 7);
  EXPECT_TRUE(m.Has(3));
  EXPECT_EQ(m[3], 7);
  m.Clear(10);
  EXPECT_FALSE(m.Has(3));
  EXPECT_EQ(m.Find(3), nullptr);
  m.Clear(20);
  m.Set(19, 1);
  EXPECT_TRUE(m.Has(19));
}

TEST(GraphBuild, LinkTimesKeptExactlyInBothEncodings) {
  // Times within 136 years are stored as 4-byte offsets; a wider span falls back to
  // absolute 8-byte times. Both must return every time (and "no time") unchanged.
  for (std::int64_t span : {std::int64_t{86400} * 365 * 100, std::int64_t{86400} * 365 * 200}) {
    EdgeList e;
    e.num_nodes = 4;
    e.src = {0, 1, 2, 3};
    e.dst = {1, 2, 3, 0};
    e.time = {-2208988800, kNoTime, -2208988800 + span, 0};
    Graph g = Graph::Build(e);
    ASSERT_TRUE(g.has_times());
    for (LinkIdx l = 0; l < 4; ++l) EXPECT_EQ(g.link_time(l), e.time[l]) << span << " " << l;
  }
}

}  // namespace
}  // namespace casegraph::graph
