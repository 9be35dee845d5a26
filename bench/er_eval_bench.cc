// Entity-resolution evaluation harness: runs the one general default configuration over
// the public reference sets in ../shared/data/er (FEBRL 4a+4b link, FEBRL 3 dedupe, Splink
// fake_1000 dedupe, DBLP-ACM link, Abt-Buy link, name_bench pairs) and prints precision,
// recall and F1 per set, plus a synthetic scale run (generated persons with planted
// duplicates: typos, swapped parts, transliterations) reporting pairs compared per second.
// With --gen-dir DIR (a folder written by `casegraph generate`, or gen::Generate) it also
// dedupes the project generator's persons.csv + kyc_persons.csv and scores the planted
// duplicates of ground_truth.json (typos, swapped parts, initials, transliterations).
// Usage: er_eval_bench [--er-dir DIR] [--gen-dir DIR] [--scale N] [--markdown]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "resolve/eval.h"
#include "resolve/resolver.h"

using namespace casegraph;
using namespace casegraph::resolve;

namespace {

// Synthetic persons with planted duplicates, for the scale run.
struct Synthetic {
  std::vector<model::Entity> records;
  std::vector<std::string> truth;  // cluster label per record
};

Synthetic Generate(size_t n, uint64_t seed) {
  static const char* kFirst[] = {"olaf",   "angela",   "vladimir", "sergey", "maria",  "john",
                                 "fatima", "mohammed", "li",       "anna",   "peter",  "elena",
                                 "ivan",   "sofia",    "david",    "yusuf",  "karin",  "thomas",
                                 "julia",  "ahmed",    "nikolai",  "olga",   "pierre", "laura"};
  static const char* kSyll[] = {"ka",  "ro",  "mi",  "sha", "len", "dor", "vik", "an",
                                "bel", "tor", "us",  "ne",  "ri",  "go",  "sta", "lin",
                                "mar", "kov", "ber", "za",  "pe",  "ho",  "ste", "ul"};
  std::mt19937_64 rng(seed);
  auto pick = [&](size_t k) { return static_cast<size_t>(rng() % k); };
  auto surname = [&]() {
    std::string s;
    int parts = 3 + static_cast<int>(pick(2));
    for (int i = 0; i < parts; ++i) s += kSyll[pick(24)];
    return s;
  };
  auto typo = [&](std::string s) {
    if (s.size() < 3) return s;
    size_t i = 1 + pick(s.size() - 1);
    switch (pick(3)) {
      case 0:
        s[i] = static_cast<char>('a' + pick(26));
        break;
      case 1:
        s.erase(i, 1);
        break;
      default:
        std::swap(s[i - 1], s[i]);
        break;
    }
    return s;
  };
  Synthetic out;
  size_t id = 0, person = 0;
  while (out.records.size() < n) {
    std::string first = std::string(kFirst[pick(24)]) + kSyll[pick(24)], last = surname();
    char dob[16];
    snprintf(dob, sizeof dob, "%04d-%02d-%02d", 1940 + static_cast<int>(pick(60)),
             1 + static_cast<int>(pick(12)), 1 + static_cast<int>(pick(28)));
    size_t copies = pick(10) < 3 ? 2 : 1;  // ~30% of persons have a planted duplicate
    for (size_t c = 0; c < copies && out.records.size() < n; ++c) {
      model::Entity e;
      e.id = std::to_string(id++);
      e.schema = "Person";
      std::string f = first, l = last;
      if (c > 0) {
        switch (pick(3)) {
          case 0:
            l = typo(l);
            break;
          case 1:
            f = typo(f);
            break;
          default:
            break;
        }
      }
      bool swapped = c > 0 && pick(3) == 0;
      e.Add("name", swapped ? l + ", " + f : f + " " + l);
      e.Add("birthDate", dob);
      out.records.push_back(std::move(e));
      out.truth.push_back(std::to_string(person));
    }
    ++person;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string er_dir = std::string(CASEGRAPH_SHARED_DIR) + "/data/er";
  size_t scale = 100000;
  bool markdown = false;
  std::string gen_dir;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--er-dir") && i + 1 < argc)
      er_dir = argv[++i];
    else if (!std::strcmp(argv[i], "--scale") && i + 1 < argc)
      scale = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--gen-dir") && i + 1 < argc)
      gen_dir = argv[++i];
    else if (!std::strcmp(argv[i], "--markdown"))
      markdown = true;
  }
  std::vector<EvalResult> results;
  if (!std::filesystem::exists(er_dir)) {
    std::printf("reference data not found at %s: skipping the accuracy sets\n", er_dir.c_str());
  } else {
    for (auto fn : {EvalNameBench(er_dir), EvalFebrl4(er_dir), EvalFebrl3(er_dir),
                    EvalFake1000(er_dir), EvalDblpAcm(er_dir), EvalAbtBuy(er_dir)}) {
      if (!fn.ok()) {
        std::printf("error: %s\n", fn.status().ToString().c_str());
        continue;
      }
      std::printf("%s\n", fn->ToString().c_str());
      results.push_back(*fn);
    }
  }
  if (!gen_dir.empty()) {
    ResolveStats st;
    auto g = EvalGenerated(gen_dir, {}, &st);
    if (!g.ok()) {
      std::printf("error: %s\n", g.status().ToString().c_str());
    } else {
      std::printf("%s\n", g->ToString().c_str());
      std::printf("generator: blocking %.2fs, scoring %.2fs (%.0f pairs/s), clustering %.2fs\n",
                  st.seconds_blocking, st.seconds_scoring,
                  st.candidate_pairs / std::max(1e-9, st.seconds_scoring), st.seconds_clustering);
      results.push_back(*g);
    }
  }
  if (scale > 0) {
    Synthetic s = Generate(scale, 7);
    auto t0 = std::chrono::steady_clock::now();
    auto d = Dedupe(s.records);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!d.ok()) {
      std::printf("error: %s\n", d.status().ToString().c_str());
      return 1;
    }
    // Pairwise metrics against the planted truth.
    EvalResult r{"synthetic", "dedupe"};
    std::unordered_map<std::string, size_t> sizes;
    for (const auto& t : s.truth) ++sizes[t];
    for (const auto& [t, n] : sizes) r.true_pairs += n * (n - 1) / 2;
    for (const auto& c : d->clusters) {
      r.predicted_pairs += c.size() * (c.size() - 1) / 2;
      std::unordered_map<std::string, size_t> by;
      for (uint32_t i : c) ++by[s.truth[i]];
      for (const auto& [t, n] : by) r.correct_pairs += n * (n - 1) / 2;
    }
    r.records = s.records.size();
    r.candidate_pairs = d->stats.candidate_pairs;
    r.precision = r.predicted_pairs ? double(r.correct_pairs) / r.predicted_pairs : 0;
    r.recall = r.true_pairs ? double(r.correct_pairs) / r.true_pairs : 0;
    r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0;
    r.seconds = secs;
    std::printf("%s\n", r.ToString().c_str());
    std::printf("synthetic: blocking %.2fs, scoring %.2fs (%.0f pairs/s), clustering %.2fs\n",
                d->stats.seconds_blocking, d->stats.seconds_scoring,
                d->stats.candidate_pairs / std::max(1e-9, d->stats.seconds_scoring),
                d->stats.seconds_clustering);
    results.push_back(r);
  }
  if (markdown) {
    std::printf(
        "\n| data set | task | records | candidate pairs | precision | recall | F1 | seconds |\n");
    std::printf("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (const auto& r : results)
      std::printf("| %s | %s | %zu | %zu | %.4f | %.4f | %.4f | %.1f |\n", r.name.c_str(),
                  r.task.c_str(), r.records, r.candidate_pairs, r.precision, r.recall, r.f1,
                  r.seconds);
  }
  return 0;
}
