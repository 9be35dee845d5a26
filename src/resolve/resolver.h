// Entity resolution entry points, the API the CLI and the case layer call:
//   Compare(a, b)        one pair -> probability, decision, explanation per property
//   Dedupe(records)      one collection -> clusters of records that are the same entity
//   Link(left, right)    two collections -> matching pairs across them
//   Train(records)       unlabelled estimation of m (EM on blocked pairs) and u (random pairs)
// Candidate pairs come from blocking (blocking.h); clusters from clustering.h. Records are
// never altered: results refer to them by index and id.
//
// Thread safety: all functions are reentrant; Dedupe/Link/Train parallelise internally
// with TBB. Inputs are borrowed for the duration of the call.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "casegraph/status.h"
#include "model/entity.h"
#include "resolve/model.h"

namespace casegraph::resolve {

// Scores one pair with the given (default: general, untrained) parameters.
MatchResult Compare(const model::Entity& a, const model::Entity& b,
                    const ModelParams& params = DefaultParams());

struct ResolveOptions {
  ModelParams params = DefaultParams();
  size_t max_block_size = 200;  // blocks larger than this are generic values: skipped
  bool use_term_frequencies = true;
  bool check_cluster_consistency = true;  // split chains whose members do not agree
  size_t max_cluster_size = 50;           // consistency checks beyond this are skipped
  bool one_to_one = true;                 // Link: each record matches at most one on the other side
};

struct ScoredPair {
  uint32_t a = 0, b = 0;  // record indices (Link: a in left, b in right)
  double probability = 0;
};

struct ResolveStats {
  size_t records = 0;
  size_t candidate_pairs = 0;  // pairs scored
  size_t matches = 0;          // pairs at or above the match threshold
  size_t review = 0;           // pairs in the review band
  double seconds_blocking = 0, seconds_scoring = 0, seconds_clustering = 0;
};

struct DedupeResult {
  std::vector<std::vector<uint32_t>> clusters;  // record indices; singletons included
  std::vector<ScoredPair> pairs;                // pairs scored at or above review threshold
  ResolveStats stats;
};

struct LinkResult {
  std::vector<ScoredPair> matches;  // accepted links, best first
  std::vector<ScoredPair> review;   // pairs in the review band
  ResolveStats stats;
};

Result<DedupeResult> Dedupe(const std::vector<model::Entity>& records,
                            const ResolveOptions& options = {});
Result<LinkResult> Link(const std::vector<model::Entity>& left,
                        const std::vector<model::Entity>& right,
                        const ResolveOptions& options = {});

// Estimates m by expectation-maximisation over blocked candidate pairs and u from random
// pairs, starting from `start`. Returns the trained parameters (prior included).
Result<ModelParams> Train(const std::vector<model::Entity>& records,
                          const ResolveOptions& options = {}, int iterations = 10);

}  // namespace casegraph::resolve
