// Louvain and Leiden modularity optimisation over the undirected simple view. One working
// graph type (Level: CSR with weights, self-loop weights and strengths) is shared by both:
// local moving (FastLocalMove, the serial queue, on small levels; ParallelLocalMove,
// deterministic parallel sweeps, on large ones), Refine (Leiden only, parallel over
// communities, each with its own seeded random stream) and Aggregate alternate on it.
// Large graphs run on degree-ordered node ids (DegreeOrdered). SplitComponents (Leiden's
// shortened last restart pass) cuts communities into their connected components.
#include "analysis/communities.h"

#include "common/random.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <numeric>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "casegraph/status.h"

namespace casegraph::analysis {
namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;
constexpr std::uint64_t kAhead = 16;  // prefetch distance in the local-moving gathers

// The community kernels' random stream: SplitMix64 with the seed spread over the state.
class Rng : public SplitMix64 {
 public:
  explicit Rng(std::uint64_t seed)
      : SplitMix64(seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL) {}
};

// The working graph of one aggregation level. Level 0 borrows the view's arrays.
struct Level {
  std::int64_t n = 0;
  const std::uint64_t* off = nullptr;
  const NodeId* adj = nullptr;
  const double* w = nullptr;  // nullptr = every edge weight 1
  std::vector<double> self;   // weight of the node's internal edges (each counted twice)
  std::vector<double> k;      // strength, including self
  // Owned storage for aggregated levels.
  std::vector<std::uint64_t> off_store;
  std::vector<NodeId> adj_store;
  std::vector<double> w_store;

  double W(std::uint64_t p) const { return w ? w[p] : 1.0; }
};

Level FromView(const SimpleView& view) {
  if (view.directed()) {
    throw Error(StatusCode::kInvalidArgument, "communities need the undirected view");
  }
  Level lv;
  lv.n = view.num_nodes();
  lv.off = view.out_offsets().data();
  lv.adj = view.out_targets().data();
  lv.self.assign(lv.n, 0.0);
  lv.k.assign(lv.n, 0.0);
  if (view.weighted() && lv.n > 0) lv.w = view.OutWeights(0).data();  // start of the weights
  std::atomic<bool> bad{false};
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, lv.n, 4096), [&](const auto& r) {
    for (std::int64_t v = r.begin(); v < r.end(); ++v) {
      if (lv.w == nullptr) {
        lv.k[v] = static_cast<double>(lv.off[v + 1] - lv.off[v]);
        continue;
      }
      double s = 0;
      for (std::uint64_t p = lv.off[v]; p < lv.off[v + 1]; ++p) {
        const double x = lv.w[p];
        if (!(x > 0)) bad.store(true, std::memory_order_relaxed);
        s += x;
      }
      lv.k[v] = s;
    }
  });
  if (bad.load()) throw Error(StatusCode::kInvalidArgument, "communities need positive weights");
  return lv;
}

// Level 0 renumbered by decreasing degree (ties by id), for locality: in a power-law
// graph most adjacency entries point at the few hubs, whose community labels, strengths
// and accumulator slots then share a few hot cache lines. new_of[old] = new id.
Level DegreeOrdered(const Level& lv, std::vector<NodeId>& new_of) {
  const std::int64_t n = lv.n;
  std::uint64_t max_deg = 0;
  for (std::int64_t v = 0; v < n; ++v) max_deg = std::max(max_deg, lv.off[v + 1] - lv.off[v]);
  // Counting sort by degree, largest first, stable in id.
  std::vector<std::uint64_t> bucket(max_deg + 2, 0);
  for (std::int64_t v = 0; v < n; ++v) ++bucket[max_deg - (lv.off[v + 1] - lv.off[v]) + 1];
  for (std::uint64_t d = 0; d <= max_deg; ++d) bucket[d + 1] += bucket[d];
  std::vector<NodeId> old_of(n);
  new_of.resize(n);
  for (std::int64_t v = 0; v < n; ++v) {
    const std::uint64_t slot = bucket[max_deg - (lv.off[v + 1] - lv.off[v])]++;
    old_of[slot] = static_cast<NodeId>(v);
    new_of[v] = static_cast<NodeId>(slot);
  }
  Level out;
  out.n = n;
  out.self.resize(n);
  out.k.resize(n);
  out.off_store.assign(n + 1, 0);
  for (std::int64_t i = 0; i < n; ++i) {
    const NodeId v = old_of[i];
    out.off_store[i + 1] = out.off_store[i] + (lv.off[v + 1] - lv.off[v]);
  }
  out.adj_store.resize(out.off_store[n]);
  if (lv.w != nullptr) out.w_store.resize(out.off_store[n]);
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 2048), [&](const auto& r) {
    for (std::int64_t i = r.begin(); i < r.end(); ++i) {
      const NodeId v = old_of[i];
      out.self[i] = lv.self[v];
      out.k[i] = lv.k[v];
      std::uint64_t q = out.off_store[i];
      for (std::uint64_t p = lv.off[v]; p < lv.off[v + 1]; ++p, ++q) {
        out.adj_store[q] = new_of[lv.adj[p]];
        if (lv.w != nullptr) out.w_store[q] = lv.w[p];
      }
    }
  });
  out.off = out.off_store.data();
  out.adj = out.adj_store.data();
  out.w = lv.w != nullptr ? out.w_store.data() : nullptr;
  return out;
}

