// Graph navigation commands: expand (Find Linked), path (shortest paths), connect (Find
// Connecting Network). They run on the session's CSR snapshot and describe the result
// with entity and link ids as imported.
#include <algorithm>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "analysis/paths.h"
#include "api/session.h"
#include "model/types.h"

namespace casegraph::api {
namespace {

// Splits --schema names into link-type codes (edge schemata, "Schema.prop" reference
// types) and entity schemata (non-edge schemata, used to filter the entities shown).
struct SchemaFilter {
  std::vector<std::uint16_t> link_types;
  std::vector<std::string> entity_schemata;
};

SchemaFilter SplitSchemata(Session& s, const std::vector<std::string>& names) {
  SchemaFilter f;
  std::vector<std::string> link_names;
  const auto& schema = s.store().schema();
  for (const auto& n : names) {
    const model::SchemaDef* def = schema.Find(n);
    bool is_link_type = false;
    for (const auto& t : s.LinkTypes()) is_link_type = is_link_type || t.Name() == n;
    if (is_link_type || (def && def->edge) || (def && n == "Interval") ||
        (def && n == "Interest")) {
      link_names.push_back(n);
    } else if (def) {
      f.entity_schemata.push_back(n);
    } else {
      throw Error(StatusCode::kInvalidArgument, "unknown schema '" + n + "'");
    }
  }
  if (!link_names.empty()) f.link_types = s.LinkTypeCodes(link_names);
  return f;
}

graph::LinkFilter::Direction ParseDirection(const std::string& d) {
  if (d == "out") return graph::LinkFilter::Direction::kOut;
  if (d == "in") return graph::LinkFilter::Direction::kIn;
  if (d == "both" || d.empty()) return graph::LinkFilter::Direction::kBoth;
  throw Error(StatusCode::kInvalidArgument, "--direction must be out, in or both, not '" + d + "'");
}

graph::LinkFilter MakeFilter(Session& s, const Json& args,
                             const std::vector<std::uint16_t>& types) {
  graph::LinkFilter filter;
  filter.allowed_types = types;
  filter.direction = ParseDirection(ArgString(args, "direction"));
  for (const auto& id : ArgList(args, "exclude")) filter.excluded_nodes.push_back(s.NodeOf(id));
  std::string from = ArgString(args, "from"), to = ArgString(args, "to");
  if (!from.empty()) {
    auto t = model::DateToUnix(from);
    if (!t) throw Error(StatusCode::kInvalidArgument, "cannot read --from date '" + from + "'");
    filter.time_from = *t;
  }
  if (!to.empty()) {
    auto t = model::DateToUnix(to);
    if (!t) throw Error(StatusCode::kInvalidArgument, "cannot read --to date '" + to + "'");
    filter.time_to = *t;
  }
  return filter;
}

Json EntityJson(const store::EntityHeader& h) {
  return Json{{"id", h.id}, {"schema", h.schema}, {"name", h.caption}};
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

const std::vector<ParamSpec> kFilterParams = {
    {"direction", ParamKind::kString, "Follow links out, in or both ways", "both"},
    {"exclude", ParamKind::kStringList, "Entity id to leave out (repeatable)"},
    {"from", ParamKind::kString, "Only links dated on or after this date"},
    {"to", ParamKind::kString, "Only links dated on or before this date"},
    {"as-of", ParamKind::kString, "The graph as known on this date (first/last seen)"},
};

std::vector<ParamSpec> WithFilters(std::vector<ParamSpec> params) {
  params.insert(params.end(), kFilterParams.begin(), kFilterParams.end());
  return params;
}

Json Expand(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  SchemaFilter sf = SplitSchemata(s, ArgList(args, "schema"));
  graph::LinkFilter filter = MakeFilter(s, args, sf.link_types);
  std::vector<graph::NodeId> seeds;
  for (const auto& id : ArgList(args, "id")) seeds.push_back(s.NodeOf(id));
  std::int64_t depth = ArgInt(args, "depth");
  if (depth < 0) throw Error(StatusCode::kInvalidArgument, "--depth must be >= 0");
  std::int64_t limit = ArgInt(args, "limit");
  auto sub = analysis::Expand(g, seeds, static_cast<int>(depth), filter,
                              limit > 0 ? static_cast<std::size_t>(limit) : SIZE_MAX);
  auto headers = s.Headers(sub.nodes);
  std::set<graph::NodeId> kept;
  Json entities = Json::array();
  std::set<graph::NodeId> seed_set(seeds.begin(), seeds.end());
  for (std::size_t i = 0; i < headers.size(); ++i) {
    bool keep = sf.entity_schemata.empty() || seed_set.count(sub.nodes[i]);
    for (const auto& sc : sf.entity_schemata)
      keep = keep || s.store().schema().IsA(headers[i].schema, sc);
    if (!keep) continue;
    kept.insert(sub.nodes[i]);
    Json e = EntityJson(headers[i]);
    e["depth"] = sub.depth[i];
    entities.push_back(e);
  }
  std::vector<graph::LinkIdx> link_idx;
  for (auto l : sub.links) {
    if (kept.count(g.link_source(l)) && kept.count(g.link_target(l))) link_idx.push_back(l);
  }
  Json links = Json::array();
  for (const auto& l : s.Links(link_idx)) links.push_back(LinkJson(l));
  return Json{{"entities", entities}, {"links", links}, {"truncated", sub.truncated}};
}

std::string ExpandHuman(const Json& r) {
  std::ostringstream o;
  o << r["entities"].size() << " entities, " << r["links"].size() << " links"
    << (r["truncated"].get<bool>() ? " (truncated)" : "") << "\n";
  for (const auto& e : r["entities"]) {
    o << fmt::format("  [{}] {:<14} {:<40} {}\n", e["depth"].get<int>(),
                     e["schema"].get<std::string>(), e["name"].get<std::string>(),
                     e["id"].get<std::string>());
  }
  for (const auto& l : r["links"]) {
    o << fmt::format("  {:<24} {} -> {}\n",
                     l["schema"].get<std::string>() +
                         (l.contains("property") ? "." + l["property"].get<std::string>() : ""),
                     l["source"].get<std::string>(), l["target"].get<std::string>());
  }
  return o.str();
}

Json PathJson(Session& s, const analysis::Path& p, Json& names, Json& link_details) {
  Json ent = Json::array();
  for (const auto& h : s.Headers(p.nodes)) {
    ent.push_back(h.id);
    names[h.id] = Json{{"schema", h.schema}, {"name", h.caption}};
  }
  Json lk = Json::array();
  for (const auto& l : s.Links(p.links)) {
    lk.push_back(l.id);
    link_details[l.id] = LinkJson(l);
  }
  Json out{{"entities", ent}, {"links", lk}, {"hops", p.hops()}};
  return out;
}

Json FindPath(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  auto via = ArgList(args, "via-schema");
  graph::LinkFilter filter =
      MakeFilter(s, args, via.empty() ? std::vector<std::uint16_t>{} : s.LinkTypeCodes(via));
  graph::NodeId a = s.NodeOf(ArgString(args, "a"));
  graph::NodeId b = s.NodeOf(ArgString(args, "b"));
  int max_hops = static_cast<int>(ArgInt(args, "max-hops"));
  if (max_hops <= 0) max_hops = analysis::kNoHopLimit;
  std::int64_t k = ArgInt(args, "k");
  std::string weight = ArgString(args, "weight");
  std::vector<analysis::Path> paths;
  if (!weight.empty()) {
    if (!g.has_weights())
      throw Error(StatusCode::kInvalidArgument, "this graph has no link amounts or shares");
    analysis::LinkCost cost;
    if (weight == "amount")
      cost = analysis::WeightCost(g);
    else if (weight == "inverse")
      cost = analysis::InverseWeightCost(g);
    else
      throw Error(StatusCode::kInvalidArgument, "--weight must be amount or inverse");
    if (k > 1) {
      paths =
          analysis::KShortestPaths(g, a, b, static_cast<std::size_t>(k), filter, max_hops, cost);
    } else if (auto p = analysis::WeightedShortestPath(g, a, b, cost, filter, max_hops)) {
      paths.push_back(*p);
    }
  } else if (k > 1) {
    paths = analysis::KShortestPaths(g, a, b, static_cast<std::size_t>(k), filter, max_hops);
  } else if (ArgFlag(args, "all")) {
    paths = analysis::AllShortestPaths(
        g, a, b, filter, max_hops,
        static_cast<std::size_t>(std::max<std::int64_t>(1, ArgInt(args, "max-paths"))));
  } else if (auto p = analysis::ShortestPath(g, a, b, filter, max_hops)) {
    paths.push_back(*p);
  }
  Json names = Json::object();
  Json link_details = Json::object();
  Json out = Json::array();
  for (const auto& p : paths) out.push_back(PathJson(s, p, names, link_details));
  return Json{{"paths", out}, {"entities", names}, {"links", link_details}};
}

std::string PathHuman(const Json& r) {
  std::ostringstream o;
  if (r["paths"].empty()) return "No path found.\n";
  int n = 0;
  for (const auto& p : r["paths"]) {
    o << "Path " << ++n << " (" << p["hops"].get<int>() << " hops):\n";
    const auto& ents = p["entities"];
    for (std::size_t i = 0; i < ents.size(); ++i) {
      const auto& info = r["entities"][ents[i].get<std::string>()];
      o << fmt::format("  {} {:<14} {}  ({})\n", i == 0 ? " " : "→",
                       info["schema"].get<std::string>(), info["name"].get<std::string>(),
                       ents[i].get<std::string>());
      if (i < p["links"].size()) {
        const auto& l = r["links"][p["links"][i].get<std::string>()];
        o << "      via " << l["schema"].get<std::string>()
          << (l.contains("property") ? "." + l["property"].get<std::string>() : "")
          << (l.contains("date") ? " " + l["date"].get<std::string>().substr(0, 10) : "") << "  ("
          << p["links"][i].get<std::string>() << ")\n";
      }
    }
  }
  return o.str();
}

Json Connect(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  auto via = ArgList(args, "via-schema");
  graph::LinkFilter filter =
      MakeFilter(s, args, via.empty() ? std::vector<std::uint16_t>{} : s.LinkTypeCodes(via));
  std::vector<graph::NodeId> nodes;
  for (const auto& id : ArgList(args, "ids")) nodes.push_back(s.NodeOf(id));
  if (nodes.size() < 2)
    throw Error(StatusCode::kInvalidArgument, "connect needs at least two entity ids");
  auto res =
      analysis::ConnectingNetwork(g, nodes, filter, static_cast<int>(ArgInt(args, "max-hops")));
  Json entities = Json::array();
  for (const auto& h : s.Headers(res.network.nodes)) entities.push_back(EntityJson(h));
  Json links = Json::array();
  for (const auto& l : s.Links(res.network.links)) links.push_back(LinkJson(l));
  Json pairs = Json::array();
  auto ids = s.Headers([&] {
    std::vector<graph::NodeId> v;
    for (const auto& p : res.pairs) {
      v.push_back(p.from);
      v.push_back(p.to);
    }
    return v;
  }());
  for (std::size_t i = 0; i < res.pairs.size(); ++i) {
    pairs.push_back(
        Json{{"a", ids[2 * i].id}, {"b", ids[2 * i + 1].id}, {"hops", res.pairs[i].hops}});
  }
  return Json{{"entities", entities}, {"links", links}, {"pairs", pairs}};
}

std::string ConnectHuman(const Json& r) {
  std::ostringstream o;
  o << "Connecting network: " << r["entities"].size() << " entities, " << r["links"].size()
    << " links\n";
  for (const auto& p : r["pairs"]) {
    o << fmt::format("  {} — {}: {} hops\n", p["a"].get<std::string>(), p["b"].get<std::string>(),
                     p["hops"].get<int>());
  }
  for (const auto& e : r["entities"]) {
    o << fmt::format("  {:<14} {:<40} {}\n", e["schema"].get<std::string>(),
                     e["name"].get<std::string>(), e["id"].get<std::string>());
  }
  return o.str();
}

}  // namespace

void RegisterGraphCommands(std::vector<CommandSpec>& t) {
  t.push_back(
      {"expand", "Find Linked: the neighbourhood of entities to a depth, with filters",
       WithFilters({{"id", ParamKind::kPositionalList, "Entity id(s) to start from", nullptr, true},
                    {"depth", ParamKind::kInt, "Hops from the start", 1},
                    {"schema", ParamKind::kStringList,
                     "Only links of this schema (edge schema or Schema.property), or only "
                     "entities of this schema (repeatable)"},
                    {"limit", ParamKind::kInt, "At most this many entities (0 = no limit)", 0}}),
       true, false, [](CommandContext& c, const Json& a) -> Result<Json> { return Expand(c, a); },
       ExpandHuman});
  t.push_back(
      {"path", "Shortest path(s) between two entities",
       WithFilters(
           {{"a", ParamKind::kPositional, "From entity id", nullptr, true},
            {"b", ParamKind::kPositional, "To entity id", nullptr, true},
            {"max-hops", ParamKind::kInt, "At most this many links (0 = no limit)", 0},
            {"via-schema", ParamKind::kStringList, "Only links of this schema (repeatable)"},
            {"all", ParamKind::kFlag, "All shortest paths, not just one"},
            {"max-paths", ParamKind::kInt, "With --all: at most this many paths", 100},
            {"k", ParamKind::kInt, "The k shortest simple paths (Yen)", 1},
            {"weight", ParamKind::kString,
             "Cheapest path by link value: 'amount', or 'inverse' (1/share: strong ties are "
             "short)"}}),
       true, false, [](CommandContext& c, const Json& a) -> Result<Json> { return FindPath(c, a); },
       PathHuman});
  t.push_back(
      {"connect", "Find Connecting Network: the short paths that join chosen entities",
       WithFilters(
           {{"ids", ParamKind::kPositionalList, "Two or more entity ids", nullptr, true},
            {"max-hops", ParamKind::kInt, "Longest path considered", 6},
            {"via-schema", ParamKind::kStringList, "Only links of this schema (repeatable)"}}),
       true, false, [](CommandContext& c, const Json& a) -> Result<Json> { return Connect(c, a); },
       ConnectHuman});
}

}  // namespace casegraph::api
