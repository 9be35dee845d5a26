// Graph core and path-kernel benchmarks (issues 2 and 3): CSR build rate and bytes per link,
// ShortestPath and Expand depth-2 latency (median and p99 over random queries), a full BFS
// (serial top-down over graph::Traversal, and the direction-optimising kernel of
// analysis/traversal.h), and the same single-pair shortest path and a full BFS in igraph
// (C API) for the ratio.
//
// The graph is an R-MAT power-law graph (analysis/test_graphs.h) with 12 link types (4 of
// them undirected), times and store ids, like a case snapshot. Size and query counts come
// from the environment so smaller runs are easy:
//   CASEGRAPH_BENCH_NODES (default 1000000), CASEGRAPH_BENCH_LINKS (default 10000000),
//   CASEGRAPH_BENCH_QUERIES (default 1000), CASEGRAPH_BENCH_IGRAPH_QUERIES (default 100),
//   CASEGRAPH_BENCH_WEIGHTS (default 0; 1 adds 8-byte link weights, as a case's amounts),
//   CASEGRAPH_BENCH_MOVED_GRAPH (default 0; 1: kernels run on a Build(EdgeList&&) graph).
// Queries run with the undirected view (Direction::kBoth), the investigators' default.
// Latencies are printed as "name: median X ms, p99 Y ms" lines and as counters.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "analysis/paths.h"
#include "analysis/test_graphs.h"
#include "analysis/traversal.h"
#include "graph/graph.h"
#include "graph/traverse.h"

#ifdef CASEGRAPH_HAVE_IGRAPH
#include <igraph/igraph.h>
#endif

namespace {

using casegraph::graph::EdgeList;
using casegraph::graph::Graph;
using casegraph::graph::LinkIdx;
using casegraph::graph::NodeId;
using Clock = std::chrono::steady_clock;

std::int64_t EnvInt(const char* name, std::int64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoll(v) : fallback;
}

std::int64_t NumNodes() {
  return EnvInt("CASEGRAPH_BENCH_NODES", 1000000);
}
std::int64_t NumLinks() {
  return EnvInt("CASEGRAPH_BENCH_LINKS", 10000000);
}
int NumQueries() {
  return static_cast<int>(EnvInt("CASEGRAPH_BENCH_QUERIES", 1000));
}
int NumIgraphQueries() {
  return static_cast<int>(EnvInt("CASEGRAPH_BENCH_IGRAPH_QUERIES", 100));
}

const EdgeList& Edges() {
  static const EdgeList* edges = [] {
    auto e = std::make_unique<EdgeList>(
        casegraph::analysis::testing::PowerLawGraph(NumNodes(), NumLinks(), 42));
    const std::size_t m = e->src.size();
    e->type.resize(m);
    e->time.resize(m);
    e->store_id.resize(m);
    e->directed.resize(m);
    if (EnvInt("CASEGRAPH_BENCH_WEIGHTS", 0) != 0) e->weight.resize(m);
    casegraph::analysis::testing::SplitMix64 rng(7);
    for (std::size_t i = 0; i < m; ++i) {
      e->type[i] = static_cast<std::uint16_t>(rng.Below(12));
      e->time[i] = 1500000000 + static_cast<std::int64_t>(rng.Below(200000000));
      e->store_id[i] = static_cast<std::uint32_t>(m - i);
      e->directed[i] = e->type[i] < 8 ? 1 : 0;
      if (!e->weight.empty()) e->weight[i] = static_cast<double>(rng.Below(1000000)) / 100.0;
    }
    return e.release();
  }();
  return *edges;
}

// The graph the kernels run on. CASEGRAPH_BENCH_MOVED_GRAPH=1 builds it as a case snapshot
// is built (Graph::Build(EdgeList&&), link arrays adopted from the input).
const Graph& TheGraph() {
  static const Graph* g = [] {
    if (EnvInt("CASEGRAPH_BENCH_MOVED_GRAPH", 0) != 0) {
      EdgeList input = Edges();
      return new Graph(Graph::Build(std::move(input)));
    }
    return new Graph(Graph::Build(Edges()));
  }();
  return *g;
}

// Random query endpoints among nodes that have at least one link (as a user would pick).
std::vector<NodeId> RandomNodes(int count, std::uint64_t seed) {
  const Graph& g = TheGraph();
  casegraph::analysis::testing::SplitMix64 rng(seed);
  std::vector<NodeId> nodes;
  while (static_cast<int>(nodes.size()) < count) {
    auto n = static_cast<NodeId>(rng.Below(g.num_nodes()));
    if (g.OutDegree(n) + g.InDegree(n) > 0) nodes.push_back(n);
  }
  return nodes;
}

struct Latency {
  double median_ms = 0, p99_ms = 0, mean_ms = 0;
};

Latency Summarise(std::vector<double> ms) {
  Latency l;
  if (ms.empty()) return l;
  std::sort(ms.begin(), ms.end());
  l.median_ms = ms.size() % 2 ? ms[ms.size() / 2] : (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]) / 2;
  std::size_t idx = static_cast<std::size_t>(0.99 * static_cast<double>(ms.size()) + 0.999999);
  l.p99_ms = ms[std::min(ms.size(), std::max<std::size_t>(idx, 1)) - 1];
  for (double x : ms) l.mean_ms += x;
  l.mean_ms /= static_cast<double>(ms.size());
  return l;
}

