// Tests for time-respecting reachability / earliest arrival (against a brute-force
// fixpoint over link states on random graphs), co-occurrence (against brute force over
// all event pairs) and activity histograms (hand-made calendars).
#include "analysis/temporal.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "analysis/test_graphs.h"
#include "casegraph/status.h"

namespace casegraph::analysis {
namespace {

using graph::EdgeList;
using graph::Graph;
using graph::LinkIdx;
using graph::NodeId;

// Brute force: a state (link, direction) is usable when it leaves the source (time >=
// start) or follows a usable state into its tail within [t, t + lag]; iterate to a fixpoint.
std::vector<std::int64_t> BruteForceArrival(const Graph& g, NodeId source,
                                            const TemporalOptions& o) {
  const std::size_t m = g.num_links();
  auto from = [&](std::size_t s) { return s & 1 ? g.link_target(s / 2) : g.link_source(s / 2); };
  auto to = [&](std::size_t s) { return s & 1 ? g.link_source(s / 2) : g.link_target(s / 2); };
  auto exists = [&](std::size_t s) {
    LinkIdx l = s / 2;
    if ((s & 1) && g.link_directed(l)) return false;
    std::int64_t t = g.link_time(l);
    if (t == graph::kNoTime) return false;
    if (!o.link_types.empty() &&
        std::find(o.link_types.begin(), o.link_types.end(), g.link_type(l)) == o.link_types.end())
      return false;
    if (o.start_time != graph::kNoTime && t < o.start_time) return false;
    if (o.end_time != graph::kNoTime && t > o.end_time) return false;
    return true;
  };
  std::vector<char> ok(2 * m, 0);
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::size_t s = 0; s < 2 * m; ++s) {
      if (ok[s] || !exists(s)) continue;
      bool reach = from(s) == source;
      for (std::size_t p = 0; p < 2 * m && !reach; ++p) {
        if (!ok[p] || to(p) != from(s)) continue;
        std::int64_t tp = g.link_time(p / 2), ts = g.link_time(s / 2);
        if (ts >= tp && (o.max_lag == 0 || ts - tp <= o.max_lag)) reach = true;
      }
      if (reach) {
        ok[s] = 1;
        changed = true;
      }
    }
  }
  std::vector<std::int64_t> arrival(g.num_nodes(), graph::kNoTime);
  for (std::size_t s = 0; s < 2 * m; ++s) {
    if (!ok[s]) continue;
    auto& a = arrival[to(s)];
    std::int64_t t = g.link_time(s / 2);
    if (a == graph::kNoTime || t < a) a = t;
  }
  return arrival;
}

TEST(Temporal, HandMadeChainRespectsTimeAndLag) {
  // 0 -1@10-> 1 -2@5-> 2 (too early), 1 -3@20-> 3 -4@100-> 4.
  EdgeList e;
  e.num_nodes = 5;
  e.src = {0, 1, 1, 3};
  e.dst = {1, 2, 3, 4};
  e.time = {10, 5, 20, 100};
  Graph g = Graph::Build(e);
  TemporalOptions o;
  TemporalReach r = TemporalReachability(g, 0, o);
  EXPECT_EQ(r.arrival[1], 10);
  EXPECT_FALSE(r.Reached(2));
  EXPECT_EQ(r.arrival[3], 20);
  EXPECT_EQ(r.arrival[4], 100);
  EXPECT_FALSE(r.Reached(0));
  EXPECT_EQ(r.num_reached, 3);
  auto path = EarliestArrivalPath(g, 0, 4, o);
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(path->nodes, (std::vector<NodeId>{0, 1, 3, 4}));
  EXPECT_EQ(path->links, (std::vector<LinkIdx>{0, 2, 3}));
  EXPECT_EQ(path->departure, 10);
  EXPECT_EQ(path->arrival, 100);
  o.max_lag = 50;  // 20 -> 100 waits 80 > 50
  EXPECT_FALSE(EarliestArrivalPath(g, 0, 4, o).has_value());
  EXPECT_TRUE(EarliestArrivalPath(g, 0, 3, o).has_value());
  o = {};
  o.start_time = 11;  // the only link out of 0 is at 10
  EXPECT_EQ(TemporalReachability(g, 0, o).num_reached, 0);
}

