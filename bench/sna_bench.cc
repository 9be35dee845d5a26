// SNA kernels side by side with igraph's C library on the same generated graph: weakly
// connected components, PageRank, Louvain, sampled betweenness (same sources), eigenvector
// centrality, plus k-core/triangles (ours only) and community quality on a planted
// partition. Prints a table of median times and the igraph/casegraph ratio, and peak memory.
//
// Size and trials from the environment (defaults are small so CI stays fast):
//   CG_SNA_NODES=100000 CG_SNA_LINKS=1000000 CG_SNA_TRIALS=3 CG_SNA_SOURCES=4
//   CG_SNA_IGRAPH_LOUVAIN_MAX_LINKS=2000000  (igraph's Louvain is skipped above this)
// The size (1 M entities, 10 M links, 2 threads):
//   CG_SNA_NODES=1000000 CG_SNA_LINKS=10000000 ./build-sna/bench/sna_bench
// The graph is an undirected R-MAT power-law graph (analysis/test_graphs.h, Graph500
// parameters); both libraries see the same simple graph (igraph after igraph_simplify,
// we through SimpleView, whose build time is reported on its own line).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <tbb/global_control.h>
#include <tbb/info.h>

#include "analysis/centrality.h"
#include "analysis/communities.h"
#include "analysis/sna_view.h"
#include "analysis/structure.h"
#include "analysis/test_graphs.h"
#include "graph/graph.h"

#ifdef CASEGRAPH_HAVE_IGRAPH
#include <igraph.h>
#endif

