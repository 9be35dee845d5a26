// Path and neighbourhood kernels (issue 3, item 1): what i2 Analyst's Notebook calls Find
// Path, Find Connecting Network and Find Linked, plus all shortest paths, k shortest simple
// paths and weighted shortest paths.
//
// Every kernel is a free function over a read-only graph::Graph and honours a
// graph::LinkFilter (allowed link types, direction, time window, excluded nodes) and the
// graph's node visibility; see graph/traverse.h for the exact semantics (undirected links
// are walked both ways under every direction). Hop limits: max_hops = kNoHopLimit means
// unlimited.
//
// Errors: a node id >= num_nodes(), a negative k/depth, or a negative or NaN link cost
// throws casegraph::Error(kInvalidArgument); callers at the API boundary convert it with
// CatchAsStatus. An excluded or invisible endpoint is not an error: it is unreachable.
//
// Threads: all kernels are safe to call concurrently on the same Graph. Each thread keeps
// a reusable scratch area (a few bytes per node of the largest graph it searched) so that
// a query touching few nodes costs time proportional to what it touches, not to the graph.
// Results are deterministic (adjacency order breaks ties).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "graph/graph.h"

namespace casegraph::analysis {

inline constexpr int kNoHopLimit = std::numeric_limits<int>::max();

// A walk from nodes.front() to nodes.back(); links[i] joins nodes[i] and nodes[i + 1]
// (in either orientation for undirected links or Direction::kBoth).
struct Path {
  std::vector<graph::NodeId> nodes;
  std::vector<graph::LinkIdx> links;
  double cost = 0;  // hops for unweighted searches, the sum of link costs otherwise
  int hops() const { return static_cast<int>(links.size()); }
  bool operator==(const Path& other) const { return nodes == other.nodes && links == other.links; }
};

// Part of the graph: nodes and the links between them.
struct Subgraph {
  std::vector<graph::NodeId> nodes;
  std::vector<graph::LinkIdx> links;
  std::vector<int> depth;  // Expand: hops from the nearest seed, parallel to `nodes`
  bool truncated = false;  // Expand: stopped at max_nodes
};

// Cost of walking a link: >= 0; +infinity means the link cannot be used.
using LinkCost = std::function<double(graph::LinkIdx)>;
// cost = link_weight (e.g. an amount or a distance).
LinkCost WeightCost(const graph::Graph& g);
// cost = 1 / link_weight (e.g. ownership share: strong ties are short); weight <= 0 is
// unusable (+infinity).
LinkCost InverseWeightCost(const graph::Graph& g);

// Shortest path by hops (bidirectional BFS). nullopt when none within max_hops.
// from == to gives the one-node path.
std::optional<Path> ShortestPath(const graph::Graph& g, graph::NodeId from, graph::NodeId to,
                                 const graph::LinkFilter& filter = {}, int max_hops = kNoHopLimit);

// All shortest paths by hops between from and to (each multi-link gives its own path), in
// adjacency order, at most max_paths of them. Empty when none within max_hops.
std::vector<Path> AllShortestPaths(const graph::Graph& g, graph::NodeId from, graph::NodeId to,
                                   const graph::LinkFilter& filter = {}, int max_hops = kNoHopLimit,
                                   std::size_t max_paths = 1000);

// The k shortest simple (loopless) paths by total cost, shortest first (Yen). An empty
// `cost` means hops. Paths differing only in a parallel link are different paths.
std::vector<Path> KShortestPaths(const graph::Graph& g, graph::NodeId from, graph::NodeId to,
                                 std::size_t k, const graph::LinkFilter& filter = {},
                                 int max_hops = kNoHopLimit, const LinkCost& cost = {});

// Cheapest path by the sum of link costs (Dijkstra; with a hop limit, a hop-constrained
// label-setting variant, so the cheapest path with at most max_hops links is found).
// Among equal costs, fewer hops win.
std::optional<Path> WeightedShortestPath(const graph::Graph& g, graph::NodeId from,
                                         graph::NodeId to, const LinkCost& cost,
                                         const graph::LinkFilter& filter = {},
                                         int max_hops = kNoHopLimit);

// Find Linked: every node within `depth` hops of a seed (BFS order, seeds first, at most
// max_nodes), and every usable link walked from a node closer than `depth` to a node in
// the result (links among the outermost ring are not included). Seeds that are excluded
// or invisible are skipped.
Subgraph Expand(const graph::Graph& g, std::span<const graph::NodeId> seeds, int depth,
                const graph::LinkFilter& filter = {},
                std::size_t max_nodes = std::numeric_limits<std::size_t>::max());

struct PairDistance {
  graph::NodeId from = 0, to = 0;
  int hops = 0;
};
struct ConnectingNetworkResult {
  Subgraph network;                 // nodes and links sorted ascending; includes the chosen nodes
  std::vector<PairDistance> pairs;  // the connected pairs and their distance
};
// Find Connecting Network: the union of all shortest paths (of at most max_hops) between
// every pair of the chosen nodes; under kOut/kIn both orientations of each pair count.
// max_hops is capped at 254.
ConnectingNetworkResult ConnectingNetwork(const graph::Graph& g,
                                          std::span<const graph::NodeId> nodes,
                                          const graph::LinkFilter& filter = {}, int max_hops = 6);

}  // namespace casegraph::analysis
