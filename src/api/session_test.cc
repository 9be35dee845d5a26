// Tests of the snapshot plumbing in session.h: CompactNodes renumbers nodes densely and
// NodeOfIid inverts it, checked against a plain serial renumbering on random inputs.
#include "api/session.h"

#include <gtest/gtest.h>

#include <map>

#include "common/random.h"

namespace casegraph::api {
namespace {

TEST(CompactNodes, KeepsVisibleNodesAndEndpointsInIidOrder) {
  SplitMix64 rng(42);
  for (int trial = 0; trial < 50; ++trial) {
    graph::EdgeList e;
    e.num_nodes = 1 + static_cast<std::int64_t>(rng.Next() % 3000);
    const auto n = static_cast<std::uint64_t>(e.num_nodes);
    const bool with_visibility = trial % 3 != 0;
    if (with_visibility) {
      e.visible_node.resize(n);
      for (auto& v : e.visible_node) v = rng.Next() % 4 == 0 ? 0 : 1;
    }
    const std::size_t m = rng.Next() % 5000;
    for (std::size_t i = 0; i < m; ++i) {
      e.src.push_back(static_cast<graph::NodeId>(rng.Next() % n));
      e.dst.push_back(static_cast<graph::NodeId>(rng.Next() % n));
    }
    // Reference: serial renumbering of {visible} ∪ {endpoints}, iid 0 unused when no
    // visibility is given.
    std::vector<bool> keep(n, false);
    for (std::uint64_t v = 0; v < n; ++v)
      keep[v] = with_visibility ? e.visible_node[v] != 0 : v != 0;
    for (std::size_t i = 0; i < m; ++i) keep[e.src[i]] = keep[e.dst[i]] = true;
    std::map<std::uint32_t, std::uint32_t> expected;
    for (std::uint64_t v = 0; v < n; ++v)
      if (keep[v]) expected.emplace(static_cast<std::uint32_t>(v), expected.size());
    const std::vector<graph::NodeId> src = e.src, dst = e.dst;
    const std::vector<std::uint8_t> visible_before = e.visible_node;

    std::vector<std::uint32_t> node_iid = CompactNodes(e);
    ASSERT_EQ(node_iid.size(), expected.size());
    EXPECT_EQ(e.num_nodes, static_cast<std::int64_t>(expected.size()));
    for (const auto& [iid, node] : expected) {
      EXPECT_EQ(node_iid[node], iid);
      auto found = NodeOfIid(node_iid, iid);
      ASSERT_TRUE(found.has_value());
      EXPECT_EQ(*found, node);
    }
    for (std::size_t i = 0; i < m; ++i) {
      EXPECT_EQ(e.src[i], expected.at(src[i]));
      EXPECT_EQ(e.dst[i], expected.at(dst[i]));
    }
    for (std::uint64_t v = 0; v < n; ++v)
      if (!keep[v]) EXPECT_FALSE(NodeOfIid(node_iid, static_cast<std::int64_t>(v)).has_value());
    // Visibility is kept only when a kept node (an endpoint) was hidden.
    bool any_hidden = false;
    std::vector<std::uint8_t> vis_expected;
    for (const auto& [iid, node] : expected)
      vis_expected.push_back(with_visibility ? visible_before[iid] : 1);
    for (auto v : vis_expected) any_hidden |= v == 0;
    if (any_hidden) {
      EXPECT_EQ(e.visible_node, vis_expected);
    } else {
      EXPECT_TRUE(e.visible_node.empty());
    }
    graph::Graph g = graph::Graph::Build(e);
    EXPECT_EQ(g.num_links(), static_cast<std::int64_t>(m));
  }
}

}  // namespace
}  // namespace casegraph::api