void Report(benchmark::State& state, const char* name, const Latency& l) {
  std::printf("%s: median %.4f ms, p99 %.4f ms, mean %.4f ms\n", name, l.median_ms, l.p99_ms,
              l.mean_ms);
  std::fflush(stdout);
  state.counters["median_ms"] = l.median_ms;
  state.counters["p99_ms"] = l.p99_ms;
  state.counters["mean_ms"] = l.mean_ms;
}

template <typename Fn>
double TimeMs(Fn&& fn) {
  const auto t0 = Clock::now();
  fn();
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Process CPU seconds (all threads): on a shared machine, wall time measures the other
// tenants as much as us, so the build also reports CPU time per link.
double ProcessCpuSeconds() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

// One build's cost: wall time, process user and system CPU time, minor page faults.
struct BuildCost {
  double wall_ms = 0, user_s = 0, sys_s = 0;
  long faults = 0;
};

struct Usage {
  double user_s, sys_s;
  long faults;
};
Usage ProcessUsage() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return {static_cast<double>(r.ru_utime.tv_sec) + 1e-6 * static_cast<double>(r.ru_utime.tv_usec),
          static_cast<double>(r.ru_stime.tv_sec) + 1e-6 * static_cast<double>(r.ru_stime.tv_usec),
          r.ru_minflt};
}

template <typename Fn>
BuildCost Measure(Fn&& fn) {
  const Usage u0 = ProcessUsage();
  BuildCost c;
  c.wall_ms = TimeMs(fn);
  const Usage u1 = ProcessUsage();
  c.user_s = u1.user_s - u0.user_s;
  c.sys_s = u1.sys_s - u0.sys_s;
  c.faults = u1.faults - u0.faults;
  return c;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty()      ? 0
         : v.size() % 2 ? v[v.size() / 2]
                        : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Prints every build (the first one in the process is the cold one a CLI command pays)
// and median / best wall time with CPU and system time, and sets the counters.
void ReportBuilds(benchmark::State& state, const char* name, const std::vector<BuildCost>& runs,
                  std::size_t bytes, double links, double nodes) {
  std::vector<double> wall, cpu, sys;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const BuildCost& r = runs[k];
    std::printf("%s build %zu: %.1f ms wall, %.3f s user + %.3f s sys, %ld page faults\n", name,
                k + 1, r.wall_ms, r.user_s, r.sys_s, r.faults);
    wall.push_back(r.wall_ms);
    cpu.push_back(r.user_s + r.sys_s);
    sys.push_back(r.sys_s);
  }
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  const double median_ms = Median(wall), best_ms = *std::min_element(wall.begin(), wall.end());
  std::printf(
      "%s: %.0f links, %.0f nodes, %zu bytes = %.2f bytes/link; median %.1f ms wall (%.1f M "
      "links/s), best %.1f ms (%.1f M links/s); median CPU %.3f s (%.1f M links per CPU-s), "
      "median sys %.3f s; load average %.2f\n",
      name, links, nodes, bytes, static_cast<double>(bytes) / links, median_ms,
      links / median_ms / 1e3, best_ms, links / best_ms / 1e3, Median(cpu),
      links / Median(cpu) / 1e6, Median(sys), load[0]);
  std::fflush(stdout);
  state.counters["links_per_s"] = links / median_ms * 1e3;
  state.counters["bytes_per_link"] = static_cast<double>(bytes) / links;
  state.counters["threads"] = tbb::this_task_arena::max_concurrency();
  state.counters["median_ms"] = median_ms;
  state.counters["best_ms"] = best_ms;
  state.counters["median_cpu_s"] = Median(cpu);
  state.counters["median_sys_s"] = Median(sys);
}

