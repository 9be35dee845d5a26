// Building blocks for traversal kernels over a Graph:
//  - Traversal: a LinkFilter compiled against one Graph (type bitset, excluded-node set)
//    with ForEachNeighbor(), which walks exactly the links a filter allows from a node,
//    in a fixed order (out-list first, then in-list, each in input order);
//  - NodeMap<T>: a dense node -> T map with O(1) clear (epoch stamps), for per-query
//    state that touches few nodes of a big graph; reuse one per thread across queries.
//
// Direction semantics (the same for every kernel): kOut follows directed links
// source -> target, kIn target -> source, kBoth either way; undirected links are
// followed both ways under every direction. A link is usable when its type is allowed,
// its time is inside [time_from, time_to] (links without time always pass), and neither
// endpoint is excluded or invisible.
//
// Ownership and threads: Traversal keeps a reference to the Graph (which must outlive it)
// and owns its compiled sets; it is immutable after construction and safe to share.
// NodeMap is not thread-safe: one per thread.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "graph/graph.h"

namespace casegraph::graph {

class Traversal {
 public:
  using Direction = LinkFilter::Direction;

  Traversal(const Graph& g, const LinkFilter& filter) : g_(g), dir_(filter.direction) {
    if (!filter.allowed_types.empty()) {
      types_.assign(1024, 0);
      for (std::uint16_t t : filter.allowed_types) types_[t >> 6] |= 1ULL << (t & 63);
    }
    time_from_ = filter.time_from;
    time_to_ =
        filter.time_to == kNoTime ? std::numeric_limits<std::int64_t>::max() : filter.time_to;
    check_time_ = g.has_times() && (filter.time_from != kNoTime || filter.time_to != kNoTime);
    if (filter.excluded_nodes.size() > 32) {
      excluded_bits_.assign(static_cast<std::size_t>(g.num_nodes()) / 64 + 1, 0);
      for (NodeId n : filter.excluded_nodes)
        if (n < g.num_nodes()) excluded_bits_[n >> 6] |= 1ULL << (n & 63);
    } else {
      excluded_small_ = filter.excluded_nodes;
    }
    plain_ = types_.empty() && !check_time_;
  }

  const Graph& graph() const { return g_; }
  Direction direction() const { return dir_; }
  // The same filter walked the other way (kOut <-> kIn), for backward searches.
  Traversal Reversed() const {
    Traversal r = *this;
    if (dir_ == Direction::kOut)
      r.dir_ = Direction::kIn;
    else if (dir_ == Direction::kIn)
      r.dir_ = Direction::kOut;
    return r;
  }

  // Type and time of the link (not its endpoints).
  bool LinkAllowed(LinkIdx l) const {
    if (plain_) return true;
    if (!types_.empty()) {
      const std::uint16_t t = g_.link_type(l);
      if (!((types_[t >> 6] >> (t & 63)) & 1)) return false;
    }
    if (check_time_) {
      const std::int64_t t = g_.link_time(l);
      if (t != kNoTime && (t < time_from_ || t > time_to_)) return false;
    }
    return true;
  }
  // Visible and not excluded.
  bool NodeAllowed(NodeId n) const {
    if (!g_.node_visible(n)) return false;
    if (!excluded_bits_.empty()) return !((excluded_bits_[n >> 6] >> (n & 63)) & 1);
    for (NodeId x : excluded_small_)
      if (x == n) return false;
    return true;
  }
  bool HasNodeFilter() const { return !excluded_bits_.empty() || !excluded_small_.empty(); }

