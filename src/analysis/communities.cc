// Louvain and Leiden modularity optimisation over the undirected simple view. One working
// graph type (Level: CSR with weights, self-loop weights and strengths) is shared by both:
// FastLocalMove (queue-based), Refine (Leiden only) and Aggregate alternate on it.
#include "analysis/communities.h"

#include "common/random.h"

#include <algorithm>
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
  for (std::int64_t v = 0; v < lv.n; ++v) {
    double s = 0;
    for (std::uint64_t p = lv.off[v]; p < lv.off[v + 1]; ++p) {
      const double x = lv.W(p);
      if (!(x > 0)) throw Error(StatusCode::kInvalidArgument, "communities need positive weights");
      s += x;
    }
    lv.k[v] = s;
  }
  return lv;
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

// Scratch for summing a node's edge weight per neighbouring community.
struct NeighborWeights {
  std::vector<double> weight;
  std::vector<std::uint8_t> seen;
  std::vector<std::uint32_t> touched;
  explicit NeighborWeights(std::int64_t n) : weight(n, 0.0), seen(n, 0) {}
  void Add(std::uint32_t c, double x) {
    if (!seen[c]) {
      seen[c] = 1;
      touched.push_back(c);
    }
    weight[c] += x;
  }
  void Clear() {
    for (auto c : touched) {
      weight[c] = 0;
      seen[c] = 0;
    }
    touched.clear();
  }
};

