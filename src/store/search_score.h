// Ranking of name-search hits: how well a folded query matches one folded name.
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <vector>

namespace casegraph::store {

// Score in 0..1 of a name (tokens of FoldForSearch output) for a query (same). Each
// query token counts as matched if the name has it (the last query token may also match
// as a prefix, for search-as-you-type); word order does not matter. The score grows
// with the fraction of query tokens matched and, less, with the fraction of the name
// covered; a name with exactly the query's tokens scores 1.
double NameMatchScore(const std::vector<std::string>& query, const std::vector<std::string>& name);

}  // namespace casegraph::store
