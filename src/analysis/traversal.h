// Whole-graph breadth-first search (issue 3, "Performance": BFS): hop distance from one
// source to every node the source reaches, under a graph::LinkFilter.
//
// Method: direction-optimising BFS (Beamer, Asanovic, Patterson, "Direction-Optimizing
// Breadth-First Search", SC 2012), as in the GAP benchmark suite's bfs.cc: top-down steps
// (each frontier node claims its unvisited neighbours) while the frontier is small,
// bottom-up steps (each unvisited node looks for any neighbour in the frontier bitmap and
// stops at the first) while it touches a large share of the edges. Switch heuristics are
// GAP's: go bottom-up when the frontier's edges exceed the unexplored edges / alpha
// (alpha = 15), go back top-down when the frontier has fewer than n / beta nodes
// (beta = 18) and is shrinking. Parallel (TBB); distances are the same for any schedule.
//
// Direction semantics are those of graph/traverse.h: under kOut a top-down step follows
// out-links and a bottom-up step looks at in-links (the reverse filter); undirected links
// are walked both ways. Links touching an excluded or invisible node are never used; an
// excluded or invisible source reaches nothing (its own distance stays -1).
//
// Errors: source >= num_nodes() throws casegraph::Error(kInvalidArgument).
// Threads: a pure function of its arguments; safe to call concurrently on one Graph.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/graph.h"

namespace casegraph::analysis {

using graph::NodeId;

struct BfsResult {
  std::vector<std::int32_t> depth;  // hops from the source, -1 when not reached
  std::int64_t reached = 0;         // nodes with depth >= 0 (the source included)
  std::int32_t max_depth = -1;      // eccentricity of the source within what it reaches
  int top_down_steps = 0;           // diagnostics: how the direction heuristic chose
  int bottom_up_steps = 0;
};

struct BfsOptions {
  // Direction-switch parameters (Beamer et al.; GAP defaults). alpha <= 0 disables
  // bottom-up steps (plain parallel top-down BFS).
  int alpha = 15;
  int beta = 18;
};

// Direction-optimising BFS from `source`. O(n + m) work; bottom-up steps usually skip
// most of the edges of a power-law graph.
BfsResult BreadthFirstSearch(const graph::Graph& g, graph::NodeId source,
                             const graph::LinkFilter& filter = {}, const BfsOptions& options = {});

}  // namespace casegraph::analysis