// Queue-based local moving (Leiden paper, Algorithm A.2). comm is updated in place.
// Returns true when any node moved.
bool FastLocalMove(const Level& lv, std::vector<std::uint32_t>& comm, double gamma, double m2,
                   Rng& rng) {
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
  NeighborWeights nw(n);
  bool moved = false;
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
    double best_gain = (nw.seen[cv] ? nw.weight[cv] : 0.0) - scale * tot[cv];
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
    moved = true;
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

// Parallel local moving for large levels, after Lu, Kalyanaraman, Halappanavar 2015,
// "Parallel heuristics for scalable community detection" (Grappolo): every sweep visits
// the nodes in a seeded random order cut into kBatches batches; inside a batch, nodes
// decide in parallel against the partition as it stood at the batch start, then the moves
// are applied serially in order (so the result is the same for any thread count). A
// singleton does not move into another singleton with a larger label (Lu et al.'s
// swap-prevention rule); only nodes with a neighbour that moved are looked at again
// (vertex pruning), and after the first sweep each node takes part in a seeded random
// half of the sweeps, which breaks the symmetric swaps synchronous moving is prone to.
// Sweeps stop when fewer than 1 node in 1000 moves or the estimated modularity gain of a
// sweep falls below `tolerance` (Grappolo's threshold); the caller finishes with the
// serial queue. Returns true when any node moved.
bool ParallelLocalMove(const Level& lv, std::vector<std::uint32_t>& comm, double gamma, double m2,
                       Rng& rng, double tolerance) {
  constexpr int kBatches = 8;
  constexpr int kMaxSweeps = 32;
  constexpr std::uint64_t kMinMovedInverse = 1000;  // hand over below 1 moved node in 10^3
  const std::int64_t n = lv.n;
  std::vector<double> tot(n, 0.0);
  std::vector<std::uint32_t> size(n, 0);
  for (std::int64_t v = 0; v < n; ++v) {
    tot[comm[v]] += lv.k[v];
    ++size[comm[v]];
  }
  const std::vector<NodeId> order = RandomOrder(n, rng);
  std::vector<std::uint32_t> decision(n);
  std::vector<double> gain(n);
  tbb::enumerable_thread_specific<NeighborWeights> scratch([n] { return NeighborWeights(n); });
  // After the first sweep each node may move only in a seeded random half of the sweeps:
  // that breaks the symmetric swaps batch-synchronous moving is prone to.
  const std::uint64_t salt = rng.Next();
  // Vertex pruning (as in the queue of Traag et al. and GVE-Louvain): a node is looked at
  // again only after one of its neighbours moved.
  std::vector<std::uint8_t> active(n, 1);
  int sweep = 0;
  auto decide = [&](NodeId v, NeighborWeights& nw, double* dq) -> std::uint32_t {
    const std::uint32_t cv = comm[v];
    *dq = 0;
    if (!active[v]) return cv;
    if (sweep > 0) {
      Rng coin(salt ^ (std::uint64_t{v} << 8) ^ static_cast<std::uint64_t>(sweep));
      if (coin.Next() & 1) return cv;  // stays active for the next sweep
    }
    active[v] = 0;
    const double kv = lv.k[v];
    if (kv == 0) return cv;
    for (std::uint64_t p = lv.off[v]; p < lv.off[v + 1]; ++p) nw.Add(comm[lv.adj[p]], lv.W(p));
    const double scale = gamma * kv / m2;
    const double own = (nw.seen[cv] ? nw.weight[cv] : 0.0) - scale * (tot[cv] - kv);
    std::uint32_t best = cv;
    double best_gain = own;
    for (std::uint32_t c : nw.touched) {
      if (c == cv) continue;
      const double g = nw.weight[c] - scale * tot[c];
      if (g > best_gain) {
        best_gain = g;
        best = c;
      }
    }
    nw.Clear();
    if (best != cv && size[cv] == 1 && size[best] == 1 && best > cv) return cv;
    // Alone is better than anywhere: open the community labelled v if it is empty (no
    // other node can enter it in this batch, as no neighbour is in it).
    if (best == cv && own < 0 && size[cv] > 1 && size[v] == 0) {
      best = v;
      best_gain = 0;
    }
    *dq = 2 * (best_gain - own) / m2;
    return best;
  };
  bool moved_any = false;
  for (sweep = 0; sweep < kMaxSweeps; ++sweep) {
    std::uint64_t moves = 0;
    double dq_sum = 0;
    for (int b = 0; b < kBatches; ++b) {
      const std::int64_t lo = n * b / kBatches, hi = n * (b + 1) / kBatches;
      tbb::parallel_for(tbb::blocked_range<std::int64_t>(lo, hi, 512),
                        [&](const tbb::blocked_range<std::int64_t>& r) {
                          NeighborWeights& nw = scratch.local();
                          for (std::int64_t i = r.begin(); i < r.end(); ++i)
                            decision[i] = decide(order[i], nw, &gain[i]);
                        });
      for (std::int64_t i = lo; i < hi; ++i) {
        const NodeId v = order[i];
        const std::uint32_t from = comm[v], to = decision[i];
        if (to == from) continue;
        tot[from] -= lv.k[v];
        tot[to] += lv.k[v];
        --size[from];
        ++size[to];
        comm[v] = to;
        ++moves;
        dq_sum += gain[i];
        for (std::uint64_t p = lv.off[v]; p < lv.off[v + 1]; ++p) active[lv.adj[p]] = 1;
      }
    }
    if (moves == 0) break;
    moved_any = true;
    // Hand over to the serial queue when the sweep gained less than the tolerance or few
    // nodes still move (batch-synchronous moves can make a few nodes swap back and forth).
    if (dq_sum < tolerance || moves * kMinMovedInverse < static_cast<std::uint64_t>(n)) break;
  }
  return moved_any;
}

// Serial queue-based moving for small levels; on large ones, parallel sweeps do the bulk
// of the moves and the serial queue then polishes (it stops only when no node can gain,
// so the level ends at the same kind of local optimum either way).
bool LocalMove(const Level& lv, std::vector<std::uint32_t>& comm, double gamma, double m2, Rng& rng,
               const CommunityOptions& options) {
  bool moved = false;
  if (options.parallel_min_nodes >= 0 && lv.n >= options.parallel_min_nodes) {
    moved = ParallelLocalMove(lv, comm, gamma, m2, rng, options.parallel_tolerance);
  }
  return FastLocalMove(lv, comm, gamma, m2, rng) || moved;
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
Level Aggregate(const Level& lv, const std::vector<std::uint32_t>& comm, std::uint32_t K) {
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
  // Parallel over chunks of communities; each chunk writes its own buffers.
  const std::uint32_t chunks = std::max<std::uint32_t>(1, std::min<std::uint32_t>(K / 4096, 64));
  std::vector<std::vector<NodeId>> adj_parts(chunks);
  std::vector<std::vector<double>> w_parts(chunks);
  std::vector<std::uint64_t> degree(K, 0);
  tbb::enumerable_thread_specific<NeighborWeights> scratch([K] { return NeighborWeights(K); });
  tbb::parallel_for(std::uint32_t{0}, chunks, [&](std::uint32_t part) {
    NeighborWeights& nw = scratch.local();
    const std::uint32_t c0 = static_cast<std::uint32_t>(std::uint64_t{K} * part / chunks);
    const std::uint32_t c1 = static_cast<std::uint32_t>(std::uint64_t{K} * (part + 1) / chunks);
    auto& adj = adj_parts[part];
    auto& wts = w_parts[part];
    for (std::uint32_t c = c0; c < c1; ++c) {
      double self = 0, k = 0;
      for (std::uint64_t i = start[c]; i < start[c + 1]; ++i) {
        const NodeId v = members[i];
        self += lv.self[v];
        k += lv.k[v];
        for (std::uint64_t p = lv.off[v]; p < lv.off[v + 1]; ++p) {
          const std::uint32_t cu = comm[lv.adj[p]];
          if (cu == c) {
            self += lv.W(p);
          } else {
            nw.Add(cu, lv.W(p));
          }
        }
      }
      out.self[c] = self;
      out.k[c] = k;
      std::sort(nw.touched.begin(), nw.touched.end());
      for (std::uint32_t d : nw.touched) {
        adj.push_back(d);
        wts.push_back(nw.weight[d]);
      }
      degree[c] = nw.touched.size();
      nw.Clear();
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

// Leiden refinement (Algorithm A.3): inside each community of `part`, merge well-connected
// singletons into well-connected refined communities, randomly with probability
// proportional to exp(gain / theta) over non-negative gains.
std::vector<std::uint32_t> Refine(const Level& lv, const std::vector<std::uint32_t>& part,
                                  double gamma, double m2, double theta, Rng& rng) {
  const std::int64_t n = lv.n;
  std::vector<std::uint32_t> refined(n);
  std::iota(refined.begin(), refined.end(), 0u);
  std::vector<double> tot_part(n, 0.0), tot_ref(lv.k), ext(n, 0.0);
  std::vector<std::uint8_t> singleton(n, 1);
  for (std::int64_t v = 0; v < n; ++v) {
    tot_part[part[v]] += lv.k[v];
    for (std::uint64_t p = lv.off[v]; p < lv.off[v + 1]; ++p) {
      if (part[lv.adj[p]] == part[v]) ext[v] += lv.W(p);
    }
  }
  NeighborWeights nw(n);
  std::vector<std::uint32_t> cand;
  std::vector<double> cand_gain;
  for (NodeId v : RandomOrder(n, rng)) {
    if (!singleton[v] || refined[v] != v) continue;
    const std::uint32_t s = part[v];
    const double kv = lv.k[v];
    if (kv == 0 || ext[v] < gamma * kv * (tot_part[s] - kv) / m2) continue;
    for (std::uint64_t p = lv.off[v]; p < lv.off[v + 1]; ++p) {
      const NodeId u = lv.adj[p];
      if (part[u] == s) nw.Add(refined[u], lv.W(p));
    }
    cand.clear();
    cand_gain.clear();
    double best = 0;
    for (std::uint32_t r : nw.touched) {
      if (r == v) continue;
      if (ext[r] < gamma * tot_ref[r] * (tot_part[s] - tot_ref[r]) / m2) continue;
      const double gain = nw.weight[r] - gamma * kv * tot_ref[r] / m2;
      if (gain < 0) continue;
      cand.push_back(r);
      cand_gain.push_back(gain);
      best = std::max(best, gain);
    }
    if (!cand.empty()) {
      double total = 0;
      for (double& g : cand_gain) total += (g = std::exp((g - best) / theta));
      double pick = rng.Unit() * total;
      std::size_t i = 0;
      while (i + 1 < cand.size() && pick >= cand_gain[i]) pick -= cand_gain[i++];
      const std::uint32_t r = cand[i];
      ext[r] = ext[r] + ext[v] - 2 * nw.weight[r];
      tot_ref[r] += kv;
      tot_ref[v] = 0;
      refined[v] = r;
      singleton[v] = 0;
      singleton[r] = 0;
    }
    nw.Clear();
  }
  return refined;
}

double LevelModularity(const SimpleView& view, const std::vector<std::uint32_t>& membership,
                       double gamma) {
  const std::int64_t n = view.num_nodes();
  std::uint32_t K = 0;
  for (std::int64_t v = 0; v < n; ++v) {
    if (membership[v] != kNone) K = std::max(K, membership[v] + 1);
  }
  std::vector<double> in(K, 0.0), tot(K, 0.0);
  double m2 = 0;
  const auto& off = view.out_offsets();
  const auto& adj = view.out_targets();
  for (std::int64_t v = 0; v < n; ++v) {
    if (membership[v] == kNone) continue;
    auto w = view.OutWeights(static_cast<NodeId>(v));
    for (std::uint64_t p = off[v]; p < off[v + 1]; ++p) {
      const double x = w.empty() ? 1.0 : w[p - off[v]];
      m2 += x;
      tot[membership[v]] += x;
      if (membership[adj[p]] == membership[v]) in[membership[v]] += x;
    }
  }
  if (m2 == 0) return 0;
  double q = 0;
  for (std::uint32_t c = 0; c < K; ++c) q += in[c] / m2 - gamma * (tot[c] / m2) * (tot[c] / m2);
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

CommunityResult Louvain(const SimpleView& view, const CommunityOptions& options) {
  const Level base = FromView(view);
  const double m2 = TotalWeight(base);
  const std::int64_t n = base.n;
  std::vector<std::uint32_t> best(n);
  std::iota(best.begin(), best.end(), 0u);
  if (m2 == 0) return Finish(view, best, options.resolution, 0);
  Rng rng(options.seed);
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
    for (int level = 0; level < options.max_levels; ++level) {
      const bool moved = LocalMove(*current, comm, options.resolution, m2, rng, options);
      const std::uint32_t K = Renumber(comm);
      for (auto& c : node_comm) c = comm[c];
      if ((!moved && level > 0) || K == current->n) break;
      Level next = Aggregate(*current, comm, K);
      owned = std::move(next);
      current = &owned;
      comm.resize(K);
      std::iota(comm.begin(), comm.end(), 0u);
      ++levels;
    }
    const double q = LevelModularity(view, node_comm, options.resolution);
    if (q <= best_q + 1e-12) break;
    best_q = q;
    best = node_comm;
    start = std::move(node_comm);
  }
  return Finish(view, std::move(best), options.resolution, levels);
}

CommunityResult Leiden(const SimpleView& view, const CommunityOptions& options) {
  const Level base = FromView(view);
  const double m2 = TotalWeight(base);
  const std::int64_t n = base.n;
  std::vector<std::uint32_t> best(n);
  std::iota(best.begin(), best.end(), 0u);
  if (m2 == 0) return Finish(view, best, options.resolution, 0);
  Rng rng(options.seed);
  const double gamma = options.resolution;
  double best_q = -1e300;
  int levels = 0;
  std::vector<std::uint32_t> start = best;  // the partition each pass starts from
  for (int pass = 0; pass < options.max_passes; ++pass) {
    std::vector<std::uint32_t> node_super(n);  // original node → node of current level
    std::iota(node_super.begin(), node_super.end(), 0u);
    std::vector<std::uint32_t> part = start;
    const Level* current = &base;
    Level owned;
    for (int level = 0; level < options.max_levels; ++level) {
      LocalMove(*current, part, gamma, m2, rng, options);
      const std::uint32_t K = Renumber(part);
      if (K == current->n) break;
      std::vector<std::uint32_t> refined =
          Refine(*current, part, gamma, m2, options.randomness, rng);
      const std::uint32_t R = Renumber(refined);
      if (R == current->n) break;  // refinement merged nothing: a fixed point
      std::vector<std::uint32_t> next_part(R);
      for (std::int64_t v = 0; v < current->n; ++v) next_part[refined[v]] = part[v];
      for (auto& s : node_super) s = refined[s];
      Level next = Aggregate(*current, refined, R);
      owned = std::move(next);
      current = &owned;
      part = std::move(next_part);
      ++levels;
    }
    std::vector<std::uint32_t> node_comm(n);
    for (std::int64_t v = 0; v < n; ++v) node_comm[v] = part[node_super[v]];
    const double q = LevelModularity(view, node_comm, gamma);
    if (q <= best_q + 1e-12) break;
    best_q = q;
    best = node_comm;
    start = std::move(node_comm);
  }
  return Finish(view, std::move(best), gamma, levels);
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
