// Money, flow and time commands (issue 3, sections 5-6): cycles, fan, flow, owners,
// timepath, cooccur, activity and degrees (i2's List Most Connected with net amounts).
// Amounts are the links' `amount` values (Payment, Debt...), shares the Ownership
// `percentage` / 100, times the links' dates; all come from the session's snapshot.
#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "analysis/cycles.h"
#include "analysis/flows.h"
#include "analysis/ownership.h"
#include "analysis/structure.h"
#include "analysis/temporal.h"
#include "api/session.h"
#include "common/text.h"
#include "model/types.h"

namespace casegraph::api {
namespace {

constexpr std::int64_t kDay = 86400;

std::vector<std::uint16_t> TypesOr(Session& s, const Json& args, const std::string& fallback) {
  auto names = ArgList(args, "schema");
  if (names.empty()) names.push_back(fallback);
  return s.LinkTypeCodes(names);
}

std::string TimeOrEmpty(std::int64_t t) {
  return t == graph::kNoTime ? "" : model::UnixToIso(t);
}

std::int64_t ParseDateArg(const Json& args, const std::string& name) {
  std::string text = ArgString(args, name);
  if (text.empty()) return graph::kNoTime;
  auto t = model::DateToUnix(text);
  if (!t)
    throw Error(StatusCode::kInvalidArgument, "cannot read --" + name + " date '" + text + "'");
  return *t;
}

Json IdsJson(Session& s, const std::vector<graph::NodeId>& nodes) {
  Json out = Json::array();
  for (const auto& h : s.Headers(nodes)) out.push_back(h.id);
  return out;
}

Json LinkIdsJson(Session& s, const std::vector<graph::LinkIdx>& links) {
  Json out = Json::array();
  for (const auto& l : s.Links(links)) out.push_back(l.id);
  return out;
}

// --- cycles ---------------------------------------------------------------------------
Json Cycles(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  analysis::CycleOptions o;
  o.link_types = TypesOr(s, args, "Payment");
  o.max_length = static_cast<int>(ArgInt(args, "max-length"));
  o.min_length = static_cast<int>(ArgInt(args, "min-length"));
  o.window_seconds = static_cast<std::int64_t>(ArgDouble(args, "window") * kDay);
  o.min_amount = ArgDouble(args, "min-amount");
  o.time_ordered = ArgFlag(args, "time-ordered");
  o.max_cycles = static_cast<std::size_t>(std::max<std::int64_t>(1, ArgInt(args, "limit")));
  if (o.max_length < 1 || o.max_length > 32)
    throw Error(StatusCode::kInvalidArgument, "--max-length must be 1..32");
  auto res = analysis::FindCycles(g, o);
  Json cycles = Json::array();
  for (const auto& c : res.cycles) {
    double total = 0;
    std::int64_t first = graph::kNoTime, last = graph::kNoTime;
    for (auto l : c.links) {
      double w = g.link_weight(l);
      if (!std::isnan(w)) total += w;
      std::int64_t t = g.link_time(l);
      if (t != graph::kNoTime) {
        first = first == graph::kNoTime ? t : std::min(first, t);
        last = last == graph::kNoTime ? t : std::max(last, t);
      }
    }
    cycles.push_back(Json{{"entities", IdsJson(s, c.nodes)},
                          {"links", LinkIdsJson(s, c.links)},
                          {"length", c.links.size()},
                          {"amount", total},
                          {"first_date", TimeOrEmpty(first)},
                          {"last_date", TimeOrEmpty(last)}});
  }
  return Json{{"cycles", cycles}, {"truncated", res.truncated}};
}

std::string CyclesHuman(const Json& r) {
  std::ostringstream o;
  o << r["cycles"].size() << " cycles" << (r["truncated"].get<bool>() ? " (limit reached)" : "")
    << "\n";
  for (const auto& c : r["cycles"]) {
    o << fmt::format("  {} links, total {:.2f}, {} .. {}:", c["length"].get<std::int64_t>(),
                     c["amount"].get<double>(), c["first_date"].get<std::string>().substr(0, 10),
                     c["last_date"].get<std::string>().substr(0, 10));
    for (const auto& e : c["entities"]) o << " " << e.get<std::string>().substr(0, 12) << " →";
    o << " (back)\n";
  }
  return o.str();
}

// --- fan ------------------------------------------------------------------------------
Json Fan(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  analysis::FanOptions o;
  o.link_types = TypesOr(s, args, "Payment");
  std::string dir = ArgString(args, "direction");
  if (dir == "in")
    o.direction = analysis::FanDirection::kIn;
  else if (dir == "out")
    o.direction = analysis::FanDirection::kOut;
  else
    throw Error(StatusCode::kInvalidArgument, "--direction must be in or out");
  o.min_count = ArgInt(args, "min-count");
  o.min_counterparties = ArgInt(args, "min-counterparties");
  o.min_amount = ArgDouble(args, "min-amount");
  double max_amount = ArgDouble(args, "max-amount");
  if (max_amount > 0) o.max_amount = max_amount;
  o.window_seconds = static_cast<std::int64_t>(ArgDouble(args, "window") * kDay);
  o.top_k = static_cast<std::size_t>(std::max<std::int64_t>(0, ArgInt(args, "top")));
  auto hubs = analysis::FindFanHubs(g, o);
  std::vector<graph::NodeId> nodes;
  for (const auto& h : hubs) nodes.push_back(h.node);
  auto headers = s.Headers(nodes);
  Json list = Json::array();
  for (std::size_t i = 0; i < hubs.size(); ++i) {
    const auto& h = hubs[i];
    Json j{{"id", headers[i].id},
           {"schema", headers[i].schema},
           {"name", headers[i].caption},
           {"counterparties", h.counterparties},
           {"count", h.count},
           {"amount", h.amount},
           {"window_start", TimeOrEmpty(h.window_start)},
           {"window_end", TimeOrEmpty(h.window_end)}};
    if (ArgFlag(args, "with-links")) j["links"] = LinkIdsJson(s, h.links);
    list.push_back(j);
  }
  return Json{{"direction", dir}, {"hubs", list}};
}

std::string FanHuman(const Json& r) {
  std::ostringstream o;
  o << r["hubs"].size() << " fan-" << r["direction"].get<std::string>() << " hubs\n";
  for (const auto& h : r["hubs"]) {
    o << fmt::format("  {:>4} counterparties, {:>5} payments, {:>14.2f}  {} .. {}  {} ({})\n",
                     h["counterparties"].get<std::int64_t>(), h["count"].get<std::int64_t>(),
                     h["amount"].get<double>(), h["window_start"].get<std::string>().substr(0, 10),
                     h["window_end"].get<std::string>().substr(0, 10), h["name"].get<std::string>(),
                     h["id"].get<std::string>());
  }
  return o.str();
}

// --- flow -----------------------------------------------------------------------------
Json Flow(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  analysis::FlowOptions o;
  o.link_types = TypesOr(s, args, "Payment");
  std::string dir = ArgString(args, "direction"), rule = ArgString(args, "rule");
  if (dir == "forward")
    o.direction = analysis::FlowDirection::kForward;
  else if (dir == "backward")
    o.direction = analysis::FlowDirection::kBackward;
  else
    throw Error(StatusCode::kInvalidArgument, "--direction must be forward or backward");
  if (rule == "fifo")
    o.rule = analysis::AllocationRule::kFifo;
  else if (rule == "proportional")
    o.rule = analysis::AllocationRule::kProportional;
  else
    throw Error(StatusCode::kInvalidArgument, "--rule must be fifo or proportional");
  o.time_from = ParseDateArg(args, "from");
  o.time_to = ParseDateArg(args, "to");
  o.max_paths = static_cast<std::size_t>(std::max<std::int64_t>(0, ArgInt(args, "max-paths")));
  o.min_path_amount = ArgDouble(args, "min-amount");
  graph::NodeId origin = s.NodeOf(ArgString(args, "id"));
  auto res = analysis::TraceFlow(g, origin, o);
  // Entities the traced money reached (forward) or came from (backward), largest first.
  std::vector<graph::NodeId> nodes;
  for (std::int64_t n = 0; n < g.num_nodes(); ++n) {
    if (n == origin) continue;
    if (res.node_end[n] > 1e-9 || res.node_in[n] > 1e-9)
      nodes.push_back(static_cast<graph::NodeId>(n));
  }
  std::stable_sort(nodes.begin(), nodes.end(),
                   [&](auto a, auto b) { return res.node_end[a] > res.node_end[b]; });
  auto headers = s.Headers(nodes);
  Json reached = Json::array();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    auto n = nodes[i];
    reached.push_back(Json{{"id", headers[i].id},
                           {"schema", headers[i].schema},
                           {"name", headers[i].caption},
                           {dir == "forward" ? "retained" : "originated", res.node_end[n]},
                           {"in", res.node_in[n]},
                           {"out", res.node_out[n]}});
  }
  Json paths = Json::array();
  for (const auto& p : res.paths) {
    paths.push_back(Json{{"entities", IdsJson(s, p.nodes)},
                         {"links", LinkIdsJson(s, p.links)},
                         {"amount", p.amount}});
  }
  auto origin_header = s.Headers({origin});
  return Json{{"origin", origin_header[0].id},
              {"direction", dir},
              {"rule", rule},
              {"total", res.total},
              {"entities", reached},
              {"paths", paths},
              {"paths_truncated", res.paths_truncated},
              {"untracked_path_amount", res.untracked_path_amount},
              {"conservation_error", analysis::ConservationError(res)}};
}

std::string FlowHuman(const Json& r) {
  std::ostringstream o;
  bool fwd = r["direction"].get<std::string>() == "forward";
  o << fmt::format("{} {:.2f} {} {} ({} rule)\n", fwd ? "Traced" : "Traced back",
                   r["total"].get<double>(), fwd ? "sent by" : "received by",
                   r["origin"].get<std::string>(), r["rule"].get<std::string>());
  o << (fwd ? "Where it ended up:\n" : "Where it came from:\n");
  std::size_t k = 0;
  for (const auto& e : r["entities"]) {
    double v = e[fwd ? "retained" : "originated"].get<double>();
    if (v <= 1e-9) continue;
    if (k++ == 25) {
      o << "  ...\n";
      break;
    }
    o << fmt::format("  {:>14.2f}  {:<12} {} ({})\n", v, e["schema"].get<std::string>(),
                     e["name"].get<std::string>(), e["id"].get<std::string>());
  }
  o << "Largest paths:\n";
  k = 0;
  for (const auto& p : r["paths"]) {
    if (k++ == 10) break;
    o << fmt::format("  {:>14.2f}  {} hops\n", p["amount"].get<double>(), p["links"].size());
  }
  return o.str();
}

// --- owners ---------------------------------------------------------------------------
Json Owners(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  analysis::OwnershipOptions o;
  o.link_types = TypesOr(s, args, "Ownership");
  o.threshold = ArgDouble(args, "threshold");
  o.max_depth = static_cast<int>(ArgInt(args, "max-depth"));
  o.ultimate_only = ArgFlag(args, "ultimate");
  graph::NodeId target = s.NodeOf(ArgString(args, "id"));
  auto res = analysis::BeneficialOwners(g, target, o);
  std::vector<graph::NodeId> nodes;
  for (const auto& ow : res.owners) nodes.push_back(ow.node);
  auto headers = s.Headers(nodes);
  Json owners = Json::array();
  for (std::size_t i = 0; i < res.owners.size(); ++i) {
    const auto& ow = res.owners[i];
    std::vector<graph::NodeId> chain{ow.node};
    for (auto l : ow.best_path) {
      graph::NodeId next = g.link_source(l) == chain.back() ? g.link_target(l) : g.link_source(l);
      chain.push_back(next);
    }
    owners.push_back(Json{
        {"id", headers[i].id},
        {"schema", headers[i].schema},
        {"name", headers[i].caption},
        {"share", ow.share},
        {"paths", ow.paths},
        {"min_depth", ow.min_depth},
        {"ultimate", ow.ultimate},
        {"path", Json{{"entities", IdsJson(s, chain)}, {"links", LinkIdsJson(s, ow.best_path)}}}});
  }
  return Json{{"target", ArgString(args, "id")},
              {"threshold", o.threshold},
              {"owners", owners},
              {"truncated", res.truncated}};
}

std::string OwnersHuman(const Json& r) {
  std::ostringstream o;
  o << fmt::format("Owners of {} with at least {:.0f}%:\n", r["target"].get<std::string>(),
                   r["threshold"].get<double>() * 100);
  if (r["owners"].empty()) o << "  none\n";
  for (const auto& ow : r["owners"]) {
    o << fmt::format("  {:6.2f}%  {:<10} {:<36} {} chain(s), shortest {} link(s){}  ({})\n",
                     ow["share"].get<double>() * 100, ow["schema"].get<std::string>(),
                     ow["name"].get<std::string>(), ow["paths"].get<std::int64_t>(),
                     ow["min_depth"].get<int>(), ow["ultimate"].get<bool>() ? ", ultimate" : "",
                     ow["id"].get<std::string>());
  }
  return o.str();
}

// --- time-respecting path -------------------------------------------------------------
Json TimePath(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  analysis::TemporalOptions o;
  o.link_types = s.LinkTypeCodes(ArgList(args, "schema"));
  o.start_time = ParseDateArg(args, "from");
  o.end_time = ParseDateArg(args, "to");
  o.max_lag = static_cast<std::int64_t>(ArgDouble(args, "max-lag") * 3600);
  graph::NodeId a = s.NodeOf(ArgString(args, "a")), b = s.NodeOf(ArgString(args, "b"));
  auto p = analysis::EarliestArrivalPath(g, a, b, o);
  Json paths = Json::array();
  if (p) {
    Json dates = Json::array();
    for (auto l : p->links) dates.push_back(TimeOrEmpty(g.link_time(l)));
    paths.push_back(Json{{"entities", IdsJson(s, p->nodes)},
                         {"links", LinkIdsJson(s, p->links)},
                         {"dates", dates},
                         {"departure", TimeOrEmpty(p->departure)},
                         {"arrival", TimeOrEmpty(p->arrival)}});
  }
  return Json{{"paths", paths}};
}

std::string TimePathHuman(const Json& r) {
  if (r["paths"].empty()) return "No time-respecting path.\n";
  std::ostringstream o;
  const auto& p = r["paths"][0];
  o << "Earliest arrival " << p["arrival"].get<std::string>() << ":\n";
  for (std::size_t i = 0; i < p["entities"].size(); ++i) {
    o << "  " << p["entities"][i].get<std::string>() << "\n";
    if (i < p["dates"].size())
      o << "    ↓ " << p["dates"][i].get<std::string>() << "  " << p["links"][i].get<std::string>()
        << "\n";
  }
  return o.str();
}

// --- co-occurrence --------------------------------------------------------------------
Json Cooccur(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  const auto& schema = s.store().schema();
  analysis::CooccurrenceInput input;
  std::unordered_map<std::string, std::uint32_t> places;
  std::vector<std::string> place_names;
  std::vector<std::string> event_ids;
  std::vector<std::vector<std::string>> participants;
  Check(s.store().ForEachEntity(s.clearances(), [&](const model::Entity& e) {
    if (!schema.IsA(e.schema, "Event")) return;
    std::string place;
    if (!e.First("addressEntity").empty())
      place = "entity:" + e.First("addressEntity");
    else if (!e.First("location").empty())
      place = FoldForSearch(e.First("location"));
    else if (!e.First("address").empty())
      place = FoldForSearch(e.First("address"));
    if (place.empty()) return;
    std::string start = e.First("startDate");
    if (start.empty()) start = e.First("date");
    auto t0 = model::DateToUnix(start);
    if (!t0) return;
    auto t1 = model::DateToUnix(e.First("endDate"));
    std::vector<std::string> who = e.All("involved");
    for (auto& org : e.All("organizer")) who.push_back(org);
    if (who.empty()) return;
    auto [it, inserted] = places.emplace(place, static_cast<std::uint32_t>(place_names.size()));
    if (inserted) place_names.push_back(e.First("location").empty() ? place : e.First("location"));
    input.event_place.push_back(it->second);
    input.event_start.push_back(*t0);
    input.event_end.push_back(t1 ? std::max(*t0, *t1) : *t0);
    event_ids.push_back(e.id);
    participants.push_back(std::move(who));
  }));
  // Participants that are visible nodes of the snapshot.
  std::unordered_map<std::string, graph::NodeId> node_cache;
  for (std::uint32_t ev = 0; ev < participants.size(); ++ev) {
    for (const auto& id : participants[ev]) {
      auto found = node_cache.find(id);
      graph::NodeId n;
      if (found != node_cache.end()) {
        n = found->second;
      } else {
        auto node = s.FindNode(id);
        if (!node || !g.node_visible(*node)) continue;
        n = *node;
        node_cache.emplace(id, n);
      }
      input.participant_node.push_back(n);
      input.participant_event.push_back(ev);
    }
  }
  analysis::CooccurrenceOptions o;
  o.window_seconds = static_cast<std::int64_t>(ArgDouble(args, "window") * 3600);
  o.top_k = static_cast<std::size_t>(std::max<std::int64_t>(0, ArgInt(args, "top")));
  std::string focus = ArgString(args, "id");
  if (!focus.empty()) o.focus = s.NodeOf(focus);
  auto pairs = analysis::FindCooccurrences(input, o);
  std::vector<graph::NodeId> nodes;
  for (const auto& p : pairs) {
    nodes.push_back(p.a);
    nodes.push_back(p.b);
  }
  auto headers = s.Headers(nodes);
  Json list = Json::array();
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto& p = pairs[i];
    Json examples = Json::array();
    for (const auto& [ea, eb] : p.examples) {
      examples.push_back(Json{{"event_a", event_ids[ea]},
                              {"event_b", event_ids[eb]},
                              {"place", place_names[input.event_place[ea]]},
                              {"start_a", model::UnixToIso(input.event_start[ea])},
                              {"start_b", model::UnixToIso(input.event_start[eb])}});
    }
    list.push_back(Json{{"a", headers[2 * i].id},
                        {"a_name", headers[2 * i].caption},
                        {"b", headers[2 * i + 1].id},
                        {"b_name", headers[2 * i + 1].caption},
                        {"count", p.count},
                        {"places", p.places},
                        {"examples", examples}});
  }
  return Json{
      {"window_hours", ArgDouble(args, "window")}, {"events", event_ids.size()}, {"pairs", list}};
}

