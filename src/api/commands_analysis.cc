// Analysis commands (issue 3): centrality, communities, structure, money flows and time.
#include "api/session.h"

namespace casegraph::api {

void RegisterAnalysisCommands(std::vector<CommandSpec>& t) {}

}  // namespace casegraph::api