// A membership over renumbered nodes, back in the view's node ids (new_of empty = same).
std::vector<std::uint32_t> ToViewIds(const std::vector<std::uint32_t>& comm,
                                     const std::vector<NodeId>& new_of) {
  if (new_of.empty()) return comm;
  std::vector<std::uint32_t> out(comm.size());
  for (std::size_t v = 0; v < out.size(); ++v) out[v] = comm[new_of[v]];
  return out;
}

// Shuffled 0..n-1.
std::vector<NodeId> RandomOrder(std::int64_t n, Rng& rng) {
  std::vector<NodeId> order(n);
  std::iota(order.begin(), order.end(), NodeId{0});
  for (std::int64_t i = n - 1; i > 0; --i) {
    std::swap(order[i], order[rng.Below(static_cast<std::uint64_t>(i) + 1)]);
  }
  return order;
}

// Scratch for summing a node's edge weight per neighbouring community, one per thread,
// kept for a whole Louvain/Leiden run (Scratch) so levels do not reallocate it. Edge weights are
// positive, so a zero sum marks a community not yet touched (no separate flag array).
struct NeighborWeights {
  std::vector<double> weight;
  std::vector<std::uint32_t> touched;
  std::vector<std::uint32_t> comm;  // gather buffer: the communities of one node's neighbours
  // Refine's buffers: one community's internal links (CSR), visiting order, and one node's
  // merge candidates.
  std::vector<std::uint64_t> in_off;
  std::vector<NodeId> in_adj;
  std::vector<double> in_w;
  std::vector<NodeId> order;
  std::vector<std::uint32_t> cand;
  std::vector<double> cand_gain;
  // Makes room for community ids below n (the slots in use are always back at 0).
  NeighborWeights& Fit(std::int64_t n) {
    if (static_cast<std::int64_t>(weight.size()) < n) weight.resize(n, 0.0);
    return *this;
  }
  void Add(std::uint32_t c, double x) {
    if (weight[c] == 0) touched.push_back(c);
    weight[c] += x;
  }
  // Copies the communities of d neighbours (adj[0..d)) into `comm` and returns it; the
  // reads are random, so they are prefetched kAhead ahead to keep many misses in flight.
  const std::uint32_t* Gather(const NodeId* adj, std::uint64_t d, const std::uint32_t* of) {
    if (comm.size() < d) comm.resize(d);
    std::uint32_t* cb = comm.data();
    for (std::uint64_t i = 0; i < d; ++i) {
      if (i + kAhead < d) __builtin_prefetch(of + adj[i + kAhead]);
      cb[i] = of[adj[i]];
    }
    return cb;
  }
  void Clear() {
    for (auto c : touched) weight[c] = 0;
    touched.clear();
  }
};
using Scratch = tbb::enumerable_thread_specific<NeighborWeights>;

// Queue-based local moving (Leiden paper, Algorithm A.2). comm is updated in place.
// Returns the number of moves.
std::uint64_t FastLocalMove(const Level& lv, std::vector<std::uint32_t>& comm, double gamma,
                            double m2, Rng& rng, Scratch& scratch) {
  const std::int64_t n = lv.n;
  std::vector<double> tot(n, 0.0);
  std::vector<std::uint32_t> size(n, 0);
  for (std::int64_t v = 0; v < n; ++v) {
    tot[comm[v]] += lv.k[v];
    ++size[comm[v]];
  }
  std::vector<std::uint32_t> empty;
  for (std::int64_t c = n - 1; c >= 0; --c) {
    if (size[c] == 0) empty.push_back(static_cast<std::uint32_t>(c));
  }
  std::vector<NodeId> queue = RandomOrder(n, rng);
  std::vector<std::uint8_t> queued(n, 1);
  std::size_t head = 0, count = queue.size();
  NeighborWeights& nw = scratch.local().Fit(n);
  std::uint64_t moved = 0;
  while (count > 0) {
    const NodeId v = queue[head];
    head = head + 1 == queue.size() ? 0 : head + 1;
    --count;
    queued[v] = 0;
    const double kv = lv.k[v];
    if (kv == 0) continue;
    const std::uint32_t cv = comm[v];
    for (std::uint64_t p = lv.off[v]; p < lv.off[v + 1]; ++p) nw.Add(comm[lv.adj[p]], lv.W(p));
    tot[cv] -= kv;
    const double scale = gamma * kv / m2;
    std::uint32_t best = cv;
    double best_gain = nw.weight[cv] - scale * tot[cv];
    for (std::uint32_t c : nw.touched) {
      const double gain = nw.weight[c] - scale * tot[c];
      if (gain > best_gain) {
        best_gain = gain;
        best = c;
      }
    }
    // An empty community (gain 0) beats a negative best.
    if (best_gain < 0 && size[cv] > 1 && !empty.empty()) {
      best = empty.back();
      best_gain = 0;
    }
    nw.Clear();
    tot[best] += kv;
    if (best == cv) continue;
    if (best == (empty.empty() ? kNone : empty.back())) empty.pop_back();
    --size[cv];
    ++size[best];
    if (size[cv] == 0) empty.push_back(cv);
    comm[v] = best;
    ++moved;
    for (std::uint64_t p = lv.off[v]; p < lv.off[v + 1]; ++p) {
      const NodeId u = lv.adj[p];
      if (queued[u] || comm[u] == best) continue;
      queued[u] = 1;
      std::size_t tail = head + count;
      if (tail >= queue.size()) tail -= queue.size();
      queue[tail] = u;
      ++count;
    }
  }
  return moved;
}

