// Tests for flow tracing (a FIFO / proportional example worked out by hand; independent
// serial ledger simulations as verifiers on random graphs; conservation for both rules and
// both directions) and fan-in / fan-out detection.
#include "analysis/flows.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <numeric>

#include "analysis/test_graphs.h"
#include "casegraph/status.h"

namespace casegraph::analysis {
namespace {

using graph::EdgeList;
using graph::Graph;
using graph::LinkIdx;
using graph::NodeId;

std::vector<LinkIdx> TimeOrder(const Graph& g) {
  std::vector<LinkIdx> order;
  for (LinkIdx l = 0; l < g.num_links(); ++l) {
    if (g.link_time(l) != graph::kNoTime && g.link_weight(l) > 0) order.push_back(l);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](LinkIdx a, LinkIdx b) { return g.link_time(a) < g.link_time(b); });
  return order;
}

// Verifier, forward: per-node lots carrying a tainted fraction (FIFO) or per-node balance
// and tainted scalars (proportional). Returns traced money per link.
std::vector<double> VerifyForward(const Graph& g, NodeId source, AllocationRule rule) {
  struct Lot {
    double amount, frac;
  };
  std::vector<std::deque<Lot>> lots(g.num_nodes());
  std::vector<double> balance(g.num_nodes(), 0), taint(g.num_nodes(), 0);
  std::vector<double> flow(g.num_links(), 0);
  for (LinkIdx l : TimeOrder(g)) {
    NodeId u = g.link_source(l), v = g.link_target(l);
    double a = g.link_weight(l), traced = 0;
    if (rule == AllocationRule::kFifo) {
      double need = a;
      while (need > 1e-12 && !lots[u].empty()) {
        Lot& lot = lots[u].front();
        double take = std::min(need, lot.amount);
        traced += take * lot.frac;
        lot.amount -= take;
        need -= take;
        if (lot.amount <= 1e-12) lots[u].pop_front();
      }
    } else {
      double share = balance[u] > a ? a / balance[u] : 1.0;
      traced = taint[u] * share;
      taint[u] -= traced;
      balance[u] = std::max(0.0, balance[u] - a);
    }
    if (u == source) traced = a;
    flow[l] = traced;
    lots[v].push_back({a, traced / a});
    balance[v] += a;
    taint[v] += traced;
  }
  return flow;
}

// Verifier, backward: every lot carries its full composition by origin node (dense vectors);
// payments by the destination count as originating there. Returns origin amounts.
std::vector<double> VerifyBackward(const Graph& g, NodeId dest, AllocationRule rule) {
  const std::size_t n = g.num_nodes();
  using Comp = std::vector<double>;
  struct Lot {
    double amount;
    Comp comp;  // sums to amount
  };
  std::vector<std::deque<Lot>> lots(n);
  std::vector<Comp> pool(n, Comp(n, 0.0));  // proportional: composition of the balance
  std::vector<double> balance(n, 0);
  Comp received(n, 0.0);
  for (LinkIdx l : TimeOrder(g)) {
    NodeId u = g.link_source(l), v = g.link_target(l);
    double a = g.link_weight(l);
    Comp c(n, 0.0);
    double funded = 0;
    if (rule == AllocationRule::kFifo) {
      double need = a;
      while (need > 1e-12 && !lots[u].empty()) {
        Lot& lot = lots[u].front();
        double take = std::min(need, lot.amount);
        for (std::size_t k = 0; k < n; ++k) c[k] += lot.comp[k] * take / lot.amount;
        for (std::size_t k = 0; k < n; ++k) lot.comp[k] *= (lot.amount - take) / lot.amount;
        lot.amount -= take;
        funded += take;
        need -= take;
        if (lot.amount <= 1e-12) lots[u].pop_front();
      }
    } else {
      double share = balance[u] > a ? a / balance[u] : 1.0;
      for (std::size_t k = 0; k < n; ++k) {
        c[k] += pool[u][k] * share;
        funded += pool[u][k] * share;
        pool[u][k] *= 1 - share;
      }
      balance[u] = std::max(0.0, balance[u] - a);
    }
    c[u] += a - funded;
    if (u == dest) {
      std::fill(c.begin(), c.end(), 0.0);
      c[u] = a;
    }
    if (v == dest) {
      for (std::size_t k = 0; k < n; ++k) received[k] += c[k];
    }
    lots[v].push_back({a, c});
    for (std::size_t k = 0; k < n; ++k) pool[v][k] += c[k];
    balance[v] += a;
  }
  return received;
}

Graph HandGraph() {
  // S=0 pays A=1 100 at t=10; X=4 pays A 50 at t=5; A pays B=2 120 at t=20, C=3 60 at t=30.
  EdgeList e;
  e.num_nodes = 5;
  e.src = {0, 4, 1, 1};
  e.dst = {1, 1, 2, 3};
  e.time = {10, 5, 20, 30};
  e.weight = {100, 50, 120, 60};
  return Graph::Build(e);
}

TEST(Flows, FifoWorkedExample) {
  Graph g = HandGraph();
  FlowOptions o;
  o.rule = AllocationRule::kFifo;
  FlowResult r = TraceFlow(g, 0, o);
  // FIFO at A: queue [X 50 @5, S 100 @10]. The 120 @20 uses X's 50 then 70 of S's; the 60
  // @30 uses S's last 30 and 30 of A's own funds.
  EXPECT_DOUBLE_EQ(r.total, 100);
  EXPECT_DOUBLE_EQ(r.link_flow[2], 70);
  EXPECT_DOUBLE_EQ(r.link_flow[3], 30);
  EXPECT_DOUBLE_EQ(r.node_end[2], 70);
  EXPECT_DOUBLE_EQ(r.node_end[3], 30);
  EXPECT_DOUBLE_EQ(r.node_end[1], 0);
  EXPECT_LT(ConservationError(r), 1e-9);
  ASSERT_EQ(r.paths.size(), 2u);
  EXPECT_EQ(r.paths[0].nodes, (std::vector<NodeId>{0, 1, 2}));
  EXPECT_DOUBLE_EQ(r.paths[0].amount, 70);
  EXPECT_EQ(r.paths[1].nodes, (std::vector<NodeId>{0, 1, 3}));
  EXPECT_DOUBLE_EQ(r.paths[1].amount, 30);
  EXPECT_EQ(r.untracked_path_amount, 0);

  // Backward from B: its 120 came from X (50) and S (70) through A.
  o.direction = FlowDirection::kBackward;
  r = TraceFlow(g, 2, o);
  EXPECT_DOUBLE_EQ(r.total, 120);
  EXPECT_DOUBLE_EQ(r.node_end[4], 50);
  EXPECT_DOUBLE_EQ(r.node_end[0], 70);
  EXPECT_DOUBLE_EQ(r.node_end[1], 0);
  EXPECT_LT(ConservationError(r), 1e-9);
  ASSERT_EQ(r.paths.size(), 2u);
  EXPECT_EQ(r.paths[0].nodes, (std::vector<NodeId>{0, 1, 2}));
  EXPECT_DOUBLE_EQ(r.paths[0].amount, 70);
  // Backward from C: 30 from S, 30 from A's own funds.
  r = TraceFlow(g, 3, o);
  EXPECT_DOUBLE_EQ(r.node_end[0], 30);
  EXPECT_DOUBLE_EQ(r.node_end[1], 30);
}

TEST(Flows, ProportionalWorkedExample) {
  Graph g = HandGraph();
  FlowOptions o;
  o.rule = AllocationRule::kProportional;
  FlowResult r = TraceFlow(g, 0, o);
  // At t=20 A holds 150 (100 traced): paying 120 takes 80% of each receipt -> 80 traced.
  // At t=30 A holds 30 (20 traced) and pays 60: all of it, 20 traced.
  EXPECT_NEAR(r.link_flow[2], 80, 1e-9);
  EXPECT_NEAR(r.link_flow[3], 20, 1e-9);
  EXPECT_NEAR(r.node_end[1], 0, 1e-9);
  EXPECT_LT(ConservationError(r), 1e-9);
  o.direction = FlowDirection::kBackward;
  r = TraceFlow(g, 3, o);  // C's 60: 20 from S, 10 from X, 30 A's own
  EXPECT_NEAR(r.node_end[0], 20, 1e-9);
  EXPECT_NEAR(r.node_end[4], 10, 1e-9);
  EXPECT_NEAR(r.node_end[1], 30, 1e-9);
}

TEST(Flows, MoneyReturningToTheSourceStaysThere) {
  // 0 -> 1 -> 0 -> 2: the source's payments are all traced; what comes back is retained.
  EdgeList e;
  e.num_nodes = 3;
  e.src = {0, 1, 0};
  e.dst = {1, 0, 2};
  e.time = {1, 2, 3};
  e.weight = {10, 10, 10};
  Graph g = Graph::Build(e);
  FlowResult r = TraceFlow(g, 0, {});
  EXPECT_DOUBLE_EQ(r.total, 20);
  EXPECT_DOUBLE_EQ(r.node_end[0], 10);
  EXPECT_DOUBLE_EQ(r.node_end[2], 10);
  EXPECT_LT(ConservationError(r), 1e-9);
}

TEST(Flows, MatchesVerifiersAndConservesOnRandomGraphs) {
  double traced_total = 0;
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    testing::RandomGraphOptions ro;
    ro.num_nodes = 4 + static_cast<std::int64_t>(seed % 12);
    ro.num_links = ro.num_nodes * (2 + static_cast<std::int64_t>(seed % 4));
    ro.seed = seed;
    ro.with_times = true;
    ro.time_max = 30;  // many ties
    ro.with_integer_weights = seed % 2 == 0;
    ro.with_weights = true;
    ro.weight_min = 1;
    ro.weight_max = 100;
    Graph g = Graph::Build(testing::RandomGraph(ro));
    for (AllocationRule rule : {AllocationRule::kFifo, AllocationRule::kProportional}) {
      for (NodeId s = 0; s < 3; ++s) {
        FlowOptions o;
        o.rule = rule;
        o.max_paths = 100000;
        FlowResult r = TraceFlow(g, s, o);
        auto want = VerifyForward(g, s, rule);
        for (LinkIdx l = 0; l < g.num_links(); ++l) {
          ASSERT_NEAR(r.link_flow[l], want[l], 1e-7 * (1 + want[l])) << "seed " << seed;
        }
        ASSERT_LT(ConservationError(r), 1e-7 * (1 + r.total)) << "seed " << seed;
        double paths = 0;
        for (const FlowPath& p : r.paths) {
          ASSERT_EQ(p.nodes.front(), s);
          ASSERT_EQ(p.nodes.size(), p.links.size() + 1);
          for (std::size_t i = 0; i + 1 < p.links.size(); ++i) {
            ASSERT_EQ(g.link_target(p.links[i]), g.link_source(p.links[i + 1]));
            ASSERT_LE(g.link_time(p.links[i]), g.link_time(p.links[i + 1]));
          }
          paths += p.amount;
        }
        ASSERT_NEAR(paths + r.untracked_path_amount, r.total, 1e-7 * (1 + r.total));
        if (!r.paths_truncated) {
          ASSERT_NEAR(r.untracked_path_amount, 0, 1e-7 * (1 + r.total));
        }
        traced_total += r.total;

        o.direction = FlowDirection::kBackward;
        FlowResult b = TraceFlow(g, s, o);
        auto origin = VerifyBackward(g, s, rule);
        for (NodeId v = 0; v < g.num_nodes(); ++v) {
          ASSERT_NEAR(b.node_end[v], origin[v], 1e-7 * (1 + b.total))
              << "seed " << seed << " node " << v;
        }
        ASSERT_LT(ConservationError(b), 1e-7 * (1 + b.total)) << "seed " << seed;
      }
    }
  }
  EXPECT_GT(traced_total, 10000);
}

