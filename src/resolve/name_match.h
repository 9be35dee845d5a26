// Name comparison: aligns the parts of two analysed names regardless of order (greedy best
// alignment over a part-similarity matrix, after joining parts split or merged on one side:
// "PolPot" / "Pol Pot"), tolerating typos, transliteration variants (via skeletons and
// same-script native comparison), initials, particles, legal forms and missing parts, and
// penalising conflicting parts. Term statistics optionally weight rare parts higher.
// Pure functions over immutable inputs; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "resolve/normalize.h"

namespace casegraph::resolve {

// 64-bit hash of a string key built from pieces (FNV-1a over the bytes, then mixed):
// KeyHash().Add("name:").Add(key).Value() == KeyHash().Add("name:" + key).Value().
// Corpus statistics count values by this hash instead of holding the strings (at 1 M
// records millions of keys; two distinct keys share a hash with probability ~1e-6).
struct KeyHash {
  std::uint64_t h = 14695981039346656037ull;
  KeyHash& Add(std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return *this;
  }
  std::uint64_t Value() const {
    std::uint64_t x = h;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x | (x == 0);  // 0 marks an empty slot of HashCounts
  }
};
inline std::uint64_t HashKey(std::string_view s) {
  return KeyHash().Add(s).Value();
}

// Counts by 64-bit key hash: an open-addressing table (linear probing), compact and
// cache-friendly. Build from one thread, then read from any number of threads.
class HashCounts {
 public:
  void Add(std::uint64_t hash, std::uint32_t by = 1);
  std::uint32_t Get(std::uint64_t hash) const;
  // Adds the counts of hashes given in any order (sorted here, in parallel).
  void AddAll(std::vector<std::uint64_t>& hashes);
  size_t size() const { return size_; }

 private:
  void Grow();
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> counts_;
  size_t size_ = 0;
};

// Document frequencies of name/text tokens over a corpus, for term-frequency adjustment.
// Build once (Add from one thread, or AddHashes), then read from any number of threads.
class TermStats {
 public:
  void Add(const std::vector<std::string>& tokens);  // one document's tokens
  // Many documents at once: the HashKey of each document's distinct tokens, concatenated.
  void AddHashes(std::vector<std::uint64_t>& token_hashes, size_t documents);
  // Inverse-frequency weight in [0.4, 1.6]: ~1 for a token of median rarity, >1 if rarer.
  double Weight(std::string_view token) const;
  std::uint32_t DocumentFrequency(std::string_view token) const { return df_.Get(HashKey(token)); }
  size_t documents() const { return documents_; }

 private:
  HashCounts df_;
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

// `explain` = false leaves NameComparison::alignment empty (scoring many pairs).
NameComparison CompareNames(const AnalyzedName& a, const AnalyzedName& b,
                            const TermStats* stats = nullptr, bool explain = true);

}  // namespace casegraph::resolve
