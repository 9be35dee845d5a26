// Flow tracing (FIFO / proportional) and fan-in / fan-out detection (see flows.h).
#include "analysis/flows.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>
#include <string>
#include <utility>

#include "casegraph/status.h"

namespace casegraph::analysis {
namespace {

using graph::Graph;
using graph::LinkIdx;
using graph::NodeId;

std::vector<std::uint8_t> TypeMask(const std::vector<std::uint16_t>& types) {
  std::vector<std::uint8_t> mask;
  if (types.empty()) return mask;
  mask.assign(65536, 0);
  for (auto t : types) mask[t] = 1;
  return mask;
}

struct Receipt {
  LinkIdx link;
  double remaining;
};

// Which receipts paid for which payment: for a processed link l, entries
// [begin[l], end[l]) of `entries` are (receipt link, amount of it used); own[l] is the part
// paid from the payer's own funds. `order` lists the traced links in processing order.
struct Funding {
  std::vector<LinkIdx> order;
  std::vector<std::uint32_t> begin, end;
  std::vector<std::pair<LinkIdx, double>> entries;
  std::vector<double> own;
  std::vector<std::uint8_t> traced;  // link takes part
};

Funding BuildFunding(const Graph& g, const FlowOptions& o) {
  const auto m = static_cast<std::size_t>(g.num_links());
  const auto n = static_cast<std::size_t>(g.num_nodes());
  const auto mask = TypeMask(o.link_types);
  Funding f;
  f.begin.assign(m, 0);
  f.end.assign(m, 0);
  f.own.assign(m, 0);
  f.traced.assign(m, 0);
  for (std::size_t l = 0; l < m; ++l) {
    if (!mask.empty() && !mask[g.link_type(l)]) continue;
    const std::int64_t t = g.link_time(l);
    if (t == graph::kNoTime) continue;
    if (o.time_from != graph::kNoTime && t < o.time_from) continue;
    if (o.time_to != graph::kNoTime && t > o.time_to) continue;
    if (!(g.link_weight(l) > 0)) continue;
    if (!g.node_visible(g.link_source(l)) || !g.node_visible(g.link_target(l))) continue;
    f.traced[l] = 1;
    f.order.push_back(static_cast<LinkIdx>(l));
  }
  std::stable_sort(f.order.begin(), f.order.end(),
                   [&](LinkIdx a, LinkIdx b) { return g.link_time(a) < g.link_time(b); });
  std::vector<std::deque<Receipt>> ledger(n);
  std::vector<double> balance(n, 0.0);  // proportional: sum of remaining receipts
  for (LinkIdx l : f.order) {
    const NodeId u = g.link_source(l), v = g.link_target(l);
    const double a = g.link_weight(l);
    f.begin[l] = static_cast<std::uint32_t>(f.entries.size());
    auto& q = ledger[u];
    double funded = 0;
    if (o.rule == AllocationRule::kFifo) {
      double need = a;
      while (need > 0 && !q.empty()) {
        Receipt& r = q.front();
        const double take = std::min(need, r.remaining);
        f.entries.emplace_back(r.link, take);
        funded += take;
        need -= take;
        r.remaining -= take;
        if (r.remaining <= 1e-12 * g.link_weight(r.link)) q.pop_front();
      }
    } else if (!q.empty()) {
      const double b = balance[u];
      const double share = b > a ? a / b : 1.0;
      double kept = 0;
      std::size_t w = 0;
      for (std::size_t k = 0; k < q.size(); ++k) {
        Receipt r = q[k];
        const double take = r.remaining * share;
        f.entries.emplace_back(r.link, take);
        funded += take;
        r.remaining -= take;
        if (share < 1.0 && r.remaining > 1e-12 * g.link_weight(r.link)) {
          kept += r.remaining;
          q[w++] = r;
        }
      }
      q.resize(w);
      balance[u] = kept;
    }
    f.end[l] = static_cast<std::uint32_t>(f.entries.size());
    f.own[l] = std::max(0.0, a - funded);
    ledger[v].push_back({l, a});
    balance[v] += a;
  }
  return f;
}

}  // namespace

FlowResult TraceFlow(const graph::Graph& g, graph::NodeId node, const FlowOptions& o) {
  const auto n = static_cast<std::size_t>(g.num_nodes());
  const auto m = static_cast<std::size_t>(g.num_links());
  if (node >= n) {
    throw Error(StatusCode::kInvalidArgument,
                "flow: node " + std::to_string(node) + " out of range");
  }
  const Funding f = BuildFunding(g, o);
  FlowResult r;
  r.origin = node;
  r.direction = o.direction;
  r.link_flow.assign(m, 0.0);
  r.node_in.assign(n, 0.0);
  r.node_out.assign(n, 0.0);
  r.node_end.assign(n, 0.0);
  const bool forward = o.direction == FlowDirection::kForward;

  if (forward) {
    for (LinkIdx l : f.order) {
      const NodeId u = g.link_source(l);
      double x = 0;
      if (u == node) {
        x = g.link_weight(l);
        r.total += x;
      } else {
        for (std::uint32_t k = f.begin[l]; k < f.end[l]; ++k) {
          const auto [i, used] = f.entries[k];
          if (r.link_flow[i] > 0) x += used * r.link_flow[i] / g.link_weight(i);
        }
      }
      r.link_flow[l] = x;
    }
  } else {
    for (auto it = f.order.rbegin(); it != f.order.rend(); ++it) {
      const LinkIdx l = *it;
      if (g.link_target(l) == node) {
        r.link_flow[l] = g.link_weight(l);
        r.total += r.link_flow[l];
      }
      const double x = r.link_flow[l];
      if (x <= 0 || g.link_source(l) == node) continue;
      const double a = g.link_weight(l);
      for (std::uint32_t k = f.begin[l]; k < f.end[l]; ++k) {
        const auto [i, used] = f.entries[k];
        if (g.link_target(i) == node) continue;  // cannot happen: i ends at source(l) != node
        r.link_flow[i] += x * used / a;
      }
    }
  }
  for (LinkIdx l : f.order) {
    const double x = r.link_flow[l];
    if (x == 0) continue;
    r.node_out[g.link_source(l)] += x;
    r.node_in[g.link_target(l)] += x;
  }
  for (std::size_t v = 0; v < n; ++v) {
    if (forward) {
      r.node_end[v] = v == node ? r.node_in[v] : r.node_in[v] - r.node_out[v];
    } else {
      r.node_end[v] = v == node ? r.node_out[v] : r.node_out[v] - r.node_in[v];
    }
    if (std::abs(r.node_end[v]) < 1e-9 * std::max(1.0, r.total)) r.node_end[v] = 0;
  }

  // Paths: depth-first expansion of the funding relation from the origin's links.
  if (o.max_paths > 0) {
    // Forward needs, per receipt, the payments it funded (reverse of the funding relation).
    std::vector<std::uint32_t> roff;
    std::vector<std::pair<LinkIdx, double>> rev;
    if (forward) {
      roff.assign(m + 1, 0);
      for (const auto& [i, used] : f.entries) ++roff[i + 1];
      for (std::size_t i = 0; i < m; ++i) roff[i + 1] += roff[i];
      rev.resize(f.entries.size());
      std::vector<std::uint32_t> pos(roff.begin(), roff.end() - 1);
      for (LinkIdx l : f.order) {
        for (std::uint32_t k = f.begin[l]; k < f.end[l]; ++k) {
          rev[pos[f.entries[k].first]++] = {l, f.entries[k].second};
        }
      }
    }
    std::vector<LinkIdx> stack_links;
    double emitted = 0;
    std::size_t budget = 50 * o.max_paths + 100000;  // DFS steps
    auto emit = [&](double amount) {
      if (amount <= 1e-12 * std::max(1.0, r.total)) return;
      FlowPath p;
      p.links = stack_links;
      if (!forward) std::reverse(p.links.begin(), p.links.end());
      p.nodes.push_back(g.link_source(p.links.front()));
      for (LinkIdx l : p.links) p.nodes.push_back(g.link_target(l));
      p.amount = amount;
      emitted += amount;
      r.paths.push_back(std::move(p));
    };
    // x = traced money carried along the current path through its last link.
    auto dfs = [&](auto&& self, LinkIdx l, double x) -> void {
      if (r.paths.size() >= o.max_paths || budget == 0) {
        r.paths_truncated = true;
        return;
      }
      --budget;
      stack_links.push_back(l);
      const double a = g.link_weight(l);
      double passed = 0;
      if (forward && g.link_target(l) != node) {
        for (std::uint32_t k = roff[l]; k < roff[l + 1]; ++k) {
          const double y = x * rev[k].second / a;
          passed += y;
          if (y < o.min_path_amount || y <= 0) {
            r.paths_truncated = r.paths_truncated || y > 0;
            continue;
          }
          self(self, rev[k].first, y);
        }
      } else if (!forward && g.link_source(l) != node) {
        for (std::uint32_t k = f.begin[l]; k < f.end[l]; ++k) {
          const double y = x * f.entries[k].second / a;
          passed += y;
          if (y < o.min_path_amount || y <= 0) {
            r.paths_truncated = r.paths_truncated || y > 0;
            continue;
          }
          self(self, f.entries[k].first, y);
        }
      }
      if (r.paths.size() < o.max_paths) emit(x - passed);
      stack_links.pop_back();
    };
    for (LinkIdx l : f.order) {
      const bool root = forward ? g.link_source(l) == node : g.link_target(l) == node;
      if (root) dfs(dfs, l, g.link_weight(l));
    }
    std::stable_sort(r.paths.begin(), r.paths.end(),
                     [](const FlowPath& a, const FlowPath& b) { return a.amount > b.amount; });
    r.untracked_path_amount = std::max(0.0, r.total - emitted);
    if (r.untracked_path_amount < 1e-9 * std::max(1.0, r.total)) r.untracked_path_amount = 0;
  }
  return r;
}

double ConservationError(const FlowResult& r) {
  const bool forward = r.direction == FlowDirection::kForward;
  double worst = 0, sum_end = 0;
  for (std::size_t v = 0; v < r.node_end.size(); ++v) {
    sum_end += r.node_end[v];
    // A node cannot keep (or originate) a negative amount.
    worst = std::max(worst, -r.node_end[v]);
    if (v == r.origin) continue;
    const double err = forward ? r.node_in[v] - r.node_out[v] - r.node_end[v]
                               : r.node_out[v] - r.node_in[v] - r.node_end[v];
    worst = std::max(worst, std::abs(err));
  }
  return std::max(worst, std::abs(sum_end - r.total));
}

// ---------------------------------------------------------------------------------------

std::vector<FanHub> FindFanHubs(const graph::Graph& g, const FanOptions& o) {
  const auto n = static_cast<std::size_t>(g.num_nodes());
  const auto mask = TypeMask(o.link_types);
  const bool in = o.direction == FanDirection::kIn;
  const bool windowed = o.window_seconds > 0;
  std::vector<std::uint32_t> seen(n, 0);  // counterparty -> payments in the current window
  std::vector<LinkIdx> links;
  std::vector<FanHub> hubs;
  for (std::size_t v = 0; v < n; ++v) {
    if (!g.node_visible(static_cast<NodeId>(v))) continue;
    auto adj = in ? g.InLinks(static_cast<NodeId>(v)) : g.OutLinks(static_cast<NodeId>(v));
    if (static_cast<std::int64_t>(adj.size()) < o.min_count || adj.empty()) continue;
    links.clear();
    for (LinkIdx l : adj) {
      if (!mask.empty() && !mask[g.link_type(l)]) continue;
      const double a = g.link_weight(l);
      if (a < o.min_amount || a > o.max_amount) continue;
      if (windowed && g.link_time(l) == graph::kNoTime) continue;
      const NodeId other = in ? g.link_source(l) : g.link_target(l);
      if (other == v || !g.node_visible(other)) continue;
      links.push_back(l);
    }
    if (links.empty()) continue;
    std::stable_sort(links.begin(), links.end(),
                     [&](LinkIdx a, LinkIdx b) { return g.link_time(a) < g.link_time(b); });
    auto other_of = [&](LinkIdx l) { return in ? g.link_source(l) : g.link_target(l); };
    std::int64_t distinct = 0, best_cp = -1, best_count = 0;
    double amount = 0, best_amount = 0;
    std::size_t lo = 0, best_lo = 0, best_hi = 0;
    for (std::size_t hi = 0; hi < links.size(); ++hi) {
      if (seen[other_of(links[hi])]++ == 0) ++distinct;
      amount += g.link_weight(links[hi]);
      while (windowed && g.link_time(links[hi]) - g.link_time(links[lo]) > o.window_seconds) {
        if (--seen[other_of(links[lo])] == 0) --distinct;
        amount -= g.link_weight(links[lo]);
        ++lo;
      }
      const auto count = static_cast<std::int64_t>(hi - lo + 1);
      if (distinct > best_cp || (distinct == best_cp && count > best_count) ||
          (distinct == best_cp && count == best_count && amount > best_amount)) {
        best_cp = distinct;
        best_count = count;
        best_amount = amount;
        best_lo = lo;
        best_hi = hi + 1;
      }
    }
    for (std::size_t k = lo; k < links.size(); ++k) seen[other_of(links[k])] = 0;
    if (best_cp < o.min_counterparties || best_count < o.min_count) continue;
    FanHub h;
    h.node = static_cast<NodeId>(v);
    h.counterparties = best_cp;
    h.count = best_count;
    h.links.assign(links.begin() + best_lo, links.begin() + best_hi);
    h.amount = 0;
    for (LinkIdx l : h.links) h.amount += g.link_weight(l);
    h.window_start = g.link_time(h.links.front());
    h.window_end = g.link_time(h.links.back());
    hubs.push_back(std::move(h));
  }
  std::sort(hubs.begin(), hubs.end(), [](const FanHub& a, const FanHub& b) {
    if (a.counterparties != b.counterparties) return a.counterparties > b.counterparties;
    if (a.count != b.count) return a.count > b.count;
    if (a.amount != b.amount) return a.amount > b.amount;
    return a.node < b.node;
  });
  if (o.top_k > 0 && hubs.size() > o.top_k) hubs.resize(o.top_k);
  return hubs;
}

}  // namespace casegraph::analysis
