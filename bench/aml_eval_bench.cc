// AMLSim evaluation program: builds a payment graph from IBM AMLSim's 10K-account output
// (../shared/data/aml/amlsim_10k), runs the bounded cycle search and the fan-in detector,
// and prints recall and precision against the labelled alerts plus run times. Usage:
//   aml_eval_bench [data_dir]
// It then times every money/time kernel on a random 100 k-node, 1 M-link graph.
#include <chrono>
#include <cstdio>
#include <string>

#include "analysis/aml_eval.h"
#include "analysis/flows.h"
#include "analysis/ownership.h"
#include "analysis/temporal.h"
#include "analysis/test_graphs.h"

namespace {

// Times each money/time kernel once on a G(n, m) graph with a year of random times and
// amounts (not part of the AMLSim scoring; gives the cost at case scale).
void ScaleRun(std::int64_t n, std::int64_t m) {
  using namespace casegraph;
  using namespace casegraph::analysis;
  testing::RandomGraphOptions ro;
  ro.num_nodes = n;
  ro.num_links = m;
  ro.seed = 42;
  ro.with_times = true;
  ro.time_max = 365 * 86400;
  ro.with_weights = true;
  ro.weight_min = 1;
  ro.weight_max = 10000;
  graph::Graph g = graph::Graph::Build(testing::RandomGraph(ro));
  auto time = [](const char* name, auto&& fn) {
    auto t0 = std::chrono::steady_clock::now();
    std::string what = fn();
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("  %-48s %9.1f ms  %s\n", name, ms, what.c_str());
  };
  std::printf("scale: G(n=%lld, m=%lld), times over one year, amounts 1..10000\n", (long long)n,
              (long long)m);
  time("cycles <= 4 links within 7 days", [&] {
    CycleOptions o;
    o.max_length = 4;
    o.window_seconds = 7 * 86400;
    return std::to_string(FindCycles(g, o).cycles.size()) + " cycles";
  });
  time("cycles <= 4 links, time-ordered, within 7 days", [&] {
    CycleOptions o;
    o.max_length = 4;
    o.window_seconds = 7 * 86400;
    o.time_ordered = true;
    return std::to_string(FindCycles(g, o).cycles.size()) + " cycles";
  });
  time("fan-in >= 3 payers within 7 days", [&] {
    FanOptions o;
    o.window_seconds = 7 * 86400;
    return std::to_string(FindFanHubs(g, o).size()) + " hubs";
  });
  time("flow forward FIFO from node 1", [&] {
    FlowOptions o;
    auto r = TraceFlow(g, 1, o);
    return std::to_string(r.paths.size()) + " paths, conservation error " +
           std::to_string(ConservationError(r));
  });
  time("flow forward proportional from node 1", [&] {
    FlowOptions o;
    o.rule = AllocationRule::kProportional;
    o.max_paths = 100;
    o.min_path_amount = 1;
    auto r = TraceFlow(g, 1, o);
    return std::to_string(r.paths.size()) + " paths, conservation error " +
           std::to_string(ConservationError(r));
  });
  time("flow backward FIFO to node 1", [&] {
    FlowOptions o;
    o.direction = FlowDirection::kBackward;
    auto r = TraceFlow(g, 1, o);
    return std::to_string(r.paths.size()) + " paths";
  });
  time("time-respecting reachability from node 1",
       [&] { return std::to_string(TemporalReachability(g, 1, {}).num_reached) + " reached"; });
  time("time-respecting reachability, max lag 1 day", [&] {
    TemporalOptions o;
    o.max_lag = 86400;
    return std::to_string(TemporalReachability(g, 1, o).num_reached) + " reached";
  });
  time("activity per week, 1000 nodes", [&] {
    std::vector<graph::NodeId> nodes(1000);
    for (std::size_t i = 0; i < nodes.size(); ++i) nodes[i] = static_cast<graph::NodeId>(i);
    ActivityOptions o;
    o.bucket = ActivityBucket::kWeek;
    return std::to_string(Activity(g, nodes, o).bucket_start.size()) + " weeks";
  });
}

}  // namespace

int main(int argc, char** argv) {
  using namespace casegraph::analysis;
  const std::string dir =
      argc > 1 ? argv[1] : std::string(CASEGRAPH_SHARED_DIR) + "/data/aml/amlsim_10k";
  aml::Dataset d;
  if (!aml::Load(dir, d)) {
    std::fprintf(stderr, "AMLSim data not found in %s (accounts.csv, alerts.csv)\n", dir.c_str());
    return 2;
  }
  std::printf("graph: %lld accounts, %lld transactions, %zu alerts\n",
              static_cast<long long>(d.graph.num_nodes()),
              static_cast<long long>(d.graph.num_links()), d.alerts.size());
  auto report = [](const char* name, const aml::Scores& s) {
    std::printf("%s\n", name);
    std::printf(
        "  cycles: recall %.1f%% (%lld/%lld alerts; %lld contain a cycle), precision "
        "%.1f%% (%lld/%lld cycles), %.2f ms\n",
        100 * s.CycleRecall(), (long long)s.cycle_found, (long long)s.cycle_alerts,
        (long long)s.cycle_alerts_with_cycle, 100 * s.CyclePrecision(), (long long)s.cycles_correct,
        (long long)s.cycles_reported, 1e3 * s.cycle_seconds);
    std::printf(
        "  fan-in: recall %.1f%% (%lld/%lld alerts), precision %.1f%% (%lld/%lld hubs), "
        "%.2f ms\n",
        100 * s.FanRecall(), (long long)s.fan_found, (long long)s.fan_alerts,
        100 * s.FanPrecision(), (long long)s.hubs_correct, (long long)s.hubs_reported,
        1e3 * s.fan_seconds);
  };
  report("default (cycles <= 6 links within 30 days; fan-in >= 3 payers within 10 days):",
         aml::Evaluate(d, aml::DefaultCycleOptions(), aml::DefaultFanInOptions()));
  auto co = aml::DefaultCycleOptions();
  co.time_ordered = true;
  auto fo = aml::DefaultFanInOptions();
  fo.min_counterparties = 2;
  report("variant (time-ordered cycles; fan-in >= 2 payers):", aml::Evaluate(d, co, fo));
  co = aml::DefaultCycleOptions();
  co.window_seconds = 0;
  fo = aml::DefaultFanInOptions();
  fo.window_seconds = 0;
  report("variant (no time windows):", aml::Evaluate(d, co, fo));
  ScaleRun(100000, 1000000);
  return 0;
}