// Parallel local moving for large levels, deterministic for any thread count. Each sweep
// takes the active nodes (all at first) in a seeded random order and cuts them into
// batches of kBatch nodes; inside a batch nodes decide in parallel against the partition
// as it stood at the batch start (each thread sums neighbour-community weights in its own
// dense accumulator with a touched list, as GVE-Louvain, Sahu 2023), then the moves are
// applied in order. A singleton does not move into another singleton with a larger label
// (the swap-prevention rule of Lu, Kalyanaraman, Halappanavar 2015). Vertex pruning: a
// node is active in the next sweep only when a neighbour outside its new community moved
// (the rule of the Leiden queue). Sweeps stop when a sweep's modularity gain falls below
// `tolerance` or after `max_sweeps`; `pending` returns the nodes still active.
// Returns true when any node moved.
std::uint64_t ParallelLocalMove(const Level& lv, std::vector<std::uint32_t>& comm, double gamma,
                                double m2, Rng& rng, double tolerance, Scratch& scratch) {
  constexpr int kMaxSweeps = 20;  // GVE-Louvain's cap on local-moving iterations
  constexpr std::int64_t kBatch = 4096;
  const std::int64_t n = lv.n;
  std::vector<double> tot(n, 0.0);
  std::vector<std::uint32_t> size(n, 0);
  for (std::int64_t v = 0; v < n; ++v) {
    tot[comm[v]] += lv.k[v];
    ++size[comm[v]];
  }
  const std::vector<NodeId> order = RandomOrder(n, rng);
  std::vector<NodeId> list;
  list.reserve(n);
  std::vector<std::uint32_t> decision(n);
  std::vector<double> gain(n);
  std::vector<std::uint8_t> active(n, 1);
  std::vector<std::uint8_t> next_active(n, 0);
  auto mark = [&](NodeId u) {
    std::atomic_ref<std::uint8_t> a(next_active[u]);
    if (!a.load(std::memory_order_relaxed)) a.store(1, std::memory_order_relaxed);
  };
  auto decide = [&](NodeId v, NeighborWeights& nw, double* dq) -> std::uint32_t {
    const std::uint32_t cv = comm[v];
    *dq = 0;
    const double kv = lv.k[v];
    if (kv == 0) return cv;
    const std::uint64_t b = lv.off[v], e = lv.off[v + 1];
    // The neighbours' communities and their accumulator slots are random reads: gather
    // them in separate loops with prefetches, so many misses are in flight at once.
    const std::uint64_t d = e - b;
    const NodeId* adj = lv.adj + b;
    const std::uint32_t* cb = nw.Gather(adj, d, comm.data());
    double* wt = nw.weight.data();
    for (std::uint64_t i = 0; i < d; ++i) {
      if (i + kAhead < d) __builtin_prefetch(wt + cb[i + kAhead], 1);
      nw.Add(cb[i], lv.W(b + i));
    }
    const double scale = gamma * kv / m2;
    const double own = nw.weight[cv] - scale * (tot[cv] - kv);
    std::uint32_t best = cv;
    double best_gain = own;
    const std::uint32_t* tc = nw.touched.data();
    const std::size_t nt = nw.touched.size();
    for (std::size_t j = 0; j < nt; ++j) {
      if (j + kAhead < nt) __builtin_prefetch(tot.data() + tc[j + kAhead]);
      const std::uint32_t c = tc[j];
      if (c == cv) continue;
      const double g = nw.weight[c] - scale * tot[c];
      if (g > best_gain) {
        best_gain = g;
        best = c;
      }
    }
    nw.Clear();
    if (best != cv && size[cv] == 1 && size[best] == 1 && best > cv) {
      mark(v);  // may still want to move: look again next sweep
      return cv;
    }
    // Alone is better than anywhere: open the community labelled v if it is empty (no
    // other node can enter it in this batch, as no neighbour is in it).
    if (best == cv && own < 0 && size[cv] > 1 && size[v] == 0) {
      best = v;
      best_gain = 0;
    }
    if (best == cv) return cv;
    *dq = 2 * (best_gain - own) / m2;
    for (std::uint64_t i = 0; i < d; ++i) {
      if (cb[i] != best) mark(adj[i]);
    }
    return best;
  };
  std::uint64_t moved_total = 0;
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    list.clear();
    for (NodeId v : order) {
      if (active[v] && lv.k[v] > 0) list.push_back(v);
    }
    const std::int64_t len = static_cast<std::int64_t>(list.size());
    std::uint64_t moves = 0;
    double dq_sum = 0;
    // Small active sets (late sweeps, upper levels) are densely interconnected: smaller
    // batches keep decisions from going stale (1 node per batch = the serial order).
    const std::int64_t batch = std::clamp<std::int64_t>(len / 64, 1, kBatch);
    for (std::int64_t lo = 0; lo < len; lo += batch) {
      const std::int64_t hi = std::min(len, lo + batch);
      tbb::parallel_for(tbb::blocked_range<std::int64_t>(lo, hi, 32),
                        [&](const tbb::blocked_range<std::int64_t>& r) {
                          NeighborWeights& nw = scratch.local().Fit(n);
                          for (std::int64_t i = r.begin(); i < r.end(); ++i)
                            decision[i] = decide(list[i], nw, &gain[i]);
                        });
      for (std::int64_t i = lo; i < hi; ++i) {
        const NodeId v = list[i];
        const std::uint32_t from = comm[v], to = decision[i];
        if (to == from) continue;
        tot[from] -= lv.k[v];
        tot[to] += lv.k[v];
        --size[from];
        ++size[to];
        comm[v] = to;
        ++moves;
        dq_sum += gain[i];
      }
    }
    active.swap(next_active);
    std::fill(next_active.begin(), next_active.end(), 0);
    if (moves == 0) break;
    moved_total += moves;
    if (dq_sum < tolerance) break;
  }
  return moved_total;
}

