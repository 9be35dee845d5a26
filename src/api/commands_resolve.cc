// Entity-resolution commands (issue 4): compare, match, resolve, clusters, split.
#include "api/session.h"

namespace casegraph::api {

void RegisterResolveCommands(std::vector<CommandSpec>& t) {}

}  // namespace casegraph::api
