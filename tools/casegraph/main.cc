// The casegraph command-line program. It holds no logic of its own: it builds one CLI11
// subcommand per entry of the command table (include/casegraph/commands.h), turns the
// options into JSON arguments, runs the command, and prints the result as human text
// or, with --json, as JSON. Errors print one clear line and exit non-zero (the exit
// code comes from ExitCodeFor()).
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "casegraph/commands.h"
#include "casegraph/status.h"
#include "progress.h"

namespace {

using casegraph::Json;
using casegraph::ParamKind;

// Storage for parsed option values, one slot per parameter of one subcommand.
struct Slot {
  const casegraph::ParamSpec* spec = nullptr;
  std::string text;
  std::vector<std::string> list;
  long long integer = 0;
  double number = 0;
  bool flag = false;
  CLI::Option* option = nullptr;
};

struct Subcommand {
  const casegraph::CommandSpec* spec = nullptr;
  CLI::App* app = nullptr;
  std::string case_path;
  bool json = false;
  std::string user;
  std::string purpose;
  std::vector<std::string> clearances;
  std::vector<std::unique_ptr<Slot>> slots;
};

void AddParam(Subcommand& sub, const casegraph::ParamSpec& spec) {
  auto slot = std::make_unique<Slot>();
  slot->spec = &spec;
  const std::string flag_name = "--" + spec.name;
  CLI::Option* opt = nullptr;
  switch (spec.kind) {
    case ParamKind::kString:
      opt = sub.app->add_option(flag_name, slot->text, spec.help);
      break;
    case ParamKind::kInt:
      opt = sub.app->add_option(flag_name, slot->integer, spec.help);
      break;
    case ParamKind::kDouble:
      opt = sub.app->add_option(flag_name, slot->number, spec.help);
      break;
    case ParamKind::kFlag:
      opt = sub.app->add_flag(flag_name, slot->flag, spec.help);
      break;
    case ParamKind::kStringList:
      opt = sub.app->add_option(flag_name, slot->list, spec.help)
                ->expected(1)
                ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
      break;
    case ParamKind::kPositional:
      opt = sub.app->add_option(spec.name, slot->text, spec.help);
      break;
    case ParamKind::kPositionalList:
      opt = sub.app->add_option(spec.name, slot->list, spec.help);
      break;
  }
  if (spec.required) opt->required();
  if (!spec.default_value.is_null()) {
    opt->default_str(spec.default_value.is_string() ? spec.default_value.get<std::string>()
                                                    : spec.default_value.dump());
  }
  slot->option = opt;
  sub.slots.push_back(std::move(slot));
}

Json ArgsOf(const Subcommand& sub) {
  Json args = Json::object();
  for (const auto& slot : sub.slots) {
    const auto& spec = *slot->spec;
    if (slot->option->count() == 0) continue;  // defaults are applied by RunCommand
    switch (spec.kind) {
      case ParamKind::kString:
      case ParamKind::kPositional:
        args[spec.name] = slot->text;
        break;
      case ParamKind::kInt:
        args[spec.name] = slot->integer;
        break;
      case ParamKind::kDouble:
        args[spec.name] = slot->number;
        break;
      case ParamKind::kFlag:
        args[spec.name] = slot->flag;
        break;
      case ParamKind::kStringList:
      case ParamKind::kPositionalList:
        args[spec.name] = slot->list;
        break;
    }
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"casegraph — link analysis for accountable investigations"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "casegraph 0.1.0");
  std::vector<std::unique_ptr<Subcommand>> subs;
  for (const auto& spec : casegraph::Commands()) {
    auto sub = std::make_unique<Subcommand>();
    sub->spec = &spec;
    sub->app = app.add_subcommand(spec.name, spec.summary);
    if (spec.needs_case || spec.creates_case) {
      sub->app->add_option("--case", sub->case_path, "Case file (SQLite)")->required();
    }
    sub->app->add_flag("--json", sub->json, "Print the result as JSON");
    sub->app->add_option("--user", sub->user, "Who is reading (recorded in the audit log)");
    sub->app->add_option("--purpose", sub->purpose, "Why (recorded in the audit log)");
    sub->app
        ->add_option("--clearance", sub->clearances,
                     "Security labels the reader holds (repeatable); default: all")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    for (const auto& param : spec.params) AddParam(*sub, param);
    subs.push_back(std::move(sub));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);    // prints help or the usage error
    return code == 0 ? 0 : 2;  // usage errors exit 2, as ExitCodeFor(kInvalidArgument)
  }
  for (const auto& sub : subs) {
    if (!sub->app->parsed()) continue;
    casegraph::CommandContext ctx;
    ctx.case_path = sub->case_path;
    if (!sub->user.empty())
      ctx.reader.user = sub->user;
    else if (const passwd* pw = getpwuid(geteuid()))
      ctx.reader.user = pw->pw_name;
    ctx.reader.purpose = sub->purpose;
    if (!sub->clearances.empty()) {
      ctx.reader.all_clearances = false;
      ctx.reader.clearances.insert(sub->clearances.begin(), sub->clearances.end());
    }
    casegraph::cli::ProgressBar bar(isatty(STDERR_FILENO) != 0);
    ctx.progress = [&bar](const std::string& phase, double done, double total,
                          const std::string& unit) { bar.Update(phase, done, total, unit); };
    auto result = casegraph::RunCommand(sub->spec->name, ctx, ArgsOf(*sub));
    bar.Finish();
    if (!result.ok()) {
      std::cerr << "casegraph " << sub->spec->name << ": " << result.status().ToString() << "\n";
      return casegraph::ExitCodeFor(result.status());
    }
    if (result.value().is_null()) {
      // The command wrote its own output (e.g. export to stdout).
    } else if (sub->json || !sub->spec->human) {
      std::cout << result.value().dump(2) << "\n";
    } else {
      std::cout << sub->spec->human(result.value());
    }
    std::cout.flush();
    return 0;
  }
  return 2;
}