std::string CooccurHuman(const Json& r) {
  std::ostringstream o;
  o << r["pairs"].size() << " pairs seen at the same place within "
    << r["window_hours"].get<double>() << " hours (" << r["events"].get<std::int64_t>()
    << " events)\n";
  std::size_t k = 0;
  for (const auto& p : r["pairs"]) {
    if (k++ == 30) {
      o << "  ...\n";
      break;
    }
    o << fmt::format("  {:>3}x at {} place(s): {} — {}", p["count"].get<std::int64_t>(),
                     p["places"].get<std::int64_t>(), p["a_name"].get<std::string>(),
                     p["b_name"].get<std::string>());
    if (!p["examples"].empty()) o << "  e.g. " << p["examples"][0]["place"].get<std::string>();
    o << "\n";
  }
  return o.str();
}

// --- activity -------------------------------------------------------------------------
Json ActivityCmd(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  analysis::ActivityOptions o;
  o.link_types = s.LinkTypeCodes(ArgList(args, "schema"));
  std::string bucket = ArgString(args, "bucket");
  if (bucket == "day")
    o.bucket = analysis::ActivityBucket::kDay;
  else if (bucket == "week")
    o.bucket = analysis::ActivityBucket::kWeek;
  else if (bucket == "month")
    o.bucket = analysis::ActivityBucket::kMonth;
  else
    throw Error(StatusCode::kInvalidArgument, "--bucket must be day, week or month");
  std::vector<graph::NodeId> nodes;
  for (const auto& id : ArgList(args, "ids")) nodes.push_back(s.NodeOf(id));
  if (nodes.empty()) {
    for (std::int64_t n = 0; n < g.num_nodes(); ++n) {
      if (g.node_visible(static_cast<graph::NodeId>(n)))
        nodes.push_back(static_cast<graph::NodeId>(n));
    }
  }
  auto h = analysis::Activity(g, nodes, o);
  Json buckets = Json::array();
  for (std::size_t i = 0; i < h.bucket_start.size(); ++i) {
    buckets.push_back(Json{{"start", model::UnixToIso(h.bucket_start[i]).substr(0, 10)},
                           {"count", h.count[i]},
                           {"amount", h.amount[i]}});
  }
  return Json{{"bucket", bucket},
              {"histogram", buckets},
              {"total_links", h.total_links},
              {"links_without_time", h.links_without_time}};
}

