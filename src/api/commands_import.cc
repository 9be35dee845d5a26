// Import and export commands (filled in when the importer lands).
#include "api/session.h"

namespace casegraph::api {

void RegisterImportCommands(std::vector<CommandSpec>& t) {}

}  // namespace casegraph::api
