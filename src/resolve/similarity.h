// String similarity primitives for entity resolution, hand-written: Levenshtein and
// optimal-string-alignment Damerau-Levenshtein distances (two-row DP), Jaro and
// Jaro-Winkler (Winkler 1990), and normalised similarities built on them. Templated over
// the character type so names compare as ASCII bytes or as Unicode code points.
// Pure functions; thread-safe.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace casegraph::resolve {

// Optimal string alignment distance: insertions, deletions, substitutions and adjacent
// transpositions each cost 1.
template <typename CharT>
int DamerauLevenshtein(std::basic_string_view<CharT> a, std::basic_string_view<CharT> b) {
  const size_t n = a.size(), m = b.size();
  if (n == 0) return static_cast<int>(m);
  if (m == 0) return static_cast<int>(n);
  thread_local std::vector<int> rows;
  rows.assign(3 * (m + 1), 0);
  int* prev2 = rows.data();
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
    std::swap(prev2, prev);
    std::swap(prev, cur);
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