// Serial queue-based moving for small levels (it stops only when no node can gain: a
// local optimum); on levels of at least options.parallel_min_nodes nodes, parallel sweeps
// whose tolerance drops tenfold per level (as GVE-Louvain's per-pass drop). Returns the
// number of moves.
std::uint64_t LocalMove(const Level& lv, std::vector<std::uint32_t>& comm, double gamma, double m2,
                        Rng& rng, const CommunityOptions& options, int level, Scratch& scratch) {
  if (options.parallel_min_nodes >= 0 && lv.n >= options.parallel_min_nodes) {
    const double tolerance = options.parallel_tolerance * std::pow(10.0, -level);
    return ParallelLocalMove(lv, comm, gamma, m2, rng, tolerance, scratch);
  }
  return FastLocalMove(lv, comm, gamma, m2, rng, scratch);
}

// Renumbers labels densely in order of first appearance over nodes 0..n-1; returns count.
std::uint32_t Renumber(std::vector<std::uint32_t>& label) {
  std::vector<std::uint32_t> map(label.size(), kNone);
  std::uint32_t next = 0;
  for (auto& c : label) {
    if (map[c] == kNone) map[c] = next++;
    c = map[c];
  }
  return next;
}

// Collapses each community (labels dense 0..K-1) into one node.
Level Aggregate(const Level& lv, const std::vector<std::uint32_t>& comm, std::uint32_t K,
                Scratch& scratch) {
  Level out;
  out.n = K;
  out.self.assign(K, 0.0);
  out.k.assign(K, 0.0);
  // Members of each community, by counting sort.
  std::vector<std::uint64_t> start(K + 1, 0);
  for (std::int64_t v = 0; v < lv.n; ++v) ++start[comm[v] + 1];
  for (std::uint32_t c = 0; c < K; ++c) start[c + 1] += start[c];
  std::vector<NodeId> members(lv.n);
  {
    std::vector<std::uint64_t> fill(start.begin(), start.end() - 1);
    for (std::int64_t v = 0; v < lv.n; ++v) members[fill[comm[v]]++] = static_cast<NodeId>(v);
  }
  // Parallel over chunks of communities cut by edge volume (R-MAT communities are very
  // unequal); each chunk writes its own buffers, concatenated in community order. A
  // community's neighbours come in first-touch order (deterministic: member order, then
  // adjacency order), not sorted.
  std::vector<std::uint64_t> vol(K + 1, 0);
  for (std::uint32_t c = 0; c < K; ++c) {
    std::uint64_t x = 1;
    for (std::uint64_t i = start[c]; i < start[c + 1]; ++i) {
      const NodeId v = members[i];
      x += lv.off[v + 1] - lv.off[v];
    }
    vol[c + 1] = vol[c] + x;
  }
  const std::uint32_t chunks = std::max<std::uint32_t>(1, std::min<std::uint32_t>(K / 64, 256));
  std::vector<std::uint32_t> bound(chunks + 1, K);
  bound[0] = 0;
  for (std::uint32_t part = 1; part < chunks; ++part) {
    const std::uint64_t target = vol[K] * part / chunks;
    bound[part] =
        static_cast<std::uint32_t>(std::lower_bound(vol.begin(), vol.end(), target) - vol.begin());
    bound[part] = std::clamp(bound[part], bound[part - 1], K);
  }
  std::vector<std::vector<NodeId>> adj_parts(chunks);
  std::vector<std::vector<double>> w_parts(chunks);
  std::vector<std::uint64_t> degree(K, 0);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, chunks, 1), [&](const auto& range) {
    NeighborWeights& nw = scratch.local().Fit(K);
    for (std::uint32_t part = range.begin(); part < range.end(); ++part) {
      const std::uint32_t c0 = bound[part], c1 = bound[part + 1];
      auto& adj = adj_parts[part];
      auto& wts = w_parts[part];
      for (std::uint32_t c = c0; c < c1; ++c) {
        double self = 0, k = 0;
        for (std::uint64_t i = start[c]; i < start[c + 1]; ++i) {
          const NodeId v = members[i];
          self += lv.self[v];
          k += lv.k[v];
          const std::uint64_t b = lv.off[v], d = lv.off[v + 1] - b;
          const std::uint32_t* cb = nw.Gather(lv.adj + b, d, comm.data());
          for (std::uint64_t j = 0; j < d; ++j) {
            if (j + kAhead < d) __builtin_prefetch(nw.weight.data() + cb[j + kAhead], 1);
            if (cb[j] == c) {
              self += lv.W(b + j);
            } else {
              nw.Add(cb[j], lv.W(b + j));
            }
          }
        }
        out.self[c] = self;
        out.k[c] = k;
        for (std::uint32_t d : nw.touched) {
          adj.push_back(d);
          wts.push_back(nw.weight[d]);
        }
        degree[c] = nw.touched.size();
        nw.Clear();
      }
    }
  });
  out.off_store.assign(K + 1, 0);
  for (std::uint32_t c = 0; c < K; ++c) out.off_store[c + 1] = out.off_store[c] + degree[c];
  out.adj_store.reserve(out.off_store[K]);
  out.w_store.reserve(out.off_store[K]);
  for (std::uint32_t part = 0; part < chunks; ++part) {
    out.adj_store.insert(out.adj_store.end(), adj_parts[part].begin(), adj_parts[part].end());
    out.w_store.insert(out.w_store.end(), w_parts[part].begin(), w_parts[part].end());
  }
  out.off = out.off_store.data();
  out.adj = out.adj_store.data();
  out.w = out.w_store.data();
  return out;
}

