// Case-level commands: init, stats, search, show, runs. Each is registered as data in
// the command table with its parameters, a run function and a human formatter.
#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "api/session.h"
#include "model/types.h"
#include "store/audit_log.h"

namespace casegraph::api {
namespace {

std::string IsoOrEmpty(std::int64_t t) {
  return t == 0 ? "" : model::UnixToIso(t);
}

Json InitCase(CommandContext& ctx, const Json&) {
  auto store = Take(store::CaseStore::Create(ctx.case_path));
  return Json{{"case", ctx.case_path}, {"created", true}};
}

Json Stats(CommandContext& ctx, const Json&) {
  Session s(ctx);
  auto by_schema = Take(s.store().CountEntitiesBySchema(s.clearances()));
  auto by_link = Take(s.store().CountLinksByType(s.clearances()));
  Json out;
  Json schemata = Json::object();
  std::int64_t entities = 0;
  for (const auto& [k, v] : by_schema) {
    schemata[k] = v;
    entities += v;
  }
  Json links = Json::object();
  std::int64_t link_total = 0;
  for (const auto& [k, v] : by_link) {
    links[k] = v;
    link_total += v;
  }
  out["schemata"] = schemata;
  out["entities"] = entities;
  out["links"] = link_total;
  out["link_types"] = links;
  auto runs = Take(s.store().ImportRuns());
  out["import_runs"] = runs.size();
  return out;
}

std::string StatsHuman(const Json& r) {
  std::ostringstream o;
  o << fmt::format("{} entities, {} links, {} import runs\n", r["entities"].get<std::int64_t>(),
                   r["links"].get<std::int64_t>(), r["import_runs"].get<std::int64_t>());
  o << "Entities by schema:\n";
  for (const auto& [k, v] : r["schemata"].items())
    o << fmt::format("  {:<24} {:>10}\n", k, v.get<std::int64_t>());
  o << "Links by type:\n";
  for (const auto& [k, v] : r["link_types"].items())
    o << fmt::format("  {:<24} {:>10}\n", k, v.get<std::int64_t>());
  return o.str();
}

Json Search(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  std::string text = ArgString(args, "text");
  std::vector<std::string> words = ArgList(args, "text");
  auto hits = Take(s.store().Search(text, static_cast<int>(ArgInt(args, "limit")), s.clearances()));
  Json results = Json::array();
  for (const auto& h : hits) {
    std::vector<std::string> schemata = ArgList(args, "schema");
    if (!schemata.empty()) {
      bool ok = false;
      for (const auto& sc : schemata) ok = ok || s.store().schema().IsA(h.entity.schema, sc);
      if (!ok) continue;
    }
    results.push_back(Json{{"id", h.entity.id},
                           {"schema", h.entity.schema},
                           {"name", h.entity.caption},
                           {"score", h.score}});
  }
  return Json{{"query", text}, {"results", results}};
}

std::string SearchHuman(const Json& r) {
  std::ostringstream o;
  if (r["results"].empty()) return "No matches for '" + r["query"].get<std::string>() + "'.\n";
  for (const auto& h : r["results"]) {
    o << fmt::format("{:5.3f}  {:<14} {:<40} {}\n", h["score"].get<double>(),
                     h["schema"].get<std::string>(), h["name"].get<std::string>(),
                     h["id"].get<std::string>());
  }
  return o.str();
}

Json LinkJson(const store::LinkInfo& l) {
  Json j{{"id", l.id},
         {"schema", l.schema},
         {"source", l.source},
         {"target", l.target},
         {"directed", l.directed}};
  if (!l.prop.empty()) j["property"] = l.prop;
  if (l.time != 0) j["date"] = model::UnixToIso(l.time);
  return j;
}

Json Show(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  std::string id = ArgString(args, "id");
  auto entity = Take(s.store().GetEntity(id, s.clearances()));
  if (!entity) throw Error(StatusCode::kNotFound, "no entity with id '" + id + "'");
  Json props = Json::object();
  for (const auto& v : entity->values) {
    Json jv{{"value", v.value},
            {"dataset", v.prov.dataset},
            {"source_file", v.prov.source_file},
            {"record", v.prov.record_key},
            {"import_run", v.prov.run_id},
            {"first_seen", IsoOrEmpty(v.prov.first_seen)},
            {"last_seen", IsoOrEmpty(v.prov.last_seen)}};
    if (v.grading.graded()) {
      jv["grading"] = v.grading.ToString();
      if (v.grading.reliability) jv["reliability"] = std::string(1, v.grading.reliability);
      if (v.grading.credibility) jv["credibility"] = v.grading.credibility;
    }
    if (!v.label.empty()) jv["label"] = v.label;
    props[v.prop].push_back(jv);
  }
  Json links = Json::array();
  for (const auto& l : Take(s.store().LinksOf(id, s.clearances()))) links.push_back(LinkJson(l));
  Json out{{"id", entity->id}, {"schema", entity->schema}};
  if (!entity->label.empty()) out["label"] = entity->label;
  out["properties"] = props;
  out["links"] = links;
  return out;
}

std::string ShowHuman(const Json& r) {
  std::ostringstream o;
  o << r["schema"].get<std::string>() << " " << r["id"].get<std::string>();
  if (r.contains("label")) o << "  [label: " << r["label"].get<std::string>() << "]";
  o << "\n";
  for (const auto& [prop, values] : r["properties"].items()) {
    for (const auto& v : values) {
      o << fmt::format("  {:<20} {}", prop, v["value"].get<std::string>());
      if (v.contains("grading")) o << "  [" << v["grading"].get<std::string>() << "]";
      if (v.contains("label")) o << "  [label: " << v["label"].get<std::string>() << "]";
      o << fmt::format("\n  {:<20}   from {} {} ({}), run {}, seen {} .. {}\n", "",
                       v["dataset"].get<std::string>(), v["source_file"].get<std::string>(),
                       v["record"].get<std::string>(), v["import_run"].get<std::int64_t>(),
                       v["first_seen"].get<std::string>(), v["last_seen"].get<std::string>());
    }
  }
  o << "Links (" << r["links"].size() << "):\n";
  for (const auto& l : r["links"]) {
    o << fmt::format("  {:<22} {} -> {}",
                     l["schema"].get<std::string>() +
                         (l.contains("property") ? "." + l["property"].get<std::string>() : ""),
                     l["source"].get<std::string>(), l["target"].get<std::string>());
    if (l.contains("date")) o << "  " << l["date"].get<std::string>();
    o << "\n";
  }
  return o.str();
}

Json Runs(CommandContext& ctx, const Json&) {
  Session s(ctx);
  Json runs = Json::array();
  for (const auto& r : Take(s.store().ImportRuns())) {
    runs.push_back(Json{{"id", r.id},
                        {"kind", r.info.kind},
                        {"dataset", r.info.dataset},
                        {"file", r.info.source_file},
                        {"content_hash", r.info.content_hash},
                        {"started_at", IsoOrEmpty(r.started_at)},
                        {"finished_at", IsoOrEmpty(r.finished_at)},
                        {"outcome", r.outcome},
                        {"counts", Json{{"records", r.counts.records},
                                        {"entities", r.counts.entities},
                                        {"links", r.counts.links},
                                        {"values", r.counts.values},
                                        {"rejected", r.counts.rejected},
                                        {"warnings", r.counts.warnings}}}});
  }
  return Json{{"runs", runs}};
}

std::string RunsHuman(const Json& r) {
  std::ostringstream o;
  for (const auto& run : r["runs"]) {
    o << fmt::format("#{:<4} {} {:<10} {:<30} {} entities, {} links ({})\n",
                     run["id"].get<std::int64_t>(), run["finished_at"].get<std::string>(),
                     run["dataset"].get<std::string>(), run["file"].get<std::string>(),
                     run["counts"]["entities"].get<std::int64_t>(),
                     run["counts"]["links"].get<std::int64_t>(), run["outcome"].get<std::string>());
  }
  return o.str();
}

}  // namespace

void RegisterCaseCommands(std::vector<CommandSpec>& t) {
  t.push_back(
      {"init",
       "Create a new, empty case file",
       {},
       false,
       true,
       [](CommandContext& c, const Json& a) -> Result<Json> { return InitCase(c, a); },
       [](const Json& r) { return "Created case " + r["case"].get<std::string>() + "\n"; }});
  t.push_back({"stats",
               "Count entities per schema and links per type",
               {},
               true,
               false,
               [](CommandContext& c, const Json& a) -> Result<Json> { return Stats(c, a); },
               StatsHuman});
  t.push_back({"search",
               "Ranked name search (case, diacritics, script and word order insensitive)",
               {{"text", ParamKind::kPositional, "Name or words to look for", nullptr, true},
                {"limit", ParamKind::kInt, "Maximum results", 20},
                {"schema", ParamKind::kStringList, "Only entities of this schema (repeatable)"}},
               true,
               false,
               [](CommandContext& c, const Json& a) -> Result<Json> { return Search(c, a); },
               SearchHuman});
  t.push_back({"show",
               "Show an entity: every value with provenance, grading and labels, and its links",
               {{"id", ParamKind::kPositional, "Entity id", nullptr, true}},
               true,
               false,
               [](CommandContext& c, const Json& a) -> Result<Json> { return Show(c, a); },
               ShowHuman});
  t.push_back({"runs",
               "List import runs (file, content hash, counts, time, outcome)",
               {},
               true,
               false,
               [](CommandContext& c, const Json& a) -> Result<Json> { return Runs(c, a); },
               RunsHuman});
}

}  // namespace casegraph::api

