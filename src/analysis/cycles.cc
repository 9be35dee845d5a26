// Bounded directed cycle search (see cycles.h).
//
// Method: Johnson, "Finding all the elementary circuits of a directed graph", SIAM J.
// Comput. 4(1), 1975 — strongly connected components first, then for each start vertex s
// in increasing id order a DFS over vertices > s in s's component, so every cycle is found
// exactly once, from its smallest vertex. Johnson's blocked sets are replaced by the static
// length barrier of Gupta & Suzumura, "Finding All Bounded-Length Simple Cycles in a
// Directed Graph" (arXiv:2105.10094, 2021): a backward BFS from s gives each vertex its
// distance back to s, and the DFS never enters a vertex from which s cannot be reached
// within the remaining length. (Blocking is unsound once time-window and time-order
// constraints depend on the path taken, so the barrier is the only pruning used.)
#include "analysis/cycles.h"

#include <algorithm>
#include <limits>

namespace casegraph::analysis {
namespace {

using graph::Graph;
using graph::LinkIdx;
using graph::NodeId;

constexpr std::uint32_t kInf = std::numeric_limits<std::uint32_t>::max();

class CycleSearch {
 public:
  CycleSearch(const Graph& g, const CycleOptions& o) : g_(g), o_(o) {
    n_ = static_cast<std::size_t>(g.num_nodes());
    if (!o.link_types.empty()) {
      type_ok_.assign(65536, 0);
      for (auto t : o.link_types) type_ok_[t] = 1;
    }
    needs_time_ = o.window_seconds > 0 || o.time_ordered;
  }

  CycleResult Run() {
    if (o_.max_length < 1 || o_.max_length < o_.min_length) return {};
    ComputeScc();
    dist_.assign(n_, kInf);
    on_path_.assign(n_, 0);
    for (std::size_t s = 0; s < n_ && !result_.truncated; ++s) {
      if (!g_.node_visible(static_cast<NodeId>(s))) continue;
      start_ = static_cast<NodeId>(s);
      if (scc_size_[comp_[s]] < 2 && !(o_.min_length <= 1 && HasUsableSelfLoop(start_))) continue;
      BackwardBarrier();
      on_path_[s] = 1;
      path_nodes_.assign(1, start_);
      path_links_.clear();
      Dfs(start_);
      on_path_[s] = 0;
      for (NodeId v : touched_) dist_[v] = kInf;
      touched_.clear();
    }
    return std::move(result_);
  }

 private:
  bool Usable(LinkIdx l) const {
    if (!type_ok_.empty() && !type_ok_[g_.link_type(l)]) return false;
    if (o_.min_amount > 0 && !(g_.link_weight(l) >= o_.min_amount)) return false;
    if (needs_time_ && g_.link_time(l) == graph::kNoTime) return false;
    return g_.node_visible(g_.link_source(l)) && g_.node_visible(g_.link_target(l));
  }

  bool HasUsableSelfLoop(NodeId v) const {
    for (LinkIdx l : g_.OutLinks(v)) {
      if (g_.link_target(l) == v && Usable(l)) return true;
    }
    return false;
  }

  // Iterative Tarjan SCC over usable links.
  void ComputeScc() {
    comp_.assign(n_, kInf);
    std::vector<std::uint32_t> index(n_, kInf), low(n_, 0);
    std::vector<NodeId> stack;
    std::vector<std::uint8_t> on_stack(n_, 0);
    struct Frame {
      NodeId v;
      std::uint32_t pos;
    };
    std::vector<Frame> call;
    std::uint32_t next_index = 0, next_comp = 0;
    for (std::size_t root = 0; root < n_; ++root) {
      if (index[root] != kInf) continue;
      call.push_back({static_cast<NodeId>(root), 0});
      index[root] = low[root] = next_index++;
      stack.push_back(static_cast<NodeId>(root));
      on_stack[root] = 1;
      while (!call.empty()) {
        Frame& f = call.back();
        auto links = g_.OutLinks(f.v);
        if (f.pos < links.size()) {
          LinkIdx l = links[f.pos++];
          if (!Usable(l)) continue;
          NodeId w = g_.link_target(l);
          if (index[w] == kInf) {
            index[w] = low[w] = next_index++;
            stack.push_back(w);
            on_stack[w] = 1;
            call.push_back({w, 0});
          } else if (on_stack[w]) {
            low[f.v] = std::min(low[f.v], index[w]);
          }
          continue;
        }
        NodeId v = f.v;
        call.pop_back();
        if (!call.empty()) low[call.back().v] = std::min(low[call.back().v], low[v]);
        if (low[v] == index[v]) {
          std::uint32_t size = 0;
          NodeId w;
          do {
            w = stack.back();
            stack.pop_back();
            on_stack[w] = 0;
            comp_[w] = next_comp;
            ++size;
          } while (w != v);
          scc_size_.push_back(size);
          ++next_comp;
        }
      }
    }
  }

