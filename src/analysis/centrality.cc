// Centrality kernels over the simple-graph view: degree, Brandes betweenness (node, edge,
// sampled), closeness / harmonic (BFS from every node), eigenvector (shifted power
// iteration) and PageRank (pull power iteration). Conventions follow networkx; see
// centrality.h for each contract and the paper it implements.
#include "analysis/centrality.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include "casegraph/status.h"

namespace casegraph::analysis {
namespace {

thread_local int last_iterations = 0;

std::uint64_t SplitMix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::vector<NodeId> VisibleNodes(const SimpleView& view) {
  std::vector<NodeId> nodes;
  nodes.reserve(view.num_visible());
  for (std::int64_t v = 0; v < view.num_nodes(); ++v) {
    if (view.visible(static_cast<NodeId>(v))) nodes.push_back(static_cast<NodeId>(v));
  }
  return nodes;
}

// The sources a betweenness run uses, and whether they are a sample.
std::vector<NodeId> ChooseSources(const SimpleView& view, const BetweennessOptions& opt,
                                  bool* sampled) {
  *sampled = false;
  if (!opt.sources.empty()) {
    *sampled = true;
    for (NodeId s : opt.sources) {
      if (s >= view.num_nodes() || !view.visible(s)) {
        throw Error(StatusCode::kInvalidArgument, "betweenness: source node out of range");
      }
    }
    return opt.sources;
  }
  std::vector<NodeId> nodes = VisibleNodes(view);
  if (opt.num_sources <= 0 || opt.num_sources >= static_cast<std::int64_t>(nodes.size())) {
    return nodes;
  }
  *sampled = true;
  // Partial Fisher–Yates with our own generator: the same sample on every platform.
  std::uint64_t state = opt.seed * 0xD1B54A32D192ED03ULL + 1;
  const std::size_t k = static_cast<std::size_t>(opt.num_sources);
  for (std::size_t i = 0; i < k; ++i) {
    const std::uint64_t span = nodes.size() - i;
    const std::size_t j = i + static_cast<std::size_t>(
                                  (static_cast<unsigned __int128>(SplitMix(state)) * span) >> 64);
    std::swap(nodes[i], nodes[j]);
  }
  nodes.resize(k);
  std::sort(nodes.begin(), nodes.end());
  return nodes;
}

// Per-thread Brandes state, reset lazily (only visited nodes are touched). Laid out for
// few cache misses per edge: the forward pass reads one 16-byte {dist, sigma} record per
// neighbour and marks successor edges in a bitmap over adjacency positions; the backward
// pass reads only the bitmap (sequential) and, per successor edge, one double:
// coef[w] = (1 + delta[w]) / sigma[w], so delta[v] = sigma[v] * sum of coef over successors.
struct BrandesState {
  struct Fwd {
    std::int32_t dist = -1;
    double sigma = 0;
  };
  std::vector<Fwd> fwd;
  std::vector<double> coef;
  std::vector<std::uint64_t> succ;  // bit p: adjacency position p is a DAG edge v -> w
  std::vector<NodeId> order;
  BrandesState(std::int64_t n, std::size_t adj_size)
      : fwd(n), coef(n, 0.0), succ(adj_size / 64 + 1, 0) {
    order.reserve(n);
  }
};

// One source: BFS counting shortest paths, then dependency accumulation in reverse BFS
// order over successor edges. node_acc (size n) and/or edge_acc (size of out_targets).
void BrandesFromSource(const SimpleView& view, NodeId s, BrandesState& st, double* node_acc,
                       double* edge_acc) {
  const std::uint64_t* off = view.out_offsets().data();
  const NodeId* adj = view.out_targets().data();
  BrandesState::Fwd* fwd = st.fwd.data();
  std::uint64_t* succ = st.succ.data();
  st.order.clear();
  fwd[s] = {0, 1.0};
  st.order.push_back(s);
  for (std::size_t head = 0; head < st.order.size(); ++head) {
    const NodeId v = st.order[head];
    const std::int32_t dn = fwd[v].dist + 1;
    const double sv = fwd[v].sigma;
    for (std::uint64_t p = off[v]; p < off[v + 1]; ++p) {
      BrandesState::Fwd& fw = fwd[adj[p]];
      if (fw.dist < 0) {
        fw.dist = dn;
        st.order.push_back(adj[p]);
      }
      if (fw.dist == dn) {
        fw.sigma += sv;
        succ[p >> 6] |= std::uint64_t{1} << (p & 63);
      }
    }
  }
  double* coef = st.coef.data();
  for (std::size_t i = st.order.size(); i-- > 0;) {
    const NodeId v = st.order[i];
    const double sv = fwd[v].sigma;
    double sum = 0;
    for (std::uint64_t p = off[v]; p < off[v + 1]; ++p) {
      std::uint64_t& word = succ[p >> 6];
      const std::uint64_t bit = std::uint64_t{1} << (p & 63);
      if (!(word & bit)) continue;
      word &= ~bit;  // leaves the bitmap clear for the next source
      const double c = coef[adj[p]];
      sum += c;
      if (edge_acc) edge_acc[p] += sv * c;
    }
    const double d = sv * sum;
    coef[v] = (1.0 + d) / sv;
    if (node_acc && v != s) node_acc[v] += d;
  }
  for (NodeId v : st.order) fwd[v] = {};
}

// Sum over sources of Brandes contributions, in a fixed reduction order.
std::vector<double> BrandesSum(const SimpleView& view, const std::vector<NodeId>& sources,
                               bool edges) {
  const std::int64_t n = view.num_nodes();
  const std::size_t size = edges ? view.out_targets().size() : static_cast<std::size_t>(n);
  const std::size_t adj_size = view.out_targets().size();
  tbb::enumerable_thread_specific<BrandesState> states(
      [n, adj_size] { return BrandesState(n, adj_size); });
  const std::size_t grain = std::max<std::size_t>(1, sources.size() / 64);
  return tbb::parallel_deterministic_reduce(
      tbb::blocked_range<std::size_t>(0, sources.size(), grain), std::vector<double>(),
      [&](const tbb::blocked_range<std::size_t>& r, std::vector<double> acc) {
        if (acc.empty()) acc.assign(size, 0.0);
        BrandesState& st = states.local();
        for (std::size_t i = r.begin(); i < r.end(); ++i) {
          BrandesFromSource(view, sources[i], st, edges ? nullptr : acc.data(),
                            edges ? acc.data() : nullptr);
        }
        return acc;
      },
      [](std::vector<double> a, const std::vector<double>& b) {
        if (a.empty()) return std::vector<double>(b);
        for (std::size_t i = 0; i < b.size(); ++i) a[i] += b[i];
        return a;
      });
}

// Distances from every node (on In lists: distance TO the node), reduced per node by fn.
template <typename Fn>
void ForEachBfs(const SimpleView& view, Fn&& fn) {
  const std::int64_t n = view.num_nodes();
  struct State {
    std::vector<std::int32_t> dist;
    std::vector<NodeId> order;
  };
  tbb::enumerable_thread_specific<State> states([n] {
    return State{std::vector<std::int32_t>(n, -1), std::vector<NodeId>()};
  });
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 16), [&](const auto& r) {
    State& st = states.local();
    for (std::int64_t ui = r.begin(); ui < r.end(); ++ui) {
      const NodeId u = static_cast<NodeId>(ui);
      if (!view.visible(u)) continue;
      st.order.clear();
      st.order.push_back(u);
      st.dist[u] = 0;
      for (std::size_t head = 0; head < st.order.size(); ++head) {
        const NodeId v = st.order[head];
        for (NodeId w : view.In(v)) {
          if (st.dist[w] >= 0) continue;
          st.dist[w] = st.dist[v] + 1;
          st.order.push_back(w);
        }
      }
      fn(u, st.order, st.dist);
      for (NodeId v : st.order) st.dist[v] = -1;
    }
  });
}

}  // namespace

