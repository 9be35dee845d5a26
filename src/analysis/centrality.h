// Centrality kernels (issue 3, section 3): degree, betweenness (exact, sampled, edge),
// closeness (Wasserman–Faust), harmonic, eigenvector and (personalised) PageRank.
//
// Every kernel runs on a SimpleView (sna_view.h): multi-links collapse to one edge and
// self-loops are dropped, so the values are those networkx computes on nx.Graph /
// nx.DiGraph of the same network (and igraph after simplify()). The view decides
// direction (undirected by default) and whether edges carry weights. Results are vectors
// indexed by node id (num_nodes entries); invisible nodes get 0 and are not counted in n.
// Unweighted shortest paths only (betweenness, closeness); weights are used by degree,
// eigenvector and PageRank when the view has them.
//
// Kernels only read the view, so any number may run at once; each parallelises
// internally with TBB and is deterministic (fixed reduction order, seeded sampling).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "analysis/sna_view.h"
#include "graph/graph.h"

namespace casegraph::analysis {

enum class DegreeMode { kTotal, kIn, kOut };

// Degree, or weighted degree (strength) when the view is weighted. In the directed view
// kTotal = in + out (networkx DiGraph.degree). normalized divides by n - 1 as networkx's
// degree_centrality (in_degree_centrality / out_degree_centrality).
std::vector<double> DegreeCentrality(const SimpleView& view, DegreeMode mode = DegreeMode::kTotal,
                                     bool normalized = false);

struct BetweennessOptions {
  bool normalized = false;       // networkx: divide by (n-1)(n-2); raw otherwise
  std::int64_t num_sources = 0;  // 0 = exact; k > 0 = k sources sampled without replacement
  std::uint64_t seed = 1;        // sampling seed
  std::vector<NodeId> sources;   // explicit sources (overrides sampling); scaled by n/k
};

// Node betweenness. Method: Brandes 2001, "A faster algorithm for betweenness centrality"
// (one BFS + dependency accumulation per source), parallel over sources. Raw values follow
// networkx: on undirected views each unordered pair counts once (sum / 2). Sampled
// (num_sources = k): the source-sampling estimator of Brandes & Pich 2007 ("Centrality
// estimation in large networks") / Bader et al. 2007, unbiased, scaled by n / k exactly as
// networkx's betweenness_centrality(k=...). See BetweennessErrorBound for its guarantee.
std::vector<double> Betweenness(const SimpleView& view, const BetweennessOptions& options = {});

// Hoeffding bound for the sampled estimator: with probability at least 1 - delta, every
// node's NORMALISED betweenness estimate is within the returned epsilon of the exact value
// (union bound over n nodes): eps = n/(n-1) * sqrt(ln(2n/delta) / (2k)). Each sampled
// source contributes delta_s(v)/(n-2) in [0, 1] to the normalised estimate.
double BetweennessErrorBound(std::int64_t num_nodes, std::int64_t num_sources, double delta);

// Edge betweenness per position of view.out_targets() (the CSR slot of edge u→v; in the
// undirected view both slots of {u,v} hold the same value). Raw values as networkx's
// edge_betweenness_centrality(normalized=False) (undirected: each pair once); normalized
// divides by n(n-1) (directed) or n(n-1)/2 (undirected), as networkx. Brandes 2008,
// "On variants of shortest-path betweenness centrality and their generic computation".
std::vector<double> EdgeBetweenness(const SimpleView& view, const BetweennessOptions& options = {});

// Maps per-edge values (per out_targets() slot) back to the graph's links: every link
// gets the value of the collapsed edge it belongs to (0 for links outside the view).
std::vector<double> EdgeValuesToLinks(const graph::Graph& g, const SimpleView& view,
                                      const ViewOptions& options,
                                      const std::vector<double>& per_slot);

// Closeness, as networkx's closeness_centrality(wf_improved=True): for node u with r
// nodes reachable (r includes u) and total distance D, C(u) = (r-1)/D * (r-1)/(n-1)
// (Wasserman & Faust 1994 correction for disconnected graphs); 0 when D = 0. In the
// directed view distances are measured TO u (networkx uses incoming paths). BFS from every
// node, parallel over nodes. wf_improved = false gives (r-1)/D (igraph's "reachable only").
std::vector<double> Closeness(const SimpleView& view, bool wf_improved = true);

// Harmonic centrality, as networkx's harmonic_centrality: H(u) = sum over v != u of
// 1/d(v, u) (Marchiori & Latora 2000, "Harmony in the small-world"). Unnormalised.
std::vector<double> Harmonic(const SimpleView& view);

struct EigenvectorOptions {
  int max_iterations = 10000;
  double tolerance = 1e-13;  // stop when sum |x - x_prev| < n * tolerance
};
// Eigenvector centrality as networkx's eigenvector_centrality: power iteration on (A + I)
// from the uniform vector, L2-normalised (Bonacich 1972). In the directed view a node's
// score comes from its predecessors (left eigenvector), as networkx. On a disconnected
// graph the result depends on the start vector, as in networkx.
std::vector<double> Eigenvector(const SimpleView& view, const EigenvectorOptions& options = {});

struct PageRankOptions {
  double damping = 0.85;
  int max_iterations = 1000;
  double tolerance = 1e-12;  // stop when sum |x - x_prev| < n * tolerance (0 = never)
  // Personalisation: (node, weight) pairs, normalised to sum 1; empty = uniform. Dangling
  // nodes' rank is spread by the personalisation vector, as networkx.
  std::vector<std::pair<NodeId, double>> personalization;
};
// PageRank (Brin & Page 1998), exactly networkx's pagerank iteration: pull-based power
// iteration, undirected edges count both ways, dangling mass spread by the
// personalisation (uniform by default). Parallel over nodes (TBB); fixed-order sums.
// Iterations run with float contributions (as the GAP reference kernel) until one changes
// the ranks by less than 1e-6 in L1, then with doubles to the tolerance, so converged
// results are those of the all-double iteration; a run cut short by max_iterations before
// that point (e.g. a fixed 20 iterations) carries float rounding (~1e-7 relative).
std::vector<double> PageRank(const SimpleView& view, const PageRankOptions& options = {});

// Iterations performed by the last PageRank/Eigenvector call on this thread (diagnostics).
int LastIterationCount();

}  // namespace casegraph::analysis