// Leiden refinement (Algorithm A.3): inside each community of `part` (labels dense
// 0..K-1), merge well-connected singletons into well-connected refined communities,
// randomly with probability proportional to exp(gain / theta) over non-negative gains.
// Communities are independent (a node only looks at nodes of its own community), so they
// are refined in parallel, each visiting its members in its own random order from an RNG
// seeded by `seed` and the community label: the result does not depend on scheduling or
// on the number of threads. Refined labels are node ids (the first node of each subset).
std::vector<std::uint32_t> Refine(const Level& lv, const std::vector<std::uint32_t>& part,
                                  std::uint32_t K, double gamma, double m2, double theta,
                                  std::uint64_t seed, Scratch& scratch) {
  const std::int64_t n = lv.n;
  std::vector<std::uint32_t> refined(n);
  std::vector<double> tot_ref(n), ext(n);
  std::vector<std::uint8_t> singleton(n, 1);
  std::iota(refined.begin(), refined.end(), 0u);
  // Members of each community, by counting sort (in node order).
  std::vector<std::uint64_t> start(static_cast<std::size_t>(K) + 1, 0);
  for (std::int64_t v = 0; v < n; ++v) ++start[part[v] + 1];
  for (std::uint32_t c = 0; c < K; ++c) start[c + 1] += start[c];
  std::vector<NodeId> members(n);
  {
    std::vector<std::uint64_t> fill(start.begin(), start.end() - 1);
    for (std::int64_t v = 0; v < n; ++v) members[fill[part[v]]++] = static_cast<NodeId>(v);
  }
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, K, 64), [&](const auto& range) {
    NeighborWeights& nw = scratch.local().Fit(n);
    for (std::uint32_t s = range.begin(); s < range.end(); ++s) {
      const std::uint64_t size = start[s + 1] - start[s];
      if (size < 2) continue;
      Rng rng(seed ^ (0xD1B54A32D192ED03ULL * (static_cast<std::uint64_t>(s) + 1)));
      // Per member (by position i in the community): strength, and its links to other
      // members copied into the thread's buffers (in_adj/in_w from in_off[i]), so the
      // neighbours' communities are gathered once (with prefetches).
      const NodeId* mem = members.data() + start[s];
      nw.in_off.assign(1, 0);
      nw.in_adj.clear();
      nw.in_w.clear();
      double tot_part = 0;
      for (std::uint64_t i = 0; i < size; ++i) {
        const NodeId v = mem[i];
        tot_part += lv.k[v];
        tot_ref[v] = lv.k[v];
        const std::uint64_t b = lv.off[v], d = lv.off[v + 1] - b;
        const std::uint32_t* cb = nw.Gather(lv.adj + b, d, part.data());
        double x = 0;
        for (std::uint64_t j = 0; j < d; ++j) {
          if (cb[j] != s) continue;
          x += lv.W(b + j);
          nw.in_adj.push_back(lv.adj[b + j]);
          nw.in_w.push_back(lv.W(b + j));
        }
        ext[v] = x;
        nw.in_off.push_back(nw.in_adj.size());
      }
      // The members' positions in a random order (Fisher-Yates in the thread's buffer).
      std::vector<NodeId>& order = nw.order;
      order.resize(size);
      std::iota(order.begin(), order.end(), NodeId{0});
      for (std::uint64_t i = size - 1; i > 0; --i) std::swap(order[i], order[rng.Below(i + 1)]);
      for (NodeId i : order) {
        const NodeId v = mem[i];
        if (!singleton[v]) continue;
        const double kv = lv.k[v];
        if (kv == 0 || ext[v] < gamma * kv * (tot_part - kv) / m2) continue;
        const std::uint64_t b = nw.in_off[i], e = nw.in_off[i + 1];
        for (std::uint64_t j = b; j < e; ++j) {
          if (j + kAhead < e) __builtin_prefetch(&refined[nw.in_adj[j + kAhead]]);
          nw.Add(refined[nw.in_adj[j]], nw.in_w[j]);
        }
        nw.cand.clear();
        nw.cand_gain.clear();
        double best = 0;
        for (std::uint32_t r : nw.touched) {
          if (r == v) continue;
          if (ext[r] < gamma * tot_ref[r] * (tot_part - tot_ref[r]) / m2) continue;
          const double gain = nw.weight[r] - gamma * kv * tot_ref[r] / m2;
          if (gain < 0) continue;
          nw.cand.push_back(r);
          nw.cand_gain.push_back(gain);
          best = std::max(best, gain);
        }
        if (!nw.cand.empty()) {
          double total = 0;
          for (double& g : nw.cand_gain) total += (g = std::exp((g - best) / theta));
          double pick = rng.Unit() * total;
          std::size_t at = 0;
          while (at + 1 < nw.cand.size() && pick >= nw.cand_gain[at]) pick -= nw.cand_gain[at++];
          const std::uint32_t r = nw.cand[at];
          ext[r] = ext[r] + ext[v] - 2 * nw.weight[r];
          tot_ref[r] += kv;
          tot_ref[v] = 0;
          refined[v] = r;
          singleton[v] = 0;
          singleton[r] = 0;
        }
        nw.Clear();
      }
    }
  });
  return refined;
}

