// SNA kernels side by side with igraph's C library on the same generated graph: full BFS
// (direction-optimising), weakly connected components, PageRank, Louvain, sampled
// betweenness (same sources), eigenvector centrality, exact betweenness on a small graph,
// plus k-core/triangles (ours only) and community quality on a planted partition. Prints a table of
// median times and the igraph/casegraph ratio, and peak memory.
//
// Size and trials from the environment (defaults are small so CI stays fast):
//   CG_SNA_NODES=100000 CG_SNA_LINKS=1000000 CG_SNA_TRIALS=3 CG_SNA_SOURCES=4
//   CG_SNA_IGRAPH_LOUVAIN_MAX_LINKS=2000000  (igraph's Louvain is skipped above this)
//   CG_SNA_PARALLEL_MIN_NODES (CommunityOptions::parallel_min_nodes; 0 = parallel moving)
//   CG_SNA_EXACT_NODES=10000 CG_SNA_EXACT_LINKS=100000  (exact betweenness graph)
// The size (1 M entities, 10 M links, 2 threads):
//   CG_SNA_NODES=1000000 CG_SNA_LINKS=10000000 ./build-sna/bench/sna_bench
// CG_SNA_KERNELS picks kernels (see Want()); CG_SNA_DUMP=PREFIX also writes the simple graph
// as CSV for bench/peers/kuzu_algos.js. Every row shows wall time and, in brackets, the
// process CPU time of the same run (the machine is shared: CPU time is the steadier figure).
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
#include "analysis/traversal.h"
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

// Process CPU seconds over all threads. On the shared 2-core machine wall time also
// measures the other tenants; CPU time does not (igraph is single-threaded, ours use 2).
double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

// Median wall time of `trials` runs and the CPU time of that same run.
struct Timing {
  double wall = 0, cpu = 0;
};
Timing Seconds(const std::function<void()>& fn, int trials) {
  std::vector<std::pair<double, double>> t;
  for (int i = 0; i < trials; ++i) {
    const double c0 = CpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    fn();
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    t.emplace_back(wall, CpuSeconds() - c0);
  }
  std::sort(t.begin(), t.end());
  return {t[t.size() / 2].first, t[t.size() / 2].second};
}

double PeakMemoryMb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

