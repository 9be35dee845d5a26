// Tests for beneficial ownership: a hand-made cross-holding, percentages, thresholds, and
// brute-force simple-path enumeration on random ownership graphs.
#include "analysis/ownership.h"

#include <gtest/gtest.h>

#include <map>

#include "analysis/test_graphs.h"
#include "casegraph/status.h"

namespace casegraph::analysis {
namespace {

using graph::EdgeList;
using graph::Graph;
using graph::LinkIdx;
using graph::NodeId;

const Owner* Find(const OwnershipResult& r, NodeId v) {
  for (const auto& o : r.owners)
    if (o.node == v) return &o;
  return nullptr;
}

TEST(Ownership, CrossHoldingTerminates) {
  // Person P(0) owns 60% of A(1); A owns 50% of B(2) and B owns 30% of A (cross-holding);
  // B owns 80% of target T(3); Q(4) owns 20% of T directly and 20% of B.
  EdgeList e;
  e.num_nodes = 5;
  e.src = {0, 1, 2, 2, 4, 4};
  e.dst = {1, 2, 1, 3, 3, 2};
  e.weight = {60, 50, 30, 80, 20, 20};
  Graph g = Graph::Build(e);
  OwnershipOptions o;
  o.share_scale = 0.01;
  o.threshold = 0.0;
  OwnershipResult r = BeneficialOwners(g, 3, o);
  EXPECT_FALSE(r.truncated);
  // Chains to T: B(0.8); A->B->T 0.5*0.8 = 0.4; P->A->B->T 0.6*0.4 = 0.24;
  // Q->T 0.2; Q->B->T 0.2*0.8 = 0.16 -> Q 0.36. A->B is the only way into B from A; B->A
  // would revisit B, so the cross-holding adds nothing and the search ends.
  ASSERT_NE(Find(r, 2), nullptr);
  EXPECT_NEAR(Find(r, 2)->share, 0.8, 1e-12);
  EXPECT_NEAR(Find(r, 1)->share, 0.4, 1e-12);
  EXPECT_NEAR(Find(r, 0)->share, 0.24, 1e-12);
  EXPECT_NEAR(Find(r, 4)->share, 0.36, 1e-12);
  EXPECT_EQ(Find(r, 4)->paths, 2);
  EXPECT_EQ(Find(r, 4)->min_depth, 1);
  EXPECT_TRUE(Find(r, 0)->ultimate);
  EXPECT_TRUE(Find(r, 4)->ultimate);
  EXPECT_FALSE(Find(r, 1)->ultimate);
  EXPECT_EQ(Find(r, 0)->best_path, (std::vector<LinkIdx>{0, 1, 3}));
  o.threshold = 0.25;
  o.ultimate_only = true;
  r = BeneficialOwners(g, 3, o);
  ASSERT_EQ(r.owners.size(), 1u);  // Q 36%; P has 24% < 25%
  EXPECT_EQ(r.owners[0].node, 4u);
  // Owners of A: B 30%, and through B: A->B is on the chain... P 60%, Q via B 0.2*0.3.
  o.threshold = 0;
  o.ultimate_only = false;
  r = BeneficialOwners(g, 1, o);
  EXPECT_NEAR(Find(r, 0)->share, 0.6, 1e-12);
  EXPECT_NEAR(Find(r, 2)->share, 0.3, 1e-12);
  EXPECT_NEAR(Find(r, 4)->share, 0.06, 1e-12);
  EXPECT_THROW(BeneficialOwners(g, 9, o), Error);
}

TEST(Ownership, MatchesBruteForcePathEnumeration) {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    testing::RandomGraphOptions ro;
    ro.num_nodes = 5 + static_cast<std::int64_t>(seed % 6);
    ro.num_links = ro.num_nodes * 2;
    ro.seed = seed;
    ro.multi_links = false;
    ro.with_weights = true;
    ro.weight_min = 0.05;
    ro.weight_max = 1.0;
    Graph g = Graph::Build(testing::RandomGraph(ro));
    OwnershipOptions o;
    o.threshold = 0;
    o.min_path_share = 0;
    o.max_depth = 100;
    const NodeId target = 0;
    OwnershipResult r = BeneficialOwners(g, target, o);
    // Brute force: all simple paths owner -> ... -> target, enumerated forward from each node.
    std::map<NodeId, double> want;
    std::vector<char> on(g.num_nodes(), 0);
    for (NodeId s = 0; s < g.num_nodes(); ++s) {
      if (s == target) continue;
      auto dfs = [&](auto&& self, NodeId v, double p) -> void {
        if (v == target) {
          want[s] += p;
          return;
        }
        on[v] = 1;
        for (LinkIdx l : g.OutLinks(v))
          if (!on[g.link_target(l)]) self(self, g.link_target(l), p * g.link_weight(l));
        on[v] = 0;
      };
      dfs(dfs, s, 1.0);
    }
    std::size_t positive = 0;
    for (auto& [v, share] : want) positive += share > 0;
    ASSERT_EQ(r.owners.size(), positive) << "seed " << seed;
    for (const Owner& ow : r.owners) {
      ASSERT_NEAR(ow.share, want[ow.node], 1e-12) << "seed " << seed;
      double prod = 1;
      for (LinkIdx l : ow.best_path) prod *= g.link_weight(l);
      ASSERT_EQ(g.link_source(ow.best_path.front()), ow.node);
      ASSERT_EQ(g.link_target(ow.best_path.back()), target);
      ASSERT_LE(prod, ow.share + 1e-12);
    }
  }
}

}  // namespace
}  // namespace casegraph::analysis
