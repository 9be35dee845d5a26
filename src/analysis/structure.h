// Structural analysis kernels (issue 3, section 2): weakly and strongly connected
// components, k-core decomposition, articulation points and bridges, triangles and
// clustering coefficients, and the degree list ("List Most Connected").
//
// All kernels are free functions over a read-only graph::Graph (or the SimpleView built
// from it, see sna_view.h); they only read it, so any number may run at once. Results are
// plain value types owned by the caller. Nodes that are not node_visible() are skipped:
// they get kNoComponent / 0 and never connect anything. Deterministic: no kernel here
// depends on thread scheduling.
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/sna_view.h"
#include "graph/graph.h"

namespace casegraph::analysis {

inline constexpr std::uint32_t kNoComponent = 0xFFFFFFFFu;

// Component label per node, dense 0..num_components-1, numbered in order of each
// component's smallest node id; invisible nodes get kNoComponent.
struct Components {
  std::vector<std::uint32_t> label;  // num_nodes entries
  std::vector<std::uint64_t> size;   // num_components entries
  std::uint32_t num_components() const { return static_cast<std::uint32_t>(size.size()); }
  // Index of the largest component (lowest label on ties); kNoComponent if none.
  std::uint32_t Largest() const;
};

// Weakly connected components: links of the given types, ignoring direction.
// Method: concurrent union-find with lock-free linking by index and path halving, with the
// Afforest neighbour-sampling skip (Sutton, Ben-Nun, Barak: "Optimizing Parallel Graph
// Connectivity Computation via Subgraph Sampling", IPDPS 2018). Parallel (TBB).
Components WeaklyConnectedComponents(const graph::Graph& g,
                                     const std::vector<std::uint16_t>& link_types = {});

// Strongly connected components of the directed view (directed links one way, links of
// undirected schemata both ways). Method: Tarjan 1972, "Depth-first search and linear
// graph algorithms", iterative (no recursion), serial O(n + m).
Components StronglyConnectedComponents(const graph::Graph& g,
                                       const std::vector<std::uint16_t>& link_types = {});

// Core number of every node in the undirected simple view (multi-links count once).
// Method: Batagelj & Zaversnik 2003, "An O(m) Algorithm for Cores Decomposition of
// Networks" (bucket peeling). Invisible nodes get 0.
std::vector<std::uint32_t> CoreNumbers(const graph::Graph& g,
                                       const std::vector<std::uint16_t>& link_types = {});

// Articulation points and bridges of the undirected multigraph of visible links
// (self-loops ignored). A pair joined by two parallel links is NOT a bridge: removing one
// link leaves them connected. Bridges are reported as link indices (sorted), cut vertices
// as node ids (sorted). Method: Hopcroft & Tarjan 1973, "Efficient algorithms for graph
// manipulation" (low-point DFS), iterative, serial O(n + m).
struct Brokers {
  std::vector<NodeId> articulation_points;
  std::vector<graph::LinkIdx> bridges;
};
Brokers ArticulationPointsAndBridges(const graph::Graph& g,
                                     const std::vector<std::uint16_t>& link_types = {});

// Triangles through each node and clustering coefficients in the undirected simple view,
// as networkx's triangles(), clustering(), average_clustering() and transitivity().
// Method: sorted-list intersection over degree-ordered edges (Schank & Wagner 2005,
// "Finding, counting and listing all triangles in large graphs"), parallel (TBB).
struct Triangles {
  std::vector<std::uint64_t> per_node;   // triangles containing each node
  std::vector<double> local_clustering;  // 2 T(v) / (d(v) (d(v) - 1)), 0 when d < 2
  std::uint64_t total = 0;               // distinct triangles in the graph
  double average_clustering = 0;         // mean of local_clustering over visible nodes
  double transitivity = 0;               // 3 * total / connected triples
};
Triangles CountTriangles(const graph::Graph& g, const std::vector<std::uint16_t>& link_types = {});
Triangles CountTriangles(const SimpleView& view);  // undirected view required

// Degree list, i2's "List Most Connected": per node the number of distinct counterparties
// (in / out / either way, in the directed view semantics of sna_view.h), the number of
// links (multi-links counted), and the summed link weights in and out (self-loops count
// as one link in and one out). Amount totals on payments are built on top of this by
// the flows kernels.
struct DegreeList {
  std::vector<std::uint32_t> in_neighbors, out_neighbors, neighbors;
  std::vector<std::uint64_t> in_links, out_links;
  std::vector<double> in_weight, out_weight;
  std::uint64_t total_links = 0;  // links counted (passing the filter, visible ends)
};
DegreeList ComputeDegreeList(const graph::Graph& g,
                             const std::vector<std::uint16_t>& link_types = {});

// Nodes ordered by a score, highest first, ties by node id; invisible nodes left out.
std::vector<NodeId> TopNodes(const graph::Graph& g, const std::vector<double>& score,
                             std::size_t k);

}  // namespace casegraph::analysis
