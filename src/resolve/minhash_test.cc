// Unit tests for MinHash-LSH (minhash.h): n-gram extraction, determinism, and the rates at
// which names with one typo and unrelated names share a band, measured on a generated
// sample with fixed seeds.
#include "resolve/minhash.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <unordered_set>

namespace casegraph::resolve {
namespace {

// Deterministic across standard libraries (std::uniform_int_distribution is not).
size_t Pick(std::mt19937_64& rng, size_t n) {
  return static_cast<size_t>(rng() % n);
}

// A made-up "first last" name of 16+ letters from syllables.
std::string RandomName(std::mt19937_64& rng) {
  static const char* kSyllables[] = {"ka",  "lo",  "mi",  "ra",  "to",  "sen", "bar", "vel",
                                     "dor", "an",  "el",  "is",  "mar", "tin", "gor", "lev",
                                     "sha", "pol", "ri",  "nu",  "zek", "hal", "ber", "ov",
                                     "wen", "cha", "lin", "ost", "ru",  "fa",  "gel", "mon"};
  const size_t n = sizeof(kSyllables) / sizeof(kSyllables[0]);
  std::string name;
  while (name.size() < 16) {
    if (!name.empty()) name += ' ';
    size_t parts = 2 + Pick(rng, 3);
    for (size_t k = 0; k < parts; ++k) name += kSyllables[Pick(rng, n)];
  }
  return name;
}

// One typo: a letter substituted, deleted, inserted or two letters swapped (not a space).
std::string WithTypo(const std::string& s, std::mt19937_64& rng) {
  std::string out = s;
  size_t i;
  do {
    i = Pick(rng, out.size() - 1);
  } while (out[i] == ' ' || out[i + 1] == ' ');
  char letter = static_cast<char>('a' + Pick(rng, 26));
  switch (Pick(rng, 4)) {
    case 0:
      out[i] = letter == out[i] ? static_cast<char>('a' + (letter - 'a' + 1) % 26) : letter;
      break;
    case 1:
      out.erase(i, 1);
      break;
    case 2:
      out.insert(out.begin() + static_cast<long>(i), letter);
      break;
    default:
      std::swap(out[i], out[i + 1]);
      break;
  }
  return out;
}

bool ShareBand(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  std::unordered_set<std::uint64_t> sa(a.begin(), a.end());
  for (auto k : b)
    if (sa.count(k)) return true;
  return false;
}

TEST(MinHashTest, PaddedCharacterNgrams) {
  const std::string s(1, '\x02'), e(1, '\x03');
  EXPECT_EQ(CharNgrams("ab", 3),
            (std::vector<std::string>{s + s + "a", s + "ab", "ab" + e, "b" + e + e}));
  // Lower-cased, white space collapsed and trimmed.
  EXPECT_EQ(CharNgrams("  Ab \t C ", 2), CharNgrams("ab c", 2));
  EXPECT_EQ(CharNgrams("ab c", 2).size(), 5u);
  // Code points, not bytes.
  EXPECT_EQ(CharNgrams("жу", 2), (std::vector<std::string>{s + "ж", "жу", "у" + e}));
  EXPECT_TRUE(CharNgrams("   ", 3).empty());
  EXPECT_TRUE(CharNgrams("", 3).empty());
}

TEST(MinHashTest, RejectsBadOptions) {
  EXPECT_FALSE(MinHasher::Create({.ngram = 0}).ok());
  EXPECT_FALSE(MinHasher::Create({.ngram = 9}).ok());
  EXPECT_FALSE(MinHasher::Create({.bands = 0}).ok());
  EXPECT_FALSE(MinHasher::Create({.rows = 0}).ok());
  EXPECT_FALSE(MinHasher::Create({.bands = 100, .rows = 100}).ok());
  EXPECT_TRUE(MinHasher::Create().ok());
}

TEST(MinHashTest, DeterministicKeys) {
  MinHasher a = *MinHasher::Create(), b = *MinHasher::Create();
  EXPECT_EQ(a.signature_size(), 64u);
  std::vector<std::uint64_t> ka = a.BandKeys("Olaf Scholz");
  EXPECT_EQ(ka.size(), 16u);
  EXPECT_EQ(ka, b.BandKeys("Olaf Scholz"));       // same seed: same family
  EXPECT_EQ(ka, a.BandKeys("  OLAF   scholz "));  // the same normalised text
  EXPECT_EQ(a.Signature("Olaf Scholz"), b.Signature("Olaf Scholz"));
  EXPECT_EQ(EstimatedJaccard(a.Signature("Olaf Scholz"), a.Signature("Olaf Scholz")), 1.0);
  // Keys of different bands differ even where the rows agree.
  std::unordered_set<std::uint64_t> distinct(ka.begin(), ka.end());
  EXPECT_EQ(distinct.size(), ka.size());
  // Another seed is another family.
  MinHasher c = *MinHasher::Create({.seed = 12345});
  EXPECT_FALSE(ShareBand(ka, c.BandKeys("Olaf Scholz")));
  // No n-grams, no keys (empty values must not all fall into one block).
  EXPECT_TRUE(a.BandKeys("").empty());
  EXPECT_TRUE(a.Signature(" ").empty());
  EXPECT_TRUE(a.BandKeys(std::vector<std::uint64_t>{1, 2, 3}).empty());  // wrong size
}

TEST(MinHashTest, EstimatesJaccard) {
  MinHasher h = *MinHasher::Create({.bands = 64, .rows = 4});
  std::mt19937_64 rng(11);
  double error = 0;
  const int kPairs = 400;
  for (int i = 0; i < kPairs; ++i) {
    std::string x = RandomName(rng);
    std::string y = i % 2 ? WithTypo(x, rng) : RandomName(rng);
    error += std::abs(EstimatedJaccard(h.Signature(x), h.Signature(y)) - NgramJaccard(x, y, 3));
  }
  // 256 hash functions: standard error <= 0.5 / 16 per pair.
  EXPECT_LT(error / kPairs, 0.03);
  EXPECT_EQ(NgramJaccard("abc", "abc", 3), 1.0);
  EXPECT_EQ(NgramJaccard("abc", "xyz", 3), 0.0);
}

TEST(MinHashTest, TyposShareABandUnrelatedNamesRarely) {
  MinHasher h = *MinHasher::Create();  // 16 bands x 4 rows
  std::mt19937_64 rng(2026);
  const int kNames = 3000;
  std::vector<std::string> names;
  for (int i = 0; i < kNames; ++i) names.push_back(RandomName(rng));
  int similar = 0, unrelated = 0, unrelated_pairs = 0;
  double similar_jaccard = 0;
  for (int i = 0; i < kNames; ++i) {
    std::string typo = WithTypo(names[i], rng);
    similar_jaccard += NgramJaccard(names[i], typo, 3);
    similar += ShareBand(h.BandKeys(names[i]), h.BandKeys(typo));
    const std::string& other = names[(i + 1 + Pick(rng, kNames - 1)) % kNames];
    if (other == names[i]) continue;
    ++unrelated_pairs;
    unrelated += ShareBand(h.BandKeys(names[i]), h.BandKeys(other));
  }
  double similar_rate = static_cast<double>(similar) / kNames;
  double unrelated_rate = static_cast<double>(unrelated) / unrelated_pairs;
  std::printf("one typo: mean Jaccard %.3f, share a band %.4f; unrelated: share a band %.4f\n",
              similar_jaccard / kNames, similar_rate, unrelated_rate);
  // A typo in a 16+ letter name leaves a Jaccard of about 0.75: 1 - (1 - 0.75^4)^16 > 0.99
  // (measured 0.991 with these seeds).
  EXPECT_GE(similar_rate, 0.97);
  // Unrelated names of one syllable inventory still share some 3-grams, rarely a whole
  // band of four minima (measured 0.0003).
  EXPECT_LE(unrelated_rate, 0.005);
}

}  // namespace
}  // namespace casegraph::resolve