TEST(Temporal, LagMayNeedALaterArrival) {
  // Reaching 1 early (t=0) cannot use 1 -> 2 at t=100 with lag 10, but arriving at 95 can.
  EdgeList e;
  e.num_nodes = 3;
  e.src = {0, 0, 1};
  e.dst = {1, 1, 2};
  e.time = {0, 95, 100};
  Graph g = Graph::Build(e);
  TemporalOptions o;
  o.max_lag = 10;
  auto p = EarliestArrivalPath(g, 0, 2, o);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->links, (std::vector<LinkIdx>{1, 2}));
}

TEST(Temporal, MatchesBruteForceOnRandomGraphs) {
  std::int64_t reached_total = 0;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    testing::RandomGraphOptions ro;
    ro.num_nodes = 5 + static_cast<std::int64_t>(seed % 20);
    ro.num_links = ro.num_nodes * (1 + static_cast<std::int64_t>(seed % 4));
    ro.seed = seed;
    ro.with_times = true;
    ro.time_max = 50;
    ro.num_types = 1 + static_cast<int>(seed % 2);
    ro.directed = seed % 6 != 0;
    Graph g = Graph::Build(testing::RandomGraph(ro));
    TemporalOptions o;
    if (seed % 3 == 1) o.max_lag = 8;
    if (seed % 5 == 2) o.start_time = 10;
    if (seed % 7 == 3) o.end_time = 40;
    if (seed % 4 == 3) o.link_types = {0};
    for (NodeId s = 0; s < std::min<NodeId>(3, g.num_nodes()); ++s) {
      TemporalReach r = TemporalReachability(g, s, o);
      auto want = BruteForceArrival(g, s, o);
      ASSERT_EQ(r.arrival, want) << "seed " << seed << " source " << s;
      // Every reached node's reconstructed walk is valid and arrives at its arrival time.
      for (NodeId v = 0; v < g.num_nodes(); ++v) {
        if (!r.Reached(v)) continue;
        ++reached_total;
        TemporalPath p = WalkTo(g, r, r.arrival_state[v]);
        ASSERT_EQ(p.nodes.front(), s);
        ASSERT_EQ(p.nodes.back(), v);
        ASSERT_EQ(p.arrival, r.arrival[v]);
        for (std::size_t i = 0; i + 1 < p.links.size(); ++i) {
          std::int64_t a = g.link_time(p.links[i]), b = g.link_time(p.links[i + 1]);
          ASSERT_LE(a, b);
          if (o.max_lag > 0) {
            ASSERT_LE(b - a, o.max_lag);
          }
        }
      }
    }
  }
  EXPECT_GT(reached_total, 1000);
}

// Brute force co-occurrence over all event pairs.
std::map<std::pair<NodeId, NodeId>, std::int64_t> BruteCooccur(const CooccurrenceInput& in,
                                                               std::int64_t window) {
  std::size_t ne = in.event_place.size();
  std::vector<std::set<NodeId>> members(ne);
  for (std::size_t k = 0; k < in.participant_node.size(); ++k)
    members[in.participant_event[k]].insert(in.participant_node[k]);
  std::map<std::pair<NodeId, NodeId>, std::int64_t> out;
  for (std::size_t e = 0; e < ne; ++e) {
    for (std::size_t f = e; f < ne; ++f) {
      if (in.event_place[e] == kNoPlace || in.event_place[e] != in.event_place[f]) continue;
      std::int64_t gap = std::max(in.event_start[e], in.event_start[f]) -
                         std::min(in.event_end[e], in.event_end[f]);
      if (gap > window) continue;
      std::set<std::pair<NodeId, NodeId>> pairs;
      for (NodeId a : members[e])
        for (NodeId b : members[f])
          if (a != b) pairs.insert({std::min(a, b), std::max(a, b)});
      for (auto& p : pairs) ++out[p];
    }
  }
  return out;
}

TEST(Cooccurrence, HandMade) {
  // Place 7: A(1) and B(2) at 09:00-10:00 and 10:30; C(3) at 15:00. Place 8: A and C.
  CooccurrenceInput in;
  in.event_place = {7, 7, 7, 8};
  in.event_start = {9 * 3600, 10 * 3600 + 1800, 15 * 3600, 0};
  in.event_end = {10 * 3600, 10 * 3600 + 1800, 15 * 3600, 0};
  in.participant_node = {1, 2, 2, 3, 1, 3};
  in.participant_event = {0, 0, 1, 2, 3, 3};
  CooccurrenceOptions o;
  o.window_seconds = 3600;
  auto pairs = FindCooccurrences(in, o);
  ASSERT_EQ(pairs.size(), 2u);
  // (1,2): same event 0, and event 0 with event 1 (gap 30 min) -> 2.
  EXPECT_EQ(pairs[0].a, 1u);
  EXPECT_EQ(pairs[0].b, 2u);
  EXPECT_EQ(pairs[0].count, 2);
  EXPECT_EQ(pairs[0].places, 1);
  EXPECT_EQ(pairs[1].a, 1u);
  EXPECT_EQ(pairs[1].b, 3u);
  EXPECT_EQ(pairs[1].count, 1);
  o.window_seconds = 5 * 3600;  // now C at 15:00 meets B at 10:30 (gap 4.5 h)
  o.focus = 3;
  pairs = FindCooccurrences(in, o);
  ASSERT_EQ(pairs.size(), 2u);
  for (auto& p : pairs) EXPECT_EQ(p.a, 3u);
}

