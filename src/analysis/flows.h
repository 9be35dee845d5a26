// Money-flow kernels over payment links: flow tracing forward from a source or backward
// from a destination with a stated allocation rule (FIFO or proportional), and fan-in /
// fan-out (smurfing and distribution) detection.
//
// Amounts are link_weight(), times link_time() (unix seconds). Payments are links source ->
// target whose type code is in `link_types`; links without a time are not traced.
//
// Thread safety: pure functions of a `const graph::Graph&`; safe to call concurrently.
// Ownership: results own their vectors; nothing refers back into the graph.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "graph/graph.h"

namespace casegraph::analysis {

// How an account's outgoing payment is attributed to the money it received before.
enum class AllocationRule {
  kFifo,          // first in, first out: the oldest unspent receipts pay first
  kProportional,  // every payment takes the same share of each unspent receipt ("pro rata")
};
enum class FlowDirection {
  kForward,   // where did the money the source sent go?
  kBackward,  // where did the money the destination received come from?
};

struct FlowOptions {
  std::vector<std::uint16_t> link_types;  // payment type codes; empty = all
  AllocationRule rule = AllocationRule::kFifo;
  FlowDirection direction = FlowDirection::kForward;
  std::int64_t time_from = graph::kNoTime;  // only payments in [time_from, time_to]
  std::int64_t time_to = graph::kNoTime;
  std::size_t max_paths = 1000;  // paths reported (largest first); 0 = none
  double min_path_amount = 0.0;  // branches carrying less are not followed as paths
};

// One path the money took, in time order from where it started to where it ended.
struct FlowPath {
  std::vector<graph::NodeId> nodes;
  std::vector<graph::LinkIdx> links;
  double amount = 0;  // traced money that went exactly this way
};

struct FlowResult {
  graph::NodeId origin = 0;  // the source (forward) or destination (backward)
  FlowDirection direction = FlowDirection::kForward;
  // Forward: everything the source paid out; backward: everything the destination received.
  double total = 0;
  // Per link: traced money carried by it.
  std::vector<double> link_flow;
  // Per node: traced money in and out over its links. Forward: node_end = what stayed at the
  // node (retained) and node_out = node_in - node_end for every node but the source.
  // Backward: node_end = what originated at the node (not funded by traced receipts) and
  // node_out = node_in + node_end for every node but the destination. Either way
  // sum(node_end) == total (conservation; CheckConservation verifies it).
  std::vector<double> node_in, node_out, node_end;
  std::vector<FlowPath> paths;       // largest first
  bool paths_truncated = false;      // max_paths reached or branches below min_path_amount
  double untracked_path_amount = 0;  // total - sum(paths.amount)
};

// Method: per-account ledger simulation in time order — the FIFO and pro-rata ("haircut")
// taint rules of Möser, Böhme & Breuker, "Towards Risk Scoring of Bitcoin Transactions",
// FC 2014 Workshops, applied to account balances — producing a funding relation
// (which receipt paid for which payment), then a sweep over it forward or backward.
// Payments are ordered by (time, link index): a receipt at the same second as a payment
// funds it only if its link index is lower. Money paid beyond the recorded receipts comes
// from the payer's own (untraced) funds. Cost: FIFO O(m log m); proportional
// O(m log m + sum over payments of the receipts still unspent at the payer).
// Throws casegraph::Error(kInvalidArgument) if node >= num_nodes.
FlowResult TraceFlow(const graph::Graph& g, graph::NodeId node, const FlowOptions& options);

// Largest absolute violation of conservation in a FlowResult: per node (forward:
// node_in - node_out - node_end for nodes other than the origin; backward: node_out -
// node_in - node_end) and globally (sum(node_end) - total). 0 up to rounding.
double ConservationError(const FlowResult& result);

// ---------------------------------------------------------------------------------------
enum class FanDirection { kIn, kOut };  // fan-in: many payers -> one; fan-out: one -> many

struct FanOptions {
  std::vector<std::uint16_t> link_types;  // empty = all
  FanDirection direction = FanDirection::kIn;
  std::int64_t min_counterparties = 3;  // distinct payers (fan-in) or payees (fan-out)
  std::int64_t min_count = 1;           // payments in the window
  double min_amount = 0;                // per-payment amount range [min_amount, max_amount]
  double max_amount = std::numeric_limits<double>::infinity();
  // > 0: the payments must fall within a window of this many seconds (the best window per
  // hub is reported; links without a time are then ignored). 0: all time.
  std::int64_t window_seconds = 0;
  std::size_t top_k = 0;  // 0 = all hubs
};

struct FanHub {
  graph::NodeId node = 0;
  std::int64_t counterparties = 0;  // distinct, in the best window
  std::int64_t count = 0;           // payments in the best window
  double amount = 0;                // their total
  std::int64_t window_start = graph::kNoTime, window_end = graph::kNoTime;
  std::vector<graph::LinkIdx> links;  // the payments in the best window
};

// Method: per-node sliding window (two pointers over the node's payments sorted by time)
// maximising distinct counterparties, then count, then amount — the fan-in / fan-out
// patterns of AMLSim (Suzumura & Kanezashi, IBM, 2021; Weber et al., "Scalable Graph
// Learning for Anti-Money Laundering", KDD-AML 2018). Ranked by counterparties, count,
// amount, node id. Cost: O(m log m).
std::vector<FanHub> FindFanHubs(const graph::Graph& g, const FanOptions& options);

}  // namespace casegraph::analysis
