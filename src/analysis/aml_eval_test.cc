// AMLSim evaluation as a test: the cycle search must find >= 95% of the labelled cycle
// alerts and the fan-in detector >= 90% of the fan-in alerts (issue 3). Skips when the
// reference data (../shared/data/aml/amlsim_10k) is absent.
#include <gtest/gtest.h>

#include <filesystem>

#include "analysis/aml_eval.h"

namespace casegraph::analysis {
namespace {

TEST(AmlSim, CycleAndFanInRecall) {
  const std::string dir = std::string(CASEGRAPH_SHARED_DIR) + "/data/aml/amlsim_10k";
  if (!std::filesystem::exists(dir + "/alerts.csv")) {
    GTEST_SKIP() << "AMLSim reference data not found at " << dir;
  }
  aml::Dataset d;
  ASSERT_TRUE(aml::Load(dir, d));
  EXPECT_EQ(d.graph.num_links(), 1719);
  EXPECT_EQ(d.alerts.size(), 391u);
  aml::Scores s = aml::Evaluate(d, aml::DefaultCycleOptions(), aml::DefaultFanInOptions());
  EXPECT_EQ(s.cycle_alerts, 192);
  EXPECT_EQ(s.fan_alerts, 199);
  EXPECT_EQ(s.cycle_alerts_with_cycle, 183);  // as SOURCE.txt states
  EXPECT_GE(s.CycleRecall(), 0.95) << s.cycle_found << " of " << s.cycle_alerts;
  EXPECT_GE(s.FanRecall(), 0.90) << s.fan_found << " of " << s.fan_alerts;
  EXPECT_GE(s.CyclePrecision(), 0.9);
  EXPECT_GE(s.FanPrecision(), 0.9);
  // Every alert that has a cycle among its transactions is found.
  EXPECT_EQ(s.cycle_found, s.cycle_alerts_with_cycle);
}

}  // namespace
}  // namespace casegraph::analysis