// Relabels `comm` so that each label is one connected component of a community, labelled
// by its first node (serial breadth-first search over the level).
void SplitComponents(const Level& lv, std::vector<std::uint32_t>& comm) {
  const std::int64_t n = lv.n;
  std::vector<std::uint32_t> out(n, kNone);
  std::vector<NodeId> queue;
  for (std::int64_t s = 0; s < n; ++s) {
    if (out[s] != kNone) continue;
    const std::uint32_t c = comm[s];
    const auto label = static_cast<std::uint32_t>(s);
    out[s] = label;
    queue.assign(1, static_cast<NodeId>(s));
    for (std::size_t h = 0; h < queue.size(); ++h) {
      const NodeId v = queue[h];
      for (std::uint64_t p = lv.off[v]; p < lv.off[v + 1]; ++p) {
        const NodeId u = lv.adj[p];
        if (out[u] == kNone && comm[u] == c) {
          out[u] = label;
          queue.push_back(u);
        }
      }
    }
  }
  comm = std::move(out);
}

double LevelModularity(const SimpleView& view, const std::vector<std::uint32_t>& membership,
                       double gamma) {
  const std::int64_t n = view.num_nodes();
  std::uint32_t K = 0;
  for (std::int64_t v = 0; v < n; ++v) {
    if (membership[v] != kNone) K = std::max(K, membership[v] + 1);
  }
  // Per node (in parallel): strength and weight to neighbours in the same community; then
  // per community, serially in node order (the same sums for any thread count).
  std::vector<double> node_in(n, 0.0), node_k(n, 0.0);
  const auto& off = view.out_offsets();
  const auto& adj = view.out_targets();
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 4096), [&](const auto& r) {
    for (std::int64_t v = r.begin(); v < r.end(); ++v) {
      const std::uint32_t c = membership[v];
      if (c == kNone) continue;
      auto w = view.OutWeights(static_cast<NodeId>(v));
      double k = 0, in = 0;
      for (std::uint64_t p = off[v]; p < off[v + 1]; ++p) {
        const double x = w.empty() ? 1.0 : w[p - off[v]];
        k += x;
        if (membership[adj[p]] == c) in += x;
      }
      node_k[v] = k;
      node_in[v] = in;
    }
  });
  std::vector<double> in(K, 0.0), tot(K, 0.0);
  double m2 = 0;
  for (std::int64_t v = 0; v < n; ++v) {
    if (membership[v] == kNone) continue;
    m2 += node_k[v];
    tot[membership[v]] += node_k[v];
    in[membership[v]] += node_in[v];
  }
  if (m2 == 0) return 0;
  double q = 0;
  for (std::uint32_t c = 0; c < K; ++c) q += in[c] / m2 - gamma * (tot[c] / m2) * (tot[c] / m2);
  return q;
}

