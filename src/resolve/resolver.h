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
#include <memory>
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
  // Fit the prior and u to the corpus (FitToCorpus) when it has at least this many records
  // (the larger side when linking; with use_term_frequencies). Smaller inputs keep the
  // general per-candidate defaults: random-pair estimates there are too noisy and too
  // contaminated by the duplicates themselves (fake_1000: 1000 records, 2031 true pairs).
  bool fit_to_corpus = true;
  size_t min_fit_records = 10000;
  // Dedupe: also return each kept pair's evidence per property (DedupeResult::explanations),
  // from the records and statistics it prepared anyway.
  bool explain = false;
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
  ModelParams params;  // the parameters used (fitted to the corpus when it was large enough)
  std::vector<std::vector<PropertyEvidence>> explanations;  // per pair, if options.explain
};

struct LinkResult {
  std::vector<ScoredPair> matches;  // accepted links, best first
  std::vector<ScoredPair> review;   // pairs in the review band
  ResolveStats stats;
  ModelParams params;  // the parameters used
};

// Fits `base` to a corpus without labels, as Splink does: the prior is over all pairs,
// starting at log2(1 / N) (one duplicate per record; N = the larger side when linking) -
// Dedupe and Link then re-estimate it by EM over the scored candidates, within 3 bits -
// so that a common name needs more corroboration in a larger corpus; u of every level is
// its frequency among random pairs (20 per record, 50k to 200k, seeded), counting for each
// comparator only pairs that the other comparators do not already mark as likely matches,
// so the duplicates among random pairs of a small corpus do not inflate u (levels that
// are no agreement by default stay <= 0; text, blocked on its own tokens, keeps at least
// its default u for every level); exact values weigh by their own frequency
// (ModelParams::corpus_records); agreement between records of one exact name is weighed
// against namesakes (ModelParams::namesake_u). m stays as given. Deterministic.
ModelParams FitToCorpus(const ModelParams& base, const std::vector<PreparedRecord>& left,
                        const std::vector<PreparedRecord>* right,
                        std::shared_ptr<const CorpusStats> stats);

Result<DedupeResult> Dedupe(const std::vector<model::Entity>& records,
                            const ResolveOptions& options = {});
// Prepare() of every record, in parallel.
std::vector<PreparedRecord> PrepareAll(const std::vector<model::Entity>& records);
// Dedupe over records prepared already (PrepareAll), same result as Dedupe of the entities:
// a caller with a large input can prepare it in batches while loading and drop each
// batch's entities, so that the input is never held whole as model::Entity (at 1 M
// persons ~2 GB). Record indices in the result are positions in `prepared`. The records
// get the corpus' token weights attached (AttachIdf); nothing else changes in them.
Result<DedupeResult> DedupePrepared(std::vector<PreparedRecord>& prepared,
                                    const ResolveOptions& options = {});
Result<LinkResult> Link(const std::vector<model::Entity>& left,
                        const std::vector<model::Entity>& right,
                        const ResolveOptions& options = {});

// Estimates m by expectation-maximisation over blocked candidate pairs and u from random
// pairs, starting from `start`. Returns the trained parameters (prior included).
Result<ModelParams> Train(const std::vector<model::Entity>& records,
                          const ResolveOptions& options = {}, int iterations = 10);

}  // namespace casegraph::resolve
