// Tests for the centrality kernels: against networkx / igraph reference values on the
// published SNA graphs (karate, kite, Les Misérables, Florentine marriages, and the covert
// networks when ../shared is present), and against independent dense O(n^3) serial
// verifiers (all-pairs BFS path counting, a linear solve for PageRank) on random graphs.
#include "analysis/centrality.h"

#include <algorithm>
#include <cmath>
#include <queue>

#include <gtest/gtest.h>

#include "analysis/sna_test_util.h"
#include "analysis/test_graphs.h"

namespace casegraph::analysis {
namespace {

using testing::LoadReferenceGraph;
using testing::LoadReferenceValues;
using testing::ReferenceGraphs;

// |a - b| <= rel * |b|, with an absolute floor for values that are (near) zero.
::testing::AssertionResult Close(double a, double b, double rel, const std::string& what) {
  if (std::abs(a - b) <= rel * std::max(std::abs(b), 1e-9)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << what << ": got " << a << " expected " << b;
}

// ---------- reference values ----------

TEST(CentralityReference, NetworkxAllGraphs) {
  auto ref = LoadReferenceValues("networkx");
  if (!ref) GTEST_SKIP() << "no reference_centralities_networkx.json (fixtures or ../shared)";
  int graphs_checked = 0;
  for (const auto& rg : ReferenceGraphs()) {
    if (!ref->contains(rg.key)) continue;
    auto ng = LoadReferenceGraph(rg);
    if (!ng) {
      std::cout << "[ skip ] " << rg.key << ": graph files absent (not licensed for the repo; "
                << "needs ../shared/data/graphs)\n";
      continue;
    }
    SCOPED_TRACE(rg.key);
    const graph::Graph g = graph::Graph::Build(ng->edges);
    const SimpleView view = SimpleView::Build(g);
    const auto& nodes = (*ref)[rg.key]["nodes"];
    ASSERT_EQ(static_cast<std::int64_t>(nodes.size()), view.num_visible());
    EXPECT_EQ(view.num_edges(), (*ref)[rg.key]["meta"]["m"].get<std::int64_t>());
    const auto degree = DegreeCentrality(view);
    const auto bc = Betweenness(view);
    BetweennessOptions norm;
    norm.normalized = true;
    const auto bcn = Betweenness(view, norm);
    const auto close = Closeness(view);
    const auto pr = PageRank(view);
    const auto ev = Eigenvector(view);
    const double ev_max = *std::max_element(ev.begin(), ev.end());
    for (auto it = nodes.begin(); it != nodes.end(); ++it) {
      const NodeId v = static_cast<NodeId>(std::stoul(it.key()));
      const auto& r = it.value();
      const std::string id = rg.key + "/" + it.key();
      EXPECT_TRUE(Close(degree[v], r["degree"].get<double>(), 1e-9, id + " degree"));
      EXPECT_TRUE(Close(bc[v], r["betweenness"].get<double>(), 1e-9, id + " betweenness"));
      EXPECT_TRUE(Close(bcn[v], r["betweenness_norm"].get<double>(), 1e-9, id + " bc norm"));
      EXPECT_TRUE(Close(close[v], r["closeness_nx"].get<double>(), 1e-9, id + " closeness"));
      EXPECT_TRUE(Close(pr[v], r["pagerank"].get<double>(), 1e-6, id + " pagerank"));
      if (r.contains("eigenvector_maxnorm")) {
        EXPECT_TRUE(Close(ev[v] / ev_max, r["eigenvector_maxnorm"].get<double>(), 1e-6,
                          id + " eigenvector"));
      }
    }
    ++graphs_checked;
  }
  EXPECT_GE(graphs_checked, 4);  // the four fixture graphs are always there
}

TEST(CentralityReference, IgraphAllGraphs) {
  auto ref = LoadReferenceValues("igraph");
  if (!ref) GTEST_SKIP() << "no reference_centralities_igraph.json (fixtures or ../shared)";
  int graphs_checked = 0;
  for (const auto& rg : ReferenceGraphs()) {
    if (!ref->contains(rg.key)) continue;
    auto ng = LoadReferenceGraph(rg);
    if (!ng) continue;
    SCOPED_TRACE(rg.key);
    const graph::Graph g = graph::Graph::Build(ng->edges);
    const SimpleView view = SimpleView::Build(g);
    const auto degree = DegreeCentrality(view);
    const auto bc = Betweenness(view);
    const auto close = Closeness(view, /*wf_improved=*/false);
    const auto pr = PageRank(view);
    const auto ev = Eigenvector(view);
    const double ev_max = *std::max_element(ev.begin(), ev.end());
    for (auto it = (*ref)[rg.key]["nodes"].begin(); it != (*ref)[rg.key]["nodes"].end(); ++it) {
      const NodeId v = static_cast<NodeId>(std::stoul(it.key()));
      const auto& r = it.value();
      const std::string id = rg.key + "/" + it.key();
      EXPECT_TRUE(Close(degree[v], r["degree"].get<double>(), 1e-9, id + " degree"));
      EXPECT_TRUE(Close(bc[v], r["betweenness"].get<double>(), 1e-9, id + " betweenness"));
      if (!r["closeness_igraph_reachable"].is_null()) {
        EXPECT_TRUE(Close(close[v], r["closeness_igraph_reachable"].get<double>(), 1e-9,
                          id + " closeness"));
      }
      EXPECT_TRUE(Close(pr[v], r["pagerank"].get<double>(), 1e-6, id + " pagerank"));
      if (r.contains("eigenvector_maxnorm")) {
        EXPECT_TRUE(Close(ev[v] / ev_max, r["eigenvector_maxnorm"].get<double>(), 1e-6,
                          id + " eigenvector"));
      }
    }
    ++graphs_checked;
  }
  EXPECT_GE(graphs_checked, 4);
}

TEST(CentralityReference, PublishedValues) {
  auto load = [](const char* key) {
    for (const auto& rg : ReferenceGraphs()) {
      if (rg.key == key) return LoadReferenceGraph(rg);
    }
    return std::optional<testing::NamedGraph>();
  };
  auto karate = load("karate_igraphdata");
  auto kite = load("kite_krackhardt");
  auto flo = load("florentine_marriage");
  if (!karate || !kite || !flo) GTEST_SKIP() << "fixture graphs missing (tests/fixtures/graphs)";
  {
    const graph::Graph g = graph::Graph::Build(karate->edges);
    const auto bc = Betweenness(SimpleView::Build(g));
    ASSERT_EQ(karate->names[0], "Mr Hi");
    EXPECT_NEAR(bc[0], 231.07, 0.005);   // Mr Hi
    EXPECT_NEAR(bc[33], 160.55, 0.005);  // John A
  }
  {
    const graph::Graph g = graph::Graph::Build(kite->edges);
    const SimpleView view = SimpleView::Build(g);
    const auto bc = Betweenness(view);
    const auto close = Closeness(view);
    const auto deg = DegreeCentrality(view);
    auto idx = [&](const std::string& name) {
      return static_cast<NodeId>(std::find(kite->names.begin(), kite->names.end(), name) -
                                 kite->names.begin());
    };
    // The kite's node names are letters; Heather = H, Fernando = F, Garth = G, Diane = D.
    EXPECT_DOUBLE_EQ(bc[idx("H")], 14.0);
    EXPECT_EQ(*std::max_element(bc.begin(), bc.end()), 14.0);
    EXPECT_NEAR(close[idx("F")], 0.643, 5e-4);
    EXPECT_NEAR(close[idx("G")], 0.643, 5e-4);
    EXPECT_EQ(deg[idx("D")], 6.0);
  }
  {
    const graph::Graph g = graph::Graph::Build(flo->edges);
    const SimpleView view = SimpleView::Build(g);
    const auto bc = Betweenness(view);
    const NodeId medici = static_cast<NodeId>(
        std::find(flo->names.begin(), flo->names.end(), "Medici") - flo->names.begin());
    EXPECT_DOUBLE_EQ(bc[medici], 47.5);
    BetweennessOptions norm;
    norm.normalized = true;
    EXPECT_NEAR(Betweenness(view, norm)[medici], 0.452, 5e-4);
  }
}

// ---------- independent verifiers ----------

// Dense adjacency built straight from the EdgeList (not from SimpleView).
std::vector<std::vector<char>> DenseAdjacency(const graph::EdgeList& e, bool directed) {
  std::vector<std::vector<char>> a(e.num_nodes, std::vector<char>(e.num_nodes, 0));
  for (std::size_t i = 0; i < e.src.size(); ++i) {
    const auto s = e.src[i], t = e.dst[i];
    if (s == t) continue;
    a[s][t] = 1;
    const bool link_directed = e.directed.empty() || e.directed[i] != 0;
    if (!directed || !link_directed) a[t][s] = 1;
  }
  return a;
}

struct AllPairs {
  std::vector<std::vector<int>> d;         // -1 = unreachable
  std::vector<std::vector<double>> sigma;  // number of shortest paths
};

AllPairs BfsAllPairs(const std::vector<std::vector<char>>& a) {
  const std::size_t n = a.size();
  AllPairs ap{std::vector<std::vector<int>>(n, std::vector<int>(n, -1)),
              std::vector<std::vector<double>>(n, std::vector<double>(n, 0))};
  for (std::size_t s = 0; s < n; ++s) {
    std::queue<std::size_t> q;
    ap.d[s][s] = 0;
    ap.sigma[s][s] = 1;
    q.push(s);
    while (!q.empty()) {
      const std::size_t v = q.front();
      q.pop();
      for (std::size_t w = 0; w < n; ++w) {
        if (!a[v][w]) continue;
        if (ap.d[s][w] < 0) {
          ap.d[s][w] = ap.d[s][v] + 1;
          q.push(w);
        }
        if (ap.d[s][w] == ap.d[s][v] + 1) ap.sigma[s][w] += ap.sigma[s][v];
      }
    }
  }
  return ap;
}

// Betweenness by definition: sum over ordered pairs s != v != t of sigma_st(v) / sigma_st.
std::vector<double> BruteBetweenness(const AllPairs& ap, bool directed) {
  const std::size_t n = ap.d.size();
  std::vector<double> bc(n, 0);
  for (std::size_t s = 0; s < n; ++s)
    for (std::size_t t = 0; t < n; ++t) {
      if (s == t || ap.d[s][t] <= 0) continue;
      for (std::size_t v = 0; v < n; ++v) {
        if (v == s || v == t || ap.d[s][v] < 0 || ap.d[v][t] < 0) continue;
        if (ap.d[s][v] + ap.d[v][t] != ap.d[s][t]) continue;
        bc[v] += ap.sigma[s][v] * ap.sigma[v][t] / ap.sigma[s][t];
      }
    }
  if (!directed) {
    for (double& x : bc) x /= 2;
  }
  return bc;
}

graph::EdgeList MixedRandom(std::int64_t n, std::int64_t m, std::uint64_t seed) {
  testing::RandomGraphOptions o;
  o.num_nodes = n;
  o.num_links = m;
  o.seed = seed;
  o.self_loops = true;  // the view must drop them
  o.with_weights = true;
  graph::EdgeList e = testing::RandomGraph(o);
  // A third of the links have an undirected schema.
  e.directed.assign(e.src.size(), 1);
  for (std::size_t i = 0; i < e.src.size(); i += 3) e.directed[i] = 0;
  return e;
}

TEST(CentralityVerify, BetweennessClosenessHarmonicOnRandomGraphs) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const std::int64_t n = 5 + static_cast<std::int64_t>(seed % 30);
    const graph::EdgeList e = MixedRandom(n, n * (1 + seed % 3), seed);
    const graph::Graph g = graph::Graph::Build(e);
    for (bool directed : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "seed " << seed << " directed " << directed);
      ViewOptions vo;
      vo.directed = directed;
      const SimpleView view = SimpleView::Build(g, vo);
      const auto adj = DenseAdjacency(e, directed);
      const AllPairs ap = BfsAllPairs(adj);
      const auto expect_bc = BruteBetweenness(ap, directed);
      const auto bc = Betweenness(view);
      const auto close = Closeness(view);
      const auto harm = Harmonic(view);
      for (std::int64_t v = 0; v < n; ++v) {
        EXPECT_NEAR(bc[v], expect_bc[v], 1e-9 * std::max(1.0, expect_bc[v]));
        // Incoming distances, as networkx.
        double total = 0, reach = 1, h = 0;
        for (std::int64_t u = 0; u < n; ++u) {
          if (u == v || ap.d[u][v] < 0) continue;
          total += ap.d[u][v];
          reach += 1;
          h += 1.0 / ap.d[u][v];
        }
        const double c = total > 0 ? (reach - 1) / total * (reach - 1) / (n - 1) : 0.0;
        EXPECT_NEAR(close[v], c, 1e-12);
        EXPECT_NEAR(harm[v], h, 1e-12);
      }
    }
  }
}

