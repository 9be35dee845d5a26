// Micro-benchmark of the case store: entity + link import rate (one import transaction of
// parties and payments, like a transaction ledger) and the LoadLinks scan rate that feeds
// the CSR builder. Scale: CG_BENCH_LINKS links (default 1,000,000).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "model/clearance.h"
#include "store/case_store.h"

namespace {

using casegraph::model::Clearances;
using casegraph::model::Entity;
using casegraph::store::CaseStore;

std::int64_t NumLinks() {
  const char* env = std::getenv("CG_BENCH_LINKS");
  return env != nullptr ? std::atoll(env) : 1000000;
}

std::string CasePath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("cg_store_bench_" + name + "_" + std::to_string(::getpid()) + ".cg"))
      .string();
}

void RemoveCase(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

// Imports `links` payments between links/5 parties (persons and companies, each with a
// name). Returns the number of entities written.
std::int64_t ImportLedger(CaseStore& store, std::int64_t links) {
  std::int64_t parties = std::max<std::int64_t>(links / 5, 2);
  auto txn = store.BeginImport({"ftm", "bench", "ledger.csv", "h", ""});
  if (!txn.ok()) std::abort();
  Entity e;
  std::uint64_t x = 88172645463325252ull;  // xorshift: deterministic pseudo-random parties
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (std::int64_t i = 0; i < parties; ++i) {
    e.values.clear();
    e.id = "party-" + std::to_string(i);
    e.schema = i % 2 == 0 ? "Person" : "Company";
    e.Add("name", (i % 2 == 0 ? "Person " : "Company ") + std::to_string(i));
    e.Add("country", "cy");
    if (!(*txn)->Add(e).ok()) std::abort();
  }
  for (std::int64_t i = 0; i < links; ++i) {
    e.values.clear();
    e.id = "payment-" + std::to_string(i);
    e.schema = "Payment";
    e.Add("payer", "party-" + std::to_string(next() % parties));
    e.Add("beneficiary", "party-" + std::to_string(next() % parties));
    e.Add("amount", std::to_string(100 + i % 9000));
    e.Add("date", "2021-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10));
    if (!(*txn)->Add(e).ok()) std::abort();
  }
  if (!(*txn)->Commit({}).ok()) std::abort();
  return parties + links;
}

void BM_ImportLinks(benchmark::State& state) {
  std::int64_t links = NumLinks();
  for (auto _ : state) {
    state.PauseTiming();
    std::string path = CasePath("import");
    RemoveCase(path);
    {
      auto store = CaseStore::Create(path);
      state.ResumeTiming();
      std::int64_t entities = ImportLedger(**store, links);
      state.PauseTiming();
      state.counters["entities"] = static_cast<double>(entities);
    }
    RemoveCase(path);
    state.ResumeTiming();
  }
  state.counters["links"] = static_cast<double>(links);
  state.counters["links_per_s"] =
      benchmark::Counter(static_cast<double>(links), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ImportLinks)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LoadLinks(benchmark::State& state) {
  std::int64_t links = NumLinks();
  std::string path = CasePath("load");
  RemoveCase(path);
  {
    auto store = CaseStore::Create(path);
    ImportLedger(**store, links);
  }
  auto opened = CaseStore::Open(path);
  std::unique_ptr<CaseStore> store = std::move(opened).value();
  bool with_clearances = state.range(0) != 0;
  Clearances c = with_clearances ? Clearances({"x"}) : Clearances::All();
  std::size_t loaded = 0;
  for (auto _ : state) {
    auto table = store->LoadLinks(c, std::nullopt);
    loaded = table->src.size();
    benchmark::DoNotOptimize(table->src.data());
  }
  state.counters["links"] = static_cast<double>(loaded);
  state.counters["links_per_s"] = benchmark::Counter(static_cast<double>(loaded),
                                                     benchmark::Counter::kIsIterationInvariantRate);
  store.reset();
  RemoveCase(path);
}
BENCHMARK(BM_LoadLinks)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
