// Bounded directed cycle search for round-tripping: every simple directed cycle of at most
// `max_length` links whose links pass type, amount and time filters, returned as node and
// link sequences.
//
// Thread safety: a pure function of a `const graph::Graph&`; safe to call concurrently.
// Ownership: the result owns its vectors; nothing refers back into the graph.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "graph/graph.h"

namespace casegraph::analysis {

struct CycleOptions {
  std::vector<std::uint16_t> link_types;  // link type codes to follow (e.g. Payment); empty = all
  int min_length = 2;                     // links per cycle; 1 admits self loops
  int max_length = 6;
  double min_amount = 0.0;  // every link's link_weight() must be >= this
  // When > 0, max(time) - min(time) over the cycle's links must be <= window_seconds.
  std::int64_t window_seconds = 0;
  // When true, the cycle must be readable in time order: some rotation of it has
  // non-decreasing link times (money leaves a node and comes back to it later). The
  // returned cycle is then rotated to start with its earliest hop.
  bool time_ordered = false;
  std::size_t max_cycles = 100000;  // stop after this many (result.truncated = true)
};

// One simple directed cycle: nodes[i] --links[i]--> nodes[(i + 1) % size]. Without
// time_ordered the cycle starts at its smallest node id (Johnson's canonical rotation).
struct Cycle {
  std::vector<graph::NodeId> nodes;
  std::vector<graph::LinkIdx> links;
};

struct CycleResult {
  std::vector<Cycle> cycles;
  bool truncated = false;  // max_cycles was reached; more cycles exist
};

// Links without a time (graph::kNoTime) are not followed when window_seconds > 0 or
// time_ordered is set. Parallel links give distinct cycles (distinct link sequences).
// Invisible nodes are skipped. Cost: O((n + m) * (c + 1)) per start node in the worst
// case, bounded in practice by the max_length neighbourhood of each start.
CycleResult FindCycles(const graph::Graph& g, const CycleOptions& options);

}  // namespace casegraph::analysis