TEST(CentralityVerify, EdgeBetweennessOnRandomGraphs) {
  for (std::uint64_t seed = 1; seed <= 25; ++seed) {
    const std::int64_t n = 6 + static_cast<std::int64_t>(seed % 20);
    const graph::EdgeList e = MixedRandom(n, 2 * n, seed + 100);
    const graph::Graph g = graph::Graph::Build(e);
    for (bool directed : {false, true}) {
      ViewOptions vo;
      vo.directed = directed;
      const SimpleView view = SimpleView::Build(g, vo);
      const AllPairs ap = BfsAllPairs(DenseAdjacency(e, directed));
      const auto eb = EdgeBetweenness(view);
      const auto per_link = EdgeValuesToLinks(g, view, vo, eb);
      for (std::size_t l = 0; l < e.src.size(); ++l) {
        const auto u = e.src[l], w = e.dst[l];
        if (u == w) {
          EXPECT_EQ(per_link[l], 0.0);
          continue;
        }
        // Sum over ordered pairs (s, t) of paths using u→w (and w→u when undirected).
        auto through = [&](std::size_t a, std::size_t b) {
          double x = 0;
          for (std::size_t s = 0; s < ap.d.size(); ++s)
            for (std::size_t t = 0; t < ap.d.size(); ++t) {
              if (s == t || ap.d[s][t] <= 0 || ap.d[s][a] < 0 || ap.d[b][t] < 0) continue;
              if (ap.d[s][a] + 1 + ap.d[b][t] != ap.d[s][t]) continue;
              x += ap.sigma[s][a] * ap.sigma[b][t] / ap.sigma[s][t];
            }
          return x;
        };
        const bool link_directed = e.directed[l] != 0;
        double expect = through(u, w);
        if (!directed) expect = (expect + through(w, u)) / 2;
        // In the directed view an undirected link is two edges; we report the u→w slot.
        if (directed && !link_directed) expect = through(u, w);
        EXPECT_NEAR(per_link[l], expect, 1e-9 * std::max(1.0, expect))
            << "seed " << seed << " link " << l << " directed " << directed;
      }
    }
  }
}