// Modularity of `comm` over a working level (the level's nodes are communities of the
// view's nodes, their internal weight in `self`): the same value as LevelModularity of the
// flattened membership, up to rounding, at the cost of the (small) top level only.
double LevelQ(const Level& lv, const std::vector<std::uint32_t>& comm, double gamma, double m2) {
  const std::int64_t n = lv.n;
  std::vector<double> node_in(n, 0.0);
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 4096), [&](const auto& r) {
    for (std::int64_t v = r.begin(); v < r.end(); ++v) {
      double in = lv.self[v];
      for (std::uint64_t p = lv.off[v]; p < lv.off[v + 1]; ++p) {
        if (comm[lv.adj[p]] == comm[v]) in += lv.W(p);
      }
      node_in[v] = in;
    }
  });
  std::vector<double> in(n, 0.0), tot(n, 0.0);
  for (std::int64_t v = 0; v < n; ++v) {
    in[comm[v]] += node_in[v];
    tot[comm[v]] += lv.k[v];
  }
  double q = 0;
  for (std::int64_t c = 0; c < n; ++c) {
    if (tot[c] > 0) q += in[c] / m2 - gamma * (tot[c] / m2) * (tot[c] / m2);
  }
  return q;
}

CommunityResult Finish(const SimpleView& view, std::vector<std::uint32_t> node_comm, double gamma,
                       int levels) {
  CommunityResult r;
  // Hidden nodes out, then dense numbering by smallest member.
  for (std::int64_t v = 0; v < view.num_nodes(); ++v) {
    if (!view.visible(static_cast<NodeId>(v))) node_comm[v] = kNone;
  }
  std::vector<std::uint32_t> map(view.num_nodes(), kNone);
  for (auto& c : node_comm) {
    if (c == kNone) continue;
    if (map[c] == kNone) map[c] = r.num_communities++;
    c = map[c];
  }
  r.membership = std::move(node_comm);
  r.modularity = LevelModularity(view, r.membership, gamma);
  r.levels = levels;
  return r;
}

double TotalWeight(const Level& lv) {
  double m2 = 0;
  for (double x : lv.k) m2 += x;
  return m2;
}

}  // namespace

// On graphs that take the parallel path, restart passes stop once a pass adds less than
// this fraction of the modularity (each costs a sweep over all nodes; on the 10 M-link
// R-MAT graph the gains after the second pass are below 0.5 %), and a restart pass whose
// local moving on the original nodes moved fewer than this fraction of them skips the
// aggregation (the upper levels would rebuild the same communities) and, in Leiden, the
// refinement, and is the last pass.
constexpr double kPassGain = 1e-2;
constexpr double kRestartMoves = 5e-2;

CommunityResult Louvain(const SimpleView& view, const CommunityOptions& options) {
  const bool parallel =
      options.parallel_min_nodes >= 0 && view.num_nodes() >= options.parallel_min_nodes;
  std::vector<NodeId> new_of;  // large graphs run on degree-ordered node ids
  const Level base = parallel ? DegreeOrdered(FromView(view), new_of) : FromView(view);
  const double m2 = TotalWeight(base);
  const std::int64_t n = base.n;
  std::vector<std::uint32_t> best(n);
  std::iota(best.begin(), best.end(), 0u);
  if (m2 == 0) return Finish(view, best, options.resolution, 0);
  Rng rng(options.seed);
  Scratch scratch;
  double best_q = -1e300;
  int levels = 0;
  // Pass 1 is classic Louvain from singletons; later passes restart from the previous
  // result (local moving on the original nodes, then aggregation) while modularity grows.
  std::vector<std::uint32_t> start = best;
  for (int pass = 0; pass < options.max_passes; ++pass) {
    std::vector<std::uint32_t> node_comm(n);
    std::iota(node_comm.begin(), node_comm.end(), 0u);
    const Level* current = &base;
    Level owned;
    std::vector<std::uint32_t> comm = start;
    double q = 0;  // modularity of the current level's partition
    for (int level = 0; level < options.max_levels; ++level) {
      const std::uint64_t moved =
          LocalMove(*current, comm, options.resolution, m2, rng, options, level, scratch);
      const std::uint32_t K = Renumber(comm);
      for (auto& c : node_comm) c = comm[c];
      q = LevelQ(*current, comm, options.resolution, m2);
      if ((!moved && level > 0) || K == current->n) break;
      if (parallel && pass > 0 && level == 0 &&
          static_cast<double>(moved) < kRestartMoves * static_cast<double>(n)) {
        break;
      }
      Level next = Aggregate(*current, comm, K, scratch);
      owned = std::move(next);
      current = &owned;
      comm.resize(K);
      std::iota(comm.begin(), comm.end(), 0u);
      ++levels;
    }
    const bool small_gain = q <= best_q + (parallel ? kPassGain * std::abs(q) : 1e-12);
    if (q > best_q) {
      best_q = q;
      best = node_comm;
    }
    if (small_gain) break;
    start = std::move(node_comm);
  }
  return Finish(view, ToViewIds(best, new_of), options.resolution, levels);
}