namespace casegraph::api {
namespace {

Json Audit(CommandContext& ctx, const Json& args) {
  if (ArgFlag(args, "verify")) {
    auto v = Take(store::AuditLog::Verify(ctx.case_path));
    Json out{{"ok", v.ok}, {"entries", v.entries}};
    if (!v.ok) {
      out["first_bad_seq"] = v.first_bad_seq;
      out["reason"] = v.reason;
    }
    return out;
  }
  auto entries =
      Take(store::AuditLog::Read(ctx.case_path, ArgInt(args, "after"), ArgInt(args, "limit")));
  Json list = Json::array();
  for (const auto& e : entries) {
    list.push_back(Json{{"seq", e.seq},
                        {"at", model::UnixToIso(e.at)},
                        {"user", e.user},
                        {"purpose", e.purpose},
                        {"command", e.command},
                        {"arguments", Json::parse(e.arguments, nullptr, false)},
                        {"outcome", e.outcome},
                        {"hash", e.hash}});
  }
  return Json{{"entries", list}};
}

std::string AuditHuman(const Json& r) {
  if (r.contains("ok")) {
    if (r["ok"].get<bool>())
      return fmt::format("Audit log intact: {} entries, hash chain verified\n",
                         r["entries"].get<std::int64_t>());
    return fmt::format("AUDIT LOG TAMPERED: entry {}: {}\n", r["first_bad_seq"].get<std::int64_t>(),
                       r["reason"].get<std::string>());
  }
  std::ostringstream o;
  for (const auto& e : r["entries"]) {
    o << fmt::format(
        "#{:<5} {} {:<10} {:<12} purpose: {:<30} {}\n", e["seq"].get<std::int64_t>(),
        e["at"].get<std::string>(), e["user"].get<std::string>(), e["command"].get<std::string>(),
        e["purpose"].get<std::string>().empty() ? "(none stated)" : e["purpose"].get<std::string>(),
        e["outcome"].get<std::string>());
  }
  return o.str();
}

}  // namespace

void RegisterAuditCommand(std::vector<CommandSpec>& t) {
  t.push_back({"audit",
               "The case's tamper-evident audit log: who read what, when and why",
               {{"verify", ParamKind::kFlag, "Check the hash chain instead of listing"},
                {"after", ParamKind::kInt, "Only entries after this sequence number", 0},
                {"limit", ParamKind::kInt, "At most this many entries (0 = all)", 0}},
               true,
               false,
               [](CommandContext& c, const Json& a) -> Result<Json> { return Audit(c, a); },
               AuditHuman});
}

}  // namespace casegraph::api
