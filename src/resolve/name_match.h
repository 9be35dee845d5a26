// Name comparison: aligns the parts of two analysed names regardless of order (greedy best
// alignment over a part-similarity matrix, after joining parts split or merged on one side:
// "PolPot" / "Pol Pot"), tolerating typos, transliteration variants (via skeletons and
// same-script native comparison), initials, particles, legal forms and missing parts, and
// penalising conflicting parts. Term statistics optionally weight rare parts higher.
// Pure functions over immutable inputs; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "resolve/normalize.h"

namespace casegraph::resolve {

// Document frequencies of name/text tokens over a corpus, for term-frequency adjustment.
// Build once (Add from one thread), then read from any number of threads.
class TermStats {
 public:
  void Add(const std::vector<std::string>& tokens);  // one document's tokens
  // Inverse-frequency weight in [0.4, 1.6]: ~1 for a token of median rarity, >1 if rarer.
  double Weight(const std::string& token) const;
  uint32_t DocumentFrequency(const std::string& token) const;
  size_t documents() const { return documents_; }

 private:
  std::unordered_map<std::string, uint32_t> df_;
  size_t documents_ = 0;
};

struct PartAlignment {
  std::string left, right;  // latin forms ("" for an unmatched side)
  double similarity = 0;    // 0..1
};

struct NameComparison {
  double score = 0;                      // 0..1, >= ~0.7 means "probably the same name"
  std::vector<PartAlignment> alignment;  // aligned pairs, then unmatched parts
  std::string Describe() const;          // "olaf=olaf, scholz~sholts(0.83), -w"
};

// Similarity of two name parts in [0, 1].
double PartSimilarity(const NamePart& a, const NamePart& b);

NameComparison CompareNames(const AnalyzedName& a, const AnalyzedName& b,
                            const TermStats* stats = nullptr);

}  // namespace casegraph::resolve
