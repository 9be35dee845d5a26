// Blocking: see blocking.h.
#include "resolve/blocking.h"

#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

namespace casegraph::resolve {
namespace {

uint64_t Hash(const std::string& s) {
  return std::hash<std::string>{}(s);
}

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

// Key families, by prefix: the index into kFamilies (0: other).
const char* const kFamilies[] = {
    "other", "D:",  "d:",  "identifier:", "email:", "phone:", "t:", "tc:",
    "ta:",   "n1:", "Np:", "nw:",         "Ny:",    "Nw:",    "N1:"};
constexpr size_t kFamilyCount = sizeof(kFamilies) / sizeof(kFamilies[0]);
uint64_t KeyFamily(const std::string& key) {
  std::string k = key;
  if (k[0] == 'T' || k[0] == 'E') k[0] = static_cast<char>(k[0] - 'A' + 'a');  // broad variants
  for (size_t f = 1; f < kFamilyCount; ++f)
    if (k.starts_with(kFamilies[f])) return f;
  return 0;
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
  std::vector<std::string> keys;
  const size_t n_records = stats ? stats->records() : 0;
  // Beyond 100k records, text-token keys are broad ("T", "Tc", "Ta"): a street, town or
  // postcode shared by dozens of records (a household, a building) is mostly strangers.
  const char* t = n_records > 100000 ? "T" : "t";
  for (const auto& pv : record.props) {
    switch (pv.kind) {
      case ComparatorKind::kDate:
        for (const auto& d : pv.dates) {
          if (!d.day) continue;
          // The date alone is a broad key (capped at 1/8 of the block size): it finds
          // pairs whose names share nothing, as long as the corpus is small.
          keys.push_back("D:" + pv.prop + ":" + d.ToString());
          if (record.names.empty()) continue;
          // Full date + each whole name part (skeleton; initials as their letter): a
          // date alone makes blocks that grow with the corpus (1 M persons share ~50 per
          // birth date, and a first letter still leaves ~250 pairs per date); a misspelt
          // part keeps the other part's key, skeletons absorb transliteration variants
          // ("Olaf Scholz" / "Шольц Олаф").
          std::string date = "d:" + pv.prop + ":" + d.ToString() + ":";
          for (const auto& n : record.names)
            for (const auto& p : n.analyzed.parts)
              if (!p.skeleton.empty() &&
                  (p.kind == PartKind::kWord || p.kind == PartKind::kInitial))
                keys.push_back(date + p.skeleton);
        }
        break;
      case ComparatorKind::kEmail:
        // Beyond 100k records an e-mail address is a broad key: name-spelt addresses
        // recur among namesakes ("emma.wilson40@outlook.com" ten times among 1 M).
        for (const auto& v : pv.norm)
          keys.push_back((n_records > 100000 ? "Email:" : "email:") + v);
        break;
      case ComparatorKind::kIdentifier:
      case ComparatorKind::kPhone:
        for (const auto& v : pv.norm)
          keys.push_back(std::string(ComparatorName(pv.kind)) + ":" + v);
        break;
      case ComparatorKind::kText: {
        // The three rarest tokens of the property (by document frequency).
        std::vector<std::pair<uint32_t, std::string>> ranked;
        const TermStats* terms = stats ? &stats->text_terms(pv.prop) : nullptr;
        for (const auto& toks : pv.tokens)
          for (const auto& t : toks) {
            if (t.size() < 3) continue;
            uint32_t df = terms ? terms->DocumentFrequency(t) : 0;
            if (terms && df < 2) continue;  // a token no other record has blocks nothing
            ranked.push_back({df, t});
          }
        std::sort(ranked.begin(), ranked.end());
        ranked.erase(std::unique(ranked.begin(), ranked.end()), ranked.end());
        for (size_t k = 0; k < ranked.size() && k < 3; ++k)
          keys.push_back(t + (":" + pv.prop) + ":" + ranked[k].second);
        break;
      }
      default:
        break;
    }
  }
  // Pooled text, across properties: every shared alphanumeric code ("dscw120") and the
  // four rarest shared tokens, so offers that name a product in different fields meet.
  if (!record.text_tokens.empty() && stats) {
    const TermStats& terms = stats->all_text_terms();
    std::vector<std::pair<uint32_t, const std::string*>> ranked;
    for (const auto& tok : record.text_tokens) {
      if (tok.size() < 3) continue;
      uint32_t df = terms.DocumentFrequency(tok);
      if (df < 2) continue;
      bool digit = false, alpha = false;
      for (char c : tok) {
        digit |= c >= '0' && c <= '9';
        alpha |= c >= 'a' && c <= 'z';
      }
      if (digit && alpha && tok.size() >= 4) {
        keys.push_back(t + ("c:" + tok));
      } else {
        ranked.push_back({df, &tok});
      }
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
      return x.first < y.first || (x.first == y.first && *x.second < *y.second);
    });
    for (size_t k = 0; k < ranked.size() && k < 4; ++k)
      keys.push_back(t + ("a:" + *ranked[k].second));
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
  for (const auto& n : record.names) {
    std::vector<std::string> parts, whole;
    for (const auto& p : n.analyzed.parts) {
      if (p.kind != PartKind::kWord && p.kind != PartKind::kNumber) continue;
      parts.push_back(p.skeleton.substr(0, 4));
      whole.push_back(p.skeleton);
      if (parts.size() >= 6) break;
    }
    std::sort(parts.begin(), parts.end());
    parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
    std::sort(whole.begin(), whole.end());
    whole.erase(std::unique(whole.begin(), whole.end()), whole.end());
    // A single-part name's prefix; broad beyond 100k records (hundreds of "Wang" or "Li").
    if (parts.size() == 1) keys.push_back((n_records > 100000 ? "N1:" : "n1:") + parts[0]);
    // Pairs of 4-letter prefixes (order-free, typos after the 4th letter) are broad keys:
    // in a large corpus of similar names their blocks grow quadratically and are skipped.
    for (size_t i = 0; i < parts.size(); ++i) {
      for (size_t j = i + 1; j < parts.size(); ++j)
        keys.push_back("Np:" + parts[i] + "|" + parts[j]);
    }
    // Pairs of whole skeletons (order-free, transliteration variants), and each whole
    // skeleton with the birth year, a broad key (a common first name and a year make
    // large blocks in a large corpus): a typo in one part keeps the other part's key.
    // Beyond 100k records a pair of whole skeletons is a broad key (in a corpus of few
    // names, "Emma Wilson" or "emma|margaret" recurs hundreds of times, mostly namesakes),
    // kept as ordinary keys with two of the three birth-date fields each (year-month,
    // year-day, month-day): a typo in one field of the date keeps one of them.
    std::vector<std::string> date_suffixes;
    if (n_records > 100000)
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
          keys.push_back("Nw:" + whole[i] + "|" + whole[j]);
          for (const auto& suffix : date_suffixes)
            keys.push_back("nw:" + whole[i] + "|" + whole[j] + suffix);
        } else {
          keys.push_back("nw:" + whole[i] + "|" + whole[j]);
        }
      }
      for (int y : years) keys.push_back("Ny:" + whole[i] + ":" + std::to_string(y));
    }
  }
  std::vector<uint64_t> out;
  out.reserve(keys.size());
  // Low bit of the hash: 1 for broad keys ("D:", "Np:", "Ny:"), which get a smaller cap;
  // the next 4 bits: the key's family (KeyFamily), for the CG_ER_TIMING pair counts.
  for (const auto& k : keys)
    out.push_back((Hash(k) & ~uint64_t{0x1f}) | (KeyFamily(k) << 1) |
                  (k[0] == 'D' || k[0] == 'N' || k[0] == 'T' || k[0] == 'E' ? 1 : 0));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<uint64_t> CandidatePairs(const std::vector<std::vector<uint64_t>>& keys,
                                     size_t max_block_size) {
  std::vector<std::pair<uint64_t, uint32_t>> entries;
  for (uint32_t i = 0; i < keys.size(); ++i)
    for (uint64_t k : keys[i]) entries.push_back({k, i});
  std::vector<uint64_t> pairs;
  FamilyCounts counts;
  ForEachBlock(entries, [&](size_t b, size_t e) {
    if (e - b < 2) return;
    bool skip = e - b > BlockCap(entries[b].first, max_block_size, keys.size());
    counts.Count(entries[b].first, (e - b) * (e - b - 1) / 2, skip);
    if (skip) return;
    for (size_t x = b; x < e; ++x)
      for (size_t y = x + 1; y < e; ++y) {
        uint32_t i = entries[x].second, j = entries[y].second;
        if (i > j) std::swap(i, j);
        pairs.push_back((static_cast<uint64_t>(i) << 32) | j);
      }
  });
  counts.Print();
  tbb::parallel_sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
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
