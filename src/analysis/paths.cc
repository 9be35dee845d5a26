// Path and neighbourhood kernels: bidirectional BFS, all shortest paths, Yen's k shortest
// simple paths, (hop-constrained) Dijkstra, Find Linked expansion and Find Connecting
// Network. Per-thread scratch maps (graph::NodeMap) keep query cost proportional to the
// part of the graph a query touches.
#include "analysis/paths.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <set>
#include <string>
#include <tuple>
#include <unordered_set>

#include "casegraph/status.h"
#include "graph/traverse.h"

namespace casegraph::analysis {

using graph::Graph;
using graph::LinkFilter;
using graph::LinkIdx;
using graph::NodeId;
using graph::NodeMap;
using graph::Traversal;

namespace {

constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
constexpr LinkIdx kNoLink = std::numeric_limits<LinkIdx>::max();

struct Label {
  NodeId parent;  // the node this one was reached from (kNoNode for a root)
  LinkIdx link;   // the link used
  std::uint32_t dist;
};

// Per-thread scratch. Kernels take what they need at the top and never call each other
// while holding it (internal helpers receive it explicitly).
struct Tentative {
  double cost;
  std::uint32_t hops;
};

struct Workspace {
  NodeMap<Label> a, b;
  NodeMap<std::uint32_t> best;    // Dijkstra: min hops settled per node
  NodeMap<Tentative> tent;        // Dijkstra: best queued label per node
  NodeMap<std::uint8_t> blocked;  // Yen: root nodes removed for a spur search
};

Workspace& ThreadWorkspace() {
  thread_local Workspace ws;
  return ws;
}

void CheckNode(const Graph& g, NodeId n, const char* what) {
  if (static_cast<std::int64_t>(n) >= g.num_nodes())
    throw Error(StatusCode::kInvalidArgument,
                std::string(what) + " node id " + std::to_string(n) + " is out of range");
}

double CheckedCost(const LinkCost& cost, LinkIdx l) {
  const double c = cost(l);
  if (std::isnan(c) || c < 0)
    throw Error(StatusCode::kInvalidArgument,
                "link cost must be >= 0 (link " + std::to_string(l) + ")");
  return c;
}

// ---------------------------------------------------------------------------------------
// Hop-constrained Dijkstra, the engine of WeightedShortestPath and Yen's spur searches.
// Labels (node, cost, hops) are settled in (cost, hops, creation) order; a label at v is
// kept only if it has fewer hops than every label settled at v before it (Pareto
// dominance), so each node is settled at most max_hops + 1 times, and only once without
// a hop limit. cost == nullptr means every link costs 1.
struct DijkstraLabel {
  NodeId node;
  LinkIdx link;
  std::uint32_t parent;  // index into labels, or UINT32_MAX
  std::uint32_t hops;
  double cost;
};

std::optional<Path> HopDijkstra(const Traversal& trav, NodeId from, NodeId to, const LinkCost* cost,
                                int max_hops, const NodeMap<std::uint8_t>* blocked,
                                const std::vector<LinkIdx>* blocked_links, Workspace& ws) {
  const Graph& g = trav.graph();
  const bool hop_limited = max_hops != kNoHopLimit;
  if (max_hops < 0) return std::nullopt;
  ws.best.Clear(g.num_nodes());  // min hops among labels settled at the node
  ws.tent.Clear(g.num_nodes());  // (cost, hops) of the best label queued at the node
  std::vector<DijkstraLabel> labels;
  using Entry = std::tuple<double, std::uint32_t, std::uint32_t>;  // cost, hops, label
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  labels.push_back({from, kNoLink, UINT32_MAX, 0, 0.0});
  ws.tent.Set(from, {0.0, 0});
  heap.emplace(0.0, 0, 0);
  while (!heap.empty()) {
    auto [c, h, idx] = heap.top();
    heap.pop();
    const NodeId u = labels[idx].node;
    if (ws.best.Has(u) && (!hop_limited || ws.best[u] <= h)) continue;
    ws.best.Set(u, h);
    if (u == to) {
      Path p;
      p.cost = c;
      for (std::uint32_t i = idx; i != UINT32_MAX; i = labels[i].parent) {
        p.nodes.push_back(labels[i].node);
        if (labels[i].link != kNoLink) p.links.push_back(labels[i].link);
      }
      std::reverse(p.nodes.begin(), p.nodes.end());
      std::reverse(p.links.begin(), p.links.end());
      return p;
    }
    if (hop_limited && static_cast<int>(h) >= max_hops) continue;
    const std::uint32_t nh = h + 1;
    trav.ForEachNeighbor(u, [&](NodeId v, LinkIdx l) {
      if (v == u) return;
      if (blocked != nullptr && blocked->Has(v)) return;
      if (blocked_links != nullptr &&
          std::binary_search(blocked_links->begin(), blocked_links->end(), l))
        return;
      if (ws.best.Has(v) && (!hop_limited || ws.best[v] <= nh)) return;
      const double lc = cost == nullptr ? 1.0 : CheckedCost(*cost, l);
      if (std::isinf(lc)) return;
      const double nc = c + lc;
      if (ws.tent.Has(v)) {
        const Tentative& t = ws.tent[v];
        // Without a hop limit, (cost, hops) order decides; with one, Pareto dominance.
        const bool dominated = hop_limited ? (t.cost <= nc && t.hops <= nh)
                                           : std::tie(t.cost, t.hops) <= std::tie(nc, nh);
        if (dominated) return;
        if (std::tie(nc, nh) < std::tie(t.cost, t.hops)) ws.tent[v] = {nc, nh};
      } else {
        ws.tent.Set(v, {nc, nh});
      }
      labels.push_back({v, l, idx, nh, nc});
      heap.emplace(nc, nh, static_cast<std::uint32_t>(labels.size() - 1));
    });
  }
  return std::nullopt;
}

std::vector<NodeId> UniqueAllowed(const Traversal& trav, std::span<const NodeId> nodes) {
  std::vector<NodeId> r;
  for (NodeId n : nodes) {
    CheckNode(trav.graph(), n, "chosen");
    if (!trav.NodeAllowed(n)) continue;
    if (std::find(r.begin(), r.end(), n) == r.end()) r.push_back(n);
  }
  return r;
}

}  // namespace

LinkCost WeightCost(const Graph& g) {
  return [&g](LinkIdx l) { return g.link_weight(l); };
}

LinkCost InverseWeightCost(const Graph& g) {
  return [&g](LinkIdx l) {
    const double w = g.link_weight(l);
    return w > 0 ? 1.0 / w : std::numeric_limits<double>::infinity();
  };
}

// ---------------------------------------------------------------------------------------
// Bidirectional breadth-first search (Pohl, "Bi-directional search", Machine Intelligence
// 6, 1971), level-synchronous, always growing the side whose frontier has fewer incident
// links (as in Beamer et al.'s direction heuristics). The first meeting while expanding a
// level is optimal: before it, the two balls were disjoint, so the distance is at least
// da + db + 1.
std::optional<Path> ShortestPath(const Graph& g, NodeId from, NodeId to, const LinkFilter& filter,
                                 int max_hops) {
  CheckNode(g, from, "from");
  CheckNode(g, to, "to");
  Traversal fwd(g, filter);
  Traversal bwd = fwd.Reversed();
  if (!fwd.NodeAllowed(from) || !fwd.NodeAllowed(to)) return std::nullopt;
  if (from == to) return Path{{from}, {}, 0};
  if (max_hops <= 0) return std::nullopt;
  Workspace& ws = ThreadWorkspace();
  ws.a.Clear(g.num_nodes());
  ws.b.Clear(g.num_nodes());
  ws.a.Set(from, {kNoNode, kNoLink, 0});
  ws.b.Set(to, {kNoNode, kNoLink, 0});
  std::vector<NodeId> fa{from}, fb{to}, next;
  std::uint64_t work_a = fwd.Degree(from), work_b = bwd.Degree(to);
  int da = 0, db = 0;
  NodeId meet = kNoNode;
  while (!fa.empty() && !fb.empty() && da + db < max_hops) {
    const bool forward = work_a <= work_b;
    NodeMap<Label>& side = forward ? ws.a : ws.b;
    const NodeMap<Label>& other = forward ? ws.b : ws.a;
    const Traversal& trav = forward ? fwd : bwd;
    std::vector<NodeId>& frontier = forward ? fa : fb;
    next.clear();
    std::uint64_t work = 0;
    for (NodeId u : frontier) {
      const bool go_on = trav.ForEachNeighbor(u, [&](NodeId v, LinkIdx l) {
        if (side.Has(v)) return true;
        side.Set(v, {u, l, 0});
        if (other.Has(v)) {
          meet = v;
          return false;
        }
        next.push_back(v);
        work += trav.Degree(v);
        return true;
      });
      if (!go_on) break;
    }
    if (meet != kNoNode) break;
    frontier.swap(next);
    (forward ? work_a : work_b) = work;
    (forward ? da : db) += 1;
  }
  if (meet == kNoNode) return std::nullopt;
  Path p;
  for (NodeId v = meet; v != kNoNode; v = ws.a[v].parent) {
    p.nodes.push_back(v);
    if (ws.a[v].link != kNoLink) p.links.push_back(ws.a[v].link);
  }
  std::reverse(p.nodes.begin(), p.nodes.end());
  std::reverse(p.links.begin(), p.links.end());
  for (NodeId v = meet; ws.b[v].parent != kNoNode;) {
    p.links.push_back(ws.b[v].link);
    v = ws.b[v].parent;
    p.nodes.push_back(v);
  }
  p.cost = static_cast<double>(p.links.size());
  return p;
}

// ---------------------------------------------------------------------------------------
// All shortest paths: a BFS from `from` until `to` is reached gives the distance d and
// layer numbers; a backward BFS from `to` keeps only nodes w with dist_from(w) +
// dist_to(w) = d, i.e. the shortest-path DAG (as in Brandes, "A faster algorithm for
// betweenness centrality", 2001, which counts the same DAG's paths); a depth-first walk
// of the DAG enumerates the paths in adjacency order.
std::vector<Path> AllShortestPaths(const Graph& g, NodeId from, NodeId to, const LinkFilter& filter,
                                   int max_hops, std::size_t max_paths) {
  CheckNode(g, from, "from");
  CheckNode(g, to, "to");
  std::vector<Path> result;
  Traversal fwd(g, filter);
  Traversal bwd = fwd.Reversed();
  if (max_paths == 0 || !fwd.NodeAllowed(from) || !fwd.NodeAllowed(to)) return result;
  if (from == to) {
    result.push_back(Path{{from}, {}, 0});
    return result;
  }
  Workspace& ws = ThreadWorkspace();
  NodeMap<Label>& da = ws.a;
  NodeMap<Label>& db = ws.b;
  da.Clear(g.num_nodes());
  db.Clear(g.num_nodes());
  da.Set(from, {kNoNode, kNoLink, 0});
  std::vector<NodeId> frontier{from}, next;
  std::uint32_t d = 0;
  bool found = false;
  for (std::uint32_t level = 0; !frontier.empty() && !found && static_cast<int>(level) < max_hops;
       ++level) {
    next.clear();
    for (NodeId u : frontier) {
      const bool go_on = fwd.ForEachNeighbor(u, [&](NodeId v, LinkIdx) {
        if (da.Has(v)) return true;
        da.Set(v, {u, kNoLink, level + 1});
        if (v == to) {
          found = true;
          d = level + 1;
          return false;
        }
        next.push_back(v);
        return true;
      });
      if (!go_on) break;
    }
    frontier.swap(next);
  }
  if (!found) return result;
  // Backward layers restricted to the DAG.
  db.Set(to, {kNoNode, kNoLink, 0});
  frontier.assign(1, to);
  for (std::uint32_t j = 0; j + 1 < d; ++j) {
    next.clear();
    for (NodeId u : frontier) {
      bwd.ForEachNeighbor(u, [&](NodeId w, LinkIdx) {
        if (db.Has(w) || !da.Has(w) || da[w].dist != d - j - 1) return;
        db.Set(w, {kNoNode, kNoLink, j + 1});
        next.push_back(w);
      });
    }
    frontier.swap(next);
  }
  // Depth-first enumeration: at a node at distance k from `from`, follow links to nodes
  // at distance d - k - 1 from `to`.
  struct Frame {
    NodeId node;
    std::vector<std::pair<NodeId, LinkIdx>> children;
    std::size_t next = 0;
  };
  auto children_of = [&](NodeId u, std::uint32_t k) {
    std::vector<std::pair<NodeId, LinkIdx>> c;
    fwd.ForEachNeighbor(u, [&](NodeId v, LinkIdx l) {
      if (db.Has(v) && db[v].dist == d - k - 1) c.push_back({v, l});
    });
    return c;
  };
  std::vector<Frame> stack;
  Path current;
  current.nodes.push_back(from);
  stack.push_back({from, children_of(from, 0), 0});
  while (!stack.empty() && result.size() < max_paths) {
    Frame& f = stack.back();
    if (f.next == f.children.size()) {
      stack.pop_back();
      current.nodes.pop_back();
      if (!current.links.empty()) current.links.pop_back();
      continue;
    }
    auto [v, l] = f.children[f.next++];
    current.nodes.push_back(v);
    current.links.push_back(l);
    if (v == to) {
      current.cost = d;
      result.push_back(current);
      current.nodes.pop_back();
      current.links.pop_back();
      continue;
    }
    const auto k = static_cast<std::uint32_t>(current.links.size());
    stack.push_back({v, children_of(v, k), 0});
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Dijkstra, "A note on two problems in connexion with graphs", Numerische Mathematik 1,
// 1959; with a hop limit, the label-setting resource-constrained variant (Desrochers &
// Soumis 1988): labels (cost, hops) settled in cost order, dominated labels dropped.
std::optional<Path> WeightedShortestPath(const Graph& g, NodeId from, NodeId to,
                                         const LinkCost& cost, const LinkFilter& filter,
                                         int max_hops) {
  CheckNode(g, from, "from");
  CheckNode(g, to, "to");
  if (!cost) throw Error(StatusCode::kInvalidArgument, "weighted path needs a cost function");
  Traversal trav(g, filter);
  if (!trav.NodeAllowed(from) || !trav.NodeAllowed(to)) return std::nullopt;
  return HopDijkstra(trav, from, to, &cost, max_hops, nullptr, nullptr, ThreadWorkspace());
}

// ---------------------------------------------------------------------------------------
// Yen, "Finding the k shortest loopless paths in a network", Management Science 17(11),
// 1971: each new path deviates from the previous one at a spur node; the root before it is
// kept, its nodes are removed, and the links that earlier paths with the same root used
// next are removed; the cheapest candidate becomes the next path.
std::vector<Path> KShortestPaths(const Graph& g, NodeId from, NodeId to, std::size_t k,
                                 const LinkFilter& filter, int max_hops, const LinkCost& cost) {
  CheckNode(g, from, "from");
  CheckNode(g, to, "to");
  std::vector<Path> accepted;
  Traversal trav(g, filter);
  if (k == 0 || !trav.NodeAllowed(from) || !trav.NodeAllowed(to)) return accepted;
  if (from == to) {
    accepted.push_back(Path{{from}, {}, 0});
    return accepted;
  }
  Workspace& ws = ThreadWorkspace();
  const LinkCost* cost_fn = cost ? &cost : nullptr;
  auto path_cost = [&](const std::vector<LinkIdx>& links, std::size_t count) {
    double c = 0;
    for (std::size_t i = 0; i < count; ++i) c += cost_fn ? CheckedCost(cost, links[i]) : 1.0;
    return c;
  };
  auto first = HopDijkstra(trav, from, to, cost_fn, max_hops, nullptr, nullptr, ws);
  if (!first) return accepted;
  first->cost = path_cost(first->links, first->links.size());
  accepted.push_back(std::move(*first));
  auto better = [](const Path& x, const Path& y) {
    if (x.cost != y.cost) return x.cost < y.cost;
    if (x.links.size() != y.links.size()) return x.links.size() < y.links.size();
    return x.links < y.links;
  };
  std::set<std::vector<LinkIdx>> seen{accepted[0].links};
  std::vector<Path> candidates;
  while (accepted.size() < k) {
    const Path prev = accepted.back();
    for (std::size_t i = 0; i + 1 < prev.nodes.size(); ++i) {
      const NodeId spur = prev.nodes[i];
      std::vector<LinkIdx> blocked_links;
      for (const Path& p : accepted) {
        if (p.links.size() > i &&
            std::equal(p.links.begin(), p.links.begin() + i, prev.links.begin()))
          blocked_links.push_back(p.links[i]);
      }
      std::sort(blocked_links.begin(), blocked_links.end());
      ws.blocked.Clear(g.num_nodes());
      for (std::size_t j = 0; j < i; ++j) ws.blocked.Set(prev.nodes[j], 1);
      const int hops_left = max_hops == kNoHopLimit ? kNoHopLimit : max_hops - static_cast<int>(i);
      auto spur_path =
          HopDijkstra(trav, spur, to, cost_fn, hops_left, &ws.blocked, &blocked_links, ws);
      if (!spur_path) continue;
      Path total;
      total.nodes.assign(prev.nodes.begin(), prev.nodes.begin() + i);
      total.links.assign(prev.links.begin(), prev.links.begin() + i);
      total.nodes.insert(total.nodes.end(), spur_path->nodes.begin(), spur_path->nodes.end());
      total.links.insert(total.links.end(), spur_path->links.begin(), spur_path->links.end());
      if (!seen.insert(total.links).second) continue;
      total.cost = path_cost(total.links, total.links.size());
      candidates.push_back(std::move(total));
    }
    if (candidates.empty()) break;
    auto best = std::min_element(candidates.begin(), candidates.end(), better);
    accepted.push_back(std::move(*best));
    candidates.erase(best);
  }
  return accepted;
}

// ---------------------------------------------------------------------------------------
// Find Linked: breadth-first expansion (Moore, "The shortest path through a maze", 1959)
// from a set of seeds to a given depth, capped by a node budget.
Subgraph Expand(const Graph& g, std::span<const NodeId> seeds, int depth, const LinkFilter& filter,
                std::size_t max_nodes) {
  if (depth < 0) throw Error(StatusCode::kInvalidArgument, "expand depth must be >= 0");
  Traversal trav(g, filter);
  Subgraph r;
  Workspace& ws = ThreadWorkspace();
  NodeMap<Label>& seen = ws.a;  // dist = depth; link = 1 once expanded
  seen.Clear(g.num_nodes());
  for (NodeId s : seeds) {
    CheckNode(g, s, "seed");
    if (!trav.NodeAllowed(s) || seen.Has(s)) continue;
    if (r.nodes.size() >= max_nodes) {
      r.truncated = true;
      break;
    }
    seen.Set(s, {kNoNode, 0, 0});
    r.nodes.push_back(s);
    r.depth.push_back(0);
  }
  const bool links_one_sided =
      trav.direction() != LinkFilter::Direction::kBoth;  // a directed link is walked once
  std::vector<LinkIdx> self_loops;
  for (std::size_t head = 0; head < r.nodes.size(); ++head) {
    const NodeId u = r.nodes[head];
    const int du = r.depth[head];
    if (du >= depth) break;  // BFS order: the rest are at the outer ring
    seen[u].link = 1;        // expanded
    self_loops.clear();
    trav.ForEachNeighbor(u, [&](NodeId v, LinkIdx l) {
      if (v == u) {
        if (std::find(self_loops.begin(), self_loops.end(), l) != self_loops.end()) return;
        self_loops.push_back(l);
        r.links.push_back(l);
        return;
      }
      if (seen.Has(v)) {
        // Already emitted when v was expanded, if v could walk this link too.
        if (seen[v].link == 1 && (!links_one_sided || !g.link_directed(l))) return;
        r.links.push_back(l);
        return;
      }
      if (r.nodes.size() >= max_nodes) {
        r.truncated = true;
        return;
      }
      seen.Set(v, {u, 0, static_cast<std::uint32_t>(du + 1)});
      r.nodes.push_back(v);
      r.depth.push_back(du + 1);
      r.links.push_back(l);
    });
  }
  return r;
}

// ---------------------------------------------------------------------------------------
// Find Connecting Network (i2 Analyst's Notebook): the union of the shortest-path DAGs
// between every pair of chosen nodes. One bounded BFS per chosen node and direction gives
// distance layers; link u->v lies on a shortest s-t path iff d_s(u) + 1 + d_t(v) = d(s,t)
// (the characterisation used by Brandes 2001).
ConnectingNetworkResult ConnectingNetwork(const Graph& g, std::span<const NodeId> nodes,
                                          const LinkFilter& filter, int max_hops) {
  ConnectingNetworkResult result;
  Traversal fwd(g, filter);
  Traversal bwd = fwd.Reversed();
  const std::vector<NodeId> chosen = UniqueAllowed(fwd, nodes);
  const int hops = std::clamp(max_hops, 0, 254);
  const bool symmetric = filter.direction == LinkFilter::Direction::kBoth;
  const auto n = static_cast<std::size_t>(g.num_nodes());
  constexpr std::uint8_t kFar = 255;
  struct Layers {
    std::vector<std::uint8_t> dist;
    std::vector<NodeId> visited;  // BFS order
  };
  auto bfs = [&](const Traversal& trav, NodeId s) {
    Layers L;
    L.dist.assign(n, kFar);
    L.dist[s] = 0;
    L.visited.push_back(s);
    for (std::size_t head = 0; head < L.visited.size(); ++head) {
      const NodeId u = L.visited[head];
      if (L.dist[u] >= hops) break;
      trav.ForEachNeighbor(u, [&](NodeId v, LinkIdx) {
        if (L.dist[v] != kFar) return;
        L.dist[v] = static_cast<std::uint8_t>(L.dist[u] + 1);
        L.visited.push_back(v);
      });
    }
    return L;
  };
  std::vector<Layers> from_layers, to_layers;
  for (NodeId s : chosen) from_layers.push_back(bfs(fwd, s));
  if (!symmetric)
    for (NodeId s : chosen) to_layers.push_back(bfs(bwd, s));
  const std::vector<Layers>& to_ref = symmetric ? from_layers : to_layers;
  std::vector<NodeId> out_nodes(chosen.begin(), chosen.end());
  std::vector<LinkIdx> out_links;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    for (std::size_t j = 0; j < chosen.size(); ++j) {
      if (i == j || (symmetric && j < i)) continue;
      const Layers& A = from_layers[i];
      const Layers& B = to_ref[j];
      const std::uint8_t d = A.dist[chosen[j]];
      if (d == kFar) continue;
      result.pairs.push_back({chosen[i], chosen[j], d});
      for (NodeId u : A.visited) {
        const std::uint8_t du = A.dist[u];
        if (du >= d) break;
        if (B.dist[u] == kFar || du + B.dist[u] != d) continue;
        fwd.ForEachNeighbor(u, [&](NodeId v, LinkIdx l) {
          if (B.dist[v] != kFar && du + 1 + B.dist[v] == d) {
            out_links.push_back(l);
            out_nodes.push_back(u);
            out_nodes.push_back(v);
          }
        });
      }
    }
  }
  std::sort(out_nodes.begin(), out_nodes.end());
  out_nodes.erase(std::unique(out_nodes.begin(), out_nodes.end()), out_nodes.end());
  std::sort(out_links.begin(), out_links.end());
  out_links.erase(std::unique(out_links.begin(), out_links.end()), out_links.end());
  result.network.nodes = std::move(out_nodes);
  result.network.links = std::move(out_links);
  return result;
}

}  // namespace casegraph::analysis
