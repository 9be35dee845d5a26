// Direction-optimising BFS (Beamer, Asanovic, Patterson, SC 2012), after the GAP
// benchmark suite's bfs.cc, over graph::Graph with a LinkFilter. Two adjacency policies:
// a plain one that reads the CSR neighbour arrays directly (no filter: the common case
// and the benchmark), and a filtered one that goes through graph::Traversal.
#include "analysis/traversal.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <atomic>
#include <bit>

#include "casegraph/status.h"
#include "graph/traverse.h"

namespace casegraph::analysis {
namespace {

using graph::Graph;
using graph::LinkFilter;
using graph::LinkIdx;
using graph::Traversal;

// No filter at all: neighbours are whole CSR lists. `forward` lists are walked by top-down
// steps, `backward` lists by bottom-up steps (the same under kBoth).
struct PlainAdjacency {
  const Graph& g;
  bool fwd_out, fwd_in, bwd_out, bwd_in;
  PlainAdjacency(const Graph& graph, LinkFilter::Direction dir) : g(graph) {
    fwd_out = dir != LinkFilter::Direction::kIn;
    fwd_in = dir != LinkFilter::Direction::kOut;
    bwd_out = fwd_in;
    bwd_in = fwd_out;
  }
  bool Allowed(NodeId) const { return true; }
  std::uint64_t Degree(NodeId v) const {
    return (fwd_out ? g.OutDegree(v) : 0) + (fwd_in ? g.InDegree(v) : 0);
  }
  template <typename Fn>
  void Forward(NodeId v, Fn&& fn) const {
    if (fwd_out)
      for (NodeId u : g.OutNeighbors(v)) fn(u);
    if (fwd_in)
      for (NodeId u : g.InNeighbors(v)) fn(u);
  }
  // Calls pred(u) on backward neighbours until it returns true; returns whether it did.
  template <typename Pred>
  bool BackwardAny(NodeId v, Pred&& pred) const {
    if (bwd_out)
      for (NodeId u : g.OutNeighbors(v))
        if (pred(u)) return true;
    if (bwd_in)
      for (NodeId u : g.InNeighbors(v))
        if (pred(u)) return true;
    return false;
  }
};

// Any filter: graph::Traversal decides which links are usable.
struct FilteredAdjacency {
  Traversal fwd, bwd;
  FilteredAdjacency(const Graph& g, const LinkFilter& f) : fwd(g, f), bwd(fwd.Reversed()) {}
  bool Allowed(NodeId v) const { return fwd.NodeAllowed(v); }
  std::uint64_t Degree(NodeId v) const { return fwd.Degree(v); }
  template <typename Fn>
  void Forward(NodeId v, Fn&& fn) const {
    fwd.ForEachNeighbor(v, [&](NodeId u, LinkIdx) { fn(u); });
  }
  template <typename Pred>
  bool BackwardAny(NodeId v, Pred&& pred) const {
    return !bwd.ForEachNeighbor(v, [&](NodeId u, LinkIdx) { return !pred(u); });
  }
};

using Bitmap = std::vector<std::uint64_t>;

inline bool TestBit(const Bitmap& b, NodeId v) {
  return (b[v >> 6] >> (v & 63)) & 1;
}

template <typename Adj>
class DoBfs {
 public:
  DoBfs(const Graph& g, const Adj& adj, const BfsOptions& opt)
      : n_(g.num_nodes()), adj_(adj), opt_(opt), words_((n_ + 63) / 64) {}

  BfsResult Run(NodeId source) {
    BfsResult r;
    r.depth.assign(n_, -1);
    if (!adj_.Allowed(source)) return r;
    depth_ = r.depth.data();
    depth_[source] = 0;
    std::vector<NodeId> queue{source};
    std::int64_t edges_to_check = TotalDegree();
    std::int64_t scout = static_cast<std::int64_t>(adj_.Degree(source));
    std::int32_t d = 0;
    Bitmap front, next;
    while (!queue.empty()) {
      if (opt_.alpha > 0 && scout > edges_to_check / opt_.alpha) {
        front.assign(words_, 0);
        next.assign(words_, 0);
        for (NodeId v : queue) front[v >> 6] |= std::uint64_t{1} << (v & 63);
        std::int64_t awake = static_cast<std::int64_t>(queue.size()), old_awake;
        do {
          old_awake = awake;
          awake = BottomUpStep(d, front, next);
          ++d;
          ++r.bottom_up_steps;
          front.swap(next);
        } while (awake > 0 && (awake >= old_awake || awake > n_ / opt_.beta));
        queue = BitmapToQueue(front, awake);
        scout = 1;
      } else {
        edges_to_check -= scout;
        scout = TopDownStep(d, queue);
        ++d;
        ++r.top_down_steps;
      }
    }
    // Summary: reached nodes and the deepest level.
    struct Acc {
      std::int64_t reached = 0;
      std::int32_t max_depth = -1;
    };
    const Acc acc = tbb::parallel_reduce(
        tbb::blocked_range<std::int64_t>(0, n_, 1 << 14), Acc{},
        [&](const tbb::blocked_range<std::int64_t>& rg, Acc a) {
          for (std::int64_t v = rg.begin(); v < rg.end(); ++v) {
            const std::int32_t x = depth_[v];
            a.reached += x >= 0;
            a.max_depth = std::max(a.max_depth, x);
          }
          return a;
        },
        [](Acc a, const Acc& b) {
          a.reached += b.reached;
          a.max_depth = std::max(a.max_depth, b.max_depth);
          return a;
        });
    r.reached = acc.reached;
    r.max_depth = acc.max_depth;
    return r;
  }

