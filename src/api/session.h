// A session: one open case plus the reader's clearances and a lazily built graph
// snapshot with the id <-> node maps commands need. Commands create one per run.
// Owns the store and the snapshot; single-threaded use.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "casegraph/commands.h"
#include "graph/graph.h"
#include "model/clearance.h"
#include "store/case_store.h"

namespace casegraph::api {

class Session {
 public:
  // Opens the case at ctx.case_path (kNotFound if absent). Throws casegraph::Error.
  explicit Session(const CommandContext& ctx);

  store::CaseStore& store() { return *store_; }
  const model::Clearances& clearances() const { return clearances_; }
  const CommandContext& context() const { return ctx_; }

  // The graph snapshot as of a date (unix seconds) or now; built on first use. Records
  // that entity resolution merged (see `casegraph resolve`) form one node, the cluster's
  // canonical record; links of the other records are redirected to it.
  const graph::Graph& Graph(std::optional<std::int64_t> as_of = std::nullopt);
  // Link types of the case by code, and code lookup by name ("Ownership",
  // "BankAccount.bank"); a schema name matches its descendants' edge types too.
  const std::vector<store::LinkType>& LinkTypes();
  std::vector<std::uint16_t> LinkTypeCodes(const std::vector<std::string>& schema_names);

  // Entity id -> node id (throws kNotFound with the id when unknown or not a visible node
  // of the snapshot, e.g. a Payment, which is a link). Builds the snapshot if needed.
  graph::NodeId NodeOf(const std::string& entity_id);
  // Same, but nullopt instead of an error.
  std::optional<graph::NodeId> FindNode(const std::string& entity_id);
  // Node ids -> headers (id, schema, caption), in the same order.
  std::vector<store::EntityHeader> Headers(const std::vector<graph::NodeId>& nodes);
  // Link indices of the current snapshot -> link descriptions, in the same order.
  std::vector<store::LinkInfo> Links(const std::vector<graph::LinkIdx>& links);

 private:
  void ApplyResolution(graph::EdgeList& edges);

  CommandContext ctx_;
  std::int64_t resolved_records_ = 0;  // records folded into another entity's node
  std::unordered_map<std::string, std::string> canonical_;  // record id -> canonical id
  model::Clearances clearances_;
  std::unique_ptr<store::CaseStore> store_;
  std::optional<graph::Graph> graph_;
  std::vector<std::uint32_t> node_iid_;  // snapshot node id -> store iid (ascending)
  std::optional<std::int64_t> graph_as_of_;
  std::vector<store::LinkType> link_types_;
};

// The builder input for a snapshot: the store's link table moved into a graph::EdgeList.
// Node ids are still store iids here; see CompactNodes.
graph::EdgeList EdgesFromLinkTable(store::LinkTable&& table);

// Renumbers a snapshot's nodes densely: keeps the visible entities and every link
// endpoint, numbered in iid order, and drops the rest (edge entities such as Payments,
// which are links, and hidden entities), so that per-node arrays scale with the nodes
// of the graph, not with every entity of the case. Returns node -> iid (ascending, so
// iid -> node is a binary search, see NodeOfIid). Parallel; deterministic.
std::vector<std::uint32_t> CompactNodes(graph::EdgeList& edges);
// iid -> node in a CompactNodes map, or nullopt if the entity is not a node.
std::optional<graph::NodeId> NodeOfIid(const std::vector<std::uint32_t>& node_iid,
                                       std::int64_t iid);

// Parses an --as-of date ("2020", "2020-05-01") to unix seconds; throws on bad input.
std::optional<std::int64_t> ParseAsOf(const Json& args);

// Helpers to read JSON arguments after defaults were applied.
std::string ArgString(const Json& args, const std::string& name);
std::int64_t ArgInt(const Json& args, const std::string& name);
double ArgDouble(const Json& args, const std::string& name);
bool ArgFlag(const Json& args, const std::string& name);
std::vector<std::string> ArgList(const Json& args, const std::string& name);

// Throws casegraph::Error for a failed Status / Result.
void Check(const Status& status);
template <typename T>
T Take(Result<T> result) {
  Check(result.status());
  return std::move(result).value();
}

// Registration: each commands_*.cc file appends its commands.
void RegisterCaseCommands(std::vector<CommandSpec>& table);
void RegisterGraphCommands(std::vector<CommandSpec>& table);
void RegisterAnalysisCommands(std::vector<CommandSpec>& table);
void RegisterResolveCommands(std::vector<CommandSpec>& table);
void RegisterImportCommands(std::vector<CommandSpec>& table);
void RegisterGenerateCommand(std::vector<CommandSpec>& table);
void RegisterAuditCommand(std::vector<CommandSpec>& table);
void RegisterFlowCommands(std::vector<CommandSpec>& table);

}  // namespace casegraph::api
