// The Fellegi-Sunter scoring model: every property of an entity is routed to a comparator
// (name, date, identifier, email, phone, country, gender, number, text); each comparator
// turns a pair of values into a comparison level; each level has an m probability (level
// given a match) and a u probability (level given a non-match); the match weight is
// log2(m/u), adjusted for term frequency (a rare exact value weighs more, a generic
// value shared by very many records weighs nothing). The sum of weights plus the prior
// log-odds gives the match probability, and every weight is kept as explanation.
//
// Records are prepared once (normalised, analysed) into PreparedRecord so that scoring a
// pair does no Unicode work. Matcher is immutable after construction and thread-safe for
// concurrent Score() calls; CorpusStats is built once, then read-only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/entity.h"
#include "resolve/name_match.h"
#include "resolve/normalize.h"

namespace casegraph::resolve {

enum class ComparatorKind : std::uint8_t {
  kName,
  kDate,
  kIdentifier,
  kEmail,
  kPhone,
  kCountry,
  kGender,
  kNumber,
  kText,
  kIgnore
};
constexpr int kComparatorCount = 9;
const char* ComparatorName(ComparatorKind kind);
// Which comparator handles an FtM property ("birthDate" -> kDate, "idNumber" ->
// kIdentifier, unknown string properties -> kText).
ComparatorKind ComparatorForProperty(std::string_view prop);

// One comparison level of a comparator with its m and u probabilities.
struct Level {
  std::string label;  // "exact", "fuzzy >= 0.92", "conflict", ...
  double m = 0.5;
  double u = 0.5;
};

// The model's parameters: levels per comparator, prior and thresholds. DefaultParams()
// are general values chosen from first principles (no per-dataset tuning); Train() in
// resolver.h re-estimates m and u from unlabelled data.
struct ModelParams {
  std::string version = "casegraph-er-1";
  double prior_log2_odds = -2.5;           // log2 odds that a candidate pair is a match
  double match_threshold = 0.5;            // probability at or above: merge
  double review_threshold = 0.2;           // between review and match: analyst review
  double max_tf_adjust_bits = 2.0;         // cap on the term-frequency adjustment
  std::vector<std::vector<Level>> levels;  // indexed by ComparatorKind
  // Set by FitToCorpus (resolver.h) when the parameters were fitted to a corpus of this
  // many records: the prior is then over all pairs (about -log2 N), u of every level is
  // the frequency among random pairs of that corpus, and exact agreement on a name,
  // identifier, e-mail, phone or country weighs log2(m / tf(value)) (Splink's term-
  // frequency adjustment, uncapped). 0: the general defaults above, prior per candidate.
  size_t corpus_records = 0;
  // Fitted: u of each level among namesakes (different records of one exact name), by
  // ComparatorKind then level, for nationality, gender and e-mail; empty when not estimated.
  // Between records whose names agree exactly, an agreement level weighs against max(u, namesake
  // u): a name implies a likely nationality, gender and a name-spelt e-mail address
  // (pavel.novikov@...), so those agree between namesakes far more often than between random pairs.
  std::vector<std::vector<double>> namesake_u;
};
ModelParams DefaultParams();

// One property's contribution to a decision: what was compared, at what level, and the
// weight it added. A person can read it: "name: 'Olaf Scholz' vs 'Олаф Шольц' — fuzzy
// >= 0.92 (olaf=olaf, scholz~sholts(0.83)) +7.2".
struct PropertyEvidence {
  std::string property;  // property (or property group) compared, e.g. "name", "birthDate"
  ComparatorKind comparator = ComparatorKind::kText;
  std::string left, right;  // the compared values (the best-agreeing pair)
  int level = -1;           // index into the comparator's levels
  std::string level_label;  // readable level
  double similarity = 0;    // raw similarity behind the level, when there is one
  double weight = 0;        // log2 Bayes factor added to the log-odds (after TF adjustment)
  std::string detail;       // comparator detail, e.g. the name-part alignment
};

struct MatchResult {
  double probability = 0;
  double log2_odds = 0;
  bool match = false;   // probability >= match_threshold
  bool review = false;  // review_threshold <= probability < match_threshold
  std::vector<PropertyEvidence> explanation;
  std::string ToText() const;  // multi-line human-readable explanation
};

// A record normalised for comparison. Built by Prepare(); immutable afterwards.
struct PreparedRecord {
  std::string id;
  std::string schema;
  NameKind name_kind = NameKind::kOther;
  struct Name {
    std::string raw;
    AnalyzedName analyzed;
    std::string key;  // sorted latin key, for term frequency and blocking
  };
  std::vector<Name> names;
  struct Values {
    std::string prop;
    ComparatorKind kind;
    std::vector<std::string> norm;                 // normalised values
    std::vector<PartialDate> dates;                // kDate
    std::vector<double> numbers;                   // kNumber
    std::vector<std::vector<std::string>> tokens;  // kText: tokens per value
    std::vector<std::vector<double>> idf;          // per token of `tokens`: AttachIdf
  };
  std::vector<Values> props;  // one entry per property present (names excluded)
  // All text tokens of the record's text properties pooled (sorted, unique): lets a
  // product code in one offer's title meet the same code in another's description. Read
  // through AllText(): when the record has one text value only (a person's address),
  // text_tokens is left empty and AllText() is that value's tokens (not stored twice).
  std::vector<std::string> text_tokens;
  int single_text = -1;  // index into props of the one text value, or -1
  const std::vector<std::string>& AllText() const {
    return single_text >= 0 ? props[single_text].tokens[0] : text_tokens;
  }
  // Alphanumeric codes among text_tokens (letters and 2+ digits, 5+ characters: model
  // and part numbers such as "dscw120"); agreement is strong evidence, a near miss
  // ("ln52a850" vs "ln52a650") a conflict.
  std::vector<std::string> codes;
  // CorpusStats::serial() of the statistics Values::idf was computed with (AttachIdf), or 0.
  uint64_t idf_stats = 0;
};
PreparedRecord Prepare(const model::Entity& entity);

// Corpus statistics for term-frequency adjustment and generic-value detection. Values are
// counted by their 64-bit key hash (HashKey, name_match.h), not held as strings.
class CorpusStats {
 public:
  void Add(const PreparedRecord& record);  // single-threaded build
  // Adds many records, in parallel internally (same result as Add of each in turn).
  void AddAll(const std::vector<PreparedRecord>& records);
  void Finish();  // call once after the last Add
  // Fraction of records carrying this value key ("name:olaf scholz", "email:x@y").
  double Frequency(const std::string& key) const;
  uint32_t Count(const std::string& key) const { return value_counts_.Get(HashKey(key)); }
  // The same for the key kind + ":" + value, without building the string.
  uint32_t Count(std::string_view kind, std::string_view value) const {
    return value_counts_.Get(KeyHash().Add(kind).Add(":").Add(value).Value());
  }
  // A value shared by so many records that it is no evidence (formation agent's phone).
  bool IsGeneric(const std::string& key) const { return IsGenericCount(Count(key)); }
  bool IsGeneric(std::string_view kind, std::string_view value) const {
    return IsGenericCount(Count(kind, value));
  }
  const TermStats& name_terms() const { return name_terms_; }
  const TermStats& text_terms(const std::string& prop) const;
  // Document frequencies of the pooled text tokens (PreparedRecord::AllText).
  const TermStats& all_text_terms() const { return all_text_terms_; }
  size_t records() const { return records_; }
  // A number unique to this object in the process (never reused), naming the statistics
  // that PreparedRecord::idf_stats were computed with. A copy keeps it: records attached
  // to the original would read stale weights if the copy then got more records.
  uint64_t serial() const { return serial_; }

