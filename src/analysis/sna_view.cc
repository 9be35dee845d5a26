// Builds the simple-graph view (collapsed multi-links, no self-loops, visible nodes only)
// that the SNA kernels run on. Two parallel passes over a scratch buffer: gather each
// node's candidate neighbours at its raw offset, sort and deduplicate in place, then
// prefix-sum the distinct counts and compact.
#include "analysis/sna_view.h"

#include <algorithm>
#include <numeric>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace casegraph::analysis {
namespace {

using graph::Graph;
using graph::LinkIdx;

struct TypeFilter {
  std::vector<std::uint8_t> allowed;  // empty = all
  explicit TypeFilter(const std::vector<std::uint16_t>& types) {
    if (types.empty()) return;
    allowed.assign(65536, 0);
    for (auto t : types) allowed[t] = 1;
  }
  bool Pass(std::uint16_t t) const { return allowed.empty() || allowed[t] != 0; }
};

enum class Side { kOut, kIn };

// Builds one CSR side. For the undirected view both link directions feed the out side.
void BuildSide(const Graph& g, const ViewOptions& opt, const TypeFilter& filter, Side side,
               std::vector<std::uint64_t>& off, std::vector<NodeId>& adj, std::vector<double>& w) {
  const std::int64_t n = g.num_nodes();
  const bool weighted = opt.weighted;
  std::vector<std::uint64_t> raw_off(n + 1, 0);
  for (std::int64_t v = 0; v < n; ++v) {
    raw_off[v + 1] = raw_off[v] + g.OutDegree(v) + g.InDegree(v);
  }
  std::vector<NodeId> scratch(raw_off[n]);
  std::vector<double> scratch_w(weighted ? raw_off[n] : 0);
  std::vector<std::uint64_t> count(n + 1, 0);

  auto visible = [&](NodeId v) { return g.node_visible(v); };
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 1024), [&](const auto& r) {
    std::vector<std::pair<NodeId, double>> pairs;
    for (std::int64_t vi = r.begin(); vi < r.end(); ++vi) {
      const NodeId v = static_cast<NodeId>(vi);
      if (!visible(v)) continue;
      NodeId* dst = scratch.data() + raw_off[v];
      double* dst_w = weighted ? scratch_w.data() + raw_off[v] : nullptr;
      std::size_t k = 0;
      // Links stored in v's out-list: v → t.
      auto outs = g.OutLinks(v);
      auto out_nbrs = g.OutNeighbors(v);
      for (std::size_t i = 0; i < outs.size(); ++i) {
        const LinkIdx l = outs[i];
        const NodeId t = out_nbrs[i];
        if (t == v || !visible(t) || !filter.Pass(g.link_type(l))) continue;
        if (side == Side::kIn && opt.directed && g.link_directed(l)) continue;
        dst[k] = t;
        if (dst_w) dst_w[k] = g.link_weight(l);
        ++k;
      }
      auto ins = g.InLinks(v);
      auto in_nbrs = g.InNeighbors(v);
      for (std::size_t i = 0; i < ins.size(); ++i) {
        const LinkIdx l = ins[i];
        const NodeId s = in_nbrs[i];
        if (s == v || !visible(s) || !filter.Pass(g.link_type(l))) continue;
        if (side == Side::kOut && opt.directed && g.link_directed(l)) continue;
        dst[k] = s;
        if (dst_w) dst_w[k] = g.link_weight(l);
        ++k;
      }
      if (!weighted) {
        std::sort(dst, dst + k);
        count[v + 1] = static_cast<std::uint64_t>(std::unique(dst, dst + k) - dst);
        continue;
      }
      pairs.clear();
      for (std::size_t i = 0; i < k; ++i) pairs.emplace_back(dst[i], dst_w[i]);
      std::sort(pairs.begin(), pairs.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      std::size_t u = 0;
      for (std::size_t i = 0; i < pairs.size(); ++i) {
        if (u > 0 && dst[u - 1] == pairs[i].first) {
          dst_w[u - 1] += pairs[i].second;
        } else {
          dst[u] = pairs[i].first;
          dst_w[u] = pairs[i].second;
          ++u;
        }
      }
      count[v + 1] = u;
    }
  });
  off.assign(n + 1, 0);
  for (std::int64_t v = 0; v < n; ++v) off[v + 1] = off[v] + count[v + 1];
  adj.resize(off[n]);
  if (weighted) w.resize(off[n]);
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 4096), [&](const auto& r) {
    for (std::int64_t v = r.begin(); v < r.end(); ++v) {
      const std::uint64_t c = off[v + 1] - off[v];
      std::copy_n(scratch.data() + raw_off[v], c, adj.data() + off[v]);
      if (weighted) std::copy_n(scratch_w.data() + raw_off[v], c, w.data() + off[v]);
    }
  });
}

}  // namespace

bool LinkInView(const graph::Graph& g, graph::LinkIdx l, const ViewOptions& options) {
  const NodeId s = g.link_source(l);
  const NodeId t = g.link_target(l);
  if (!g.node_visible(s) || !g.node_visible(t)) return false;
  if (options.link_types.empty()) return true;
  return std::find(options.link_types.begin(), options.link_types.end(), g.link_type(l)) !=
         options.link_types.end();
}

SimpleView SimpleView::Build(const graph::Graph& g, const ViewOptions& options) {
  SimpleView view;
  const std::int64_t n = g.num_nodes();
  view.num_nodes_ = n;
  view.directed_ = options.directed;
  bool any_hidden = false;
  std::int64_t visible_count = 0;
  for (std::int64_t v = 0; v < n; ++v) {
    if (g.node_visible(static_cast<NodeId>(v))) {
      ++visible_count;
    } else {
      any_hidden = true;
    }
  }
  view.num_visible_ = visible_count;
  if (any_hidden) {
    view.visible_.resize(n);
    for (std::int64_t v = 0; v < n; ++v) view.visible_[v] = g.node_visible(v) ? 1 : 0;
  }
  const TypeFilter filter(options.link_types);
  BuildSide(g, options, filter, Side::kOut, view.out_off_, view.out_, view.out_w_);
  if (options.directed) {
    BuildSide(g, options, filter, Side::kIn, view.in_off_, view.in_, view.in_w_);
  }
  if (n == 0) view.out_off_.assign(1, 0);
  return view;
}

}  // namespace casegraph::analysis