std::string ActivityHuman(const Json& r) {
  std::ostringstream o;
  std::int64_t max_count = 1;
  for (const auto& b : r["histogram"])
    max_count = std::max(max_count, b["count"].get<std::int64_t>());
  o << r["total_links"].get<std::int64_t>() << " links ("
    << r["links_without_time"].get<std::int64_t>() << " without a date), per "
    << r["bucket"].get<std::string>() << ":\n";
  std::size_t shown = 0;
  for (const auto& b : r["histogram"]) {
    if (b["count"].get<std::int64_t>() == 0) continue;
    if (shown++ == 120) {
      o << "  ...\n";
      break;
    }
    int bar = static_cast<int>(40.0 * b["count"].get<std::int64_t>() / max_count);
    o << fmt::format("  {}  {:>6}  {}\n", b["start"].get<std::string>(),
                     b["count"].get<std::int64_t>(), std::string(std::max(bar, 1), '#'));
  }
  return o.str();
}

// --- degrees (List Most Connected) ----------------------------------------------------
Json Degrees(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  const graph::Graph& g = s.Graph(ParseAsOf(args));
  auto d = analysis::ComputeDegreeList(g, s.LinkTypeCodes(ArgList(args, "schema")));
  std::vector<graph::NodeId> nodes;
  for (std::int64_t n = 0; n < g.num_nodes(); ++n) {
    if (g.node_visible(static_cast<graph::NodeId>(n)) && d.neighbors[n] > 0)
      nodes.push_back(static_cast<graph::NodeId>(n));
  }
  std::stable_sort(nodes.begin(), nodes.end(),
                   [&](auto a, auto b) { return d.neighbors[a] > d.neighbors[b]; });
  std::int64_t top = ArgInt(args, "top");
  if (top > 0 && static_cast<std::size_t>(top) < nodes.size())
    nodes.resize(static_cast<std::size_t>(top));
  auto headers = s.Headers(nodes);
  Json list = Json::array();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    auto n = nodes[i];
    double in_w = std::isnan(d.in_weight[n]) ? 0 : d.in_weight[n];
    double out_w = std::isnan(d.out_weight[n]) ? 0 : d.out_weight[n];
    list.push_back(Json{{"id", headers[i].id},
                        {"schema", headers[i].schema},
                        {"name", headers[i].caption},
                        {"counterparties", d.neighbors[n]},
                        {"in_counterparties", d.in_neighbors[n]},
                        {"out_counterparties", d.out_neighbors[n]},
                        {"links_in", d.in_links[n]},
                        {"links_out", d.out_links[n]},
                        {"amount_in", in_w},
                        {"amount_out", out_w},
                        {"net", in_w - out_w}});
  }
  return Json{{"total_links", d.total_links}, {"entities", list}};
}

