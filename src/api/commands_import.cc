// Import and export commands: FtM JSON lines and CSV through FtM mapping files in, FtM
// JSON lines out. An import commits whole or not at all (see ingest/importer.h).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "api/session.h"
#include "ingest/ftm_json.h"
#include "ingest/importer.h"

namespace casegraph::api {
namespace {

Json Import(CommandContext& ctx, const Json& args) {
  std::string file = ArgString(args, "file");
  std::string mapping = ArgString(args, "mapping");
  if (file.empty() == mapping.empty()) {
    throw Error(StatusCode::kInvalidArgument,
                "give either a FtM JSON lines FILE or --mapping M.yml");
  }
  auto store = Take(store::CaseStore::Open(ctx.case_path));
  ingest::ImportOptions options;
  options.path = mapping.empty() ? file : mapping;
  options.dataset = ArgString(args, "dataset");
  options.strict = ArgFlag(args, "strict");
  options.rejects_path = ArgString(args, "rejects");
  options.max_rejects = ArgInt(args, "max-rejects");
  options.label = ArgString(args, "label");
  if (ctx.progress) {
    options.progress = [&ctx](std::uint64_t done, std::uint64_t total) {
      ctx.progress("import", static_cast<double>(done) / 1e6, static_cast<double>(total) / 1e6,
                   "MB");
    };
  }
  auto summary = Take(mapping.empty() ? ingest::ImportFtmFile(*store, options)
                                      : ingest::ImportMappingFile(*store, options));
  const auto& c = summary.counts;
  Json out{{"run_id", summary.run_id},
           {"file", options.path},
           {"content_hash", summary.content_hash},
           {"records", c.records},
           {"entities", c.entities},
           {"new_entities", c.new_entities},
           {"links", c.links},
           {"values", c.values},
           {"rejected", c.rejected},
           {"warnings", c.warnings},
           {"seconds", summary.seconds},
           {"commit_seconds", summary.commit_seconds},
           {"rows_per_second", summary.rows_per_second},
           {"links_per_second", summary.seconds > 0 ? c.links / summary.seconds : 0.0},
           {"warning_messages", summary.warnings}};
  if (!summary.rejects_path.empty()) out["rejects_file"] = summary.rejects_path;
  return out;
}

std::string ImportHuman(const Json& r) {
  std::ostringstream o;
  o << fmt::format(
      "Imported {} (run #{}): {} records → {} entities ({} new), {} links, {} values "
      "in {:.2f} s ({:.0f} rows/s, {:.0f} links/s)\n",
      r["file"].get<std::string>(), r["run_id"].get<std::int64_t>(),
      r["records"].get<std::int64_t>(), r["entities"].get<std::int64_t>(),
      r["new_entities"].get<std::int64_t>(), r["links"].get<std::int64_t>(),
      r["values"].get<std::int64_t>(), r["seconds"].get<double>(),
      r["rows_per_second"].get<double>(), r["links_per_second"].get<double>());
  if (r["rejected"].get<std::int64_t>() > 0) {
    o << fmt::format("{} rows rejected, written with their reasons to {}\n",
                     r["rejected"].get<std::int64_t>(),
                     r.value("rejects_file", std::string("the rejects file")));
  }
  if (r["warnings"].get<std::int64_t>() > 0) {
    o << r["warnings"].get<std::int64_t>() << " warnings:\n";
    for (const auto& w : r["warning_messages"]) o << "  " << w.get<std::string>() << "\n";
  }
  return o.str();
}

Json Export(CommandContext& ctx, const Json& args) {
  std::string format = ArgString(args, "format");
  if (format != "ftm")
    throw Error(StatusCode::kInvalidArgument,
                "unsupported --format '" + format + "' (supported: ftm)");
  Session s(ctx);
  std::string out_path = ArgString(args, "out");
  std::ofstream file;
  std::ostream* out = &std::cout;
  std::string tmp_path;
  if (!out_path.empty()) {
    tmp_path = out_path + ".tmp";
    file.open(tmp_path, std::ios::binary | std::ios::trunc);
    if (!file) throw Error(StatusCode::kIoError, "cannot write " + out_path);
    out = &file;
  }
  ingest::FtmWriteOptions options;
  options.extended = !ArgFlag(args, "plain");
  std::int64_t count = 0;
  Check(s.store().ForEachEntity(s.clearances(), [&](const model::Entity& e) {
    *out << ingest::WriteFtmJson(e, options) << '\n';
    ++count;
    if (ctx.progress && count % 10000 == 0) ctx.progress("export", count, 0, "entities");
  }));
  if (!out_path.empty()) {
    file.close();
    if (!file || std::rename(tmp_path.c_str(), out_path.c_str()) != 0) {
      throw Error(StatusCode::kIoError, "cannot write " + out_path);
    }
    return Json{{"format", format}, {"out", out_path}, {"entities", count}};
  }
  std::cout.flush();
  return Json();  // entities went to stdout
}

std::string ExportHuman(const Json& r) {
  if (r.is_null()) return "";
  return fmt::format("Exported {} entities to {}\n", r["entities"].get<std::int64_t>(),
                     r["out"].get<std::string>());
}

}  // namespace

void RegisterImportCommands(std::vector<CommandSpec>& t) {
  t.push_back(
      {"import",
       "Import FtM JSON lines, or CSV/TSV through an FtM mapping file (all or nothing)",
       {{"file", ParamKind::kPositional, "FtM entity JSON lines file"},
        {"mapping", ParamKind::kString, "FtM mapping file (YAML) naming CSV/TSV files"},
        {"dataset", ParamKind::kString, "Dataset name recorded as every value's source"},
        {"rejects", ParamKind::kString,
         "Write bad rows here (with the reason) and import the rest"},
        {"max-rejects", ParamKind::kInt, "With --rejects: fail if more rows than this are bad",
         1000},
        {"strict", ParamKind::kFlag, "Unknown properties are errors, not warnings"},
        {"label", ParamKind::kString, "Security label for everything imported without one"}},
       true,
       false,
       [](CommandContext& c, const Json& a) -> Result<Json> { return Import(c, a); },
       ImportHuman});
  t.push_back({"export",
               "Export the case as FtM entity JSON lines (stdout or --out)",
               {{"format", ParamKind::kString, "Output format: ftm", "ftm"},
                {"out", ParamKind::kString, "Write to this file instead of stdout"},
                {"plain", ParamKind::kFlag, "Plain FtM, without casegraph's provenance object"}},
               true,
               false,
               [](CommandContext& c, const Json& a) -> Result<Json> { return Export(c, a); },
               ExportHuman});
}

}  // namespace casegraph::api