TEST(CentralityVerify, SampledBetweennessWithinBound) {
  const graph::Graph g = graph::Graph::Build(testing::RandomGraph(400, 1600, 7, false));
  const SimpleView view = SimpleView::Build(g);
  BetweennessOptions exact_opt;
  exact_opt.normalized = true;
  const auto exact = Betweenness(view, exact_opt);
  // All nodes as sources = exact.
  BetweennessOptions all = exact_opt;
  all.num_sources = view.num_visible();
  const auto same = Betweenness(view, all);
  for (std::size_t v = 0; v < exact.size(); ++v) EXPECT_NEAR(same[v], exact[v], 1e-12);
  BetweennessOptions sampled = exact_opt;
  sampled.num_sources = 200;
  sampled.seed = 3;
  const auto approx = Betweenness(view, sampled);
  const double bound = BetweennessErrorBound(view.num_visible(), 200, 0.01);
  double max_err = 0;
  for (std::size_t v = 0; v < exact.size(); ++v) {
    max_err = std::max(max_err, std::abs(approx[v] - exact[v]));
  }
  EXPECT_LE(max_err, bound);
  EXPECT_GT(max_err, 0.0);  // it really sampled
  // Deterministic given the seed.
  EXPECT_EQ(approx, Betweenness(view, sampled));
}

