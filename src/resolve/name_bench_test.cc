// Runs OpenSanctions' name_bench (403 labelled name pairs, many across scripts) through
// the name comparator and asserts F1 >= 0.85 (their matcher scores 0.813). Skips when the
// shared reference data is absent. Set CG_VERBOSE=1 to list the misclassified pairs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "resolve/eval.h"
#include "resolve/name_match.h"
#include "resolve/resolver.h"

namespace casegraph::resolve {
namespace {

TEST(NameBench, F1AboveTarget) {
  std::filesystem::path path =
      std::filesystem::path(CASEGRAPH_SHARED_DIR) / "data/er/name_bench/name_bench_dev.csv";
  if (!std::filesystem::exists(path))
    GTEST_SKIP() << "name_bench data not found at " << path << " (needs ../shared/data)";
  std::ifstream in(path);
  std::string line, record;
  std::getline(in, line);  // header
  bool verbose = std::getenv("CG_VERBOSE") != nullptr;
  int tp = 0, fp = 0, fn = 0, tn = 0;
  // Records may span lines inside quotes.
  while (std::getline(in, line)) {
    record += line;
    if (std::count(record.begin(), record.end(), '"') % 2 == 1) {
      record += "\n";
      continue;
    }
    auto f = ParseCsvRecord(record);
    record.clear();
    if (f.size() < 5) continue;
    model::Entity a, b;
    a.id = "a";
    b.id = "b";
    a.schema = b.schema = f[1];
    a.Add("name", f[2]);
    b.Add("name", f[3]);
    MatchResult r = Compare(a, b);
    bool truth = f[4] == "true";
    if (r.match && truth) ++tp;
    if (r.match && !truth) ++fp;
    if (!r.match && truth) ++fn;
    if (!r.match && !truth) ++tn;
    if (std::getenv("CG_DUMP"))
      std::printf("DUMP %d %.4f %s | %s | %s [%s]\n", truth ? 1 : 0,
                  r.explanation.empty() ? 0.0 : r.explanation[0].similarity, f[1].c_str(),
                  f[2].c_str(), f[3].c_str(),
                  r.explanation.empty() ? "" : r.explanation[0].detail.c_str());
    if (verbose && r.match != truth)
      std::printf("%s %.3f %s | %s | %s  [%s]\n", truth ? "FN" : "FP", r.probability, f[1].c_str(),
                  f[2].c_str(), f[3].c_str(),
                  r.explanation.empty() ? "" : r.explanation[0].detail.c_str());
    if (verbose && r.match != truth && !r.explanation.empty())
      std::printf("    sim %.3f\n", r.explanation[0].similarity);
  }
  double precision = tp + fp ? double(tp) / (tp + fp) : 0;
  double recall = tp + fn ? double(tp) / (tp + fn) : 0;
  double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
  std::printf("name_bench: tp=%d fp=%d fn=%d tn=%d precision=%.3f recall=%.3f F1=%.3f\n", tp, fp,
              fn, tn, precision, recall, f1);
  EXPECT_EQ(tp + fp + fn + tn, 403);
  EXPECT_GE(f1, 0.85);
}

}  // namespace
}  // namespace casegraph::resolve