int LastIterationCount() {
  return last_iterations;
}

std::vector<double> DegreeCentrality(const SimpleView& view, DegreeMode mode, bool normalized) {
  const std::int64_t n = view.num_nodes();
  std::vector<double> out(n, 0.0);
  auto strength = [](std::span<const double> w, std::size_t count) {
    if (w.empty()) return static_cast<double>(count);
    double s = 0;
    for (double x : w) s += x;
    return s;
  };
  for (std::int64_t vi = 0; vi < n; ++vi) {
    const NodeId v = static_cast<NodeId>(vi);
    if (!view.visible(v)) continue;
    const double o = strength(view.OutWeights(v), view.OutDegree(v));
    if (!view.directed()) {
      out[v] = o;
      continue;
    }
    const double i = strength(view.InWeights(v), view.InDegree(v));
    out[v] = mode == DegreeMode::kIn ? i : mode == DegreeMode::kOut ? o : i + o;
  }
  const std::int64_t nv = view.num_visible();
  if (normalized && nv > 1) {
    for (double& x : out) x /= static_cast<double>(nv - 1);
  }
  return out;
}

std::vector<double> Betweenness(const SimpleView& view, const BetweennessOptions& options) {
  bool sampled = false;
  const std::vector<NodeId> sources = ChooseSources(view, options, &sampled);
  std::vector<double> bc = BrandesSum(view, sources, false);
  if (bc.empty()) bc.assign(view.num_nodes(), 0.0);
  const double n = static_cast<double>(view.num_visible());
  double scale = 1.0;
  if (options.normalized) {
    scale = n > 2 ? 1.0 / ((n - 1) * (n - 2)) : 1.0;
  } else if (!view.directed()) {
    scale = 0.5;
  }
  if (sampled && !sources.empty()) scale *= n / static_cast<double>(sources.size());
  for (double& x : bc) x *= scale;
  return bc;
}

