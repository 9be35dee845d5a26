// Ultimate beneficial owners by simple-chain enumeration (see ownership.h).
#include "analysis/ownership.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "casegraph/status.h"

namespace casegraph::analysis {

OwnershipResult BeneficialOwners(const graph::Graph& g, graph::NodeId target,
                                 const OwnershipOptions& o) {
  using graph::LinkIdx;
  using graph::NodeId;
  const auto n = static_cast<std::size_t>(g.num_nodes());
  if (target >= n) {
    throw Error(StatusCode::kInvalidArgument,
                "owners: node " + std::to_string(target) + " out of range");
  }
  std::vector<std::uint8_t> mask;
  if (!o.link_types.empty()) {
    mask.assign(65536, 0);
    for (auto t : o.link_types) mask[t] = 1;
  }
  auto usable = [&](LinkIdx l) {
    if (!mask.empty() && !mask[g.link_type(l)]) return false;
    if (!(g.link_weight(l) * o.share_scale > 0)) return false;
    return g.node_visible(g.link_source(l)) && g.link_source(l) != g.link_target(l);
  };
  auto has_owner = [&](NodeId v) {
    for (LinkIdx l : g.InLinks(v)) {
      if (usable(l)) return true;
    }
    return false;
  };

  struct Acc {
    double share = 0;
    std::int64_t paths = 0;
    int min_depth = 0;
    double best = 0;
    std::vector<LinkIdx> best_path;
  };
  std::unordered_map<NodeId, Acc> acc;
  std::vector<std::uint8_t> on_chain(n, 0);
  std::vector<LinkIdx> chain;  // target-side first
  std::size_t explored = 0;
  OwnershipResult r;
  r.target = target;

  auto dfs = [&](auto&& self, NodeId v, double product) -> void {
    if (static_cast<int>(chain.size()) >= o.max_depth) return;
    for (LinkIdx l : g.InLinks(v)) {
      if (!usable(l)) continue;
      const NodeId owner = g.link_source(l);
      if (on_chain[owner]) continue;  // a cycle: this chain would revisit a node
      const double p = product * std::min(1.0, g.link_weight(l) * o.share_scale);
      if (p < o.min_path_share) continue;
      if (++explored > o.max_paths) {
        r.truncated = true;
        return;
      }
      chain.push_back(l);
      Acc& a = acc[owner];
      a.share += p;
      const int depth = static_cast<int>(chain.size());
      if (a.paths == 0 || depth < a.min_depth) a.min_depth = depth;
      ++a.paths;
      if (p > a.best) {
        a.best = p;
        a.best_path.assign(chain.rbegin(), chain.rend());
      }
      on_chain[owner] = 1;
      self(self, owner, p);
      on_chain[owner] = 0;
      chain.pop_back();
      if (r.truncated) return;
    }
  };
  on_chain[target] = 1;
  dfs(dfs, target, 1.0);

  for (auto& [node, a] : acc) {
    if (a.share + 1e-12 < o.threshold) continue;
    Owner ow;
    ow.node = node;
    ow.share = a.share;
    ow.paths = a.paths;
    ow.min_depth = a.min_depth;
    ow.ultimate = !has_owner(node);
    if (o.ultimate_only && !ow.ultimate) continue;
    ow.best_path = std::move(a.best_path);
    r.owners.push_back(std::move(ow));
  }
  std::sort(r.owners.begin(), r.owners.end(), [](const Owner& a, const Owner& b) {
    if (a.share != b.share) return a.share > b.share;
    return a.node < b.node;
  });
  return r;
}

}  // namespace casegraph::analysis