 private:
  std::int64_t TotalDegree() const {
    return tbb::parallel_reduce(
        tbb::blocked_range<std::int64_t>(0, n_, 1 << 14), std::int64_t{0},
        [&](const tbb::blocked_range<std::int64_t>& rg, std::int64_t s) {
          for (std::int64_t v = rg.begin(); v < rg.end(); ++v)
            s += static_cast<std::int64_t>(adj_.Degree(static_cast<NodeId>(v)));
          return s;
        },
        std::plus<>());
  }

  // Frontier nodes at depth d claim unvisited neighbours (CAS on depth). Returns the
  // summed degree of the new frontier (GAP's scout count); replaces `queue` by it.
  std::int64_t TopDownStep(std::int32_t d, std::vector<NodeId>& queue) {
    struct Local {
      std::vector<NodeId> found;
      std::int64_t scout = 0;
    };
    tbb::enumerable_thread_specific<Local> locals;
    const std::int32_t nd = d + 1;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, queue.size(), 64),
                      [&](const tbb::blocked_range<std::size_t>& rg) {
                        Local& l = locals.local();
                        for (std::size_t i = rg.begin(); i < rg.end(); ++i) {
                          adj_.Forward(queue[i], [&](NodeId u) {
                            std::atomic_ref<std::int32_t> du(depth_[u]);
                            std::int32_t cur = du.load(std::memory_order_relaxed);
                            if (cur >= 0) return;
                            if (du.compare_exchange_strong(cur, nd, std::memory_order_relaxed)) {
                              l.found.push_back(u);
                              l.scout += static_cast<std::int64_t>(adj_.Degree(u));
                            }
                          });
                        }
                      });
    std::size_t total = 0;
    std::int64_t scout = 0;
    for (const Local& l : locals) {
      total += l.found.size();
      scout += l.scout;
    }
    queue.clear();
    queue.reserve(total);
    for (const Local& l : locals) queue.insert(queue.end(), l.found.begin(), l.found.end());
    return scout;
  }

  // Every unvisited node looks for a backward neighbour in `front` (depth d); the first
  // one found makes it depth d + 1. Ranges are whole bitmap words, so `next` needs no
  // atomics. Returns the number of nodes found.
  std::int64_t BottomUpStep(std::int32_t d, const Bitmap& front, Bitmap& next) {
    const std::int32_t nd = d + 1;
    return tbb::parallel_reduce(
        tbb::blocked_range<std::int64_t>(0, words_, 64), std::int64_t{0},
        [&](const tbb::blocked_range<std::int64_t>& rg, std::int64_t awake) {
          for (std::int64_t w = rg.begin(); w < rg.end(); ++w) {
            std::uint64_t bits = 0;
            const std::int64_t v0 = w * 64, v1 = std::min<std::int64_t>(n_, v0 + 64);
            for (std::int64_t vi = v0; vi < v1; ++vi) {
              const NodeId v = static_cast<NodeId>(vi);
              if (depth_[v] >= 0 || !adj_.Allowed(v)) continue;
              if (adj_.BackwardAny(v, [&](NodeId u) { return TestBit(front, u); })) {
                depth_[v] = nd;
                bits |= std::uint64_t{1} << (vi - v0);
                ++awake;
              }
            }
            next[w] = bits;
          }
          return awake;
        },
        std::plus<>());
  }

  std::vector<NodeId> BitmapToQueue(const Bitmap& b, std::int64_t count) const {
    tbb::enumerable_thread_specific<std::vector<NodeId>> locals;
    std::vector<NodeId> queue;
    queue.reserve(static_cast<std::size_t>(count));
    // Parallel gather in word blocks, then concatenate (order does not matter).
    tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, words_, 1024),
                      [&](const tbb::blocked_range<std::int64_t>& rg) {
                        auto& out = locals.local();
                        for (std::int64_t w = rg.begin(); w < rg.end(); ++w) {
                          for (std::uint64_t bits = b[w]; bits != 0; bits &= bits - 1) {
                            out.push_back(static_cast<NodeId>(w * 64 + std::countr_zero(bits)));
                          }
                        }
                      });
    for (const auto& l : locals) queue.insert(queue.end(), l.begin(), l.end());
    return queue;
  }

  const std::int64_t n_;
  const Adj& adj_;
  const BfsOptions& opt_;
  const std::int64_t words_;
  std::int32_t* depth_ = nullptr;
};

bool IsPlain(const Graph& g, const LinkFilter& f) {
  return f.allowed_types.empty() && f.time_from == graph::kNoTime && f.time_to == graph::kNoTime &&
         f.excluded_nodes.empty() && !g.has_visibility() &&
         (f.direction == LinkFilter::Direction::kBoth || !g.has_undirected());
}

void CheckSource(const Graph& g, NodeId source) {
  if (static_cast<std::int64_t>(source) >= g.num_nodes()) {
    throw Error(StatusCode::kInvalidArgument, "bfs: source node out of range");
  }
}

}  // namespace

BfsResult BreadthFirstSearch(const Graph& g, NodeId source, const LinkFilter& filter,
                             const BfsOptions& options) {
  CheckSource(g, source);
  if (IsPlain(g, filter)) {
    const PlainAdjacency adj(g, filter.direction);
    return DoBfs<PlainAdjacency>(g, adj, options).Run(source);
  }
  const FilteredAdjacency adj(g, filter);
  return DoBfs<FilteredAdjacency>(g, adj, options).Run(source);
}

}  // namespace casegraph::analysis
