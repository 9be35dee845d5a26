// Time and place kernels (see temporal.h): time-respecting reachability and earliest
// arrival, co-occurrence sweep, activity histograms.
#include "analysis/temporal.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>

#include "casegraph/status.h"

namespace casegraph::analysis {
namespace {

using graph::Graph;
using graph::LinkIdx;
using graph::NodeId;

std::vector<std::uint8_t> TypeMask(const std::vector<std::uint16_t>& types) {
  std::vector<std::uint8_t> mask;
  if (types.empty()) return mask;
  mask.assign(65536, 0);
  for (auto t : types) mask[t] = 1;
  return mask;
}

NodeId StateFrom(const Graph& g, std::uint32_t s) {
  LinkIdx l = StateLink(s);
  return (s & 1) ? g.link_target(l) : g.link_source(l);
}
NodeId StateTo(const Graph& g, std::uint32_t s) {
  LinkIdx l = StateLink(s);
  return (s & 1) ? g.link_source(l) : g.link_target(l);
}

}  // namespace

TemporalReach TemporalReachability(const graph::Graph& g, graph::NodeId source,
                                   const TemporalOptions& o) {
  const auto n = static_cast<std::size_t>(g.num_nodes());
  const auto m = static_cast<std::size_t>(g.num_links());
  if (source >= n) {
    throw Error(StatusCode::kInvalidArgument,
                "temporal reachability: source " + std::to_string(source) + " out of range");
  }
  const auto mask = TypeMask(o.link_types);
  auto usable = [&](LinkIdx l) {
    if (!mask.empty() && !mask[g.link_type(l)]) return false;
    const std::int64_t t = g.link_time(l);
    if (t == graph::kNoTime) return false;
    if (o.start_time != graph::kNoTime && t < o.start_time) return false;
    if (o.end_time != graph::kNoTime && t > o.end_time) return false;
    return g.node_visible(g.link_source(l)) && g.node_visible(g.link_target(l));
  };
  // Departing states per node, sorted by time (CSR).
  std::vector<std::uint32_t> off(n + 1, 0);
  for (std::size_t l = 0; l < m; ++l) {
    if (!usable(static_cast<LinkIdx>(l))) continue;
    ++off[g.link_source(l) + 1];
    if (!g.link_directed(l)) ++off[g.link_target(l) + 1];
  }
  for (std::size_t v = 0; v < n; ++v) off[v + 1] += off[v];
  std::vector<std::uint32_t> dep(off[n]);
  {
    std::vector<std::uint32_t> pos(off.begin(), off.end() - 1);
    for (std::size_t l = 0; l < m; ++l) {
      if (!usable(static_cast<LinkIdx>(l))) continue;
      dep[pos[g.link_source(l)]++] = static_cast<std::uint32_t>(2 * l);
      if (!g.link_directed(l)) dep[pos[g.link_target(l)]++] = static_cast<std::uint32_t>(2 * l + 1);
    }
  }
  for (std::size_t v = 0; v < n; ++v) {
    std::stable_sort(dep.begin() + off[v], dep.begin() + off[v + 1],
                     [&](std::uint32_t a, std::uint32_t b) {
                       return g.link_time(StateLink(a)) < g.link_time(StateLink(b));
                     });
  }

  TemporalReach r;
  r.source = source;
  r.arrival.assign(n, graph::kNoTime);
  r.arrival_state.assign(n, TemporalReach::kNoState);
  r.parent.assign(2 * m, TemporalReach::kUnreached);
  std::vector<std::uint32_t> ptr(off.begin(), off.end() - 1);

  using Item = std::pair<std::int64_t, std::uint32_t>;  // (time, state)
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  for (std::uint32_t i = off[source]; i < off[source + 1]; ++i) {
    r.parent[dep[i]] = TemporalReach::kFirstHop;
    heap.emplace(g.link_time(StateLink(dep[i])), dep[i]);
  }
  ptr[source] = off[source + 1];
  while (!heap.empty()) {
    auto [t, s] = heap.top();
    heap.pop();
    const NodeId v = StateTo(g, s);
    if (r.arrival[v] == graph::kNoTime) {
      r.arrival[v] = t;
      r.arrival_state[v] = s;
      ++r.num_reached;
    }
    // Departures usable after arriving at time t: time in [t, t + max_lag].
    const std::int64_t hi =
        o.max_lag > 0 ? t + o.max_lag : std::numeric_limits<std::int64_t>::max();
    std::uint32_t& p = ptr[v];
    while (p < off[v + 1] && g.link_time(StateLink(dep[p])) < t) ++p;
    while (p < off[v + 1] && g.link_time(StateLink(dep[p])) <= hi) {
      std::uint32_t next = dep[p++];
      if (r.parent[next] != TemporalReach::kUnreached) continue;
      r.parent[next] = s;
      heap.emplace(g.link_time(StateLink(next)), next);
    }
  }
  return r;
}

TemporalPath WalkTo(const graph::Graph& g, const TemporalReach& reach, std::uint32_t state) {
  TemporalPath path;
  std::vector<std::uint32_t> states;
  for (std::uint32_t s = state; s != TemporalReach::kFirstHop; s = reach.parent[s]) {
    CG_ASSERT(s != TemporalReach::kUnreached);
    states.push_back(s);
  }
  std::reverse(states.begin(), states.end());
  path.nodes.push_back(reach.source);
  for (std::uint32_t s : states) {
    path.links.push_back(StateLink(s));
    path.nodes.push_back(StateTo(g, s));
  }
  if (!states.empty()) {
    CG_ASSERT(StateFrom(g, states.front()) == reach.source);
    path.departure = g.link_time(path.links.front());
    path.arrival = g.link_time(path.links.back());
  }
  return path;
}

std::optional<TemporalPath> EarliestArrivalPath(const graph::Graph& g, graph::NodeId source,
                                                graph::NodeId target,
                                                const TemporalOptions& options) {
  if (target >= static_cast<std::size_t>(g.num_nodes())) {
    throw Error(StatusCode::kInvalidArgument,
                "earliest arrival: target " + std::to_string(target) + " out of range");
  }
  TemporalReach reach = TemporalReachability(g, source, options);
  if (!reach.Reached(target)) return std::nullopt;
  return WalkTo(g, reach, reach.arrival_state[target]);
}

// ---------------------------------------------------------------------------------------

std::vector<CooccurrencePair> FindCooccurrences(const CooccurrenceInput& in,
                                                const CooccurrenceOptions& o) {
  const std::size_t num_events = in.event_place.size();
  if (in.event_start.size() != num_events || in.event_end.size() != num_events ||
      in.participant_node.size() != in.participant_event.size()) {
    throw Error(StatusCode::kInvalidArgument, "co-occurrence: array lengths disagree");
  }
  // Participants per event (CSR), deduplicated.
  std::vector<std::uint32_t> off(num_events + 1, 0);
  for (std::uint32_t e : in.participant_event) {
    if (e >= num_events) {
      throw Error(StatusCode::kInvalidArgument, "co-occurrence: participation refers to event " +
                                                    std::to_string(e) + " of " +
                                                    std::to_string(num_events));
    }
    ++off[e + 1];
  }
  for (std::size_t e = 0; e < num_events; ++e) off[e + 1] += off[e];
  std::vector<NodeId> members(off[num_events]);
  {
    std::vector<std::uint32_t> pos(off.begin(), off.end() - 1);
    for (std::size_t k = 0; k < in.participant_node.size(); ++k) {
      members[pos[in.participant_event[k]]++] = in.participant_node[k];
    }
  }
  std::vector<std::uint32_t> size(num_events);
  for (std::size_t e = 0; e < num_events; ++e) {
    auto b = members.begin() + off[e], en = members.begin() + off[e + 1];
    std::sort(b, en);
    size[e] = static_cast<std::uint32_t>(std::unique(b, en) - b);
  }
  auto end_of = [&](std::size_t e) { return std::max(in.event_start[e], in.event_end[e]); };

  std::vector<std::uint32_t> order;
  for (std::uint32_t e = 0; e < num_events; ++e) {
    if (in.event_place[e] != kNoPlace && size[e] > 0) order.push_back(e);
  }
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (in.event_place[a] != in.event_place[b]) return in.event_place[a] < in.event_place[b];
    if (in.event_start[a] != in.event_start[b]) return in.event_start[a] < in.event_start[b];
    return a < b;
  });

  struct Acc {
    std::int64_t count = 0;
    std::int64_t places = 0;
    std::uint32_t last_place = kNoPlace;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> examples;
  };
  std::unordered_map<std::uint64_t, Acc> acc;
  std::vector<std::uint64_t> keys;  // pairs witnessed by one event pair
  auto key_of = [](NodeId a, NodeId b) {
    if (a > b) std::swap(a, b);
    return (static_cast<std::uint64_t>(a) << 32) | b;
  };
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::uint32_t e = order[i];
    const std::uint32_t place = in.event_place[e];
    const std::int64_t reach =
        end_of(e) > std::numeric_limits<std::int64_t>::max() - o.window_seconds
            ? std::numeric_limits<std::int64_t>::max()
            : end_of(e) + o.window_seconds;
    for (std::size_t j = i; j < order.size(); ++j) {
      const std::uint32_t f = order[j];
      if (in.event_place[f] != place || in.event_start[f] > reach) break;
      keys.clear();
      for (std::uint32_t x = off[e]; x < off[e] + size[e]; ++x) {
        for (std::uint32_t y = off[f]; y < off[f] + size[f]; ++y) {
          const NodeId a = members[x], b = members[y];
          if (a == b) continue;
          if (o.focus && a != *o.focus && b != *o.focus) continue;
          keys.push_back(key_of(a, b));
        }
      }
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      for (std::uint64_t k : keys) {
        Acc& a = acc[k];
        ++a.count;
        if (a.last_place != place) {
          ++a.places;
          a.last_place = place;
        }
        if (a.examples.size() < o.max_examples) a.examples.emplace_back(e, f);
      }
    }
  }
  std::vector<CooccurrencePair> out;
  out.reserve(acc.size());
  for (auto& [k, a] : acc) {
    CooccurrencePair p;
    p.a = static_cast<NodeId>(k >> 32);
    p.b = static_cast<NodeId>(k & 0xFFFFFFFFULL);
    if (o.focus && p.b == *o.focus) std::swap(p.a, p.b);
    p.count = a.count;
    p.places = a.places;
    // Orient examples as (event of a, event of b).
    for (auto [e, f] : a.examples) {
      auto in_event = [&](std::uint32_t ev, NodeId node) {
        auto b = members.begin() + off[ev], en = b + size[ev];
        return std::binary_search(b, en, node);
      };
      if (in_event(e, p.a) && in_event(f, p.b)) {
        p.examples.emplace_back(e, f);
      } else {
        p.examples.emplace_back(f, e);
      }
    }
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const CooccurrencePair& x, const CooccurrencePair& y) {
    if (x.count != y.count) return x.count > y.count;
    if (x.places != y.places) return x.places > y.places;
    if (x.a != y.a) return x.a < y.a;
    return x.b < y.b;
  });
  if (o.top_k > 0 && out.size() > o.top_k) out.resize(o.top_k);
  return out;
}