CommunityResult Leiden(const SimpleView& view, const CommunityOptions& options) {
  const bool parallel =
      options.parallel_min_nodes >= 0 && view.num_nodes() >= options.parallel_min_nodes;
  std::vector<NodeId> new_of;  // large graphs run on degree-ordered node ids
  const Level base = parallel ? DegreeOrdered(FromView(view), new_of) : FromView(view);
  const double m2 = TotalWeight(base);
  const std::int64_t n = base.n;
  std::vector<std::uint32_t> best(n);
  std::iota(best.begin(), best.end(), 0u);
  if (m2 == 0) return Finish(view, best, options.resolution, 0);
  Rng rng(options.seed);
  Scratch scratch;
  const double gamma = options.resolution;
  double best_q = -1e300;
  int levels = 0;
  std::vector<std::uint32_t> start = best;  // the partition each pass starts from
  bool converged = false;
  for (int pass = 0; pass < options.max_passes && !converged; ++pass) {
    std::vector<std::uint32_t> node_super(n);  // original node → node of current level
    std::iota(node_super.begin(), node_super.end(), 0u);
    std::vector<std::uint32_t> part = start;
    const Level* current = &base;
    Level owned;
    for (int level = 0; level < options.max_levels; ++level) {
      const std::uint64_t moved =
          LocalMove(*current, part, gamma, m2, rng, options, level, scratch);
      // As in Louvain, a restart pass that moves few original nodes is the last one and
      // skips refinement and aggregation (the upper levels would rebuild the same
      // communities); a moved node may have disconnected the community it left, so the
      // communities are split into their connected components (never lowering Q).
      if (parallel && pass > 0 && level == 0 &&
          static_cast<double>(moved) < kRestartMoves * static_cast<double>(n)) {
        SplitComponents(base, part);
        converged = true;
        break;
      }
      const std::uint32_t K = Renumber(part);
      if (K == current->n) break;
      std::vector<std::uint32_t> refined =
          Refine(*current, part, K, gamma, m2, options.randomness, rng.Next(), scratch);
      const std::uint32_t R = Renumber(refined);
      if (R == current->n) break;  // refinement merged nothing: a fixed point
      std::vector<std::uint32_t> next_part(R);
      for (std::int64_t v = 0; v < current->n; ++v) next_part[refined[v]] = part[v];
      tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 8192), [&](const auto& r) {
        for (std::int64_t v = r.begin(); v < r.end(); ++v) node_super[v] = refined[node_super[v]];
      });
      Level next = Aggregate(*current, refined, R, scratch);
      owned = std::move(next);
      current = &owned;
      part = std::move(next_part);
      ++levels;
    }
    std::vector<std::uint32_t> node_comm(n);
    for (std::int64_t v = 0; v < n; ++v) node_comm[v] = part[node_super[v]];
    const double q = LevelQ(*current, part, gamma, m2);
    const bool small_gain = q <= best_q + (parallel ? kPassGain * std::abs(q) : 1e-12);
    if (q > best_q) {
      best_q = q;
      best = node_comm;
    }
    if (small_gain) break;
    start = std::move(node_comm);
  }
  return Finish(view, ToViewIds(best, new_of), gamma, levels);
}

double Modularity(const SimpleView& view, const std::vector<std::uint32_t>& membership,
                  double resolution) {
  if (view.directed())
    throw Error(StatusCode::kInvalidArgument, "modularity needs the undirected view");
  if (static_cast<std::int64_t>(membership.size()) != view.num_nodes()) {
    throw Error(StatusCode::kInvalidArgument, "membership size differs from node count");
  }
  return LevelModularity(view, membership, resolution);
}

double NormalizedMutualInformation(const std::vector<std::uint32_t>& a,
                                   const std::vector<std::uint32_t>& b) {
  CG_ASSERT(a.size() == b.size());
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> joint;
  std::map<std::uint32_t, double> pa, pb;
  double n = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] == kNone || b[i] == kNone) continue;
    joint[{a[i], b[i]}] += 1;
    pa[a[i]] += 1;
    pb[b[i]] += 1;
    n += 1;
  }
  if (n == 0) return 1.0;
  auto entropy = [n](const std::map<std::uint32_t, double>& p) {
    double h = 0;
    for (const auto& [k, c] : p) h -= c / n * std::log(c / n);
    return h;
  };
  double mi = 0;
  for (const auto& [k, c] : joint) mi += c / n * std::log(c * n / (pa[k.first] * pb[k.second]));
  const double ha = entropy(pa), hb = entropy(pb);
  if (ha + hb == 0) return 1.0;
  return 2 * mi / (ha + hb);
}

}  // namespace casegraph::analysis
