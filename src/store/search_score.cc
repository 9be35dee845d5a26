// Implementation of the name-search ranking function.
#include "store/search_score.h"

#include <algorithm>

namespace casegraph::store {

double NameMatchScore(const std::vector<std::string>& query, const std::vector<std::string>& name) {
  if (query.empty() || name.empty()) return 0;
  std::vector<bool> used(name.size(), false);
  std::size_t matched = 0;
  bool all_full = true;  // every match was a whole token (not a prefix)
  for (std::size_t i = 0; i < query.size(); ++i) {
    const std::string& q = query[i];
    bool last = i + 1 == query.size();
    std::size_t hit = name.size();
    for (std::size_t j = 0; j < name.size(); ++j) {
      if (!used[j] && name[j] == q) {
        hit = j;
        break;
      }
    }
    if (hit == name.size() && last) {
      for (std::size_t j = 0; j < name.size(); ++j) {
        if (!used[j] && name[j].size() > q.size() && name[j].compare(0, q.size(), q) == 0) {
          hit = j;
          all_full = false;
          break;
        }
      }
    }
    if (hit == name.size()) continue;
    used[hit] = true;
    ++matched;
  }
  if (matched == 0) return 0;
  if (matched == query.size() && matched == name.size() && all_full) return 1.0;
  double frac_query = static_cast<double>(matched) / static_cast<double>(query.size());
  double frac_name = static_cast<double>(matched) / static_cast<double>(name.size());
  return 0.9 * frac_query * (0.5 + 0.5 * frac_name);
}

}  // namespace casegraph::store
