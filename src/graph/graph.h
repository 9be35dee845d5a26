// The in-memory CSR snapshot of a case: out- and in-adjacency over dense node ids, with
// per-link type, time and store id. Built once (parallel builder: count degrees → prefix
// sum → scatter, out and in in the same passes) and then read-only: every analysis kernel
// is a free function over `const Graph&`, safe to call from many threads at once.
//
// Node ids are dense (0..num_nodes-1); a case snapshot numbers the visible entities in
// store iid order and keeps the node -> iid map beside the graph (api::CompactNodes). A link is
// stored once in the link arrays (index LinkIdx) and appears in the out-list of its source and the
// in-list of its target. Undirected views (the default for most analyses) combine
// both lists; `link_directed(link)` tells whether the link's schema is directed.
//
// Memory (issue 2 budget: <= 40 bytes per link at 10 M links, both directions, link
// arrays and offsets): 16 B adjacency (neighbour + link index, out and in), 8 B
// endpoints, 2 B type, 4 B time (seconds after the snapshot's earliest link time, when
// its links span less than 136 years; 8 B absolute seconds otherwise), 4 B store id,
// 2 x 4 B offsets per node. Directedness is
// kept per link type (a 64 K-entry table at most), not per link, unless the input mixes
// directed and undirected links of the same type. Arrays whose input is absent (no types,
// no times, store ids = index, no weights) stay empty. Weights (8 B) are optional and
// counted by MemoryBytes() but sit outside the budget. Arrays the builder allocates sit on
// transparent huge pages (graph/huge_page_allocator.h); link arrays adopted from a moved
// EdgeList keep the loader's ordinary pages.
//
// Ownership and threads: a Graph owns all its arrays (move-only in practice, copyable if
// needed). Build(EdgeList&&) adopts the input's link arrays (src, dst, type, store ids,
// weights, ...) instead of copying them; Build(const EdgeList&) copies. After Build it is
// immutable; every const member is safe to call concurrently. Node ids passed to accessors must be
// < num_nodes() and link indices < num_links() (unchecked, as in GAP). Build throws
// casegraph::Error(kInvalidArgument) on malformed input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "graph/column.h"
#include "graph/huge_page_allocator.h"

namespace casegraph::graph {

using NodeId = std::uint32_t;
using LinkIdx = std::uint32_t;
inline constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

// Input of the builder: one entry per link (structure of arrays, equal lengths except
// visible_node, which has num_nodes entries or is empty = all visible).
struct EdgeList {
  std::int64_t num_nodes = 0;
  std::vector<NodeId> src;
  std::vector<NodeId> dst;
  std::vector<std::uint16_t> type;         // link type code (empty = all 0)
  std::vector<std::int64_t> time;          // unix seconds or kNoTime (empty = none)
  std::vector<std::uint32_t> store_id;     // link row id in the store (empty = index)
  std::vector<std::uint8_t> directed;      // 1 = directed (empty = all directed)
  std::vector<double> weight;              // optional numeric value: amount, share (empty = none)
  std::vector<std::uint8_t> visible_node;  // optional per-node visibility
};

class Graph {
 public:
  Graph() = default;
  // Parallel CSR build (TBB): per-chunk degree counts -> prefix sums -> each chunk places
  // its own links (no atomics; one chunk per thread, chunk 0 counting in the offsets
  // themselves). Deterministic for any thread count: adjacency lists keep input order.
  // Throws Error(kInvalidArgument) on malformed input (endpoint >= num_nodes, array
  // lengths differ, more than 2^32 - 2 links). The copying form leaves `edges` untouched.
  static Graph Build(const EdgeList& edges);
  // Same graph, but the input's arrays move into the snapshot (no copy, no fresh memory
  // for them); `edges` is left empty. What a case snapshot uses (api::Session).
  static Graph Build(EdgeList&& edges);

  std::int64_t num_nodes() const { return num_nodes_; }
  std::int64_t num_links() const { return static_cast<std::int64_t>(link_src_.size()); }