// CSR build from an EdgeList the caller keeps (the copying Graph::Build overload).
void BM_CsrBuild(benchmark::State& state) {
  const EdgeList& e = Edges();
  std::size_t bytes = 0;
  std::vector<BuildCost> runs;
  for (auto _ : state) {
    Graph g;
    runs.push_back(Measure([&] { g = Graph::Build(e); }));
    bytes = g.MemoryBytes();
    benchmark::DoNotOptimize(g);
  }  // the graph is freed outside the timed part
  ReportBuilds(state, "CSR (copying)", runs, bytes, static_cast<double>(e.src.size()),
               static_cast<double>(e.num_nodes));
}
BENCHMARK(BM_CsrBuild)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();

// CSR build from an EdgeList handed over (Graph::Build(EdgeList&&)), as a case snapshot is
// built (api::Session): the input arrays move into the graph. The copy of the input each
// build needs here is made outside the timed part, as the store scan fills it in a session.
void BM_CsrBuildMoved(benchmark::State& state) {
  const EdgeList& e = Edges();
  std::size_t bytes = 0;
  std::vector<BuildCost> runs;
  for (auto _ : state) {
    EdgeList input = e;
    Graph g;
    runs.push_back(Measure([&] { g = Graph::Build(std::move(input)); }));
    bytes = g.MemoryBytes();
    benchmark::DoNotOptimize(g);
  }
  ReportBuilds(state, "CSR (moved)", runs, bytes, static_cast<double>(e.src.size()),
               static_cast<double>(e.num_nodes));
}
BENCHMARK(BM_CsrBuildMoved)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();

void BM_ShortestPath(benchmark::State& state) {
  const Graph& g = TheGraph();
  const int q = NumQueries();
  auto a = RandomNodes(q, 1), b = RandomNodes(q, 2);
  std::vector<double> ms;
  std::size_t found = 0, hops = 0;
  for (auto _ : state) {
    ms.clear();
    for (int i = 0; i < q; ++i) {
      ms.push_back(TimeMs([&] {
        auto p = casegraph::analysis::ShortestPath(g, a[i], b[i]);
        if (p) {
          ++found;
          hops += p->links.size();
        }
      }));
    }
  }
  Report(state, "ShortestPath", Summarise(ms));
  state.counters["found"] = static_cast<double>(found) / static_cast<double>(state.iterations());
  state.counters["mean_hops"] = found ? static_cast<double>(hops) / static_cast<double>(found) : 0;
}
BENCHMARK(BM_ShortestPath)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

void BM_Expand2(benchmark::State& state) {
  const Graph& g = TheGraph();
  const int q = NumQueries();
  auto seeds = RandomNodes(q, 3);
  std::vector<double> ms;
  std::vector<double> sizes;
  for (auto _ : state) {
    ms.clear();
    sizes.clear();
    for (int i = 0; i < q; ++i) {
      std::size_t nodes = 0;
      ms.push_back(TimeMs([&] {
        auto r = casegraph::analysis::Expand(g, std::span<const NodeId>(&seeds[i], 1), 2);
        nodes = r.nodes.size();
      }));
      sizes.push_back(static_cast<double>(nodes));
    }
  }
  Report(state, "Expand depth 2", Summarise(ms));
  Latency s = Summarise(sizes);
  state.counters["median_nodes"] = s.median_ms;
  state.counters["p99_nodes"] = s.p99_ms;
}
BENCHMARK(BM_Expand2)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