// PageRank by solving (I - d P^T) x = (1 - d) p directly (Gaussian elimination), where P
// is the row-stochastic transition matrix with dangling rows replaced by p.
std::vector<double> PageRankBySolve(const std::vector<std::vector<char>>& a,
                                    const std::vector<double>& p, double d) {
  const std::size_t n = a.size();
  std::vector<std::vector<double>> m(n, std::vector<double>(n + 1, 0));
  for (std::size_t i = 0; i < n; ++i) m[i][i] = 1;
  for (std::size_t u = 0; u < n; ++u) {
    double out = 0;
    for (std::size_t v = 0; v < n; ++v) out += a[u][v];
    for (std::size_t v = 0; v < n; ++v) {
      const double puv = out > 0 ? a[u][v] / out : p[v];
      m[v][u] -= d * puv;
    }
  }
  for (std::size_t i = 0; i < n; ++i) m[i][n] = (1 - d) * p[i];
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t piv = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::abs(m[r][c]) > std::abs(m[piv][c])) piv = r;
    std::swap(m[c], m[piv]);
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c) continue;
      const double f = m[r][c] / m[c][c];
      for (std::size_t k = c; k <= n; ++k) m[r][k] -= f * m[c][k];
    }
  }
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = m[i][n] / m[i][i];
  return x;
}

