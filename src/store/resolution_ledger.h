// The decision ledger of entity resolution: which source records form one entity, and
// why. It lives in the case file (tables er_runs, er_records, er_pairs, er_judgements,
// er_clusters, er_merges) and is written through its own SQLite connection, like the
// audit log, so it never touches the case store's tables.
//
// What it holds:
//   * runs        every resolve run: when, who started it, model version and parameters
//                 (JSON), thresholds, counts, full or incremental, the fitted model;
//   * records     the records the latest run saw, with a content hash (to tell new and
//                 changed records on the next run) and the model's own cluster;
//   * pairs       the latest run's scored pairs at or above the review threshold, with the
//                 model's evidence per property (JSON text, as the resolver explains it);
//   * judgements  analyst decisions (match / no-match / unsure) per pair, append-only;
//                 the latest judgement of a pair is the one in force;
//   * clusters    the current entities: record id -> canonical id (the smallest record id
//                 of its cluster), and the merges that built each cluster, each with its
//                 probability, evidence, who or what decided it and when.
//
// The clusters are always derived from pairs + judgements by Recluster() (run after
// every resolve run, judgement and split): match judgements join records whatever the
// model says; no-match judgements keep two records apart (no merge may join their
// clusters); model pairs at or above the run's match threshold join records the model
// itself clustered together, best first. "unsure" does not override the model; it only
// takes the pair out of the review queue. So analyst judgements override the model on
// every later run, and a split (no-match between every two records of a cluster) stays
// split. Source records are never touched: the ledger only refers to their ids.
//
// The ledger does not depend on the resolver (src/resolve is a later stage): callers
// score pairs and pass the results in. Ownership and threads: a ResolutionLedger owns its
// connection; one thread at a time. SQLite's lock serialises writers across processes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "casegraph/status.h"

namespace casegraph::store {

enum class Verdict { kMatch, kNoMatch, kUnsure };
const char* VerdictName(Verdict v);  // "match", "no-match", "unsure"
// Parses "match" | "no-match" | "unsure" (also "same"/"different"/"nomatch"/"no_match").
Result<Verdict> ParseVerdict(const std::string& text);

// One record as a resolve run saw it.
struct LedgerRecord {
  std::string id;
  std::string content_hash;   // any stable digest of what was compared
  std::string model_cluster;  // the model's cluster (any id shared by its members)
};

// One scored pair (a != b; stored with a < b).
struct LedgerPair {
  std::string a, b;
  double probability = 0;
  std::string evidence;     // JSON array text: the per-property explanation
  std::int64_t run_id = 0;  // filled on reads
};

struct ResolutionRunInfo {
  std::string decided_by;  // who started the run (user); the model decides the merges
  std::string model_version;
  std::string params;  // model parameters, JSON text
  double match_threshold = 0.5;
  double review_threshold = 0.2;
  std::int64_t candidate_pairs = 0;
  double seconds = 0;
  std::int64_t at = 0;  // unix seconds; 0 = now
  // An incremental run rescored only new and changed records (RecordIncrementalRun).
  bool incremental = false;
  // The model as fitted to the corpus (JSON text), kept so that incremental runs score
  // with the model of the full run they extend; "" when the model was not fitted.
  std::string fitted_params;
};

struct ResolutionRun {
  std::int64_t id = 0;
  ResolutionRunInfo info;
  std::int64_t records = 0;
  std::int64_t new_records = 0;      // not seen by the previous run
  std::int64_t changed_records = 0;  // content hash differs from the previous run
  std::int64_t removed_records = 0;  // seen by the previous run, gone now
};

// How far the records moved since the latest full (not incremental) run.
struct ChangesSinceFullRun {
  std::int64_t full_run = 0;      // its id
  std::int64_t full_records = 0;  // the records it saw
  // New, changed and removed records summed over the incremental runs after it (a record
  // changed in two runs counts twice).
  std::int64_t changes = 0;
};

struct Judgement {
  std::int64_t seq = 0;
  std::string a, b;  // a < b
  Verdict verdict = Verdict::kUnsure;
  std::string user;
  std::int64_t at = 0;
  std::string reason;
  std::string source;  // "judge" or "split"
};

// How one record joined its cluster.
struct ClusterMerge {
  std::string canonical_id;
  std::string a, b;
  double probability = 0;   // the model's, or 1 for a match judgement without a score
  std::string decided_by;   // "model <version>" or "judgement by <user>"
  std::int64_t at = 0;      // when the deciding run or judgement happened
  std::int64_t run_id = 0;  // the run whose pair it is (0 if none)
  std::string evidence;     // JSON text ("[]" if none)
};

// The result of Recluster(): counts for summaries.
struct ClusterSummary {
  std::int64_t records = 0;            // records known to the ledger
  std::int64_t clusters = 0;           // clusters with two or more records
  std::int64_t clustered_records = 0;  // records inside those clusters
  std::int64_t model_merges = 0;       // merges decided by the model
  std::int64_t judged_merges = 0;      // merges decided by a match judgement
  std::int64_t blocked_merges = 0;     // model merges refused by a no-match judgement
  std::int64_t conflicts = 0;          // match judgements that contradict no-match ones
  std::int64_t review = 0;             // review queue size (see ReviewQueue)
};

struct ReviewItem {
  LedgerPair pair;
  bool unsure = false;  // judged unsure (included only on request)
};

class ResolutionLedger {
 public:
  // Opens the ledger of the case file at `case_path` (kNotFound if there is no such file),
  // creating its tables on first use.
  static Result<std::unique_ptr<ResolutionLedger>> Open(const std::string& case_path);
  ~ResolutionLedger();
  ResolutionLedger(const ResolutionLedger&) = delete;
  ResolutionLedger& operator=(const ResolutionLedger&) = delete;

