// Community detection (issue 3, section 4): Louvain and Leiden modularity optimisation with
// a resolution parameter and a seed, plus the modularity of any partition.
//
// Both run on the undirected SimpleView (sna_view.h): multi-links collapse to one edge of
// weight 1, or of the summed link weights when the view is weighted (weights must be
// positive). Modularity with resolution gamma (Reichardt & Bornholdt 2006):
//   Q = sum_c [ L_c / m - gamma * (K_c / 2m)^2 ]
// with L_c the weight inside c, K_c the total strength of c, m the total weight — the
// value networkx.community.modularity and igraph's modularity() report.
//
// Thread safety: the functions only read the view; results are owned by the caller.
// Deterministic for a given seed, whatever the number of threads (the node visiting orders
// and Leiden's randomised refinement merges are the only randomness).
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/sna_view.h"

namespace casegraph::analysis {

struct CommunityOptions {
  double resolution = 1.0;  // gamma: > 1 gives more, smaller communities
  std::uint64_t seed = 1;
  int max_levels = 64;       // aggregation levels per pass
  int max_passes = 8;        // Leiden: repeat the whole algorithm from its result while it improves
  double randomness = 0.01;  // Leiden refinement temperature (theta in the paper)
  // Graphs (and levels) with at least this many nodes take the parallel path: the nodes are
  // renumbered by degree, local moving runs parallel sweeps (GVE-Louvain, Sahu 2023:
  // per-thread accumulators, vertex pruning, a tolerance dropping tenfold per level, at
  // most 20 sweeps; batch-synchronous as Lu, Kalyanaraman, Halappanavar 2015, so the
  // result depends on the seed but not on the number of threads), and restart passes stop
  // once a pass adds less than 1 % modularity. Smaller levels use the serial queue to a
  // local optimum. -1 = serial queue only; 0 = parallel sweeps on every level.
  std::int64_t parallel_min_nodes = 100000;
  double parallel_tolerance = 3e-3;  // level 0 stops sweeping when a sweep gains less Q
};

struct CommunityResult {
  // Community of each node, numbered 0..num_communities-1 by smallest member node id;
  // invisible nodes get 0xFFFFFFFF.
  std::vector<std::uint32_t> membership;
  std::uint32_t num_communities = 0;
  double modularity = 0;
  int levels = 0;  // aggregation levels performed (all passes)
};

// Louvain: Blondel, Guillaume, Lambiotte, Lefebvre 2008, "Fast unfolding of communities in
// large networks" — local moving then aggregation, repeated until no node moves. Local
// moving uses the queue of Traag, Waltman, van Eck 2019 (only neighbours of moved nodes are
// revisited) on small levels and, on levels of at least options.parallel_min_nodes nodes,
// parallel batch-synchronous sweeps (see CommunityOptions). O(m) per sweep.
CommunityResult Louvain(const SimpleView& view, const CommunityOptions& options = {});

// Leiden: Traag, Waltman, van Eck 2019, "From Louvain to Leiden: guaranteeing
// well-connected communities" — fast local moving, refinement (randomised merges of
// well-connected singletons inside each community), aggregation of the refined partition
// seeded with the unrefined one. The communities are refined in parallel, each with its own
// random stream derived from the seed and the community, so the result does not depend on
// the number of threads. On the parallel path a restart pass that moves fewer than 5 % of
// the nodes at its first level is the last: it keeps those moves without refinement and
// splits any community they disconnected into its components. Communities are guaranteed
// connected.
CommunityResult Leiden(const SimpleView& view, const CommunityOptions& options = {});

// Modularity of a partition of the view's visible nodes (membership as above).
double Modularity(const SimpleView& view, const std::vector<std::uint32_t>& membership,
                  double resolution = 1.0);

// Normalised mutual information between two labelings of the same nodes (Danon et al.
// 2005, arithmetic-mean normalisation as scikit-learn's default); for tests and reports.
double NormalizedMutualInformation(const std::vector<std::uint32_t>& a,
                                   const std::vector<std::uint32_t>& b);

}  // namespace casegraph::analysis
