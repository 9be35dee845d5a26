// Tests for Louvain and Leiden: modularity on the karate club and Les Misérables at least
// igraph's (values measured with igraph 0.10.2's C library, see below), recovery of a
// planted partition (NMI >= 0.9, modularity >= the planted partition's own), agreement of
// the reported modularity with an independent recomputation, determinism per seed,
// resolution behaviour, and Leiden's guarantee that communities are connected.
#include "analysis/communities.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <queue>
#include <set>

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "analysis/sna_test_util.h"
#include "analysis/structure.h"
#include "analysis/test_graphs.h"

namespace casegraph::analysis {
namespace {

// Planted partition (Condon & Karp 2001): `groups` groups of `size` nodes; each node gets
// about `k_in` links inside its group and `k_out` outside. Returns links + true labels.
std::pair<graph::EdgeList, std::vector<std::uint32_t>> PlantedPartition(int groups, int size,
                                                                        double k_in, double k_out,
                                                                        std::uint64_t seed) {
  testing::SplitMix64 rng(seed);
  const std::int64_t n = static_cast<std::int64_t>(groups) * size;
  graph::EdgeList e;
  e.num_nodes = n;
  std::vector<std::uint32_t> truth(n);
  for (std::int64_t v = 0; v < n; ++v) truth[v] = static_cast<std::uint32_t>(v / size);
  const auto m_in = static_cast<std::int64_t>(n * k_in / 2);
  const auto m_out = static_cast<std::int64_t>(n * k_out / 2);
  for (std::int64_t i = 0; i < m_in; ++i) {
    const std::uint64_t g = rng.Below(groups);
    const auto a = static_cast<graph::NodeId>(g * size + rng.Below(size));
    const auto b = static_cast<graph::NodeId>(g * size + rng.Below(size));
    if (a == b) continue;
    e.src.push_back(a);
    e.dst.push_back(b);
  }
  for (std::int64_t i = 0; i < m_out; ++i) {
    const auto a = static_cast<graph::NodeId>(rng.Below(n));
    const auto b = static_cast<graph::NodeId>(rng.Below(n));
    if (truth[a] == truth[b]) continue;
    e.src.push_back(a);
    e.dst.push_back(b);
  }
  e.directed.assign(e.src.size(), 0);
  return {std::move(e), truth};
}

// Independent modularity: sum over edges, straight from the definition.
double ModularityByDefinition(const SimpleView& view, const std::vector<std::uint32_t>& c) {
  double m2 = 0;
  std::map<std::uint32_t, double> tot;
  double inside = 0;
  for (std::int64_t v = 0; v < view.num_nodes(); ++v) {
    for (NodeId u : view.Out(static_cast<NodeId>(v))) {
      m2 += 1;
      tot[c[v]] += 1;
      if (c[u] == c[v]) inside += 1;
    }
  }
  double q = inside / m2;
  for (const auto& [k, t] : tot) q -= (t / m2) * (t / m2);
  return q;
}

// Every community induces a connected subgraph.
bool CommunitiesConnected(const SimpleView& view, const std::vector<std::uint32_t>& c) {
  std::set<std::uint32_t> seen_comm;
  std::vector<char> seen(view.num_nodes(), 0);
  for (std::int64_t s = 0; s < view.num_nodes(); ++s) {
    if (seen[s] || c[s] == 0xFFFFFFFFu) continue;
    if (!seen_comm.insert(c[s]).second) return false;  // second piece of a community
    std::queue<NodeId> q;
    q.push(static_cast<NodeId>(s));
    seen[s] = 1;
    while (!q.empty()) {
      const NodeId v = q.front();
      q.pop();
      for (NodeId u : view.Out(v)) {
        if (!seen[u] && c[u] == c[v]) {
          seen[u] = 1;
          q.push(u);
        }
      }
    }
  }
  return true;
}

std::optional<testing::NamedGraph> Load(const std::string& key, const std::string& attr = "") {
  for (const auto& rg : testing::ReferenceGraphs()) {
    if (rg.key == key) return testing::LoadReferenceGraph(rg, attr);
  }
  return std::nullopt;
}

// igraph 0.10.2 C library (Debian libigraph-dev), unweighted simplified graphs, resolution 1,
// RNG seeds 1..100 (igraph_rng_seed), measured on this machine with a small C driver:
//   igraph_community_multilevel: karate mean 0.4148553583, lesmis mean 0.5559175243
//   igraph_community_leiden (modularity, beta 0.01, iterate to convergence):
//     karate mean 0.4183768902, lesmis mean 0.5569736189
//   best over the seeds, both methods: karate 0.4197896121, lesmis 0.5600083700
// Single runs depend on the seed for both libraries (igraph's multilevel gives 0.3981 on
// karate with seed 2), so we compare means over the same number of seeds, and the best.
struct IgraphValues {
  const char* key;
  double multilevel_mean, leiden_mean, best;
};
constexpr IgraphValues kIgraph[] = {
    {"karate_igraphdata", 0.4148553583, 0.4183768902, 0.4197896121},
    {"lesmis_networkdata", 0.5559175243, 0.5569736189, 0.5600083700}};

TEST(CommunitiesReference, ModularityAtLeastIgraphs) {
  for (const auto& ref : kIgraph) {
    auto ng = Load(ref.key);
    if (!ng) GTEST_SKIP() << ref.key << " fixture missing (tests/fixtures/graphs)";
    SCOPED_TRACE(ref.key);
    const graph::Graph g = graph::Graph::Build(ng->edges);
    const SimpleView view = SimpleView::Build(g);
    double lv_sum = 0, ld_sum = 0, lv_best = -1, ld_best = -1;
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
      CommunityOptions o;
      o.seed = seed;
      const CommunityResult lv = Louvain(view, o);
      const CommunityResult ld = Leiden(view, o);
      lv_sum += lv.modularity;
      ld_sum += ld.modularity;
      lv_best = std::max(lv_best, lv.modularity);
      ld_best = std::max(ld_best, ld.modularity);
      ASSERT_NEAR(lv.modularity, ModularityByDefinition(view, lv.membership), 1e-12);
      ASSERT_NEAR(ld.modularity, ModularityByDefinition(view, ld.membership), 1e-12);
      ASSERT_NEAR(Modularity(view, ld.membership), ld.modularity, 1e-12);
      ASSERT_TRUE(CommunitiesConnected(view, ld.membership));
    }
    std::cout << ref.key << ": louvain mean Q=" << lv_sum / 100 << " best " << lv_best
              << "; leiden mean Q=" << ld_sum / 100 << " best " << ld_best << "\n";
    EXPECT_GE(lv_sum / 100, ref.multilevel_mean);
    EXPECT_GE(ld_sum / 100, ref.leiden_mean);
    EXPECT_GE(lv_best, ref.best - 1e-9);
    EXPECT_GE(ld_best, ref.best - 1e-9);
  }
}

TEST(CommunitiesReference, KarateFactionsRecoveredAtCoarseResolution) {
  auto ng = Load("karate_igraphdata", "Faction");
  if (!ng) GTEST_SKIP() << "karate fixture missing (tests/fixtures/graphs)";
  const graph::Graph g = graph::Graph::Build(ng->edges);
  const SimpleView view = SimpleView::Build(g);
  std::vector<std::uint32_t> truth;
  for (const auto& f : ng->node_attr) truth.push_back(static_cast<std::uint32_t>(std::stoul(f)));
  CommunityOptions coarse;
  coarse.resolution = 0.5;  // two communities, as the club split
  const CommunityResult r = Leiden(view, coarse);
  EXPECT_EQ(r.num_communities, 2u);
  // The observed split differs from the modularity optimum by at most node 8 (Actor 9).
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> table;
  for (std::size_t v = 0; v < truth.size(); ++v) ++table[{r.membership[v], truth[v]}];
  const int matched = std::max(table[{0, 1}] + table[{1, 2}], table[{0, 2}] + table[{1, 1}]);
  const int wrong = static_cast<int>(truth.size()) - matched;
  EXPECT_LE(wrong, 1);
}

TEST(CommunitiesVerify, PlantedPartitionRecovered) {
  auto [edges, truth] = PlantedPartition(20, 100, 12.0, 3.0, 42);
  const graph::Graph g = graph::Graph::Build(edges);
  const SimpleView view = SimpleView::Build(g);
  const double planted_q = Modularity(view, truth);
  for (int method = 0; method < 2; ++method) {
    CommunityOptions opt;
    opt.seed = 7;
    const CommunityResult r = method == 0 ? Louvain(view, opt) : Leiden(view, opt);
    SCOPED_TRACE(method == 0 ? "louvain" : "leiden");
    const double nmi = NormalizedMutualInformation(r.membership, truth);
    std::cout << (method == 0 ? "louvain" : "leiden") << " planted: Q=" << r.modularity
              << " planted Q=" << planted_q << " NMI=" << nmi << " k=" << r.num_communities << "\n";
    EXPECT_GE(nmi, 0.9);
    EXPECT_GE(r.modularity, planted_q - 1e-9);
    EXPECT_NEAR(r.modularity, ModularityByDefinition(view, r.membership), 1e-9);
  }
}

TEST(CommunitiesVerify, DeterministicPerSeedAndResolutionMonotone) {
  const graph::Graph g = graph::Graph::Build(testing::PowerLawGraph(3000, 15000, 3, false));
  const SimpleView view = SimpleView::Build(g);
  for (int method = 0; method < 2; ++method) {
    auto run = [&](std::uint64_t seed, double res) {
      CommunityOptions o;
      o.seed = seed;
      o.resolution = res;
      return method == 0 ? Louvain(view, o) : Leiden(view, o);
    };
    const CommunityResult a = run(5, 1.0), b = run(5, 1.0);
    EXPECT_EQ(a.membership, b.membership);
    EXPECT_EQ(a.modularity, b.modularity);
    EXPECT_GT(a.modularity, 0.2);
    EXPECT_LT(run(5, 0.2).num_communities, run(5, 3.0).num_communities);
    if (method == 1) EXPECT_TRUE(CommunitiesConnected(view, a.membership));
  }
}

// The parallel batch-synchronous local moving (forced on every level here): planted
// partition recovered, reported modularity exact, Leiden communities connected, the same
// result on 1 and 2 threads, and quality close to the serial queue's on a power-law graph.
TEST(CommunitiesVerify, ParallelLocalMovingQualityAndThreadIndependence) {
  auto [edges, truth] = PlantedPartition(40, 100, 12.0, 3.0, 11);
  const graph::Graph g = graph::Graph::Build(edges);
  const SimpleView view = SimpleView::Build(g);
  const double planted_q = Modularity(view, truth);
  const graph::Graph pl = graph::Graph::Build(testing::PowerLawGraph(20000, 150000, 3, false));
  const SimpleView pl_view = SimpleView::Build(pl);
  for (int method = 0; method < 2; ++method) {
    SCOPED_TRACE(method == 0 ? "louvain" : "leiden");
    CommunityOptions par;
    par.seed = 3;
    par.parallel_min_nodes = 0;
    auto run = [&](const SimpleView& v, const CommunityOptions& o) {
      return method == 0 ? Louvain(v, o) : Leiden(v, o);
    };
    const CommunityResult r = run(view, par);
    EXPECT_GE(NormalizedMutualInformation(r.membership, truth), 0.9);
    EXPECT_GE(r.modularity, planted_q - 1e-9);
    EXPECT_NEAR(r.modularity, ModularityByDefinition(view, r.membership), 1e-9);
    if (method == 1) EXPECT_TRUE(CommunitiesConnected(view, r.membership));

    CommunityResult one, two;
    {
      tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
      one = run(pl_view, par);
    }
    {
      tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
      two = run(pl_view, par);
    }
    EXPECT_EQ(one.membership, two.membership);
    EXPECT_EQ(one.modularity, two.modularity);
    if (method == 1) {
      EXPECT_TRUE(CommunitiesConnected(pl_view, one.membership));
    }
    CommunityOptions serial = par;
    serial.parallel_min_nodes = -1;
    const CommunityResult s = run(pl_view, serial);
    std::cout << (method == 0 ? "louvain" : "leiden") << " power-law: parallel Q=" << one.modularity
              << " serial Q=" << s.modularity << "\n";
    EXPECT_GE(one.modularity, s.modularity - 0.01);
  }
}

TEST(CommunitiesVerify, EdgeCases) {
  // Empty graph, isolated and hidden nodes, two disjoint triangles.
  graph::EdgeList empty;
  empty.num_nodes = 3;
  const SimpleView ev = SimpleView::Build(graph::Graph::Build(empty));
  EXPECT_EQ(Louvain(ev).num_communities, 3u);
  EXPECT_EQ(Leiden(ev).modularity, 0.0);
  graph::EdgeList e =
      testing::PairsToEdges(8, {{0, 1}, {1, 2}, {2, 0}, {3, 4}, {4, 5}, {5, 3}, {6, 0}}, true);
  e.visible_node = {1, 1, 1, 1, 1, 1, 0, 1};
  const SimpleView view = SimpleView::Build(graph::Graph::Build(e));
  for (const CommunityResult& r : {Louvain(view), Leiden(view)}) {
    EXPECT_EQ(r.membership, (std::vector<std::uint32_t>{0, 0, 0, 1, 1, 1, 0xFFFFFFFFu, 2}));
    EXPECT_NEAR(r.modularity, 0.5, 1e-12);
  }
  EXPECT_NEAR(NormalizedMutualInformation({0, 0, 1, 1}, {5, 5, 3, 3}), 1.0, 1e-12);
  EXPECT_NEAR(NormalizedMutualInformation({0, 0, 1, 1}, {0, 1, 0, 1}), 0.0, 1e-12);
}

}  // namespace
}  // namespace casegraph::analysis