TEST(Flows, RejectsBadNode) {
  Graph g = HandGraph();
  EXPECT_THROW(TraceFlow(g, 99, {}), Error);
}

// ---------------------------------------------------------------------------------------

TEST(Fan, FanInWithWindowAndAmountRange) {
  // Hub 0 receives from 1, 2, 3 within a day, from 4 a month later, and 1 pays twice.
  EdgeList e;
  e.num_nodes = 6;
  const std::int64_t day = 86400;
  e.src = {1, 2, 3, 1, 4, 0};
  e.dst = {0, 0, 0, 0, 0, 5};
  e.time = {0, 3600, 7200, 10800, 30 * day, 100};
  e.weight = {9000, 9500, 9900, 9100, 20000, 5};
  Graph g = Graph::Build(e);
  FanOptions o;
  o.direction = FanDirection::kIn;
  o.min_counterparties = 3;
  o.window_seconds = day;
  auto hubs = FindFanHubs(g, o);
  ASSERT_EQ(hubs.size(), 1u);
  EXPECT_EQ(hubs[0].node, 0u);
  EXPECT_EQ(hubs[0].counterparties, 3);
  EXPECT_EQ(hubs[0].count, 4);
  EXPECT_DOUBLE_EQ(hubs[0].amount, 9000 + 9500 + 9900 + 9100);
  EXPECT_EQ(hubs[0].window_start, 0);
  EXPECT_EQ(hubs[0].window_end, 10800);
  o.window_seconds = 0;  // all time: 4 payers
  hubs = FindFanHubs(g, o);
  ASSERT_EQ(hubs.size(), 1u);
  EXPECT_EQ(hubs[0].counterparties, 4);
  o.max_amount = 9600;  // just below the reporting threshold
  o.min_counterparties = 2;
  hubs = FindFanHubs(g, o);
  ASSERT_EQ(hubs.size(), 1u);
  EXPECT_EQ(hubs[0].counterparties, 2);
  EXPECT_EQ(hubs[0].count, 3);
  o = {};
  o.direction = FanDirection::kOut;
  o.min_counterparties = 1;
  hubs = FindFanHubs(g, o);
  ASSERT_EQ(hubs.size(), 5u);
  EXPECT_EQ(hubs[0].node, 1u);  // 1 counterparty, 2 payments: ranked first
}