std::string DegreesHuman(const Json& r) {
  std::ostringstream o;
  o << fmt::format("{:>6} {:>6} {:>6} {:>14} {:>14}  entity\n", "links", "in", "out", "amount in",
                   "net");
  for (const auto& e : r["entities"]) {
    o << fmt::format("{:>6} {:>6} {:>6} {:>14.2f} {:>14.2f}  {} {} ({})\n",
                     e["counterparties"].get<std::int64_t>(), e["links_in"].get<std::int64_t>(),
                     e["links_out"].get<std::int64_t>(), e["amount_in"].get<double>(),
                     e["net"].get<double>(), e["schema"].get<std::string>(),
                     e["name"].get<std::string>(), e["id"].get<std::string>());
  }
  return o.str();
}

ParamSpec AsOf() {
  return {"as-of", ParamKind::kString, "The graph as known on this date"};
}
ParamSpec Schema(const std::string& what) {
  return {"schema", ParamKind::kStringList, what};
}

}  // namespace

void RegisterFlowCommands(std::vector<CommandSpec>& t) {
  t.push_back(
      {"cycles",
       "Round-tripping: bounded directed cycles of payments (Johnson-style search)",
       {Schema("Link schema to follow (default Payment; repeatable)"),
        {"max-length", ParamKind::kInt, "Longest cycle, in links", 6},
        {"min-length", ParamKind::kInt, "Shortest cycle, in links", 2},
        {"window", ParamKind::kDouble, "All links of a cycle within this many days (0 = any)", 0.0},
        {"min-amount", ParamKind::kDouble, "Every link at least this amount", 0.0},
        {"time-ordered", ParamKind::kFlag, "Each hop no earlier than the previous one"},
        {"limit", ParamKind::kInt, "Stop after this many cycles", 10000},
        AsOf()},
       true,
       false,
       [](CommandContext& c, const Json& a) -> Result<Json> { return Cycles(c, a); },
       CyclesHuman});
  t.push_back(
      {"fan",
       "Fan-in (smurfing) and fan-out (distribution) hubs, ranked by distinct counterparties",
       {{"direction", ParamKind::kString, "in or out", "in"},
        Schema("Link schema (default Payment)"),
        {"min-count", ParamKind::kInt, "At least this many payments in the window", 3},
        {"min-counterparties", ParamKind::kInt, "At least this many distinct counterparties", 3},
        {"min-amount", ParamKind::kDouble, "Only payments of at least this amount", 0.0},
        {"max-amount", ParamKind::kDouble, "Only payments of at most this amount (0 = any)", 0.0},
        {"window", ParamKind::kDouble, "Within this many days (0 = any)", 0.0},
        {"top", ParamKind::kInt, "Only the K largest hubs (0 = all)", 0},
        {"with-links", ParamKind::kFlag, "List the payments of each hub"},
        AsOf()},
       true,
       false,
       [](CommandContext& c, const Json& a) -> Result<Json> { return Fan(c, a); },
       FanHuman});
  t.push_back({"flow",
               "Follow money through time from a source (forward) or to a destination (backward)",
               {{"id", ParamKind::kPositional, "Source or destination entity id", nullptr, true},
                {"direction", ParamKind::kString, "forward or backward", "forward"},
                {"rule", ParamKind::kString, "Allocation rule: fifo or proportional", "fifo"},
                Schema("Link schema (default Payment)"),
                {"from", ParamKind::kString, "Only payments on or after this date"},
                {"to", ParamKind::kString, "Only payments on or before this date"},
                {"max-paths", ParamKind::kInt, "Report at most this many paths", 100},
                {"min-amount", ParamKind::kDouble, "Do not follow branches carrying less", 0.0},
                AsOf()},
               true,
               false,
               [](CommandContext& c, const Json& a) -> Result<Json> { return Flow(c, a); },
               FlowHuman});
  t.push_back({"owners",
               "Ultimate beneficial owners: shares multiplied along ownership chains",
               {{"id", ParamKind::kPositional, "Owned entity (company, asset)", nullptr, true},
                {"threshold", ParamKind::kDouble,
                 "Report owners with at least this share (0.25 = 25%)", 0.25},
                {"max-depth", ParamKind::kInt, "Longest chain followed", 12},
                {"ultimate", ParamKind::kFlag, "Only owners nobody owns"},
                Schema("Link schema (default Ownership)"),
                AsOf()},
               true,
               false,
               [](CommandContext& c, const Json& a) -> Result<Json> { return Owners(c, a); },
               OwnersHuman});
  t.push_back(
      {"timepath",
       "Earliest-arriving time-respecting path (each hop no earlier than the last)",
       {{"a", ParamKind::kPositional, "From entity id", nullptr, true},
        {"b", ParamKind::kPositional, "To entity id", nullptr, true},
        Schema("Only links of this schema"),
        {"from", ParamKind::kString, "Start no earlier than this date"},
        {"to", ParamKind::kString, "Arrive no later than this date"},
        {"max-lag", ParamKind::kDouble, "At most this many hours between hops (0 = any)", 0.0},
        AsOf()},
       true,
       false,
       [](CommandContext& c, const Json& a) -> Result<Json> { return TimePath(c, a); },
       TimePathHuman});
  t.push_back({"cooccur",
               "Who was at the same place within a time window (events: trips, stays, meetings)",
               {{"id", ParamKind::kPositional, "Only pairs including this entity"},
                {"window", ParamKind::kDouble, "Hours between the two presences", 24.0},
                {"top", ParamKind::kInt, "Only the K most frequent pairs (0 = all)", 0},
                AsOf()},
               true,
               false,
               [](CommandContext& c, const Json& a) -> Result<Json> { return Cooccur(c, a); },
               CooccurHuman});
  t.push_back({"activity",
               "Activity over time: dated links per day, week or month",
               {{"ids", ParamKind::kPositionalList, "Entities (default: all)"},
                {"bucket", ParamKind::kString, "day, week or month", "month"},
                Schema("Only links of this schema"),
                AsOf()},
               true,
               false,
               [](CommandContext& c, const Json& a) -> Result<Json> { return ActivityCmd(c, a); },
               ActivityHuman});
  t.push_back({"degrees",
               "List Most Connected: counterparties, links and net amounts per entity",
               {{"top", ParamKind::kInt, "Only the K most connected", 25},
                Schema("Only links of this schema"),
                AsOf()},
               true,
               false,
               [](CommandContext& c, const Json& a) -> Result<Json> { return Degrees(c, a); },
               DegreesHuman});
}

}  // namespace casegraph::api
