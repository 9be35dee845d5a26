// Runs OpenSanctions' name_bench (403 labelled name pairs, many across scripts) through the
// same evaluation the er_eval_bench harness uses (EvalNameBench) and asserts F1 >= 0.85
// (their matcher scores 0.813). Skips when the shared reference data is absent.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "resolve/eval.h"

namespace casegraph::resolve {
namespace {

TEST(NameBench, F1AboveTarget) {
  const std::filesystem::path er_dir = std::filesystem::path(CASEGRAPH_SHARED_DIR) / "data/er";
  if (!std::filesystem::exists(er_dir / "name_bench/name_bench_dev.csv"))
    GTEST_SKIP() << "name_bench data not found under " << er_dir << " (needs ../shared/data)";
  auto r = EvalNameBench(er_dir.string());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::printf("%s\n", r->ToString().c_str());
  EXPECT_EQ(r->records, 403u);
  EXPECT_GE(r->f1, 0.85);
}

}  // namespace
}  // namespace casegraph::resolve
