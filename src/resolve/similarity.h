// String similarity primitives for entity resolution, hand-written: Levenshtein and
// optimal-string-alignment Damerau-Levenshtein distances (two-row DP), Jaro and
// Jaro-Winkler (Winkler 1990), and normalised similarities built on them. Templated over
// the character type so names compare as ASCII bytes or as Unicode code points.
// Pure functions; thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace casegraph::resolve {

// Optimal string alignment distance: insertions, deletions, substitutions and adjacent
// transpositions each cost 1.
template <typename CharT>
int DamerauLevenshtein(std::basic_string_view<CharT> a, std::basic_string_view<CharT> b) {
  // A common prefix and suffix do not change the distance (as in RapidFuzz's OSA).
  while (!a.empty() && !b.empty() && a.front() == b.front()) {
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a.remove_suffix(1);
    b.remove_suffix(1);
  }
  const size_t n = a.size(), m = b.size();
  if (n == 0) return static_cast<int>(m);
  if (m == 0) return static_cast<int>(n);
  if (n <= 64) {
    // Bit-parallel OSA (Hyyrö 2003, "A bit-vector algorithm for computing Levenshtein and
    // Damerau edit distances", as in RapidFuzz): one column of the DP per character of b,
    // as bit vectors over a; the match vector of a character is built by scanning a.
    uint64_t vp = n == 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1, vn = 0, d0 = 0, pm_old = 0;
    const uint64_t last = uint64_t{1} << (n - 1);
    int dist = static_cast<int>(n);
    for (size_t j = 0; j < m; ++j) {
      uint64_t pm = 0;
      for (size_t i = 0; i < n; ++i) pm |= static_cast<uint64_t>(a[i] == b[j]) << i;
      const uint64_t tr = (((~d0) & pm) << 1) & pm_old;
      d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr;
      uint64_t hp = vn | ~(d0 | vp);
      const uint64_t hn = d0 & vp;
      dist += (hp & last) != 0;
      dist -= (hn & last) != 0;
      hp = (hp << 1) | 1;
      vp = (hn << 1) | ~(d0 | hp);
      vn = hp & d0;
      pm_old = pm;
    }
    return dist;
  }
  // Three rows: on the stack for short strings (names, tokens), else per thread.
  constexpr size_t kStack = 64;
  int stack_rows[3 * (kStack + 1)];
  thread_local std::vector<int> heap_rows;
  int* rows = stack_rows;
  if (m > kStack) {
    heap_rows.assign(3 * (m + 1), 0);
    rows = heap_rows.data();
  }
  int* prev2 = rows;
  int* prev = prev2 + (m + 1);
  int* cur = prev + (m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        v = std::min(v, prev2[j - 2] + 1);
      cur[j] = v;
    }
    int* t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

// 1 - distance / max(len): 1 for equal strings, 0 for nothing in common.
template <typename CharT>
double EditSimilarity(std::basic_string_view<CharT> a, std::basic_string_view<CharT> b) {
  size_t len = std::max(a.size(), b.size());
  if (len == 0) return 1.0;
  return 1.0 - static_cast<double>(DamerauLevenshtein(a, b)) / static_cast<double>(len);
}

double EditSimilarity(const std::string& a, const std::string& b);
double EditSimilarity(const std::u32string& a, const std::u32string& b);

// Jaro similarity and Jaro-Winkler (prefix scale 0.1, prefix up to 4).
double Jaro(std::string_view a, std::string_view b);
double JaroWinkler(std::string_view a, std::string_view b);

// Levenshtein distance (no transpositions).
int Levenshtein(std::string_view a, std::string_view b);

}  // namespace casegraph::resolve
