// AMLSim evaluation program: builds a payment graph from IBM AMLSim's 10K-account output
// (../shared/data/aml/amlsim_10k), runs the bounded cycle search and the fan-in detector,
// and prints recall and precision against the labelled alerts plus run times. Usage:
//   aml_eval_bench [data_dir]
#include <cstdio>
#include <string>

#include "analysis/aml_eval.h"

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
    std::printf("  cycles: recall %.1f%% (%lld/%lld alerts; %lld contain a cycle), precision "
                "%.1f%% (%lld/%lld cycles), %.2f ms\n",
                100 * s.CycleRecall(), (long long)s.cycle_found, (long long)s.cycle_alerts,
                (long long)s.cycle_alerts_with_cycle, 100 * s.CyclePrecision(),
                (long long)s.cycles_correct, (long long)s.cycles_reported, 1e3 * s.cycle_seconds);
    std::printf("  fan-in: recall %.1f%% (%lld/%lld alerts), precision %.1f%% (%lld/%lld hubs), "
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
  return 0;
}
