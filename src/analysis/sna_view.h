// The simple-graph view that the social-network-analysis kernels (centrality, structure,
// communities) run on: a compact CSR over the visible nodes of a graph::Graph in which
// multi-links between the same pair collapse to one edge and self-loops are dropped,
// exactly as networkx's Graph / DiGraph (and igraph after simplify()) see a network.
// That choice is what makes our degree, betweenness, closeness, PageRank and eigenvector
// values equal the published networkx/igraph reference values.
//
// Orientation:
//  - undirected view (the default): every link is an edge both ways;
//  - directed view: a link whose schema is directed (Graph::link_directed) is an edge
//    source → target; a link whose schema is undirected (Family, Associate...) is an edge
//    both ways.
// Weights (optional): the weight of a collapsed edge is the SUM of the weights of the links
// it stands for (e.g. the total amount paid from A to B). Without weights every edge is 1.
// Links touching an invisible node, and links whose type is not in `link_types` (when
// given), are left out; invisible nodes get no edges and are skipped by every kernel.
//
// Ownership and threads: SimpleView owns its arrays; it does not refer back to the Graph.
// Built in parallel (TBB); read-only afterwards, safe to share between threads.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "graph/graph.h"

namespace casegraph::analysis {

using graph::NodeId;

struct ViewOptions {
  bool directed = false;                  // false = undirected view (each link both ways)
  bool weighted = false;                  // true = keep summed link weights per edge
  std::vector<std::uint16_t> link_types;  // empty = all link types
};

class SimpleView {
 public:
  SimpleView() = default;
  // Builds the view: O(m log d) (per-node sort + dedup), parallel over nodes.
  static SimpleView Build(const graph::Graph& g, const ViewOptions& options = {});

  std::int64_t num_nodes() const { return num_nodes_; }
  bool directed() const { return directed_; }
  bool weighted() const { return !out_w_.empty(); }
  // Number of edges: pairs {u,v} in the undirected view, ordered pairs in the directed one.
  std::int64_t num_edges() const {
    return directed_ ? static_cast<std::int64_t>(out_.size())
                     : static_cast<std::int64_t>(out_.size()) / 2;
  }
  bool visible(NodeId n) const { return visible_.empty() || visible_[n] != 0; }
  std::int64_t num_visible() const { return num_visible_; }

  // Successors (undirected: neighbours), sorted ascending, distinct, no self-loop.
  std::span<const NodeId> Out(NodeId n) const {
    return {out_.data() + out_off_[n], out_.data() + out_off_[n + 1]};
  }
  // Predecessors; the same as Out() in the undirected view.
  std::span<const NodeId> In(NodeId n) const {
    if (!directed_) return Out(n);
    return {in_.data() + in_off_[n], in_.data() + in_off_[n + 1]};
  }
  // Weights parallel to Out(n) / In(n); empty spans when not weighted.
  std::span<const double> OutWeights(NodeId n) const {
    if (out_w_.empty()) return {};
    return {out_w_.data() + out_off_[n], out_w_.data() + out_off_[n + 1]};
  }
  std::span<const double> InWeights(NodeId n) const {
    if (!directed_) return OutWeights(n);
    if (in_w_.empty()) return {};
    return {in_w_.data() + in_off_[n], in_w_.data() + in_off_[n + 1]};
  }
  std::uint64_t OutDegree(NodeId n) const { return out_off_[n + 1] - out_off_[n]; }
  std::uint64_t InDegree(NodeId n) const {
    return directed_ ? in_off_[n + 1] - in_off_[n] : OutDegree(n);
  }
  // Raw CSR access for tight loops.
  const std::vector<std::uint64_t>& out_offsets() const { return out_off_; }
  const std::vector<NodeId>& out_targets() const { return out_; }

 private:
  std::int64_t num_nodes_ = 0;
  std::int64_t num_visible_ = 0;
  bool directed_ = false;
  std::vector<std::uint64_t> out_off_, in_off_;
  std::vector<NodeId> out_, in_;
  std::vector<double> out_w_, in_w_;
  std::vector<std::uint8_t> visible_;
};

// True when the link passes the view's type filter and both ends are visible.
bool LinkInView(const graph::Graph& g, graph::LinkIdx l, const ViewOptions& options);

}  // namespace casegraph::analysis