TEST(CentralityVerify, PageRankAndPersonalisedMatchLinearSolve) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const std::int64_t n = 8 + static_cast<std::int64_t>(seed % 25);
    const graph::EdgeList e = MixedRandom(n, n + n / 2, seed + 500);  // sparse: dangling nodes
    const graph::Graph g = graph::Graph::Build(e);
    for (bool directed : {false, true}) {
      ViewOptions vo;
      vo.directed = directed;
      const SimpleView view = SimpleView::Build(g, vo);
      const auto adj = DenseAdjacency(e, directed);
      std::vector<double> uniform(n, 1.0 / n);
      const auto expect = PageRankBySolve(adj, uniform, 0.85);
      const auto pr = PageRank(view);
      double sum = 0;
      for (std::int64_t v = 0; v < n; ++v) {
        EXPECT_NEAR(pr[v], expect[v], 1e-9);
        sum += pr[v];
      }
      EXPECT_NEAR(sum, 1.0, 1e-12);
      // Personalised on two seeds, damping 0.7.
      PageRankOptions po;
      po.damping = 0.7;
      po.personalization = {{0, 1.0}, {static_cast<NodeId>(n - 1), 3.0}};
      std::vector<double> p(n, 0.0);
      p[0] = 0.25;
      p[n - 1] = 0.75;
      const auto expect_p = PageRankBySolve(adj, p, 0.7);
      const auto ppr = PageRank(view, po);
      for (std::int64_t v = 0; v < n; ++v) EXPECT_NEAR(ppr[v], expect_p[v], 1e-9);
    }
  }
}

// PageRank's float-contribution phase: on a power-law graph, a fixed 20 iterations stay
// within 1e-5 (relative, per node) of an independent serial all-double iteration, and a run
// to the default tolerance matches the double iteration run to convergence.
TEST(CentralityVerify, PageRankMixedPrecisionMatchesDoubleIteration) {
  const graph::Graph g = graph::Graph::Build(testing::PowerLawGraph(20000, 150000, 7, false));
  const SimpleView view = SimpleView::Build(g);
  const std::int64_t n = view.num_nodes();
  auto reference = [&](int iterations) {
    std::vector<double> x(n, 1.0 / static_cast<double>(n)), next(n);
    for (int it = 0; it < iterations; ++it) {
      double dangle = 0;
      for (std::int64_t v = 0; v < n; ++v) {
        if (view.OutDegree(static_cast<NodeId>(v)) == 0) dangle += x[v];
      }
      for (std::int64_t v = 0; v < n; ++v) {
        double s = 0;
        for (NodeId u : view.In(static_cast<NodeId>(v))) {
          s += x[u] / static_cast<double>(view.OutDegree(u));
        }
        next[v] = 0.85 * s + (0.85 * dangle + 0.15) / static_cast<double>(n);
      }
      x.swap(next);
    }
    return x;
  };
  auto max_rel = [n](const std::vector<double>& a, const std::vector<double>& b) {
    double worst = 0;
    for (std::int64_t v = 0; v < n; ++v) worst = std::max(worst, std::abs(a[v] - b[v]) / b[v]);
    return worst;
  };
  PageRankOptions fixed;
  fixed.max_iterations = 20;
  fixed.tolerance = 0;
  EXPECT_LT(max_rel(PageRank(view, fixed), reference(20)), 1e-5);
  // Converged (networkx's test: L1 change < n * 1e-12, so the L1 distance to the fixed
  // point is below n * 1e-12 * 0.85 / 0.15).
  const auto pr = PageRank(view);
  const auto ref = reference(400);
  double l1 = 0;
  for (std::int64_t v = 0; v < n; ++v) l1 += std::abs(pr[v] - ref[v]);
  EXPECT_LT(l1, static_cast<double>(n) * 1e-12 * 0.85 / 0.15);
}

