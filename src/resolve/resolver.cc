// Entity resolution entry points: see resolver.h.
#include "resolve/resolver.h"

namespace casegraph::resolve {

MatchResult Compare(const model::Entity& a, const model::Entity& b, const ModelParams& params) {
  Matcher matcher(params);
  return matcher.Score(Prepare(a), Prepare(b));
}

}  // namespace casegraph::resolve