  // dist_[v] = links from v back to start_, over vertices >= start_ in its component,
  // only for distances <= max_length - 1.
  void BackwardBarrier() {
    const auto limit = static_cast<std::uint32_t>(o_.max_length - 1);
    dist_[start_] = 0;
    touched_.push_back(start_);
    std::size_t head = 0;
    while (head < touched_.size()) {
      NodeId v = touched_[head++];
      if (dist_[v] >= limit) continue;
      for (LinkIdx l : g_.InLinks(v)) {
        NodeId u = g_.link_source(l);
        if (u <= start_ || comp_[u] != comp_[start_] || dist_[u] != kInf || !Usable(l)) continue;
        dist_[u] = dist_[v] + 1;
        touched_.push_back(u);
      }
    }
  }

  // Whether appending link l keeps the time constraints satisfiable; updates nothing.
  bool TimeOk(LinkIdx l, bool closing) const {
    if (!needs_time_) return true;
    const std::int64_t t = g_.link_time(l);
    if (o_.window_seconds > 0 && !path_links_.empty()) {
      const std::int64_t lo = std::min(tmin_, t), hi = std::max(tmax_, t);
      if (hi - lo > o_.window_seconds) return false;
    }
    if (o_.time_ordered && !path_links_.empty()) {
      int d = descents_ + (t < g_.link_time(path_links_.back()) ? 1 : 0);
      if (closing && g_.link_time(path_links_.front()) < t) ++d;
      if (d > 1) return false;
    }
    return true;
  }

  void Emit() {
    Cycle c;
    c.nodes = path_nodes_;
    c.links = path_links_;
    if (o_.time_ordered) {
      // Rotate to start after the single descent (if any), i.e. at the earliest hop.
      const std::size_t k = c.links.size();
      std::size_t start = 0;
      for (std::size_t i = 0; i + 1 < k; ++i) {
        if (g_.link_time(c.links[i + 1]) < g_.link_time(c.links[i])) start = i + 1;
      }
      std::rotate(c.nodes.begin(), c.nodes.begin() + start, c.nodes.end());
      std::rotate(c.links.begin(), c.links.begin() + start, c.links.end());
    }
    result_.cycles.push_back(std::move(c));
    if (result_.cycles.size() >= o_.max_cycles) result_.truncated = true;
  }

  void Dfs(NodeId v) {
    const auto depth = static_cast<int>(path_links_.size());
    for (LinkIdx l : g_.OutLinks(v)) {
      if (result_.truncated) return;
      NodeId w = g_.link_target(l);
      if (w == start_) {
        if (depth + 1 < o_.min_length || !Usable(l) || !TimeOk(l, true)) continue;
        path_links_.push_back(l);
        Emit();
        path_links_.pop_back();
        continue;
      }
      if (w < start_ || on_path_[w] || dist_[w] == kInf) continue;
      if (depth + 1 + static_cast<int>(dist_[w]) > o_.max_length) continue;
      if (!Usable(l) || !TimeOk(l, false)) continue;
      // Push.
      const std::int64_t saved_min = tmin_, saved_max = tmax_;
      const int saved_descents = descents_;
      if (needs_time_) {
        const std::int64_t t = g_.link_time(l);
        if (path_links_.empty()) {
          tmin_ = tmax_ = t;
        } else {
          if (t < g_.link_time(path_links_.back())) ++descents_;
          tmin_ = std::min(tmin_, t);
          tmax_ = std::max(tmax_, t);
        }
      }
      on_path_[w] = 1;
      path_nodes_.push_back(w);
      path_links_.push_back(l);
      Dfs(w);
      path_links_.pop_back();
      path_nodes_.pop_back();
      on_path_[w] = 0;
      tmin_ = saved_min;
      tmax_ = saved_max;
      descents_ = saved_descents;
    }
  }

  const Graph& g_;
  const CycleOptions& o_;
  std::size_t n_ = 0;
  std::vector<std::uint8_t> type_ok_;
  bool needs_time_ = false;
  std::vector<std::uint32_t> comp_, scc_size_, dist_;
  std::vector<NodeId> touched_;
  std::vector<std::uint8_t> on_path_;
  NodeId start_ = 0;
  std::vector<NodeId> path_nodes_;
  std::vector<LinkIdx> path_links_;
  std::int64_t tmin_ = 0, tmax_ = 0;
  int descents_ = 0;
  CycleResult result_;
};

}  // namespace

CycleResult FindCycles(const graph::Graph& g, const CycleOptions& options) {
  return CycleSearch(g, options).Run();
}

}  // namespace casegraph::analysis
