// The `generate` command: writes a synthetic investigation (CSV files, an FtM mapping
// and ground truth) for demos, tests and benchmarks.
#include <sstream>

#include <fmt/format.h>

#include "api/session.h"
#include "gen/generator.h"

namespace casegraph::api {
namespace {

Json Generate(CommandContext& ctx, const Json& args) {
  gen::GenerateOptions options;
  options.scale = ArgInt(args, "scale");
  options.seed = static_cast<std::uint64_t>(ArgInt(args, "seed"));
  options.out_dir = ArgString(args, "out");
  if (options.out_dir.empty()) throw Error(StatusCode::kInvalidArgument, "--out DIR is required");
  if (options.scale <= 0) throw Error(StatusCode::kInvalidArgument, "--scale must be positive");
  std::string dataset = ArgString(args, "dataset");
  if (!dataset.empty()) options.dataset = dataset;
  if (ctx.progress) {
    options.progress = [&ctx, &options](double f) {
      ctx.progress("generate", f * options.scale, options.scale, "links");
    };
  }
  auto summary = Take(gen::Generate(options));
  Json files = Json::object();
  for (const auto& [k, v] : summary.rows_per_file) files[k] = v;
  return Json{{"out", options.out_dir},
              {"seed", options.seed},
              {"scale", options.scale},
              {"entities", summary.entities},
              {"links", summary.links},
              {"bytes", summary.bytes},
              {"seconds", summary.seconds},
              {"links_per_second", summary.seconds > 0 ? summary.links / summary.seconds : 0.0},
              {"files", files}};
}

std::string GenerateHuman(const Json& r) {
  std::ostringstream o;
  o << fmt::format("Wrote {} entities and {} links to {} in {:.2f} s ({:.0f} links/s)\n",
                   r["entities"].get<std::int64_t>(), r["links"].get<std::int64_t>(),
                   r["out"].get<std::string>(), r["seconds"].get<double>(),
                   r["links_per_second"].get<double>());
  for (const auto& [k, v] : r["files"].items())
    o << fmt::format("  {:<28} {:>10} rows\n", k, v.get<std::int64_t>());
  o << "  mapping.yml, ground_truth.json\n";
  return o.str();
}

}  // namespace

void RegisterGenerateCommand(std::vector<CommandSpec>& t) {
  t.push_back({"generate",
               "Write a synthetic investigation: CSVs, an FtM mapping and ground truth",
               {{"scale", ParamKind::kInt, "About this many links", 1000},
                {"seed", ParamKind::kInt, "Random seed (same seed, same files)", 1},
                {"out", ParamKind::kString, "Output folder", nullptr, true},
                {"dataset", ParamKind::kString, "Dataset name in the mapping"}},
               false,
               false,
               [](CommandContext& c, const Json& a) -> Result<Json> { return Generate(c, a); },
               GenerateHuman});
}

}  // namespace casegraph::api
