// Session: opens a case for one command, maps the reader to clearances, and builds the
// graph snapshot (store LinkTable -> graph::EdgeList -> Graph::Build) on first use.
#include "api/session.h"

#include <algorithm>

#include "model/types.h"
#include "store/resolution_ledger.h"

namespace casegraph::api {

void Check(const Status& status) {
  if (!status.ok()) throw Error(status);
}

Session::Session(const CommandContext& ctx) : ctx_(ctx) {
  clearances_ = ctx.reader.all_clearances ? model::Clearances::All()
                                          : model::Clearances(ctx.reader.clearances);
  store_ = Take(store::CaseStore::Open(ctx.case_path));
}

const graph::Graph& Session::Graph(std::optional<std::int64_t> as_of) {
  if (graph_ && graph_as_of_ == as_of) return *graph_;
  graph::EdgeList edges = EdgesFromLinkTable(Take(store_->LoadLinks(clearances_, as_of)));
  ApplyResolution(edges);
  graph_ = graph::Graph::Build(edges);
  graph_as_of_ = as_of;
  return *graph_;
}

graph::EdgeList EdgesFromLinkTable(store::LinkTable&& table) {
  graph::EdgeList edges;
  edges.num_nodes = table.num_nodes;
  edges.src = std::move(table.src);
  edges.dst = std::move(table.dst);
  edges.type = std::move(table.type);
  edges.time = std::move(table.time);
  edges.directed = std::move(table.directed);
  edges.visible_node = std::move(table.visible_node);
  edges.store_id.resize(table.link_iid.size());
  for (std::size_t i = 0; i < table.link_iid.size(); ++i) {
    edges.store_id[i] = static_cast<std::uint32_t>(table.link_iid[i]);
  }
  if (!table.weight.empty()) edges.weight = std::move(table.weight);
  return edges;
}

void Session::ApplyResolution(graph::EdgeList& edges) {
  // Records resolved into one entity become one node: links are redirected to the
  // cluster's canonical record and the other records are hidden from analyses.
  canonical_ = Take(store::CanonicalIds(ctx_.case_path));
  const auto& canonical = canonical_;
  if (canonical.empty()) return;
  std::unordered_map<graph::NodeId, graph::NodeId> redirect;
  for (const auto& [record, canon] : canonical) {
    if (record == canon) continue;
    auto from = Take(store_->FindIid(record, clearances_));
    auto to = Take(store_->FindIid(canon, clearances_));
    if (!from || !to) continue;
    redirect[static_cast<graph::NodeId>(*from)] = static_cast<graph::NodeId>(*to);
  }
  if (redirect.empty()) return;
  if (edges.visible_node.empty())
    edges.visible_node.assign(static_cast<std::size_t>(edges.num_nodes), 1);
  for (const auto& [from, to] : redirect) {
    if (from < edges.visible_node.size()) edges.visible_node[from] = 0;
  }
  for (auto* ends : {&edges.src, &edges.dst}) {
    for (auto& n : *ends) {
      auto it = redirect.find(n);
      if (it != redirect.end()) n = it->second;
    }
  }
  resolved_records_ = static_cast<std::int64_t>(redirect.size());
}

const std::vector<store::LinkType>& Session::LinkTypes() {
  if (link_types_.empty()) link_types_ = Take(store_->LinkTypes());
  return link_types_;
}

std::vector<std::uint16_t> Session::LinkTypeCodes(const std::vector<std::string>& names) {
  std::vector<std::uint16_t> codes;
  const auto& schema = store_->schema();
  for (const auto& name : names) {
    bool found = false;
    for (const auto& t : LinkTypes()) {
      bool match = t.Name() == name || (t.prop.empty() && schema.IsA(t.schema, name));
      if (match) {
        codes.push_back(t.code);
        found = true;
      }
    }
    if (!found && schema.Find(name) == nullptr) {
      throw Error(StatusCode::kInvalidArgument, "unknown link schema '" + name + "'");
    }
  }
  if (!names.empty() && codes.empty()) codes.push_back(0xFFFF);  // nothing can match
  return codes;
}

graph::NodeId Session::NodeOf(const std::string& entity_id) {
  auto iid = Take(store_->FindIid(entity_id, clearances_));
  if (!iid) throw Error(StatusCode::kNotFound, "no entity with id '" + entity_id + "'");
  if (resolved_records_ > 0) {
    // A record merged into another entity stands for its cluster's canonical node.
    auto it = canonical_.find(entity_id);
    if (it != canonical_.end() && it->second != entity_id) {
      auto canon = Take(store_->FindIid(it->second, clearances_));
      if (canon) return static_cast<graph::NodeId>(*canon);
    }
  }
  return static_cast<graph::NodeId>(*iid);
}

std::vector<store::EntityHeader> Session::Headers(const std::vector<graph::NodeId>& nodes) {
  std::vector<store::EntityIid> iids(nodes.begin(), nodes.end());
  return Take(store_->GetHeaders(iids));
}

std::vector<store::LinkInfo> Session::Links(const std::vector<graph::LinkIdx>& links) {
  const graph::Graph& g = *graph_;
  std::vector<std::int64_t> iids;
  iids.reserve(links.size());
  for (auto l : links) iids.push_back(g.link_store_id(l));
  return Take(store_->GetLinks(iids));
}

std::optional<std::int64_t> ParseAsOf(const Json& args) {
  if (!args.contains("as-of")) return std::nullopt;
  std::string text = args["as-of"].get<std::string>();
  if (text.empty()) return std::nullopt;
  auto t = model::DateToUnix(text);
  if (!t) throw Error(StatusCode::kInvalidArgument, "cannot read --as-of date '" + text + "'");
  return *t;
}

std::string ArgString(const Json& args, const std::string& name) {
  return args.contains(name) && args[name].is_string() ? args[name].get<std::string>() : "";
}
std::int64_t ArgInt(const Json& args, const std::string& name) {
  return args.contains(name) && args[name].is_number() ? args[name].get<std::int64_t>() : 0;
}
double ArgDouble(const Json& args, const std::string& name) {
  return args.contains(name) && args[name].is_number() ? args[name].get<double>() : 0.0;
}
bool ArgFlag(const Json& args, const std::string& name) {
  return args.contains(name) && args[name].is_boolean() && args[name].get<bool>();
}
std::vector<std::string> ArgList(const Json& args, const std::string& name) {
  std::vector<std::string> out;
  if (args.contains(name) && args[name].is_array()) {
    for (const auto& v : args[name]) out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace casegraph::api
