// The command table and RunCommand(): argument validation and defaults shared by the
// CLI and the HTTP server. The commands themselves live in commands_*.cc.
#include <mutex>

#include "api/session.h"
#include "casegraph/commands.h"
#include "model/types.h"
#include "store/audit_log.h"

#include <sys/stat.h>

namespace casegraph {

const std::vector<CommandSpec>& Commands() {
  static const std::vector<CommandSpec> table = [] {
    std::vector<CommandSpec> t;
    api::RegisterCaseCommands(t);
    api::RegisterImportCommands(t);
    api::RegisterGraphCommands(t);
    api::RegisterAnalysisCommands(t);
    api::RegisterFlowCommands(t);
    api::RegisterResolveCommands(t);
    api::RegisterGenerateCommand(t);
    api::RegisterAuditCommand(t);
    return t;
  }();
  return table;
}

const CommandSpec* FindCommand(const std::string& name) {
  for (const auto& c : Commands()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

namespace {

Status CheckArgType(const ParamSpec& p, const Json& v) {
  bool ok = true;
  switch (p.kind) {
    case ParamKind::kString:
    case ParamKind::kPositional:
      ok = v.is_string();
      break;
    case ParamKind::kInt:
      ok = v.is_number_integer();
      break;
    case ParamKind::kDouble:
      ok = v.is_number();
      break;
    case ParamKind::kFlag:
      ok = v.is_boolean();
      break;
    case ParamKind::kStringList:
    case ParamKind::kPositionalList:
      ok = v.is_array();
      if (ok) {
        for (const auto& item : v) ok = ok && item.is_string();
      }
      break;
  }
  if (!ok)
    return Status(StatusCode::kInvalidArgument, "argument '" + p.name + "' has the wrong type");
  return Status::Ok();
}

}  // namespace

Result<Json> RunCommand(const std::string& name, CommandContext& ctx, const Json& args) {
  const CommandSpec* spec = FindCommand(name);
  if (spec == nullptr)
    return Status(StatusCode::kInvalidArgument, "unknown command '" + name + "'");
  if (!args.is_object())
    return Status(StatusCode::kInvalidArgument, "arguments must be a JSON object");
  Json full = Json::object();
  for (const auto& [key, value] : args.items()) {
    bool known = false;
    for (const auto& p : spec->params) known = known || p.name == key;
    if (!known)
      return Status(StatusCode::kInvalidArgument, "unknown argument '" + key + "' for " + name);
  }
  for (const auto& p : spec->params) {
    if (args.contains(p.name)) {
      Status s = CheckArgType(p, args[p.name]);
      if (!s.ok()) return s;
      full[p.name] = args[p.name];
    } else if (p.required) {
      return Status(StatusCode::kInvalidArgument, "missing required argument '" + p.name + "'");
    } else if (!p.default_value.is_null()) {
      full[p.name] = p.default_value;
    } else if (p.kind == ParamKind::kFlag) {
      full[p.name] = false;
    } else if (p.kind == ParamKind::kStringList || p.kind == ParamKind::kPositionalList) {
      full[p.name] = Json::array();
    }
  }
  if ((spec->needs_case || spec->creates_case) && ctx.case_path.empty()) {
    return Status(StatusCode::kInvalidArgument, "no case given (--case PATH)");
  }
  Json out;
  Status s = CatchAsStatus([&] {
    auto r = spec->run(ctx, full);
    if (!r.ok()) throw Error(r.status());
    out = std::move(r).value();
  });
  // Accountability: every command against a case is written to its audit log, with who,
  // why, what and the outcome. A result is not handed out if it cannot be recorded.
  struct stat st;
  if ((spec->needs_case || spec->creates_case) && spec->name != "audit" &&
      ::stat(ctx.case_path.c_str(), &st) == 0) {
    store::AuditEntry entry;
    entry.user = ctx.reader.user;
    entry.purpose = ctx.reader.purpose;
    entry.command = spec->name;
    Json recorded = full;
    if (!ctx.reader.all_clearances) {
      recorded["clearances"] = Json(
          std::vector<std::string>(ctx.reader.clearances.begin(), ctx.reader.clearances.end()));
    }
    entry.arguments = recorded.dump();
    entry.outcome = s.ok() ? "ok" : s.ToString();
    Status logged = store::AuditLog::Append(ctx.case_path, entry);
    if (!logged.ok()) {
      return Status(logged.code(),
                    "cannot write the audit log, result withheld: " + logged.message());
    }
  }
  if (!s.ok()) return s;
  return out;
}

}  // namespace casegraph