// ---------------------------------------------------------------------------------------

std::int64_t BucketStart(std::int64_t t, ActivityBucket bucket) {
  using namespace std::chrono;
  const sys_seconds secs{seconds{t}};
  const sys_days day = floor<days>(secs);
  switch (bucket) {
    case ActivityBucket::kDay:
      return duration_cast<seconds>(day.time_since_epoch()).count();
    case ActivityBucket::kWeek: {
      const weekday wd{day};
      const sys_days monday = day - days{(wd.c_encoding() + 6) % 7};
      return duration_cast<seconds>(monday.time_since_epoch()).count();
    }
    case ActivityBucket::kMonth: {
      const year_month_day ymd{day};
      const sys_days first{ymd.year() / ymd.month() / std::chrono::day{1}};
      return duration_cast<seconds>(first.time_since_epoch()).count();
    }
  }
  return t;
}

namespace {
std::int64_t NextBucket(std::int64_t start, ActivityBucket bucket) {
  using namespace std::chrono;
  switch (bucket) {
    case ActivityBucket::kDay:
      return start + 86400;
    case ActivityBucket::kWeek:
      return start + 7 * 86400;
    case ActivityBucket::kMonth: {
      const year_month_day ymd{floor<days>(sys_seconds{seconds{start}})};
      const year_month next = ymd.year() / ymd.month() + months{1};
      const sys_days first{next / std::chrono::day{1}};
      return duration_cast<seconds>(first.time_since_epoch()).count();
    }
  }
  return start + 86400;
}
}  // namespace

