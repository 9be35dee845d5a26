// String similarity primitives: see similarity.h.
#include "resolve/similarity.h"

namespace casegraph::resolve {

double EditSimilarity(const std::string& a, const std::string& b) {
  return EditSimilarity(std::string_view(a), std::string_view(b));
}
double EditSimilarity(const std::u32string& a, const std::u32string& b) {
  return EditSimilarity(std::u32string_view(a), std::u32string_view(b));
}

double Jaro(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  int window = std::max(0, std::max(n, m) / 2 - 1);
  thread_local std::vector<char> a_match, b_match;
  a_match.assign(n, 0);
  b_match.assign(m, 0);
  int matches = 0;
  for (int i = 0; i < n; ++i) {
    int lo = std::max(0, i - window), hi = std::min(m - 1, i + window);
    for (int j = lo; j <= hi; ++j) {
      if (b_match[j] || a[i] != b[j]) continue;
      a_match[i] = b_match[j] = 1;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  int transpositions = 0;
  for (int i = 0, j = 0; i < n; ++i) {
    if (!a_match[i]) continue;
    while (!b_match[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  double mm = matches;
  return (mm / n + mm / m + (mm - transpositions / 2.0) / mm) / 3.0;
}

double JaroWinkler(std::string_view a, std::string_view b) {
  double j = Jaro(a, b);
  int prefix = 0;
  for (size_t i = 0; i < std::min({a.size(), b.size(), size_t{4}}); ++i) {
    if (a[i] != b[i]) break;
    ++prefix;
  }
  return j + prefix * 0.1 * (1.0 - j);
}

int Levenshtein(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<int> prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j)
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[m];
}

}  // namespace casegraph::resolve
