// Blocking: see blocking.h.
#include "resolve/blocking.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>

#include "resolve/minhash.h"

namespace casegraph::resolve {
namespace {

// Sorts (key, record) entries and calls emit(begin, end) for every block within the cap.
template <typename Emit>
void ForEachBlock(std::vector<std::pair<uint64_t, uint32_t>>& entries, Emit emit) {
  tbb::parallel_sort(entries.begin(), entries.end());
  size_t i = 0;
  while (i < entries.size()) {
    size_t j = i;
    while (j < entries.size() && entries[j].first == entries[i].first) ++j;
    emit(i, j);
    i = j;
  }
}

// Broad keys (low bit set) are capped at an eighth of the block size, and beyond 100k
// records (n) that cap shrinks with sqrt(100k / n): the prior of a pair falls as 1 / n,
// and a broad block of a common name part or date is mostly strangers.
size_t BroadCap(size_t n, size_t max_block_size = 200) {
  double cap = static_cast<double>(max_block_size) / 8;
  if (n > 100000) cap *= std::sqrt(100000.0 / static_cast<double>(n));
  return std::max<size_t>(2, static_cast<size_t>(cap));
}
size_t BlockCap(uint64_t key, size_t max_block_size, size_t n) {
  return key & 1 ? BroadCap(n, max_block_size) : max_block_size;
}

// Key families: the index into kFamilies (0: other); a broad variant ("T", "E", "N", "D"
// prefixes) counts with its family.
const char* const kFamilies[] = {
    "other", "D:",  "d:",  "identifier:", "email:", "phone:", "t:",  "tc:",
    "ta:",   "n1:", "Np:", "nw:",         "Ny:",    "Nw:",    "N1:", "mh:"};
constexpr size_t kFamilyCount = sizeof(kFamilies) / sizeof(kFamilies[0]);
enum Family : uint64_t {
  kDate = 1,
  kDateName = 2,
  kIdentifier = 3,
  kEmail = 4,
  kPhone = 5,
  kToken = 6,
  kCode = 7,
  kPooledToken = 8,
  kSinglePart = 9,
  kPrefixPair = 10,
  kWholePair = 11,
  kPartYear = 12,
  kBroadWholePair = 13,
  kBroadSinglePart = 14,
  kNameMinHash = 15,
};

// MinHash-LSH over the character 3-grams of organisation and other non-person names
// (minhash.h): 8 bands of 3 rows, so two names whose 3-gram sets have Jaccard similarity
// 0.5 share a band with probability 1 - (1 - 0.5^3)^8 = 0.66, at 0.7 with 0.95, at 0.2 with
// 0.06. They find company names that token keys miss: a typo inside the only distinctive
// word, or words run together or split ("deutschebank" / "deutsche bank"). Person names are
// left out: their parts are short and common, so n-gram blocks there are mostly namesakes
// (the name part, skeleton and date keys above serve them).
const MinHasher& NameMinHasher() {
  static const MinHasher hasher = *MinHasher::Create(MinHashOptions{3, 8, 3});
  return hasher;
}

// Appends a decimal number to a key hash (as std::to_string spells it).
KeyHash& AddInt(KeyHash& h, int v) {
  char buf[16];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return h.Add(std::string_view(buf, static_cast<size_t>(end - buf)));
}

// CG_ER_TIMING: pairs (before de-duplication) and blocks per key family, to stderr.
struct FamilyCounts {
  size_t pairs[kFamilyCount] = {}, blocks[kFamilyCount] = {}, skipped[kFamilyCount] = {};
  void Count(uint64_t key, size_t pairs_in_block, bool skip) {
    size_t f = (key >> 1) & 0xf;
    if (f >= kFamilyCount) f = 0;
    if (skip) {
      ++skipped[f];
      return;
    }
    ++blocks[f];
    pairs[f] += pairs_in_block;
  }
  void Print() const {
    if (!std::getenv("CG_ER_TIMING")) return;
    for (size_t f = 0; f < kFamilyCount; ++f)
      if (blocks[f] || skipped[f])
        std::fprintf(stderr, "blocking: %-12s %10zu pairs in %9zu blocks, %7zu blocks over cap\n",
                     kFamilies[f], pairs[f], blocks[f], skipped[f]);
  }
};

}  // namespace

std::vector<uint64_t> BlockingKeys(const PreparedRecord& record, const CorpusStats* stats) {
  // Keys are hashed from their pieces (KeyHash, no string built): the prefix names the
  // family ("nw:", "d:", ...; upper case: broad), then the values.
  std::vector<uint64_t> out;
  // Low bit of the hash: 1 for broad keys, which get a smaller cap; the next 4 bits: the
  // key's family, for the CG_ER_TIMING pair counts.
  auto emit = [&](const KeyHash& h, uint64_t family, bool broad) {
    out.push_back((h.Value() & ~uint64_t{0x1f}) | (family << 1) | (broad ? 1 : 0));
  };
  const size_t n_records = stats ? stats->records() : 0;
  const bool large = n_records > 100000;
  // Beyond 100k records, text-token keys are broad ("T", "Tc", "Ta"): a street, town or
  // postcode shared by dozens of records (a household, a building) is mostly strangers.
  const std::string_view t = large ? "T" : "t";
  for (const auto& pv : record.props) {
    switch (pv.kind) {
      case ComparatorKind::kDate:
        for (const auto& d : pv.dates) {
          if (!d.day) continue;
          const std::string date = d.ToString();
          // The date alone is a broad key (capped at 1/8 of the block size): it finds
          // pairs whose names share nothing, as long as the corpus is small.
          emit(KeyHash().Add("D:").Add(pv.prop).Add(":").Add(date), kDate, true);
          if (record.names.empty()) continue;
          // Full date + each whole name part (skeleton; initials as their letter): a
          // date alone makes blocks that grow with the corpus (1 M persons share ~50 per
          // birth date, and a first letter still leaves ~250 pairs per date); a misspelt
          // part keeps the other part's key, skeletons absorb transliteration variants
          // ("Olaf Scholz" / "Шольц Олаф").
          KeyHash prefix;
          prefix.Add("d:").Add(pv.prop).Add(":").Add(date).Add(":");
          for (const auto& n : record.names)
            for (const auto& p : n.analyzed.parts)
              if (!p.skeleton.empty() &&
                  (p.kind == PartKind::kWord || p.kind == PartKind::kInitial))
                emit(KeyHash(prefix).Add(p.skeleton), kDateName, false);
        }
        break;
      case ComparatorKind::kEmail:
        // Beyond 100k records an e-mail address is a broad key: name-spelt addresses
        // recur among namesakes ("emma.wilson40@outlook.com" ten times among 1 M).
        for (const auto& v : pv.norm)
          emit(KeyHash().Add(large ? "Email:" : "email:").Add(v), kEmail, large);
        break;
      case ComparatorKind::kIdentifier:
      case ComparatorKind::kPhone:
        for (const auto& v : pv.norm)
          emit(KeyHash().Add(ComparatorName(pv.kind)).Add(":").Add(v),
               pv.kind == ComparatorKind::kPhone ? kPhone : kIdentifier, false);
        break;
      case ComparatorKind::kText: {
        // The three rarest tokens of the property (by document frequency).
        std::vector<std::pair<uint32_t, std::string_view>> ranked;
        const TermStats* terms = stats ? &stats->text_terms(pv.prop) : nullptr;
        for (const auto& toks : pv.tokens)
          for (const auto& tok : toks) {
            if (tok.size() < 3) continue;
            uint32_t df = terms ? terms->DocumentFrequency(tok) : 0;
            if (terms && df < 2) continue;  // a token no other record has blocks nothing
            ranked.push_back({df, tok});
          }
        std::sort(ranked.begin(), ranked.end());
        ranked.erase(std::unique(ranked.begin(), ranked.end()), ranked.end());
        for (size_t k = 0; k < ranked.size() && k < 3; ++k)
          emit(KeyHash().Add(t).Add(":").Add(pv.prop).Add(":").Add(ranked[k].second), kToken,
               large);
        break;
      }
      default:
        break;
    }
  }
  // Pooled text, across properties: every shared alphanumeric code ("dscw120") and the
  // four rarest shared tokens, so offers that name a product in different fields meet.
  if (!record.AllText().empty() && stats) {
    const TermStats& terms = stats->all_text_terms();
    std::vector<std::pair<uint32_t, const std::string*>> ranked;
    for (const auto& tok : record.AllText()) {
      if (tok.size() < 3) continue;
      uint32_t df = terms.DocumentFrequency(tok);
      if (df < 2) continue;
      bool digit = false, alpha = false;
      for (char c : tok) {
        digit |= c >= '0' && c <= '9';
        alpha |= c >= 'a' && c <= 'z';
      }
      if (digit && alpha && tok.size() >= 4) {
        emit(KeyHash().Add(t).Add("c:").Add(tok), kCode, large);
      } else {
        ranked.push_back({df, &tok});
      }
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
      return x.first < y.first || (x.first == y.first && *x.second < *y.second);
    });
    for (size_t k = 0; k < ranked.size() && k < 4; ++k)
      emit(KeyHash().Add(t).Add("a:").Add(*ranked[k].second), kPooledToken, large);
  }
  // Birth years, for name part + year keys.
  std::vector<int> years;
  std::vector<PartialDate> birth_dates;
  for (const auto& pv : record.props)
    if (pv.kind == ComparatorKind::kDate && pv.prop == "birthDate")
      for (const auto& d : pv.dates) {
        years.push_back(d.year);
        birth_dates.push_back(d);
      }
  if (record.name_kind != NameKind::kPerson)
    for (const auto& n : record.names)
      for (std::uint64_t band : NameMinHasher().BandKeys(n.key))
        emit(KeyHash().Add("mh:").Add(
                 std::string_view(reinterpret_cast<const char*>(&band), sizeof band)),
             kNameMinHash, false);
  for (const auto& n : record.names) {
    std::vector<std::string_view> parts, whole;
    for (const auto& p : n.analyzed.parts) {
      if (p.kind != PartKind::kWord && p.kind != PartKind::kNumber) continue;
      parts.push_back(std::string_view(p.skeleton).substr(0, 4));
      whole.push_back(p.skeleton);
      if (parts.size() >= 6) break;
    }
    std::sort(parts.begin(), parts.end());
    parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
    std::sort(whole.begin(), whole.end());
    whole.erase(std::unique(whole.begin(), whole.end()), whole.end());
    // A single-part name's prefix; broad beyond 100k records (hundreds of "Wang" or "Li").
    if (parts.size() == 1)
      emit(KeyHash().Add(large ? "N1:" : "n1:").Add(parts[0]),
           large ? kBroadSinglePart : kSinglePart, large);
    // Pairs of 4-letter prefixes (order-free, typos after the 4th letter) are broad keys:
    // in a large corpus of similar names their blocks grow quadratically and are skipped.
    for (size_t i = 0; i < parts.size(); ++i) {
      for (size_t j = i + 1; j < parts.size(); ++j)
        emit(KeyHash().Add("Np:").Add(parts[i]).Add("|").Add(parts[j]), kPrefixPair, true);
    }
    // Pairs of whole skeletons (order-free, transliteration variants), and each whole
    // skeleton with the birth year, a broad key (a common first name and a year make
    // large blocks in a large corpus): a typo in one part keeps the other part's key.
    // Beyond 100k records a pair of whole skeletons is a broad key (in a corpus of few
    // names, "Emma Wilson" or "emma|margaret" recurs hundreds of times, mostly namesakes),
    // kept as ordinary keys with two of the three birth-date fields each (year-month,
    // year-day, month-day): a typo in one field of the date keeps one of them.
    std::vector<std::string> date_suffixes;  // short: no allocation
    if (large)
      for (const auto& d : birth_dates) {
        std::string y = std::to_string(d.year), m = std::to_string(d.month),
                    dd = std::to_string(d.day);
        date_suffixes.push_back(":ym" + y + "-" + m);
        date_suffixes.push_back(":yd" + y + "-" + dd);
        date_suffixes.push_back(":md" + m + "-" + dd);
      }
    for (size_t i = 0; i < whole.size(); ++i) {
      for (size_t j = i + 1; j < whole.size(); ++j) {
        if (!date_suffixes.empty()) {
          emit(KeyHash().Add("Nw:").Add(whole[i]).Add("|").Add(whole[j]), kBroadWholePair, true);
          KeyHash pair;
          pair.Add("nw:").Add(whole[i]).Add("|").Add(whole[j]);
          for (const auto& suffix : date_suffixes)
            emit(KeyHash(pair).Add(suffix), kWholePair, false);
        } else {
          emit(KeyHash().Add("nw:").Add(whole[i]).Add("|").Add(whole[j]), kWholePair, false);
        }
      }
      for (int y : years) {
        KeyHash h;
        AddInt(h.Add("Ny:").Add(whole[i]).Add(":"), y);
        emit(h, kPartYear, true);
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {
// Pairs of the blocks of sorted (key, record) entries: blocks are found serially, their
// pairs emitted in parallel (per-thread vectors, then sorted and de-duplicated, so the
// result does not depend on the schedule). `entries` is released before the final sort.
std::vector<uint64_t> PairsOfBlocks(std::vector<std::pair<uint64_t, uint32_t>>& entries,
                                    size_t max_block_size, size_t records) {
  FamilyCounts counts;
  std::vector<std::pair<size_t, size_t>> blocks;
  size_t total = 0;
  ForEachBlock(entries, [&](size_t b, size_t e) {
    if (e - b < 2) return;
    bool skip = e - b > BlockCap(entries[b].first, max_block_size, records);
    counts.Count(entries[b].first, (e - b) * (e - b - 1) / 2, skip);
    if (skip) return;
    blocks.push_back({b, e});
    total += (e - b) * (e - b - 1) / 2;
  });
  counts.Print();
  tbb::enumerable_thread_specific<std::vector<uint64_t>> local;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, blocks.size(), 4096),
                    [&](const tbb::blocked_range<size_t>& range) {
                      std::vector<uint64_t>& out = local.local();
                      for (size_t k = range.begin(); k < range.end(); ++k) {
                        auto [b, e] = blocks[k];
                        for (size_t x = b; x < e; ++x)
                          for (size_t y = x + 1; y < e; ++y) {
                            uint32_t i = entries[x].second, j = entries[y].second;
                            if (i > j) std::swap(i, j);
                            out.push_back((static_cast<uint64_t>(i) << 32) | j);
                          }
                      }
                    });
  std::vector<std::pair<uint64_t, uint32_t>>().swap(entries);
  std::vector<std::pair<size_t, size_t>>().swap(blocks);
  std::vector<uint64_t> pairs;
  pairs.reserve(total);
  for (auto& out : local) {
    pairs.insert(pairs.end(), out.begin(), out.end());
    std::vector<uint64_t>().swap(out);
  }
  tbb::parallel_sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}
}  // namespace

std::vector<uint64_t> CandidatePairs(const std::vector<std::vector<uint64_t>>& keys,
                                     size_t max_block_size) {
  size_t total = 0;
  for (const auto& k : keys) total += k.size();
  std::vector<std::pair<uint64_t, uint32_t>> entries;
  entries.reserve(total);
  for (uint32_t i = 0; i < keys.size(); ++i)
    for (uint64_t k : keys[i]) entries.push_back({k, i});
  return PairsOfBlocks(entries, max_block_size, keys.size());
}

std::vector<uint64_t> CandidatePairs(std::vector<std::vector<uint64_t>>&& keys,
                                     size_t max_block_size) {
  size_t total = 0;
  for (const auto& k : keys) total += k.size();
  std::vector<std::pair<uint64_t, uint32_t>> entries;
  entries.reserve(total);
  const size_t records = keys.size();
  for (uint32_t i = 0; i < records; ++i) {
    for (uint64_t k : keys[i]) entries.push_back({k, i});
    std::vector<uint64_t>().swap(keys[i]);  // each record's keys freed once copied
  }
  std::vector<std::vector<uint64_t>>().swap(keys);
  return PairsOfBlocks(entries, max_block_size, records);
}

std::vector<uint64_t> CandidatePairs(const std::vector<std::vector<uint64_t>>& left_keys,
                                     const std::vector<std::vector<uint64_t>>& right_keys,
                                     size_t max_block_size) {
  // Tag the side in the low bit of the record number.
  std::vector<std::pair<uint64_t, uint32_t>> entries;
  for (uint32_t i = 0; i < left_keys.size(); ++i)
    for (uint64_t k : left_keys[i]) entries.push_back({k, i << 1});
  for (uint32_t j = 0; j < right_keys.size(); ++j)
    for (uint64_t k : right_keys[j]) entries.push_back({k, (j << 1) | 1});
  std::vector<uint64_t> pairs;
  ForEachBlock(entries, [&](size_t b, size_t e) {
    if (e - b < 2 ||
        e - b > BlockCap(entries[b].first, max_block_size, left_keys.size() + right_keys.size()))
      return;
    for (size_t x = b; x < e; ++x) {
      if (entries[x].second & 1) continue;
      for (size_t y = b; y < e; ++y) {
        if (!(entries[y].second & 1)) continue;
        pairs.push_back((static_cast<uint64_t>(entries[x].second >> 1) << 32) |
                        (entries[y].second >> 1));
      }
    }
  });
  tbb::parallel_sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

}  // namespace casegraph::resolve
