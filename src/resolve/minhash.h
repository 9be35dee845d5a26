// MinHash signatures over character n-grams and LSH banding, for blocking (issue 4,
// candidate generation): two strings whose n-gram sets have Jaccard similarity s share at
// least one of b band keys with probability 1 - (1 - s^r)^b (b bands of r rows), so a name
// with a typo or two still meets its original in a block while unrelated names rarely do
// (Broder 1997, "On the resemblance and containment of documents"; Leskovec, Rajaraman,
// Ullman, "Mining of Massive Datasets", ch. 3).
//
// The n-grams are of code points (any script) of the text lower-cased (ASCII) with runs of
// white space collapsed, padded with n - 1 boundary marks at each end ("ab" -> "^^a",
// "^ab", "ab$", "b$$" for n = 3), so short strings and word ends count. Callers normalise
// (FoldText, ToLatin) beforehand. The hash family is fixed by the seed: the same seed gives
// the same signatures and keys on every run and platform.
//
// A MinHasher is immutable after construction and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "casegraph/status.h"

namespace casegraph::resolve {

struct MinHashOptions {
  int ngram = 3;   // characters per n-gram (1..8)
  int bands = 16;  // b: band keys per string
  int rows = 4;    // r: signature values per band; signature length b * r
  std::uint64_t seed = 0x6361736567726170ull;  // "casegrap"
};

// The padded character n-grams of `text` as described above (UTF-8 strings; duplicates
// kept, in order). Empty when the text has no non-space character.
std::vector<std::string> CharNgrams(std::string_view text, int n);

class MinHasher {
 public:
  // kInvalidArgument unless 1 <= ngram <= 8, bands >= 1, rows >= 1, bands * rows <= 4096.
  static Result<MinHasher> Create(const MinHashOptions& options = {});

  const MinHashOptions& options() const { return options_; }
  size_t signature_size() const { return seeds_.size(); }

  // bands * rows minimum hash values over the n-gram set; empty for text without n-grams.
  std::vector<std::uint64_t> Signature(std::string_view text) const;
  // One 64-bit key per band (band index mixed in, so equal rows in different bands give
  // different keys); empty for an empty signature.
  std::vector<std::uint64_t> BandKeys(const std::vector<std::uint64_t>& signature) const;
  std::vector<std::uint64_t> BandKeys(std::string_view text) const {
    return BandKeys(Signature(text));
  }

 private:
  explicit MinHasher(const MinHashOptions& options);
  MinHashOptions options_;
  std::vector<std::uint64_t> seeds_;  // one per hash function of the family
};

// The fraction of equal positions of two signatures of one MinHasher: an unbiased estimate
// of the Jaccard similarity of the two n-gram sets (0 if either is empty or sizes differ).
double EstimatedJaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b);

// The exact Jaccard similarity of the n-gram sets of two strings (for tests and tuning).
double NgramJaccard(std::string_view a, std::string_view b, int n);

}  // namespace casegraph::resolve