 private:
  static uint64_t NextSerial();
  uint64_t serial_ = NextSerial();
  bool IsGenericCount(uint32_t c) const { return c > 20 && c > records_ / 500; }
  HashCounts value_counts_;
  TermStats name_terms_;
  std::unordered_map<std::string, TermStats> text_terms_;
  TermStats all_text_terms_;
  size_t records_ = 0;
};

// Computes each text token's inverse document frequency under `stats` into the records
// (Values::idf, PreparedRecord::idf_stats), in parallel: a Matcher with these statistics
// then reads them instead of looking every token up for every pair (same result). Call
// after the last Add to `stats`.
void AttachIdf(std::vector<PreparedRecord>& records, const CorpusStats& stats);

// Scores pairs of prepared records. Holds the parameters and (optionally) corpus stats.
class Matcher {
 public:
  explicit Matcher(ModelParams params = DefaultParams(),
                   std::shared_ptr<const CorpusStats> stats = nullptr);
  MatchResult Score(const PreparedRecord& a, const PreparedRecord& b) const;
  // Score's log2 odds (and the sum of the evidence similarities, Link's tie-breaker)
  // without building the explanation: for scoring many pairs.
  double Log2Odds(const PreparedRecord& a, const PreparedRecord& b,
                  double* similarity_sum = nullptr) const;
  double Probability(const PreparedRecord& a, const PreparedRecord& b) const;
  // The comparison levels (-1 = missing) per property, e.g. for EM; `explain` = false
  // leaves the strings (property, values, detail) empty.
  std::vector<PropertyEvidence> Evidence(const PreparedRecord& a, const PreparedRecord& b,
                                         bool explain = true) const;
  const ModelParams& params() const { return params_; }

 private:
  // The evidence of a pair, and per evidence the value behind it for frequency weighting
  // (a name's sorted key, the agreeing identifier, e-mail, phone or country) or nullptr.
  void Collect(const PreparedRecord& a, const PreparedRecord& b, bool explain,
               std::vector<PropertyEvidence>& out, std::vector<const std::string*>& values) const;
  double Weight(const PropertyEvidence& e, const std::string* value, bool namesakes) const;
  PropertyEvidence CompareCodes(const PreparedRecord& a, const PreparedRecord& b) const;
  ModelParams params_;
  std::shared_ptr<const CorpusStats> stats_;
};

}  // namespace casegraph::resolve