TEST(CentralityVerify, EigenvectorIsPrincipalEigenvector) {
  // A connected undirected random graph plus a directed strongly connected one (ring + chords).
  for (bool directed : {false, true}) {
    graph::EdgeList e = testing::RandomGraph(60, 200, 11);
    for (graph::NodeId v = 0; v < 60; ++v) {  // ring keeps it (strongly) connected
      e.src.push_back(v);
      e.dst.push_back((v + 1) % 60);
    }
    const graph::Graph g = graph::Graph::Build(e);
    ViewOptions vo;
    vo.directed = directed;
    const SimpleView view = SimpleView::Build(g, vo);
    const auto x = Eigenvector(view);
    const auto a = DenseAdjacency(e, directed);
    // (A^T x)_v = lambda x_v for every v, with one lambda; ||x||_2 = 1; x > 0.
    double norm = 0, lambda = -1;
    for (std::size_t v = 0; v < 60; ++v) {
      double y = 0;
      for (std::size_t u = 0; u < 60; ++u) y += a[u][v] * x[u];
      if (lambda < 0) lambda = y / x[v];
      EXPECT_NEAR(y, lambda * x[v], 1e-8);
      EXPECT_GT(x[v], 0);
      norm += x[v] * x[v];
    }
    EXPECT_NEAR(norm, 1.0, 1e-12);
  }
}

TEST(CentralityView, MultiLinksSelfLoopsAndHiddenNodes) {
  // 0-1, 1-2 twice, 2-2 self loop, 2-3; node 4 hidden, linked to 1.
  graph::EdgeList e = testing::PairsToEdges(5, {{0, 1}, {1, 2}, {2, 1}, {2, 2}, {2, 3}, {4, 1}});
  e.visible_node = {1, 1, 1, 1, 0};
  e.weight = {1, 2, 3, 9, 4, 5};
  const graph::Graph g = graph::Graph::Build(e);
  const SimpleView view = SimpleView::Build(g);
  EXPECT_EQ(view.num_edges(), 3);
  EXPECT_EQ(view.num_visible(), 4);
  const auto deg = DegreeCentrality(view);
  EXPECT_EQ(deg, (std::vector<double>{1, 2, 2, 1, 0}));
  EXPECT_EQ(Betweenness(view), (std::vector<double>{0, 2, 2, 0, 0}));
  ViewOptions weighted;
  weighted.weighted = true;
  const auto strength = DegreeCentrality(SimpleView::Build(g, weighted));
  EXPECT_EQ(strength, (std::vector<double>{1, 6, 9, 4, 0}));  // multi-links sum, loop dropped
  ViewOptions dir;
  dir.directed = true;
  const SimpleView dv = SimpleView::Build(g, dir);
  EXPECT_EQ(DegreeCentrality(dv, DegreeMode::kOut), (std::vector<double>{1, 1, 2, 0, 0}));
  EXPECT_EQ(DegreeCentrality(dv, DegreeMode::kIn), (std::vector<double>{0, 2, 1, 1, 0}));
  // Link-type filter: keep only type 1.
  e.type = {1, 0, 0, 0, 1, 1};
  const graph::Graph typed = graph::Graph::Build(e);
  ViewOptions only1;
  only1.link_types = {1};
  EXPECT_EQ(DegreeCentrality(SimpleView::Build(typed, only1)),
            (std::vector<double>{1, 1, 1, 1, 0}));
}

}  // namespace
}  // namespace casegraph::analysis