  std::span<const NodeId> OutNeighbors(NodeId n) const {
    return {out_nbr_.data() + out_off_[n], out_nbr_.data() + out_off_[n + 1]};
  }
  std::span<const LinkIdx> OutLinks(NodeId n) const {
    return {out_link_.data() + out_off_[n], out_link_.data() + out_off_[n + 1]};
  }
  std::span<const NodeId> InNeighbors(NodeId n) const {
    return {in_nbr_.data() + in_off_[n], in_nbr_.data() + in_off_[n + 1]};
  }
  std::span<const LinkIdx> InLinks(NodeId n) const {
    return {in_link_.data() + in_off_[n], in_link_.data() + in_off_[n + 1]};
  }
  std::uint64_t OutDegree(NodeId n) const { return out_off_[n + 1] - out_off_[n]; }
  std::uint64_t InDegree(NodeId n) const { return in_off_[n + 1] - in_off_[n]; }

  NodeId link_source(LinkIdx l) const { return link_src_[l]; }
  NodeId link_target(LinkIdx l) const { return link_dst_[l]; }
  std::uint16_t link_type(LinkIdx l) const { return link_type_.empty() ? 0 : link_type_[l]; }
  std::int64_t link_time(LinkIdx l) const {
    if (!link_time32_.empty()) {
      const std::uint32_t t = link_time32_[l];
      return t == kNoTime32 ? kNoTime : time_base_ + static_cast<std::int64_t>(t);
    }
    return link_time_.empty() ? kNoTime : link_time_[l];
  }
  std::uint32_t link_store_id(LinkIdx l) const {
    return link_store_id_.empty() ? l : link_store_id_[l];
  }
  bool link_directed(LinkIdx l) const {
    if (!link_directed_.empty()) return link_directed_[l] != 0;
    return type_directed_.empty() || type_directed_[link_type(l)] != 0;
  }
  // False when every link is directed: traversals can skip looking for undirected links.
  bool has_undirected() const { return has_undirected_; }
  bool has_weights() const { return !link_weight_.empty(); }
  double link_weight(LinkIdx l) const { return link_weight_.empty() ? 1.0 : link_weight_[l]; }
  bool node_visible(NodeId n) const { return visible_.empty() || visible_[n] != 0; }
  bool has_visibility() const { return !visible_.empty(); }  // false: every node visible
  bool has_times() const { return !link_time_.empty() || !link_time32_.empty(); }

  // Bytes held by this snapshot (all arrays' capacities).
  std::size_t MemoryBytes() const;

 private:
  // Both Build forms: reads `e`; when `take` is set (== &e) its arrays may be adopted.
  static Graph BuildFrom(const EdgeList& e, EdgeList* take);

  std::int64_t num_nodes_ = 0;
  bool has_undirected_ = false;
  BigVector<std::uint32_t> out_off_, in_off_;  // num_nodes + 1 (links fit in 32 bits)
  BigVector<NodeId> out_nbr_, in_nbr_;
  BigVector<LinkIdx> out_link_, in_link_;
  Column<NodeId> link_src_, link_dst_;
  Column<std::uint16_t> link_type_;
  // Link times: offsets from time_base_ (kNoTime32 = none) when they fit, else absolute.
  static constexpr std::uint32_t kNoTime32 = std::numeric_limits<std::uint32_t>::max();
  std::int64_t time_base_ = 0;
  BigVector<std::uint32_t> link_time32_;
  Column<std::int64_t> link_time_;
  Column<std::uint32_t> link_store_id_;
  std::vector<std::uint8_t> type_directed_;  // per type code (empty = all directed)
  Column<std::uint8_t> link_directed_;       // per link, only when a type is mixed
  Column<double> link_weight_;
  Column<std::uint8_t> visible_;
};

// Which links a traversal may use. Direction is relative to the node being expanded:
// kOut follows directed links source -> target, kIn target -> source, kBoth either way;
// undirected links (link_directed() false) are followed both ways under every direction.
// Links touching an excluded or invisible node are never used. See graph/traverse.h for
// the compiled form that kernels use.
struct LinkFilter {
  std::vector<std::uint16_t> allowed_types;  // empty = all
  enum class Direction { kOut, kIn, kBoth } direction = Direction::kBoth;
  std::int64_t time_from = kNoTime;  // links with a time outside [from, to] are skipped;
  std::int64_t time_to = kNoTime;    // links without time pass
  std::vector<NodeId> excluded_nodes;
};

}  // namespace casegraph::graph