  // Calls fn(neighbour, link) for every usable link from node n (n itself is assumed
  // allowed). A link is reported once per side it appears on: a self-loop under kBoth
  // is reported twice. Order: out-list, then in-list, each in input order. fn may return
  // void, or bool: false stops the walk (and ForEachNeighbor then returns false).
  template <typename Fn>
  bool ForEachNeighbor(NodeId n, Fn&& fn) const {
    auto call = [&](NodeId v, LinkIdx l) -> bool {
      if constexpr (std::is_same_v<std::invoke_result_t<Fn&, NodeId, LinkIdx>, bool>) {
        return fn(v, l);
      } else {
        fn(v, l);
        return true;
      }
    };
    const bool out_all = dir_ != Direction::kIn;
    const bool in_all = dir_ != Direction::kOut;
    const bool node_check = HasNodeFilter() || g_.has_visibility();
    if (out_all || g_.has_undirected()) {
      auto nbrs = g_.OutNeighbors(n);
      auto links = g_.OutLinks(n);
      for (std::size_t i = 0; i < nbrs.size(); ++i) {
        const LinkIdx l = links[i];
        if (!out_all && g_.link_directed(l)) continue;
        if (!LinkAllowed(l)) continue;
        if (node_check && !NodeAllowed(nbrs[i])) continue;
        if (!call(nbrs[i], l)) return false;
      }
    }
    if (in_all || g_.has_undirected()) {
      auto nbrs = g_.InNeighbors(n);
      auto links = g_.InLinks(n);
      for (std::size_t i = 0; i < nbrs.size(); ++i) {
        const LinkIdx l = links[i];
        if (!in_all && g_.link_directed(l)) continue;
        if (!LinkAllowed(l)) continue;
        if (node_check && !NodeAllowed(nbrs[i])) continue;
        if (!call(nbrs[i], l)) return false;
      }
    }
    return true;
  }

  // Upper bound on the links ForEachNeighbor(n) walks (for frontier-size heuristics).
  std::uint64_t Degree(NodeId n) const {
    std::uint64_t d = 0;
    if (dir_ != Direction::kIn || g_.has_undirected()) d += g_.OutDegree(n);
    if (dir_ != Direction::kOut || g_.has_undirected()) d += g_.InDegree(n);
    return d;
  }

  // Whether link l may be walked from node `from` (one of its endpoints) under this
  // filter, including the endpoint checks.
  bool CanWalk(LinkIdx l, NodeId from) const {
    const NodeId s = g_.link_source(l), t = g_.link_target(l);
    if (!LinkAllowed(l) || !NodeAllowed(s) || !NodeAllowed(t)) return false;
    if (dir_ == Direction::kBoth || !g_.link_directed(l)) return from == s || from == t;
    return dir_ == Direction::kOut ? from == s : from == t;
  }

 private:
  const Graph& g_;
  Direction dir_;
  bool plain_ = true;
  bool check_time_ = false;
  std::int64_t time_from_ = kNoTime, time_to_ = kNoTime;
  std::vector<std::uint64_t> types_;          // 65536-bit set, empty = all types
  std::vector<std::uint64_t> excluded_bits_;  // for long exclusion lists
  std::vector<NodeId> excluded_small_;        // for short ones
};

// Dense node -> T map with O(1) Clear(). Values of absent nodes are unspecified; Has()
// tells. Memory: (4 + sizeof(T)) bytes per node of the largest graph it served.
template <typename T>
class NodeMap {
 public:
  // Makes the map empty and able to hold nodes [0, num_nodes).
  void Clear(std::int64_t num_nodes) {
    const auto n = static_cast<std::size_t>(num_nodes);
    if (stamp_.size() < n) {
      stamp_.assign(n, 0);
      value_.resize(n);
      epoch_ = 1;
      return;
    }
    if (++epoch_ == 0) {
      std::fill(stamp_.begin(), stamp_.end(), 0);
      epoch_ = 1;
    }
  }
  bool Has(NodeId n) const { return stamp_[n] == epoch_; }
  T& Set(NodeId n, const T& v) {
    stamp_[n] = epoch_;
    return value_[n] = v;
  }
  T& operator[](NodeId n) { return value_[n]; }  // only after Set
  const T& operator[](NodeId n) const { return value_[n]; }
  const T* Find(NodeId n) const { return Has(n) ? &value_[n] : nullptr; }

 private:
  std::vector<std::uint32_t> stamp_;
  std::vector<T> value_;
  std::uint32_t epoch_ = 0;
};

}  // namespace casegraph::graph
