// End-to-end import benchmark (issue 2): generates a synthetic case with gen::Generate,
// imports it through the FtM mapping (CSV) into a fresh case, exports it as FtM JSON lines
// and imports those into another fresh case, then times LoadLinks (the snapshot load).
// Reports graph links per second of wall time and of process CPU time (the machine is
// shared, so CPU time is the steadier figure). Scale: CG_BENCH_LINKS (default 1,000,000).
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "gen/generator.h"
#include "ingest/importer.h"
#include "model/clearance.h"
#include "store/case_store.h"

namespace {

namespace fs = std::filesystem;
using casegraph::model::Clearances;
using casegraph::store::CaseStore;

std::int64_t NumLinks() {
  const char* env = std::getenv("CG_BENCH_LINKS");
  return env != nullptr ? std::atoll(env) : 1000000;
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

fs::path WorkDir() {
  static fs::path dir =
      fs::temp_directory_path() / ("cg_import_bench_" + std::to_string(::getpid()));
  return dir;
}

// The generated input, made once per process.
const std::string& InputDir() {
  static std::string dir = [] {
    casegraph::gen::GenerateOptions o;
    o.scale = NumLinks();
    o.seed = 1;
    o.out_dir = (WorkDir() / "input").string();
    if (!casegraph::gen::Generate(o).ok()) std::abort();
    return o.out_dir;
  }();
  return dir;
}

std::unique_ptr<CaseStore> FreshCase(const std::string& name) {
  std::string path = (WorkDir() / name).string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  auto store = CaseStore::Create(path);
  if (!store.ok()) std::abort();
  return std::move(store).value();
}

std::int64_t GraphLinks(CaseStore& store) {
  auto t = store.LoadLinks(Clearances::All(), std::nullopt);
  return t.ok() ? static_cast<std::int64_t>(t->src.size()) : 0;
}

void Report(benchmark::State& state, std::int64_t links, double cpu) {
  state.counters["graph_links"] = static_cast<double>(links);
  state.counters["cpu_s"] = cpu;
  state.counters["links_per_cpu_s"] = cpu > 0 ? static_cast<double>(links) / cpu : 0;
  state.counters["links_per_s"] =
      benchmark::Counter(static_cast<double>(links), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_ImportMapping(benchmark::State& state) {
  const std::string input = InputDir();
  std::int64_t links = 0;
  double cpu = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto store = FreshCase("mapping.cg");
    double cpu0 = CpuSeconds();
    state.ResumeTiming();
    casegraph::ingest::ImportOptions o;
    o.path = input + "/mapping.yml";
    if (!casegraph::ingest::ImportMappingFile(*store, o).ok()) std::abort();
    state.PauseTiming();
    cpu = CpuSeconds() - cpu0;
    links = GraphLinks(*store);
    state.ResumeTiming();
  }
  Report(state, links, cpu);
}
BENCHMARK(BM_ImportMapping)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ImportFtm(benchmark::State& state) {
  // Export the mapping import as FtM JSON lines once (untimed).
  std::string ftm = (WorkDir() / "entities.ftm.json").string();
  {
    auto store = FreshCase("source.cg");
    casegraph::ingest::ImportOptions o;
    o.path = InputDir() + "/mapping.yml";
    if (!casegraph::ingest::ImportMappingFile(*store, o).ok()) std::abort();
    std::ofstream out(ftm, std::ios::binary);
    auto st = store->ForEachEntity(Clearances::All(), [&](const casegraph::model::Entity& e) {
      out << "{\"id\":\"" << e.id << "\",\"schema\":\"" << e.schema << "\",\"properties\":{";
      // Simple writer: generated values need no escaping beyond quotes and backslashes.
      std::map<std::string, std::vector<std::string>> props;
      for (const auto& v : e.values) props[v.prop].push_back(v.value);
      bool first = true;
      for (const auto& [p, vals] : props) {
        out << (first ? "" : ",") << '"' << p << "\":[";
        first = false;
        for (std::size_t i = 0; i < vals.size(); ++i) {
          out << (i ? "," : "") << '"';
          for (char c : vals[i]) {
            if (c == '"' || c == '\\') out << '\\';
            out << c;
          }
          out << '"';
        }
        out << ']';
      }
      out << "}}\n";
    });
    if (!st.ok()) std::abort();
  }
  std::int64_t links = 0;
  double cpu = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto store = FreshCase("ftm.cg");
    double cpu0 = CpuSeconds();
    state.ResumeTiming();
    casegraph::ingest::ImportOptions o;
    o.path = ftm;
    if (!casegraph::ingest::ImportFtmFile(*store, o).ok()) std::abort();
    state.PauseTiming();
    cpu = CpuSeconds() - cpu0;
    links = GraphLinks(*store);
    state.ResumeTiming();
  }
  Report(state, links, cpu);
}
BENCHMARK(BM_ImportFtm)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SnapshotLoad(benchmark::State& state) {
  std::string path = (WorkDir() / "mapping.cg").string();
  if (!fs::exists(path)) {
    state.SkipWithError("run BM_ImportMapping first");
    return;
  }
  auto store = CaseStore::Open(path);
  if (!store.ok()) std::abort();
  std::int64_t links = 0;
  for (auto _ : state) {
    auto t = (*store)->LoadLinks(Clearances::All(), std::nullopt);
    links = static_cast<std::int64_t>(t->src.size());
    benchmark::DoNotOptimize(t->src.data());
  }
  state.counters["graph_links"] = static_cast<double>(links);
  state.counters["links_per_s"] =
      benchmark::Counter(static_cast<double>(links), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_SnapshotLoad)->Unit(benchmark::kMillisecond)->UseRealTime();

struct Cleanup {
  ~Cleanup() {
    std::error_code ec;
    fs::remove_all(WorkDir(), ec);
  }
} cleanup;

}  // namespace

BENCHMARK_MAIN();