double BetweennessErrorBound(std::int64_t num_nodes, std::int64_t num_sources, double delta) {
  if (num_nodes < 3 || num_sources <= 0) return 1.0;
  const double n = static_cast<double>(num_nodes);
  return n / (n - 1) * std::sqrt(std::log(2 * n / delta) / (2 * static_cast<double>(num_sources)));
}

std::vector<double> EdgeBetweenness(const SimpleView& view, const BetweennessOptions& options) {
  bool sampled = false;
  const std::vector<NodeId> sources = ChooseSources(view, options, &sampled);
  std::vector<double> eb = BrandesSum(view, sources, true);
  const auto& off = view.out_offsets();
  const auto& adj = view.out_targets();
  if (eb.empty()) eb.assign(adj.size(), 0.0);
  if (!view.directed()) {
    // Combine the two slots of each undirected pair.
    for (std::int64_t u = 0; u < view.num_nodes(); ++u) {
      for (std::uint64_t p = off[u]; p < off[u + 1]; ++p) {
        const NodeId v = adj[p];
        if (v <= u) continue;
        auto nb = view.Out(v);
        const std::uint64_t q = off[v] + (std::lower_bound(nb.begin(), nb.end(), u) - nb.begin());
        const double total = eb[p] + eb[q];
        eb[p] = eb[q] = total;
      }
    }
  }
  const double n = static_cast<double>(view.num_visible());
  double scale = 1.0;
  if (options.normalized) {
    scale = n > 1 ? 1.0 / (n * (n - 1)) : 1.0;
  } else if (!view.directed()) {
    scale = 0.5;
  }
  if (sampled && !sources.empty()) scale *= n / static_cast<double>(sources.size());
  for (double& x : eb) x *= scale;
  return eb;
}

std::vector<double> EdgeValuesToLinks(const graph::Graph& g, const SimpleView& view,
                                      const ViewOptions& options,
                                      const std::vector<double>& per_slot) {
  std::vector<double> out(g.num_links(), 0.0);
  const auto& off = view.out_offsets();
  for (graph::LinkIdx l = 0; l < static_cast<graph::LinkIdx>(g.num_links()); ++l) {
    if (!LinkInView(g, l, options)) continue;
    NodeId s = g.link_source(l), t = g.link_target(l);
    if (s == t) continue;
    auto nb = view.Out(s);
    auto it = std::lower_bound(nb.begin(), nb.end(), t);
    if (it == nb.end() || *it != t) continue;
    out[l] = per_slot[off[s] + (it - nb.begin())];
  }
  return out;
}

std::vector<double> Closeness(const SimpleView& view, bool wf_improved) {
  std::vector<double> out(view.num_nodes(), 0.0);
  const double n = static_cast<double>(view.num_visible());
  ForEachBfs(
      view, [&](NodeId u, const std::vector<NodeId>& order, const std::vector<std::int32_t>& dist) {
        double total = 0;
        for (NodeId v : order) total += dist[v];
        const double reach = static_cast<double>(order.size());
        if (total <= 0) return;
        double c = (reach - 1) / total;
        if (wf_improved && n > 1) c *= (reach - 1) / (n - 1);
        out[u] = c;
      });
  return out;
}

std::vector<double> Harmonic(const SimpleView& view) {
  std::vector<double> out(view.num_nodes(), 0.0);
  ForEachBfs(
      view, [&](NodeId u, const std::vector<NodeId>& order, const std::vector<std::int32_t>& dist) {
        double h = 0;
        for (std::size_t i = 1; i < order.size(); ++i) h += 1.0 / dist[order[i]];
        out[u] = h;
      });
  return out;
}

std::vector<double> Eigenvector(const SimpleView& view, const EigenvectorOptions& options) {
  const std::int64_t n = view.num_nodes();
  const double nv = static_cast<double>(view.num_visible());
  std::vector<double> x(n, 0.0), next(n, 0.0);
  last_iterations = 0;
  if (nv == 0) return x;
  for (std::int64_t v = 0; v < n; ++v) {
    if (view.visible(static_cast<NodeId>(v))) x[v] = 1.0 / nv;
  }
  for (int it = 0; it < options.max_iterations; ++it) {
    last_iterations = it + 1;
    tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 2048), [&](const auto& r) {
      for (std::int64_t vi = r.begin(); vi < r.end(); ++vi) {
        const NodeId v = static_cast<NodeId>(vi);
        double s = x[v];
        auto in = view.In(v);
        auto w = view.InWeights(v);
        if (w.empty()) {
          for (NodeId u : in) s += x[u];
        } else {
          for (std::size_t i = 0; i < in.size(); ++i) s += x[in[i]] * w[i];
        }
        next[v] = s;
      }
    });
    double norm = 0;
    for (double y : next) norm += y * y;
    norm = norm > 0 ? std::sqrt(norm) : 1.0;
    double err = 0;
    for (std::int64_t v = 0; v < n; ++v) {
      next[v] /= norm;
      err += std::abs(next[v] - x[v]);
    }
    x.swap(next);
    if (err < nv * options.tolerance) break;
  }
  return x;
}

