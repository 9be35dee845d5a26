// Ultimate beneficial owners: who owns a company through chains of ownership links,
// multiplying shares along each chain and summing over parallel chains.
//
// Ownership links run owner -> asset (FollowTheMoney's Ownership: owner, asset) with the
// share as link_weight(), a fraction in [0, 1] (use share_scale = 0.01 for percentages).
//
// Thread safety: a pure function of a `const graph::Graph&`; safe to call concurrently.
// Ownership: the result owns its vectors; nothing refers back into the graph.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "graph/graph.h"

namespace casegraph::analysis {

struct OwnershipOptions {
  std::vector<std::uint16_t> link_types;  // ownership type codes; empty = all
  double share_scale = 1.0;         // multiplies link_weight(): 0.01 when shares are percentages
  double threshold = 0.25;          // report owners with at least this integrated share
  int max_depth = 12;               // longest chain followed (links)
  double min_path_share = 1e-6;     // chains whose product falls below this are cut
  bool ultimate_only = false;       // only owners that nobody owns (persons, top holdings)
  std::size_t max_paths = 1000000;  // chains explored before giving up (result.truncated)
};

struct Owner {
  graph::NodeId node = 0;
  double share = 0;                       // sum over simple chains of the product of shares
  std::int64_t paths = 0;                 // simple chains counted
  int min_depth = 0;                      // shortest chain (1 = direct owner)
  bool ultimate = false;                  // nobody owns this node (through the followed link types)
  std::vector<graph::LinkIdx> best_path;  // the chain with the largest product, owner first
};

struct OwnershipResult {
  graph::NodeId target = 0;
  std::vector<Owner> owners;  // share >= threshold, largest first
  bool truncated = false;     // max_paths reached: shares are lower bounds
};

// Method: integrated ownership as the sum over simple ownership chains of the product of
// shares (the "integrated ownership" of Vitali, Glattfelder & Battiston, "The Network of
// Global Corporate Control", PLoS ONE 6(10), 2011, restricted to simple paths as in the
// EU AMLD beneficial-ownership practice of multiplying along each chain). Depth-first
// enumeration backwards from the target over in-links, never revisiting a node on the
// current chain, so cross-holdings and ownership cycles terminate and each cycle is
// counted once per chain, not infinitely. Cost: exponential in the worst case; bounded by
// max_depth, min_path_share and max_paths. Throws Error(kInvalidArgument) on a bad target.
OwnershipResult BeneficialOwners(const graph::Graph& g, graph::NodeId target,
                                 const OwnershipOptions& options);

}  // namespace casegraph::analysis