// One table row: wall (CPU) for both sides; ratio = igraph wall / ours wall, and the CPU
// ratio in brackets.
void Row(const char* kernel, Timing o, Timing t, const std::string& note = "") {
  const double ours = o.wall, ours_cpu = o.cpu, theirs = t.wall, theirs_cpu = t.cpu;
  if (theirs > 0) {
    std::printf("%-34s %8.4f s (%7.3f) %8.4f s (%7.3f) %6.2fx (%5.2fx)  %s\n", kernel, ours,
                ours_cpu, theirs, theirs_cpu, theirs / ours, theirs_cpu / ours_cpu, note.c_str());
  } else {
    std::printf("%-34s %8.4f s (%7.3f) %22s %15s  %s\n", kernel, ours, ours_cpu, "-", "-",
                note.c_str());
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

// Kernels to run: CG_SNA_KERNELS=bfs,wcc,pagerank,betweenness,eigenvector,louvain,leiden,
// structure,exact,planted (comma list; unset = all).
bool Want(const char* kernel) {
  const char* v = std::getenv("CG_SNA_KERNELS");
  if (v == nullptr || *v == '\0') return true;
  const std::string list = std::string(",") + v + ",";
  return list.find(std::string(",") + kernel + ",") != std::string::npos;
}

// Full BFS from the same 5 random non-isolated sources: ours direction-optimising
// (analysis/traversal.h) over the typed graph, igraph_bfs_simple over the simplified one.
void Bfs(const graph::Graph& g, std::int64_t n, int trials
#ifdef CASEGRAPH_HAVE_IGRAPH
         ,
         const IGraph& ig
#endif
) {
  std::vector<NodeId> sources;
  testing::SplitMix64 rng(4);
  while (sources.size() < 5) {
    const auto s = static_cast<NodeId>(rng.Below(n));
    if (g.OutDegree(s) + g.InDegree(s) > 0) sources.push_back(s);
  }
  std::size_t next = 0;
  std::int64_t reached = 0;
  int td = 0, bu = 0;
  const Timing ours = Seconds(
      [&] {
        const BfsResult r = BreadthFirstSearch(g, sources[next++ % sources.size()]);
        reached = r.reached;
        td = r.top_down_steps;
        bu = r.bottom_up_steps;
      },
      std::max(trials, 5));
  Timing theirs;
#ifdef CASEGRAPH_HAVE_IGRAPH
  next = 0;
  theirs = Seconds(
      [&] {
        igraph_vector_int_t order;
        igraph_vector_int_init(&order, 0);
        igraph_bfs_simple(&ig.g, sources[next++ % sources.size()], IGRAPH_ALL, &order, nullptr,
                          nullptr);
        igraph_vector_int_destroy(&order);
      },
      std::max(trials, 5));
#endif
  Row("bfs (full, direction-optimising)", ours, theirs,
      std::to_string(reached) + " reached, " + std::to_string(td) + " top-down + " +
          std::to_string(bu) + " bottom-up steps");
}

// Exact betweenness (all sources) on a small graph: CG_SNA_EXACT_NODES (10 k) nodes and
// CG_SNA_EXACT_LINKS (100 k) links, R-MAT, both libraries on the same simple graph.
void ExactBetweenness(int trials) {
  const std::int64_t n = EnvInt("CG_SNA_EXACT_NODES", 10000);
  const std::int64_t m = EnvInt("CG_SNA_EXACT_LINKS", 100000);
  const graph::EdgeList e = testing::PowerLawGraph(n, m, 5, /*directed=*/false);
  const graph::Graph g = graph::Graph::Build(e);
  const SimpleView view = SimpleView::Build(g);
  const Timing ours = Seconds([&] { Betweenness(view); }, std::min(trials, 3));
  Timing theirs;
#ifdef CASEGRAPH_HAVE_IGRAPH
  IGraph ig(e);
  theirs = Seconds(
      [&] {
        igraph_vector_t res;
        igraph_vector_init(&res, 0);
        igraph_betweenness(&ig.g, &res, igraph_vss_all(), false, nullptr);
        igraph_vector_destroy(&res);
      },
      std::min(trials, 3));
#endif
  Row("exact betweenness (small graph)", ours, theirs,
      std::to_string(n) + " nodes, " + std::to_string(view.num_edges()) + " edges");
}

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
  igraph_community_leiden(&ig.g, nullptr, &deg, 1.0 / (2.0 * igraph_ecount(&ig.g)), 0.01, false, -1,
                          &memb, &nc, &q_unused);
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
  const Timing t_view = Seconds([&] { view = SimpleView::Build(g); }, trials);
  std::printf("simple view: %lld edges (after collapsing multi-links)\n\n",
              static_cast<long long>(view.num_edges()));
  // CG_SNA_DUMP=PREFIX writes the simple graph for the Kuzu peer (bench/peers/kuzu_algos.js):
  // PREFIX.und.csv has each edge once (u < v), PREFIX.rev.csv the reverse orientation.
  if (const char* dump = std::getenv("CG_SNA_DUMP"); dump != nullptr && *dump != '\0') {
    std::FILE* und = std::fopen((std::string(dump) + ".und.csv").c_str(), "w");
    std::FILE* rev = std::fopen((std::string(dump) + ".rev.csv").c_str(), "w");
    if (und == nullptr || rev == nullptr) {
      std::fprintf(stderr, "cannot write %s.{und,rev}.csv\n", dump);
      return 1;
    }
    for (std::int64_t v = 0; v < n; ++v) {
      for (NodeId w : view.Out(static_cast<NodeId>(v))) {
        if (w <= v) continue;
        std::fprintf(und, "%lld,%u\n", static_cast<long long>(v), w);
        std::fprintf(rev, "%u,%lld\n", w, static_cast<long long>(v));
      }
    }
    std::fclose(und);
    std::fclose(rev);
    std::printf("wrote %s.und.csv and %s.rev.csv\n", dump, dump);
  }
  std::printf("%-34s %20s %20s %15s\n", "kernel", "casegraph wall (CPU)", "igraph wall (CPU)",
              "ratio (CPU)");
  Row("simple view build (ours only)", t_view, {});

#ifdef CASEGRAPH_HAVE_IGRAPH
  igraph_set_attribute_table(nullptr);
  IGraph ig(edges);
#endif
  // CG_SNA_PARALLEL_MIN_NODES=-1 runs Louvain/Leiden with the serial queue only.
  CommunityOptions copts;
  copts.parallel_min_nodes = EnvInt("CG_SNA_PARALLEL_MIN_NODES", copts.parallel_min_nodes);
  copts.max_passes = static_cast<int>(EnvInt("CG_SNA_MAX_PASSES", copts.max_passes));
  if (Want("wcc")) {
    // Weakly connected components.
    std::uint32_t ncomp = 0;
    const Timing wcc =
        Seconds([&] { ncomp = WeaklyConnectedComponents(g).num_components(); }, trials);
    Timing wcc_ig;
#ifdef CASEGRAPH_HAVE_IGRAPH
    igraph_integer_t ig_ncomp = 0;
    wcc_ig = Seconds(
        [&] {
          igraph_vector_int_t memb;
          igraph_vector_int_init(&memb, 0);
          igraph_connected_components(&ig.g, &memb, nullptr, &ig_ncomp, IGRAPH_WEAK);
          igraph_vector_int_destroy(&memb);
        },
        trials);
#endif
    Row("weakly connected components", wcc, wcc_ig, std::to_string(ncomp) + " components");
  }

  if (Want("pagerank")) {
    // PageRank: ours 20 power iterations; igraph PRPACK (solves to convergence).
    PageRankOptions pro;
    pro.max_iterations = 20;
    pro.tolerance = 0;
    const Timing pr = Seconds([&] { PageRank(view, pro); }, trials);
    Timing pr_ig;
#ifdef CASEGRAPH_HAVE_IGRAPH
    pr_ig = Seconds(
        [&] {
          igraph_vector_t v;
          igraph_vector_init(&v, 0);
          igraph_real_t value;
          igraph_pagerank(&ig.g, IGRAPH_PAGERANK_ALGO_PRPACK, &v, &value, igraph_vss_all(), false,
                          0.85, nullptr, nullptr);
          igraph_vector_destroy(&v);
        },
        trials);
#endif
    Row("pagerank (20 iter | igraph PRPACK)", pr, pr_ig);
  }

  if (Want("betweenness")) {
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
    const Timing bc = Seconds([&] { Betweenness(view, bo); }, trials);
    Timing bc_ig;
#ifdef CASEGRAPH_HAVE_IGRAPH
    bc_ig = Seconds(
        [&] {
          igraph_vector_int_t src;
          igraph_vector_int_init(&src, static_cast<igraph_integer_t>(sources.size()));
          for (std::size_t i = 0; i < sources.size(); ++i) VECTOR(src)[i] = sources[i];
          igraph_vector_t res;
          igraph_vector_init(&res, 0);
          igraph_betweenness_subset(&ig.g, &res, igraph_vss_all(), false, igraph_vss_vector(&src),
                                    igraph_vss_all(), nullptr);
          igraph_vector_destroy(&res);
          igraph_vector_int_destroy(&src);
        },
        trials);
#endif
    Row(("betweenness, " + std::to_string(k) + " sources").c_str(), bc, bc_ig,
        "eps(99%) normalised = " + std::to_string(BetweennessErrorBound(n, k, 0.01)));
  }

  if (Want("eigenvector")) {
    // Eigenvector centrality: ours to 1e-6 relative change per node (as networkx's default
    // tolerance); igraph ARPACK defaults.
    EigenvectorOptions eo;
    eo.tolerance = 1e-6;
    int ev_iters = 0;
    const Timing ev = Seconds(
        [&] {
          Eigenvector(view, eo);
          ev_iters = LastIterationCount();
        },
        trials);
    Timing ev_ig;
#ifdef CASEGRAPH_HAVE_IGRAPH
    ev_ig = Seconds(
        [&] {
          igraph_vector_t v;
          igraph_vector_init(&v, 0);
          igraph_real_t value;
          igraph_eigenvector_centrality(&ig.g, &v, &value, false, true, nullptr, nullptr);
          igraph_vector_destroy(&v);
        },
        trials);
#endif
    Row("eigenvector", ev, ev_ig, std::to_string(ev_iters) + " iterations");
  }

  if (Want("louvain")) {
    // Louvain (one trial each: slow on big graphs).
    CommunityResult lv;
    const Timing louv = Seconds([&] { lv = Louvain(view, copts); }, 1);
    Timing louv_ig;
    std::string note = "Q " + std::to_string(lv.modularity) + ", " +
                       std::to_string(lv.num_communities) + " communities";
#ifdef CASEGRAPH_HAVE_IGRAPH
    if (m <= louvain_max) {
      double q = 0;
      louv_ig = Seconds(
          [&] {
            igraph_vector_int_t memb;
            igraph_vector_int_init(&memb, 0);
            igraph_vector_t mod;
            igraph_vector_init(&mod, 0);
            igraph_community_multilevel(&ig.g, nullptr, 1.0, &memb, nullptr, &mod);
            q = VECTOR(mod)[igraph_vector_size(&mod) - 1];
            igraph_vector_destroy(&mod);
            igraph_vector_int_destroy(&memb);
          },
          1);
      note += "; igraph Q " + std::to_string(q);
    } else {
      note += "; igraph skipped (CG_SNA_IGRAPH_LOUVAIN_MAX_LINKS)";
    }
#endif
    Row("louvain", louv, louv_ig, note);
  }

  if (Want("leiden")) {
    CommunityResult ld;
    const Timing leid = Seconds([&] { ld = Leiden(view, copts); }, 1);
    Row("leiden (ours only)", leid, {}, "Q " + std::to_string(ld.modularity));
  }

  if (Want("structure")) {
    // Ours only: structure kernels.
    Row("k-core (ours only)", Seconds([&] { CoreNumbers(g); }, trials), {});
    Row("triangles + clustering (ours only)", Seconds([&] { CountTriangles(view); }, trials), {});
    Row("articulation points + bridges", Seconds([&] { ArticulationPointsAndBridges(g); }, trials),
        {});
    Row("strongly connected components", Seconds([&] { StronglyConnectedComponents(g); }, trials),
        {});
  }

  if (Want("bfs"))
    Bfs(g, n, trials
#ifdef CASEGRAPH_HAVE_IGRAPH
        ,
        ig
#endif
    );
  if (Want("exact")) ExactBetweenness(trials);
  if (Want("planted")) PlantedQuality();
  std::printf("\npeak memory (max RSS): %.0f MB\n", PeakMemoryMb());
  return 0;
}
