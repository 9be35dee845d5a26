// Analysis commands (issue 3): centrality, communities and structure (components,
// k-core, brokers, clustering). Each runs one kernel of src/analysis on the session's
// snapshot and reports scores by entity id as imported. Money and time commands are in
// commands_flows.cc.
#include <algorithm>
#include <numeric>
#include <sstream>

#include <fmt/format.h>

#include "analysis/centrality.h"
#include "analysis/communities.h"
#include "analysis/sna_view.h"
#include "analysis/structure.h"
#include "api/session.h"

namespace casegraph::api {
namespace {

// The nodes an analysis reports on: visible entity nodes (edge entities are links).
std::vector<graph::NodeId> ReportNodes(const graph::Graph& g) {
  std::vector<graph::NodeId> nodes;
  for (std::int64_t n = 0; n < g.num_nodes(); ++n) {
    if (g.node_visible(static_cast<graph::NodeId>(n)))
      nodes.push_back(static_cast<graph::NodeId>(n));
  }
  return nodes;
}

// Maps node -> entity id for a set of nodes.
std::vector<std::string> IdsOf(Session& s, const std::vector<graph::NodeId>& nodes) {
  std::vector<std::string> ids;
  ids.reserve(nodes.size());
  for (const auto& h : s.Headers(nodes)) ids.push_back(h.id);
  return ids;
}

// Scores for the report nodes, optionally only the top K (ties by node order).
Json ScoresJson(Session& s, const std::vector<graph::NodeId>& nodes,
                const std::vector<double>& score, std::int64_t top) {
  std::vector<graph::NodeId> chosen = nodes;
  if (top > 0 && static_cast<std::size_t>(top) < chosen.size()) {
    std::stable_sort(chosen.begin(), chosen.end(),
                     [&](graph::NodeId a, graph::NodeId b) { return score[a] > score[b]; });
    chosen.resize(static_cast<std::size_t>(top));
  }
  auto ids = IdsOf(s, chosen);
  Json scores = Json::object();
  for (std::size_t i = 0; i < chosen.size(); ++i) scores[ids[i]] = score[chosen[i]];
  return scores;
}

analysis::ViewOptions ViewFor(Session& s, const Json& args, bool weighted = false) {
  analysis::ViewOptions v;
  v.directed = ArgFlag(args, "directed");
  v.weighted = weighted;
  v.link_types = s.LinkTypeCodes(ArgList(args, "schema"));
  return v;
}

Json Centrality(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  std::string measure = ArgString(args, "measure");
  bool normalized = ArgFlag(args, "normalized");
  bool weighted = ArgFlag(args, "weighted");
  auto view = analysis::SimpleView::Build(g, ViewFor(s, args, weighted));
  std::vector<double> score;
  Json extra = Json::object();
  if (measure == "degree" || measure == "indegree" || measure == "outdegree") {
    auto mode = measure == "indegree"    ? analysis::DegreeMode::kIn
                : measure == "outdegree" ? analysis::DegreeMode::kOut
                                         : analysis::DegreeMode::kTotal;
    score = analysis::DegreeCentrality(view, mode, normalized);
  } else if (measure == "betweenness") {
    analysis::BetweennessOptions o;
    o.normalized = normalized;
    o.num_sources = ArgInt(args, "samples");
    o.seed = static_cast<std::uint64_t>(ArgInt(args, "seed"));
    score = analysis::Betweenness(view, o);
    if (o.num_sources > 0) {
      extra["samples"] = o.num_sources;
      extra["error_bound"] = analysis::BetweennessErrorBound(view.num_nodes(), o.num_sources, 0.05);
      extra["confidence"] = 0.95;
    }
  } else if (measure == "closeness") {
    score = analysis::Closeness(view, true);
  } else if (measure == "harmonic") {
    score = analysis::Harmonic(view);
  } else if (measure == "eigenvector") {
    score = analysis::Eigenvector(view);
  } else if (measure == "pagerank") {
    analysis::PageRankOptions o;
    o.damping = ArgDouble(args, "damping");
    for (const auto& id : ArgList(args, "seed-entity"))
      o.personalization.push_back({s.NodeOf(id), 1.0});
    score = analysis::PageRank(view, o);
  } else {
    throw Error(StatusCode::kInvalidArgument,
                "unknown --measure '" + measure +
                    "' (degree, indegree, outdegree, betweenness, closeness, "
                    "harmonic, eigenvector, pagerank)");
  }
  Json out{{"measure", measure}, {"directed", view.directed()}, {"normalized", normalized}};
  out["scores"] = ScoresJson(s, ReportNodes(g), score, ArgInt(args, "top"));
  for (const auto& [k, v] : extra.items()) out[k] = v;
  return out;
}

std::string ScoresHuman(const Json& r, const std::string& title) {
  std::vector<std::pair<std::string, double>> rows;
  for (const auto& [k, v] : r["scores"].items()) rows.push_back({k, v.get<double>()});
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::ostringstream o;
  o << title << "\n";
  std::size_t shown = std::min<std::size_t>(rows.size(), 50);
  for (std::size_t i = 0; i < shown; ++i)
    o << fmt::format("  {:>14.6g}  {}\n", rows[i].second, rows[i].first);
  if (rows.size() > shown)
    o << "  ... " << rows.size() - shown << " more (use --top K or --json)\n";
  return o.str();
}

Json Communities(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  analysis::ViewOptions vo;
  vo.link_types = s.LinkTypeCodes(ArgList(args, "schema"));
  vo.weighted = ArgFlag(args, "weighted");
  auto view = analysis::SimpleView::Build(g, vo);
  analysis::CommunityOptions o;
  o.resolution = ArgDouble(args, "resolution");
  o.seed = static_cast<std::uint64_t>(ArgInt(args, "seed"));
  std::string method = ArgString(args, "method");
  analysis::CommunityResult res;
  if (method == "louvain")
    res = analysis::Louvain(view, o);
  else if (method == "leiden")
    res = analysis::Leiden(view, o);
  else
    throw Error(StatusCode::kInvalidArgument, "--method must be louvain or leiden");
  auto nodes = ReportNodes(g);
  auto ids = IdsOf(s, nodes);
  Json membership = Json::object();
  std::map<std::uint32_t, std::int64_t> sizes;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    membership[ids[i]] = res.membership[nodes[i]];
    sizes[res.membership[nodes[i]]]++;
  }
  return Json{{"method", method},      {"resolution", o.resolution},
              {"seed", o.seed},        {"modularity", res.modularity},
              {"count", sizes.size()}, {"communities", membership}};
}

std::string CommunitiesHuman(const Json& r) {
  std::map<std::int64_t, std::vector<std::string>> groups;
  for (const auto& [k, v] : r["communities"].items()) groups[v.get<std::int64_t>()].push_back(k);
  std::vector<std::pair<std::int64_t, std::vector<std::string>>> sorted(groups.begin(),
                                                                        groups.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  std::ostringstream o;
  o << fmt::format("{} communities, modularity {:.4f} ({}, resolution {})\n",
                   r["count"].get<std::int64_t>(), r["modularity"].get<double>(),
                   r["method"].get<std::string>(), r["resolution"].get<double>());
  for (std::size_t i = 0; i < std::min<std::size_t>(sorted.size(), 20); ++i) {
    o << fmt::format("  community {:>4}: {} members", sorted[i].first, sorted[i].second.size());
    for (std::size_t j = 0; j < std::min<std::size_t>(sorted[i].second.size(), 5); ++j)
      o << " " << sorted[i].second[j];
    o << (sorted[i].second.size() > 5 ? " ...\n" : "\n");
  }
  return o.str();
}

Json ComponentsCmd(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  auto types = s.LinkTypeCodes(ArgList(args, "schema"));
  bool strong = ArgFlag(args, "strong");
  auto comps = strong ? analysis::StronglyConnectedComponents(g, types)
                      : analysis::WeaklyConnectedComponents(g, types);
  auto nodes = ReportNodes(g);
  // Group report nodes by component, largest first.
  std::map<std::uint32_t, std::vector<graph::NodeId>> groups;
  for (auto n : nodes) groups[comps.label[n]].push_back(n);
  std::vector<std::vector<graph::NodeId>> sorted;
  for (auto& [label, members] : groups) sorted.push_back(std::move(members));
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  std::int64_t limit = ArgInt(args, "limit");
  std::int64_t min_size = ArgInt(args, "min-size");
  Json list = Json::array();
  for (const auto& members : sorted) {
    if (static_cast<std::int64_t>(members.size()) < min_size) continue;
    if (limit > 0 && static_cast<std::int64_t>(list.size()) >= limit) break;
    list.push_back(Json{{"size", members.size()}, {"entities", IdsOf(s, members)}});
  }
  return Json{{"kind", strong ? "strong" : "weak"}, {"count", sorted.size()}, {"components", list}};
}

std::string ComponentsHuman(const Json& r) {
  std::ostringstream o;
  o << r["count"].get<std::int64_t>() << " " << r["kind"].get<std::string>() << " components\n";
  for (const auto& c : r["components"]) {
    o << "  " << c["size"].get<std::int64_t>() << " entities:";
    std::size_t k = 0;
    for (const auto& id : c["entities"]) {
      if (k++ == 5) {
        o << " ...";
        break;
      }
      o << " " << id.get<std::string>();
    }
    o << "\n";
  }
  return o.str();
}

Json KCore(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  auto core = analysis::CoreNumbers(g, s.LinkTypeCodes(ArgList(args, "schema")));
  auto nodes = ReportNodes(g);
  std::int64_t k = ArgInt(args, "k");
  std::vector<graph::NodeId> chosen;
  std::uint32_t max_core = 0;
  for (auto n : nodes) max_core = std::max(max_core, core[n]);
  for (auto n : nodes) {
    if (k > 0 ? core[n] >= static_cast<std::uint32_t>(k) : true) chosen.push_back(n);
  }
  auto ids = IdsOf(s, chosen);
  Json scores = Json::object();
  for (std::size_t i = 0; i < chosen.size(); ++i) scores[ids[i]] = core[chosen[i]];
  return Json{{"max_core", max_core}, {"k", k}, {"core_numbers", scores}};
}

std::string KCoreHuman(const Json& r) {
  std::ostringstream o;
  o << "Largest core: " << r["max_core"].get<std::int64_t>() << "\n";
  std::map<std::int64_t, std::int64_t, std::greater<>> hist;
  for (const auto& [id, c] : r["core_numbers"].items()) hist[c.get<std::int64_t>()]++;
  for (const auto& [c, n] : hist) o << fmt::format("  core {:>4}: {} entities\n", c, n);
  return o.str();
}

Json BrokersCmd(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  auto b = analysis::ArticulationPointsAndBridges(g, s.LinkTypeCodes(ArgList(args, "schema")));
  Json points = Json::array();
  for (const auto& h : s.Headers(b.articulation_points)) {
    points.push_back(Json{{"id", h.id}, {"schema", h.schema}, {"name", h.caption}});
  }
  Json bridges = Json::array();
  for (const auto& l : s.Links(b.bridges)) {
    bridges.push_back(
        Json{{"id", l.id}, {"schema", l.schema}, {"source", l.source}, {"target", l.target}});
  }
  return Json{{"articulation_points", points}, {"bridges", bridges}};
}

std::string BrokersHuman(const Json& r) {
  std::ostringstream o;
  o << r["articulation_points"].size()
    << " articulation points (removing one splits the network):\n";
  for (const auto& p : r["articulation_points"]) {
    o << fmt::format("  {:<14} {:<40} {}\n", p["schema"].get<std::string>(),
                     p["name"].get<std::string>(), p["id"].get<std::string>());
  }
  o << r["bridges"].size() << " bridges (links whose removal splits the network):\n";
  for (const auto& l : r["bridges"]) {
    o << fmt::format("  {:<14} {} — {}\n", l["schema"].get<std::string>(),
                     l["source"].get<std::string>(), l["target"].get<std::string>());
  }
  return o.str();
}

Json Clustering(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  auto t = analysis::CountTriangles(g, s.LinkTypeCodes(ArgList(args, "schema")));
  auto nodes = ReportNodes(g);
  Json out{{"triangles", t.total},
           {"average_clustering", t.average_clustering},
           {"transitivity", t.transitivity}};
  out["scores"] = ScoresJson(s, nodes, t.local_clustering, ArgInt(args, "top"));
  return out;
}

std::vector<ParamSpec> Common(std::vector<ParamSpec> p) {
  p.push_back({"schema", ParamKind::kStringList, "Only links of this schema (repeatable)"});
  p.push_back({"as-of", ParamKind::kString, "The graph as known on this date"});
  return p;
}

}  // namespace

void RegisterAnalysisCommands(std::vector<CommandSpec>& t) {
  t.push_back(
      {"centrality", "Centrality scores (networkx conventions; undirected view by default)",
       Common({{"measure", ParamKind::kString,
                "degree|indegree|outdegree|betweenness|closeness|harmonic|eigenvector|pagerank",
                nullptr, true},
               {"directed", ParamKind::kFlag, "Use link directions"},
               {"normalized", ParamKind::kFlag, "Normalised values (betweenness, degree)"},
               {"weighted", ParamKind::kFlag,
                "Use summed link amounts/shares as weights where the measure allows"},
               {"top", ParamKind::kInt, "Only the K highest", 0},
               {"damping", ParamKind::kDouble, "PageRank damping factor", 0.85},
               {"seed-entity", ParamKind::kStringList,
                "Personalised PageRank: restart at these entities"},
               {"samples", ParamKind::kInt, "Betweenness: sample this many sources (0 = exact)", 0},
               {"seed", ParamKind::kInt, "Random seed for sampling", 1}}),
       true, false,
       [](CommandContext& c, const Json& a) -> Result<Json> { return Centrality(c, a); },
       [](const Json& r) {
         return ScoresHuman(r, r["measure"].get<std::string>() + " centrality");
       }});
  t.push_back(
      {"communities", "Communities by modularity (Louvain or Leiden)",
       Common({{"method", ParamKind::kString, "louvain or leiden", "leiden"},
               {"resolution", ParamKind::kDouble, "Resolution (higher = smaller communities)", 1.0},
               {"seed", ParamKind::kInt, "Random seed", 1},
               {"weighted", ParamKind::kFlag, "Weight links by amount/share"}}),
       true, false,
       [](CommandContext& c, const Json& a) -> Result<Json> { return Communities(c, a); },
       CommunitiesHuman});
  t.push_back(
      {"components", "Connected components (weak by default, --strong for directed)",
       Common({{"strong", ParamKind::kFlag, "Strongly connected components"},
               {"limit", ParamKind::kInt, "List at most this many components (0 = all)", 20},
               {"min-size", ParamKind::kInt, "Only components of at least this size", 1}}),
       true, false,
       [](CommandContext& c, const Json& a) -> Result<Json> { return ComponentsCmd(c, a); },
       ComponentsHuman});
  t.push_back({"kcore", "k-core decomposition: core number of every entity",
               Common({{"k", ParamKind::kInt, "Only entities in the k-core (0 = all)", 0}}), true,
               false, [](CommandContext& c, const Json& a) -> Result<Json> { return KCore(c, a); },
               KCoreHuman});
  t.push_back({"brokers", "Articulation points and bridges: who holds the network together",
               Common({}), true, false,
               [](CommandContext& c, const Json& a) -> Result<Json> { return BrokersCmd(c, a); },
               BrokersHuman});
  t.push_back(
      {"clustering", "Triangles and clustering coefficients",
       Common({{"top", ParamKind::kInt, "Only the K highest local coefficients", 0}}), true, false,
       [](CommandContext& c, const Json& a) -> Result<Json> { return Clustering(c, a); },
       [](const Json& r) {
         return fmt::format("{} triangles, average clustering {:.4f}, transitivity {:.4f}\n",
                            r["triangles"].get<std::int64_t>(),
                            r["average_clustering"].get<double>(),
                            r["transitivity"].get<double>()) +
                ScoresHuman(r, "local clustering");
       }});
}

}  // namespace casegraph::api