TEST(Fan, WindowedMatchesBruteForce) {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    testing::RandomGraphOptions ro;
    ro.num_nodes = 15;
    ro.num_links = 80;
    ro.seed = seed;
    ro.with_times = true;
    ro.time_max = 200;
    ro.with_weights = true;
    Graph g = Graph::Build(testing::RandomGraph(ro));
    FanOptions o;
    o.direction = seed % 2 ? FanDirection::kIn : FanDirection::kOut;
    o.min_counterparties = 2;
    o.window_seconds = 30;
    auto hubs = FindFanHubs(g, o);
    std::vector<std::int64_t> got(g.num_nodes(), 0);
    for (auto& h : hubs) got[h.node] = h.counterparties;
    for (NodeId v = 0; v < g.num_nodes(); ++v) {
      auto links = o.direction == FanDirection::kIn ? g.InLinks(v) : g.OutLinks(v);
      std::int64_t best = 0;
      for (LinkIdx a : links) {  // every window starting at some payment's time
        std::vector<NodeId> others;
        for (LinkIdx b : links) {
          std::int64_t d = g.link_time(b) - g.link_time(a);
          if (d >= 0 && d <= o.window_seconds)
            others.push_back(o.direction == FanDirection::kIn ? g.link_source(b)
                                                              : g.link_target(b));
        }
        std::sort(others.begin(), others.end());
        best = std::max<std::int64_t>(best,
                                      std::unique(others.begin(), others.end()) - others.begin());
      }
      ASSERT_EQ(got[v], best >= 2 ? best : 0) << "seed " << seed << " node " << v;
    }
    for (std::size_t i = 1; i < hubs.size(); ++i)
      ASSERT_GE(hubs[i - 1].counterparties, hubs[i].counterparties);
  }
}

}  // namespace
}  // namespace casegraph::analysis