namespace {

using namespace casegraph;
using namespace casegraph::analysis;

std::int64_t EnvInt(const char* name, std::int64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::atoll(v) : fallback;
}

double Seconds(const std::function<void()>& fn, int trials) {
  std::vector<double> t;
  for (int i = 0; i < trials; ++i) {
    const auto start = std::chrono::steady_clock::now();
    fn();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

double PeakMemoryMb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

void Row(const char* kernel, double ours, double theirs, const std::string& note = "") {
  if (theirs > 0) {
    std::printf("%-34s %10.4f s %10.4f s %8.2fx  %s\n", kernel, ours, theirs, theirs / ours,
                note.c_str());
  } else {
    std::printf("%-34s %10.4f s %12s %9s  %s\n", kernel, ours, "-", "-", note.c_str());
  }
  std::fflush(stdout);
}

#ifdef CASEGRAPH_HAVE_IGRAPH
// igraph graph from an edge list, undirected, simplified like our SimpleView.
struct IGraph {
  igraph_t g;
  explicit IGraph(const graph::EdgeList& e) {
    igraph_vector_int_t ev;
    igraph_vector_int_init(&ev, static_cast<igraph_integer_t>(2 * e.src.size()));
    for (std::size_t i = 0; i < e.src.size(); ++i) {
      VECTOR(ev)[2 * i] = e.src[i];
      VECTOR(ev)[2 * i + 1] = e.dst[i];
    }
    igraph_create(&g, &ev, e.num_nodes, IGRAPH_UNDIRECTED);
    igraph_vector_int_destroy(&ev);
    igraph_simplify(&g, true, true, nullptr);
  }
  ~IGraph() { igraph_destroy(&g); }
};
#endif

// Planted partition: quality of our Louvain/Leiden vs igraph's on the same graph.
void PlantedQuality() {
  testing::SplitMix64 rng(42);
  const int groups = 50, size = 200;
  graph::EdgeList e;
  e.num_nodes = groups * size;
  std::vector<std::uint32_t> truth(e.num_nodes);
  for (std::int64_t v = 0; v < e.num_nodes; ++v) truth[v] = static_cast<std::uint32_t>(v / size);
  for (std::int64_t i = 0; i < e.num_nodes * 5; ++i) {  // k_in ~ 10
    const std::uint64_t g = rng.Below(groups);
    e.src.push_back(static_cast<graph::NodeId>(g * size + rng.Below(size)));
    e.dst.push_back(static_cast<graph::NodeId>(g * size + rng.Below(size)));
  }
  for (std::int64_t i = 0; i < e.num_nodes * 3; ++i) {  // k_out ~ 6: hard
    e.src.push_back(static_cast<graph::NodeId>(rng.Below(e.num_nodes)));
    e.dst.push_back(static_cast<graph::NodeId>(rng.Below(e.num_nodes)));
  }
  const graph::Graph g = graph::Graph::Build(e);
  const SimpleView view = SimpleView::Build(g);
  const CommunityResult lv = Louvain(view);
  const CommunityResult ld = Leiden(view);
  std::printf("\nplanted partition %d x %d (k_in 10, k_out 6): planted Q %.4f\n", groups, size,
              Modularity(view, truth));
  std::printf("  casegraph louvain Q %.4f NMI %.3f | leiden Q %.4f NMI %.3f\n", lv.modularity,
              NormalizedMutualInformation(lv.membership, truth), ld.modularity,
              NormalizedMutualInformation(ld.membership, truth));
#ifdef CASEGRAPH_HAVE_IGRAPH
  IGraph ig(e);
  igraph_vector_int_t memb;
  igraph_vector_int_init(&memb, 0);
  igraph_vector_t mod;
  igraph_vector_init(&mod, 0);
  igraph_rng_seed(igraph_rng_default(), 1);
  igraph_community_multilevel(&ig.g, nullptr, 1.0, &memb, nullptr, &mod);
  const double q_ml = VECTOR(mod)[igraph_vector_size(&mod) - 1];
  igraph_vector_t deg;
  igraph_vector_init(&deg, 0);
  igraph_strength(&ig.g, &deg, igraph_vss_all(), IGRAPH_ALL, true, nullptr);
  igraph_integer_t nc = 0;
  igraph_real_t q_unused = 0, q_ld = 0;
  igraph_community_leiden(&ig.g, nullptr, &deg, 1.0 / (2.0 * igraph_ecount(&ig.g)), 0.01, false,
                          -1, &memb, &nc, &q_unused);
  igraph_modularity(&ig.g, &memb, nullptr, 1.0, false, &q_ld);
  std::printf("  igraph    multilevel Q %.4f | leiden Q %.4f\n", q_ml, q_ld);
  igraph_vector_destroy(&deg);
  igraph_vector_destroy(&mod);
  igraph_vector_int_destroy(&memb);
#endif
}

}  // namespace

int main() {
  const std::int64_t n = EnvInt("CG_SNA_NODES", 100000);
  const std::int64_t m = EnvInt("CG_SNA_LINKS", 1000000);
  const int trials = static_cast<int>(EnvInt("CG_SNA_TRIALS", 3));
  const std::int64_t k = EnvInt("CG_SNA_SOURCES", 4);
  const std::int64_t louvain_max = EnvInt("CG_SNA_IGRAPH_LOUVAIN_MAX_LINKS", 2000000);
  std::printf("sna_bench: R-MAT undirected, %lld nodes, %lld links, %d threads, median of %d\n",
              static_cast<long long>(n), static_cast<long long>(m),
              tbb::info::default_concurrency(), trials);
  auto t0 = std::chrono::steady_clock::now();
  const graph::EdgeList edges = testing::PowerLawGraph(n, m, 1, /*directed=*/false);
  const graph::Graph g = graph::Graph::Build(edges);
  std::printf("generate + build: %.2f s, graph %.0f MB\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
              static_cast<double>(g.MemoryBytes()) / 1e6);
  SimpleView view;
  const double t_view = Seconds([&] { view = SimpleView::Build(g); }, trials);
  std::printf("simple view: %lld edges (after collapsing multi-links)\n\n",
              static_cast<long long>(view.num_edges()));
  std::printf("%-34s %12s %12s %9s\n", "kernel", "casegraph", "igraph", "ratio");
  Row("simple view build (ours only)", t_view, 0);

#ifdef CASEGRAPH_HAVE_IGRAPH
  igraph_set_attribute_table(nullptr);
  IGraph ig(edges);
#endif
  // Weakly connected components.
  std::uint32_t ncomp = 0;
  const double wcc = Seconds([&] { ncomp = WeaklyConnectedComponents(g).num_components(); }, trials);
  double wcc_ig = 0;
#ifdef CASEGRAPH_HAVE_IGRAPH
  igraph_integer_t ig_ncomp = 0;
  wcc_ig = Seconds([&] {
    igraph_vector_int_t memb;
    igraph_vector_int_init(&memb, 0);
    igraph_connected_components(&ig.g, &memb, nullptr, &ig_ncomp, IGRAPH_WEAK);
    igraph_vector_int_destroy(&memb);
  }, trials);
#endif
  Row("weakly connected components", wcc, wcc_ig, std::to_string(ncomp) + " components");

  // PageRank: ours 20 power iterations; igraph PRPACK (solves to convergence).
  PageRankOptions pro;
  pro.max_iterations = 20;
  pro.tolerance = 0;
  const double pr = Seconds([&] { PageRank(view, pro); }, trials);
  double pr_ig = 0;
#ifdef CASEGRAPH_HAVE_IGRAPH
  pr_ig = Seconds([&] {
    igraph_vector_t v;
    igraph_vector_init(&v, 0);
    igraph_real_t value;
    igraph_pagerank(&ig.g, IGRAPH_PAGERANK_ALGO_PRPACK, &v, &value, igraph_vss_all(), false,
                    0.85, nullptr, nullptr);
    igraph_vector_destroy(&v);
  }, trials);
#endif
  Row("pagerank (20 iter | igraph PRPACK)", pr, pr_ig);

  // Sampled betweenness, same sources (scaled by n/k as Brandes–Pich).
  BetweennessOptions bo;
  // Resolve the sample once so igraph gets exactly the same sources.
  std::vector<NodeId> sources;
  {
    testing::SplitMix64 rng(9);
    while (static_cast<std::int64_t>(sources.size()) < k) {
      const auto s = static_cast<NodeId>(rng.Below(n));
      if (view.OutDegree(s) == 0) continue;  // isolated sources would be trivial
      if (std::find(sources.begin(), sources.end(), s) == sources.end()) sources.push_back(s);
    }
  }
  bo.sources = sources;
  const double bc = Seconds([&] { Betweenness(view, bo); }, trials);
  double bc_ig = 0;
#ifdef CASEGRAPH_HAVE_IGRAPH
  bc_ig = Seconds([&] {
    igraph_vector_int_t src;
    igraph_vector_int_init(&src, static_cast<igraph_integer_t>(sources.size()));
    for (std::size_t i = 0; i < sources.size(); ++i) VECTOR(src)[i] = sources[i];
    igraph_vector_t res;
    igraph_vector_init(&res, 0);
    igraph_betweenness_subset(&ig.g, &res, igraph_vss_all(), false, igraph_vss_vector(&src),
                              igraph_vss_all(), nullptr);
    igraph_vector_destroy(&res);
    igraph_vector_int_destroy(&src);
  }, trials);
#endif
  Row(("betweenness, " + std::to_string(k) + " sources").c_str(), bc, bc_ig,
      "eps(99%) normalised = " + std::to_string(BetweennessErrorBound(n, k, 0.01)));

  // Eigenvector centrality: ours to 1e-6 relative change per node (as networkx's default
  // tolerance); igraph ARPACK defaults.
  EigenvectorOptions eo;
  eo.tolerance = 1e-6;
  int ev_iters = 0;
  const double ev = Seconds([&] { Eigenvector(view, eo); ev_iters = LastIterationCount(); }, trials);
  double ev_ig = 0;
#ifdef CASEGRAPH_HAVE_IGRAPH
  ev_ig = Seconds([&] {
    igraph_vector_t v;
    igraph_vector_init(&v, 0);
    igraph_real_t value;
    igraph_eigenvector_centrality(&ig.g, &v, &value, false, true, nullptr, nullptr);
    igraph_vector_destroy(&v);
  }, trials);
#endif
  Row("eigenvector", ev, ev_ig, std::to_string(ev_iters) + " iterations");

  // Louvain (one trial each: slow on big graphs).
  CommunityResult lv;
  const double louv = Seconds([&] { lv = Louvain(view); }, 1);
  double louv_ig = 0;
  std::string note = "Q " + std::to_string(lv.modularity) + ", " +
                     std::to_string(lv.num_communities) + " communities";
#ifdef CASEGRAPH_HAVE_IGRAPH
  if (m <= louvain_max) {
    double q = 0;
    louv_ig = Seconds([&] {
      igraph_vector_int_t memb;
      igraph_vector_int_init(&memb, 0);
      igraph_vector_t mod;
      igraph_vector_init(&mod, 0);
      igraph_community_multilevel(&ig.g, nullptr, 1.0, &memb, nullptr, &mod);
      q = VECTOR(mod)[igraph_vector_size(&mod) - 1];
      igraph_vector_destroy(&mod);
      igraph_vector_int_destroy(&memb);
    }, 1);
    note += "; igraph Q " + std::to_string(q);
  } else {
    note += "; igraph skipped (CG_SNA_IGRAPH_LOUVAIN_MAX_LINKS)";
  }
#endif
  Row("louvain", louv, louv_ig, note);
  CommunityResult ld;
  const double leid = Seconds([&] { ld = Leiden(view); }, 1);
  Row("leiden (ours only)", leid, 0, "Q " + std::to_string(ld.modularity));

  // Ours only: structure kernels.
  Row("k-core (ours only)", Seconds([&] { CoreNumbers(g); }, trials), 0);
  Row("triangles + clustering (ours only)", Seconds([&] { CountTriangles(view); }, trials), 0);
  Row("articulation points + bridges", Seconds([&] { ArticulationPointsAndBridges(g); }, trials), 0);
  Row("strongly connected components", Seconds([&] { StronglyConnectedComponents(g); }, trials), 0);

  PlantedQuality();
  std::printf("\npeak memory (max RSS): %.0f MB\n", PeakMemoryMb());
  return 0;
}