  // Content hashes of the latest run's records (empty before the first run).
  Result<std::unordered_map<std::string, std::string>> RecordHashes();
  Result<std::optional<ResolutionRun>> LastRun();
  // Since the latest full run; nullopt before the first run.
  Result<std::optional<ChangesSinceFullRun>> ChangesSinceFull();

  // Records one resolve run in one transaction: appends the run, replaces the records
  // and pairs with these, then re-derives the clusters. Pairs below the review threshold
  // need not be passed (they decide nothing).
  Result<std::pair<ResolutionRun, ClusterSummary>> RecordRun(
      const ResolutionRunInfo& info, const std::vector<LedgerRecord>& records,
      const std::vector<LedgerPair>& pairs);

  // Records an incremental run (only some records rescored) in one transaction: as
  // RecordRun, except that the previous run's pairs between two records that are still
  // present and not in `rescored` are kept, each with the run id that scored it; pairs
  // touching a rescored record or a record no longer present are dropped, and `pairs`
  // (the rescored records' pairs) are added. `records` are all current records, as for
  // RecordRun (their model clusters over kept and new pairs together).
  Result<std::pair<ResolutionRun, ClusterSummary>> RecordIncrementalRun(
      const ResolutionRunInfo& info, const std::vector<LedgerRecord>& records,
      const std::vector<LedgerPair>& pairs, const std::vector<std::string>& rescored);

  // The latest scored pairs (p >= the review threshold of the run that scored them), in
  // (a, b) order, each with the id of that run; the evidence only if asked (it is large).
  Result<std::vector<LedgerPair>> Pairs(bool with_evidence = false);

  // Appends a judgement on a pair (a != b, any order) and re-derives the clusters.
  Result<std::pair<Judgement, ClusterSummary>> Judge(const std::string& a, const std::string& b,
                                                     Verdict verdict, const std::string& user,
                                                     const std::string& reason,
                                                     const std::string& source = "judge");
  // Splits the cluster holding `id` back into its records: a no-match judgement (source
  // "split") between every two of its records, then re-derives the clusters. Returns the
  // records of the former cluster (sorted). kInvalidArgument if `id` is not merged.
  Result<std::vector<std::string>> Split(const std::string& id, const std::string& user,
                                         const std::string& reason);

  // Re-derives er_clusters / er_merges from records, pairs and judgements (see above).
  Result<ClusterSummary> Recluster();

  // Current clusters, each sorted, ordered by canonical id. Singletons only if asked.
  Result<std::vector<std::vector<std::string>>> Clusters(bool include_singletons);
  // The canonical id of a record (itself if not merged or unknown).
  Result<std::string> CanonicalOf(const std::string& id);
  // Records of the cluster holding `id` (just `id` if not merged).
  Result<std::vector<std::string>> ClusterOf(const std::string& id);
  // The merges that built the cluster with this canonical id.
  Result<std::vector<ClusterMerge>> MergesOf(const std::string& canonical_id);
  // The latest run's score of a pair, if it was at or above the review threshold.
  Result<std::optional<LedgerPair>> PairOf(const std::string& a, const std::string& b);
  // All judgements of one pair, oldest first (the last is in force).
  Result<std::vector<Judgement>> JudgementsOf(const std::string& a, const std::string& b);
  // The review queue: scored pairs of the latest run (p >= review threshold) whose records
  // are not in one cluster and that no match/no-match judgement decides, best first. That
  // is the grey zone (review <= p < match threshold) plus the rare pairs above the match
  // threshold that were not merged (the model's anti-chaining check, or a no-match
  // judgement elsewhere in the cluster). With include_unsure also pairs judged unsure.
  // `limit` 0 = all. `total` (optional) receives the queue size without the limit.
  Result<std::vector<ReviewItem>> ReviewQueue(std::int64_t limit, bool include_unsure,
                                              std::int64_t* total = nullptr);

 private:
  struct Impl;
  explicit ResolutionLedger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// For the graph layer: record id -> canonical id of its cluster, for every record that is
// part of a cluster of two or more records (the canonical record maps to itself). A record
// absent from the map is an entity of its own. Empty if the case was never resolved.
// Opens the case file read-only; kNotFound if it does not exist.
Result<std::unordered_map<std::string, std::string>> CanonicalIds(const std::string& case_path);

}  // namespace casegraph::store