TEST(Cooccurrence, MatchesBruteForce) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    testing::SplitMix64 rng(seed);
    CooccurrenceInput in;
    std::size_t ne = 5 + rng.Below(40);
    for (std::size_t e = 0; e < ne; ++e) {
      in.event_place.push_back(rng.Below(10) == 0 ? kNoPlace : rng.Below(4));
      std::int64_t s = rng.Below(100000);
      in.event_start.push_back(s);
      in.event_end.push_back(s + rng.Below(3) * rng.Below(5000));
      std::size_t k = rng.Below(4);
      for (std::size_t i = 0; i < k; ++i) {
        in.participant_node.push_back(rng.Below(12));
        in.participant_event.push_back(e);
      }
    }
    CooccurrenceOptions o;
    o.window_seconds = 7200;
    auto got = FindCooccurrences(in, o);
    auto want = BruteCooccur(in, o.window_seconds);
    ASSERT_EQ(got.size(), want.size()) << "seed " << seed;
    for (std::size_t i = 0; i < got.size(); ++i) {
      auto it = want.find({got[i].a, got[i].b});
      ASSERT_NE(it, want.end());
      EXPECT_EQ(got[i].count, it->second);
      if (i > 0) {
        EXPECT_GE(got[i - 1].count, got[i].count);
      }
    }
  }
}

TEST(Cooccurrence, RejectsBadInput) {
  CooccurrenceInput in;
  in.event_place = {1};
  in.event_start = {0};
  in.event_end = {0};
  in.participant_node = {1};
  in.participant_event = {3};
  EXPECT_THROW(FindCooccurrences(in, {}), Error);
}

TEST(Activity, BucketsByDayWeekMonth) {
  // 2024-01-31 12:00 UTC = 1706702400 (Wednesday); 2024-02-01 00:00 = 1706745600.
  EXPECT_EQ(BucketStart(1706702400, ActivityBucket::kDay), 1706659200);
  EXPECT_EQ(BucketStart(1706702400, ActivityBucket::kWeek), 1706486400);   // Mon 2024-01-29
  EXPECT_EQ(BucketStart(1706702400, ActivityBucket::kMonth), 1704067200);  // 2024-01-01
  EXPECT_EQ(BucketStart(-1, ActivityBucket::kDay), -86400);
  EdgeList e;
  e.num_nodes = 3;
  e.src = {0, 1, 0, 2, 0};
  e.dst = {1, 0, 2, 1, 1};
  e.time = {1706702400, 1706745600, 1706745600 + 40 * 86400, 1706702400, graph::kNoTime};
  e.weight = {10, 20, 30, 40, 50};
  Graph g = Graph::Build(e);
  std::vector<NodeId> nodes = {0};
  ActivityOptions o;
  o.bucket = ActivityBucket::kMonth;
  ActivityHistogram h = Activity(g, nodes, o);
  ASSERT_EQ(h.bucket_start.size(), 3u);  // Jan, Feb, Mar 2024
  EXPECT_EQ(h.bucket_start[1], 1706745600);
  EXPECT_EQ(h.count, (std::vector<std::int64_t>{1, 1, 1}));
  EXPECT_EQ(h.amount, (std::vector<double>{10, 20, 30}));
  EXPECT_EQ(h.links_without_time, 1);
  EXPECT_EQ(h.total_links, 4);
  nodes = {0, 1};  // link 0 touches both: counted once
  o.bucket = ActivityBucket::kDay;
  h = Activity(g, nodes, o);
  EXPECT_EQ(h.bucket_start.size(), 42u);
  EXPECT_EQ(h.count.front(), 2);  // links 0 and 3 on Jan 31
  EXPECT_EQ(h.total_links, 5);
}

}  // namespace
}  // namespace casegraph::analysis