ActivityHistogram Activity(const graph::Graph& g, std::span<const graph::NodeId> nodes,
                           const ActivityOptions& o) {
  const auto mask = TypeMask(o.link_types);
  std::vector<LinkIdx> links;
  for (NodeId v : nodes) {
    if (v >= static_cast<std::size_t>(g.num_nodes())) {
      throw Error(StatusCode::kInvalidArgument,
                  "activity: node " + std::to_string(v) + " out of range");
    }
    for (LinkIdx l : g.OutLinks(v)) links.push_back(l);
    for (LinkIdx l : g.InLinks(v)) links.push_back(l);
  }
  std::sort(links.begin(), links.end());
  links.erase(std::unique(links.begin(), links.end()), links.end());
  ActivityHistogram h;
  std::vector<std::pair<std::int64_t, LinkIdx>> timed;
  for (LinkIdx l : links) {
    if (!mask.empty() && !mask[g.link_type(l)]) continue;
    ++h.total_links;
    const std::int64_t t = g.link_time(l);
    if (t == graph::kNoTime) {
      ++h.links_without_time;
      continue;
    }
    timed.emplace_back(BucketStart(t, o.bucket), l);
  }
  if (timed.empty()) return h;
  std::sort(timed.begin(), timed.end());
  std::size_t k = 0;
  for (std::int64_t b = timed.front().first; b <= timed.back().first; b = NextBucket(b, o.bucket)) {
    h.bucket_start.push_back(b);
    std::int64_t c = 0;
    double amount = 0;
    for (; k < timed.size() && timed[k].first == b; ++k) {
      ++c;
      amount += g.link_weight(timed[k].second);
    }
    h.count.push_back(c);
    h.amount.push_back(amount);
  }
  return h;
}

}  // namespace casegraph::analysis
