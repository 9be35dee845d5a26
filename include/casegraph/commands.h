// The command table: every operation casegraph offers (init, import, stats, search,
// show, expand, path, export, generate, and the analyses) registered once as data —
// name, summary, parameters, and a function from JSON arguments to a JSON result.
// The CLI builds its subcommands and options from this table, the HTTP server its
// routes, the web workspace its forms; so a command behaves the same everywhere.
//
// Thread safety: the table is immutable after first use. A command runs against one
// open case and must not be run concurrently on the same CommandContext.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "casegraph/status.h"

namespace casegraph {

using Json = nlohmann::ordered_json;

enum class ParamKind {
  kString,          // --name VALUE
  kInt,             // --name N
  kDouble,          // --name X
  kFlag,            // --name
  kStringList,      // --name A --name B (repeatable)
  kPositional,      // one positional argument
  kPositionalList,  // remaining positional arguments
};

struct ParamSpec {
  std::string name;  // JSON argument name and CLI option name (without "--")
  ParamKind kind = ParamKind::kString;
  std::string help;
  Json default_value;  // null = no default
  bool required = false;
};

// Who is reading, for what purpose, with which clearances. Every read is tied to it.
struct ReadContext {
  std::string user = "local";
  std::string purpose;
  std::set<std::string> clearances;  // security labels the reader holds
  bool all_clearances = true;        // local CLI user owning the case file sees everything
};

// Progress of a long-running command: done and total in `unit`s (total 0 = unknown).
using ProgressFn = std::function<void(const std::string& phase, double done, double total,
                                      const std::string& unit)>;

struct CommandContext {
  std::string case_path;  // empty for commands that need no case
  ReadContext reader;
  ProgressFn progress;  // may be empty
};

struct CommandSpec {
  std::string name;
  std::string summary;
  std::vector<ParamSpec> params;
  bool needs_case = true;
  bool creates_case = false;
  std::function<Result<Json>(CommandContext& ctx, const Json& args)> run;
  // Human-readable rendering of the JSON result (for the CLI without --json).
  std::function<std::string(const Json& result)> human;
};

// All commands, in display order.
const std::vector<CommandSpec>& Commands();
const CommandSpec* FindCommand(const std::string& name);

// Runs a command by name: validates arguments against its parameters, applies
// defaults, and returns the JSON result or an error Status.
Result<Json> RunCommand(const std::string& name, CommandContext& ctx, const Json& args);

}  // namespace casegraph
