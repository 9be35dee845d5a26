// Time and place kernels: time-respecting paths (earliest arrival, reachability from a
// source), co-occurrence of entities at the same place within a time window, and activity
// histograms (link counts per day / week / month).
//
// Thread safety: pure functions of their inputs; safe to call concurrently on one graph.
// Ownership: results own their vectors; nothing refers back into the graph or inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "graph/graph.h"

namespace casegraph::analysis {

inline constexpr graph::LinkIdx kNoLink = std::numeric_limits<graph::LinkIdx>::max();

// ---------------------------------------------------------------------------------------
// Time-respecting paths: a sequence of links l1, l2, ... where each link leaves the node the
// previous one entered and time(l_i+1) >= time(l_i) (and, with max_lag > 0,
// time(l_i+1) - time(l_i) <= max_lag). Links are followed source -> target; undirected
// links (link_directed() false) also target -> source. Links without a time are never used.
struct TemporalOptions {
  std::vector<std::uint16_t> link_types;     // empty = all
  std::int64_t start_time = graph::kNoTime;  // first link no earlier than this (kNoTime = any)
  std::int64_t end_time = graph::kNoTime;    // no link later than this (kNoTime = any)
  std::int64_t max_lag = 0;                  // seconds between consecutive hops; 0 = unbounded
};

// Walks run over link "states": state 2*l follows link l source -> target; state 2*l + 1
// follows an undirected link l target -> source.
inline graph::LinkIdx StateLink(std::uint32_t state) {
  return state >> 1;
}

// Reachability from one source over time-respecting walks.
struct TemporalReach {
  graph::NodeId source = 0;
  // Per node: the earliest time at which it can be reached (the time of the arriving link);
  // graph::kNoTime when unreachable. The source itself has kNoTime unless a walk returns.
  std::vector<std::int64_t> arrival;
  // Per node: the state giving the earliest arrival (kNoState if none).
  std::vector<std::uint32_t> arrival_state;
  // Per state (2 * num_links): the previous state of the walk that first reached it,
  // kFirstHop for a hop leaving the source, kUnreached when no walk can use it.
  std::vector<std::uint32_t> parent;
  static constexpr std::uint32_t kNoState = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::uint32_t kUnreached = kNoState;
  static constexpr std::uint32_t kFirstHop = kNoState - 1;
  // Nodes reached (excluding the source unless a walk returns to it).
  std::int64_t num_reached = 0;
  bool Reached(graph::NodeId v) const { return arrival[v] != graph::kNoTime; }
};

struct TemporalPath {
  std::vector<graph::NodeId> nodes;  // source ... target
  std::vector<graph::LinkIdx> links;
  std::int64_t departure = graph::kNoTime;  // time of the first link
  std::int64_t arrival = graph::kNoTime;    // time of the last link
};

// Method: link-level label-setting search over the temporal graph (the "foremost journey"
// of Xuan, Ferreira & Jarry, "Computing shortest, fastest, and foremost journeys in dynamic
// networks", IJFCS 14(2), 2003; with a lag bound as in the "delta-respecting" paths of
// Pan & Saramäki, Phys. Rev. E 84, 2011). Each link is settled at most once; without a lag
// bound a node's out-links are rescanned only when it is reached earlier than before.
// Cost: O(m log m) without max_lag; O(sum of out-degrees over reached links) with it.
// Throws casegraph::Error(kInvalidArgument) if source >= num_nodes.
TemporalReach TemporalReachability(const graph::Graph& g, graph::NodeId source,
                                   const TemporalOptions& options);

// The earliest-arriving time-respecting path from source to target, or nullopt.
std::optional<TemporalPath> EarliestArrivalPath(const graph::Graph& g, graph::NodeId source,
                                                graph::NodeId target,
                                                const TemporalOptions& options);

// Reconstructs the walk ending with `state` from a TemporalReach (the state must be reached).
TemporalPath WalkTo(const graph::Graph& g, const TemporalReach& reach, std::uint32_t state);

// ---------------------------------------------------------------------------------------
// Co-occurrence. Input as explicit arrays, so the api layer fills them from the case's
// events (stays, trips, meetings, transactions at a branch): one entry per event with the
// place it happened at and its time interval, plus participation pairs (entity, event).
inline constexpr std::uint32_t kNoPlace = std::numeric_limits<std::uint32_t>::max();

struct CooccurrenceInput {
  // Per event i: place id (e.g. the NodeId of the Address) or kNoPlace, and [start, end] in
  // unix seconds (end = start for instants; end < start is treated as end = start).
  std::vector<std::uint32_t> event_place;
  std::vector<std::int64_t> event_start;
  std::vector<std::int64_t> event_end;
  // Participations: participant_node[k] took part in event participant_event[k].
  std::vector<graph::NodeId> participant_node;
  std::vector<std::uint32_t> participant_event;
};

struct CooccurrenceOptions {
  // Two events at the same place "meet" when the gap between their intervals is at most
  // window_seconds (overlapping intervals have gap 0).
  std::int64_t window_seconds = 3600;
  std::optional<graph::NodeId> focus;  // only pairs that include this entity
  std::size_t top_k = 0;               // 0 = all pairs
  std::size_t max_examples = 5;        // witnessing event pairs kept per entity pair
};

struct CooccurrencePair {
  graph::NodeId a = 0, b = 0;  // a < b (with focus: a = the focus entity)
  std::int64_t count = 0;      // witnessing event pairs {e, f} (e == f allowed: same event)
  std::int64_t places = 0;     // distinct places among them
  std::vector<std::pair<std::uint32_t, std::uint32_t>> examples;  // (event of a, event of b)
};

// Pairs of distinct entities with a in event e, b in event f, e and f at the same place and
// within the window; counted once per unordered event pair {e, f}. Ranked by count, then
// places, then ids. Method: per-place sweep over events sorted by start time (the
// interval-join "plane sweep", Brinkhoff, Kriegel & Seeger, SIGMOD 1993). Cost:
// O(E log E + sum over meeting event pairs of |P(e)| * |P(f)|).
// Throws Error(kInvalidArgument) when array lengths disagree or an event index is out of range.
std::vector<CooccurrencePair> FindCooccurrences(const CooccurrenceInput& input,
                                                const CooccurrenceOptions& options);

// ---------------------------------------------------------------------------------------
// Activity histograms: links touching a set of nodes, counted per UTC calendar bucket.
enum class ActivityBucket { kDay, kWeek, kMonth };  // weeks start on Monday (ISO 8601)

struct ActivityOptions {
  std::vector<std::uint16_t> link_types;  // empty = all
  ActivityBucket bucket = ActivityBucket::kDay;
};

struct ActivityHistogram {
  // Dense buckets from the first to the last active one (zeros included): bucket_start[i]
  // is the bucket's first second (unix time, UTC); count[i] links, amount[i] their weights.
  std::vector<std::int64_t> bucket_start;
  std::vector<std::int64_t> count;
  std::vector<double> amount;
  std::int64_t links_without_time = 0;
  std::int64_t total_links =
      0;  // distinct links counted (each once, even if both ends are in the set)
};

// Method: counting sort into calendar buckets (civil-date arithmetic from std::chrono).
ActivityHistogram Activity(const graph::Graph& g, std::span<const graph::NodeId> nodes,
                           const ActivityOptions& options);

// The first second of the bucket containing t (exposed for tests and the api layer).
std::int64_t BucketStart(std::int64_t t, ActivityBucket bucket);

}  // namespace casegraph::analysis
