// Session: opens a case for one command, maps the reader to clearances, and builds the
// graph snapshot (store LinkTable -> graph::EdgeList -> Graph::Build) on first use.
#include "api/session.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>

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
  // A refresh (another date) frees the old snapshot before loading the new one: the two
  // are never held at once.
  graph_.reset();
  graph::EdgeList edges = EdgesFromLinkTable(Take(store_->LoadLinks(clearances_, as_of)));
  ApplyResolution(edges);
  node_iid_ = CompactNodes(edges);
  graph_ = graph::Graph::Build(std::move(edges));  // the snapshot adopts the loaded arrays
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
  {
    // Narrow the 8-byte link row ids to the snapshot's 4-byte store ids, in parallel; the
    // wide array is freed before the graph is built.
    const std::vector<std::int64_t> link_iid = std::move(table.link_iid);
    edges.store_id.resize(link_iid.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, link_iid.size(), 1 << 16),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t i = r.begin(); i != r.end(); ++i)
                          edges.store_id[i] = static_cast<std::uint32_t>(link_iid[i]);
                      });
  }
  if (!table.weight.empty()) edges.weight = std::move(table.weight);
  return edges;
}

std::vector<std::uint32_t> CompactNodes(graph::EdgeList& edges) {
  const auto n = static_cast<std::size_t>(edges.num_nodes);
  const std::size_t m = edges.src.size();
  constexpr std::size_t kGrain = 1 << 16;
  // keep[v]: visible entity or link endpoint. Endpoints are marked with relaxed atomic
  // stores of the same value, so concurrent marks of one node are harmless.
  std::vector<std::uint8_t> keep(n, 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t v = r.begin(); v != r.end(); ++v)
                        keep[v] = edges.visible_node.empty() ? (v != 0) : edges.visible_node[v];
                    });
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, m, kGrain), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
          std::atomic_ref<std::uint8_t>(keep[edges.src[i]]).store(1, std::memory_order_relaxed);
          std::atomic_ref<std::uint8_t>(keep[edges.dst[i]]).store(1, std::memory_order_relaxed);
        }
      });
  // Blocked exclusive scan: new id of v = number of kept nodes before it.
  const std::size_t blocks = std::max<std::size_t>(1, n / kGrain + 1);
  std::vector<std::uint32_t> block_base(blocks + 1, 0);
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    std::uint32_t count = 0;
    for (std::size_t v = b * kGrain; v < std::min(n, (b + 1) * kGrain); ++v) count += keep[v];
    block_base[b + 1] = count;
  });
  for (std::size_t b = 0; b < blocks; ++b) block_base[b + 1] += block_base[b];
  std::vector<std::uint32_t> node_iid(block_base[blocks]);
  std::vector<std::uint32_t> new_id(n, 0);
  std::atomic<bool> any_hidden{false};
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    std::uint32_t next = block_base[b];
    bool hidden = false;
    for (std::size_t v = b * kGrain; v < std::min(n, (b + 1) * kGrain); ++v) {
      if (!keep[v]) continue;
      new_id[v] = next;
      node_iid[next++] = static_cast<std::uint32_t>(v);
      hidden |= !edges.visible_node.empty() && edges.visible_node[v] == 0;
    }
    if (hidden) any_hidden.store(true, std::memory_order_relaxed);
  });
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, m, kGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i) {
                        edges.src[i] = new_id[edges.src[i]];
                        edges.dst[i] = new_id[edges.dst[i]];
                      }
                    });
  if (!any_hidden.load()) {
    edges.visible_node.clear();
  } else {  // an endpoint that is not visible (should not happen): keep its flag
    std::vector<std::uint8_t> visible(node_iid.size());
    for (std::size_t k = 0; k < node_iid.size(); ++k) visible[k] = edges.visible_node[node_iid[k]];
    edges.visible_node = std::move(visible);
  }
  edges.visible_node.shrink_to_fit();
  edges.num_nodes = static_cast<std::int64_t>(node_iid.size());
  return node_iid;
}

std::optional<graph::NodeId> NodeOfIid(const std::vector<std::uint32_t>& node_iid,
                                       std::int64_t iid) {
  if (iid < 0 || iid > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  auto it = std::lower_bound(node_iid.begin(), node_iid.end(), static_cast<std::uint32_t>(iid));
  if (it == node_iid.end() || *it != iid) return std::nullopt;
  return static_cast<graph::NodeId>(it - node_iid.begin());
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
  auto node = FindNode(entity_id);
  if (node) return *node;
  if (!Take(store_->FindIid(entity_id, clearances_))) {
    throw Error(StatusCode::kNotFound, "no entity with id '" + entity_id + "'");
  }
  throw Error(StatusCode::kNotFound, "entity '" + entity_id +
                                         "' is not a node of the graph (it is a link, such as a " +
                                         "Payment, or not visible as of the requested date)");
}

std::optional<graph::NodeId> Session::FindNode(const std::string& entity_id) {
  if (!graph_) Graph(graph_as_of_);
  auto iid = Take(store_->FindIid(entity_id, clearances_));
  if (!iid) return std::nullopt;
  if (resolved_records_ > 0) {
    // A record merged into another entity stands for its cluster's canonical node.
    auto it = canonical_.find(entity_id);
    if (it != canonical_.end() && it->second != entity_id) {
      auto canon = Take(store_->FindIid(it->second, clearances_));
      if (canon) iid = canon;
    }
  }
  return NodeOfIid(node_iid_, *iid);
}

std::vector<store::EntityHeader> Session::Headers(const std::vector<graph::NodeId>& nodes) {
  std::vector<store::EntityIid> iids;
  iids.reserve(nodes.size());
  for (graph::NodeId n : nodes) {
    iids.push_back(n < node_iid_.size() ? static_cast<store::EntityIid>(node_iid_[n]) : 0);
  }
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