// Full BFS (undirected view) over graph::Traversal from one random source: the traversal
// infrastructure every kernel uses, compared with igraph_bfs_simple below.
void BM_FullBfs(benchmark::State& state) {
  const Graph& g = TheGraph();
  casegraph::graph::Traversal trav(g, {});
  auto sources = RandomNodes(5, 4);
  std::vector<std::int32_t> dist(g.num_nodes());
  std::vector<NodeId> queue;
  queue.reserve(g.num_nodes());
  std::size_t k = 0, reached = 0;
  for (auto _ : state) {
    std::fill(dist.begin(), dist.end(), -1);
    queue.clear();
    const NodeId s = sources[k++ % sources.size()];
    dist[s] = 0;
    queue.push_back(s);
    for (std::size_t h = 0; h < queue.size(); ++h) {
      const NodeId u = queue[h];
      trav.ForEachNeighbor(u, [&](NodeId v, LinkIdx) {
        if (dist[v] < 0) {
          dist[v] = dist[u] + 1;
          queue.push_back(v);
        }
      });
    }
    reached = queue.size();
  }
  state.counters["reached"] = static_cast<double>(reached);
}
BENCHMARK(BM_FullBfs)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();

// The same full BFS with the direction-optimising kernel (analysis/traversal.h, Beamer et
// al. 2012), on 2 threads; process CPU time per BFS is reported beside the wall time.
void BM_DirectionOptimisingBfs(benchmark::State& state) {
  const Graph& g = TheGraph();
  auto sources = RandomNodes(5, 4);
  std::size_t k = 0;
  std::int64_t reached = 0;
  double cpu = 0;
  for (auto _ : state) {
    const double c0 = ProcessCpuSeconds();
    const auto r = casegraph::analysis::BreadthFirstSearch(g, sources[k++ % sources.size()]);
    cpu += ProcessCpuSeconds() - c0;
    reached = r.reached;
  }
  state.counters["reached"] = static_cast<double>(reached);
  state.counters["cpu_ms"] = 1e3 * cpu / static_cast<double>(state.iterations());
}
BENCHMARK(BM_DirectionOptimisingBfs)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();

#ifdef CASEGRAPH_HAVE_IGRAPH
const igraph_t& IGraph() {
  static igraph_t* ig = [] {
    const EdgeList& e = Edges();
    igraph_vector_int_t v;
    igraph_vector_int_init(&v, static_cast<igraph_integer_t>(2 * e.src.size()));
    for (std::size_t i = 0; i < e.src.size(); ++i) {
      VECTOR(v)[2 * i] = e.src[i];
      VECTOR(v)[2 * i + 1] = e.dst[i];
    }
    auto* g = new igraph_t;
    igraph_create(g, &v, e.num_nodes, IGRAPH_DIRECTED);
    igraph_vector_int_destroy(&v);
    return g;
  }();
  return *ig;
}

void BM_IgraphShortestPath(benchmark::State& state) {
  const igraph_t& ig = IGraph();
  const int q = std::min(NumQueries(), NumIgraphQueries());
  auto a = RandomNodes(q, 1), b = RandomNodes(q, 2);  // the first q of our queries
  std::vector<double> ms;
  std::size_t found = 0;
  for (auto _ : state) {
    ms.clear();
    for (int i = 0; i < q; ++i) {
      igraph_vector_int_t vertices;
      igraph_vector_int_init(&vertices, 0);
      ms.push_back(TimeMs(
          [&] { igraph_get_shortest_path(&ig, &vertices, nullptr, a[i], b[i], IGRAPH_ALL); }));
      if (igraph_vector_int_size(&vertices) > 0) ++found;
      igraph_vector_int_destroy(&vertices);
    }
  }
  Report(state, "igraph get_shortest_path", Summarise(ms));
  state.counters["found"] = static_cast<double>(found);
}
BENCHMARK(BM_IgraphShortestPath)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

void BM_IgraphFullBfs(benchmark::State& state) {
  const igraph_t& ig = IGraph();
  auto sources = RandomNodes(5, 4);
  std::size_t k = 0;
  igraph_vector_int_t order;
  igraph_vector_int_init(&order, 0);
  double cpu = 0;
  for (auto _ : state) {
    const double c0 = ProcessCpuSeconds();
    igraph_bfs_simple(&ig, sources[k++ % sources.size()], IGRAPH_ALL, &order, nullptr, nullptr);
    cpu += ProcessCpuSeconds() - c0;
  }
  state.counters["reached"] = static_cast<double>(igraph_vector_int_size(&order));
  state.counters["cpu_ms"] = 1e3 * cpu / static_cast<double>(state.iterations());
  igraph_vector_int_destroy(&order);
}
BENCHMARK(BM_IgraphFullBfs)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();
#endif

}  // namespace

BENCHMARK_MAIN();