std::vector<double> PageRank(const SimpleView& view, const PageRankOptions& options) {
  const std::int64_t n = view.num_nodes();
  const double nv = static_cast<double>(view.num_visible());
  const double alpha = options.damping;
  std::vector<double> x(n, 0.0), next(n, 0.0), contrib, p(n, 0.0), out_w(n, 0.0);
  last_iterations = 0;
  if (nv == 0) return x;
  if (options.personalization.empty()) {
    for (std::int64_t v = 0; v < n; ++v) {
      if (view.visible(static_cast<NodeId>(v))) p[v] = 1.0 / nv;
    }
  } else {
    double total = 0;
    for (const auto& [v, w] : options.personalization) {
      if (v >= n || !view.visible(v) || w < 0) {
        throw Error(StatusCode::kInvalidArgument, "pagerank: bad personalization entry");
      }
      p[v] += w;
      total += w;
    }
    if (total <= 0)
      throw Error(StatusCode::kInvalidArgument, "pagerank: personalization sums to 0");
    for (double& y : p) y /= total;
  }
  std::vector<NodeId> dangling;
  for (std::int64_t vi = 0; vi < n; ++vi) {
    const NodeId v = static_cast<NodeId>(vi);
    if (!view.visible(v)) continue;
    x[v] = 1.0 / nv;
    auto w = view.OutWeights(v);
    out_w[v] = w.empty() ? static_cast<double>(view.OutDegree(v)) : 0.0;
    for (double y : w) out_w[v] += y;
    if (out_w[v] == 0.0) dangling.push_back(v);
  }
  const bool weighted = view.weighted();
  // Mixed precision (as GAP's float contributions): while the iteration is far from
  // converged, the per-node contributions x[u] / out_w[u] that every in-neighbour reads at
  // random are stored as float, halving that array (the kernel is bound by those random
  // reads). Once an iteration changes x by less than kFloatPhaseEnd in L1 (float rounding
  // is ~1e-7 of the total), x is renormalised to sum 1 and the remaining iterations use
  // double contributions, so the fixed point and the stopping test are those of the
  // all-double iteration (networkx's).
  constexpr double kFloatPhaseEnd = 1e-6;
  std::vector<float> contrib_f(n, 0.0f);
  bool float_phase = true;
  for (int it = 0; it < options.max_iterations; ++it) {
    last_iterations = it + 1;
    double dangle = 0;
    for (NodeId v : dangling) dangle += x[v];
    dangle *= alpha;
    auto step = [&](auto* contrib) {
      tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 8192), [&](const auto& r) {
        for (std::int64_t v = r.begin(); v < r.end(); ++v) {
          contrib[v] = out_w[v] > 0 ? x[v] / out_w[v] : 0.0;
        }
      });
      tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 2048), [&](const auto& r) {
        for (std::int64_t vi = r.begin(); vi < r.end(); ++vi) {
          const NodeId v = static_cast<NodeId>(vi);
          if (!view.visible(v)) continue;
          double s = 0;
          auto in = view.In(v);
          if (!weighted) {
            for (NodeId u : in) s += contrib[u];
          } else {
            auto w = view.InWeights(v);
            for (std::size_t i = 0; i < in.size(); ++i) s += contrib[in[i]] * w[i];
          }
          next[v] = alpha * s + (dangle + (1.0 - alpha)) * p[v];
        }
      });
    };
    if (float_phase) {
      step(contrib_f.data());
    } else {
      step(contrib.data());
    }
    double err = 0;
    for (std::int64_t v = 0; v < n; ++v) err += std::abs(next[v] - x[v]);
    x.swap(next);
    if (float_phase && err < kFloatPhaseEnd) {
      float_phase = false;
      contrib_f = {};
      contrib.assign(n, 0.0);
      double sum = 0;
      for (double y : x) sum += y;
      if (sum > 0) {
        for (double& y : x) y /= sum;
      }
      continue;  // a float-phase error says nothing about the double fixed point
    }
    if (!float_phase && options.tolerance > 0 && err < nv * options.tolerance) break;
  }
  return x;
}

}  // namespace casegraph::analysis
