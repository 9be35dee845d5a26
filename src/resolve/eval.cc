// Evaluation harness support: see eval.h.
#include "resolve/eval.h"

#include <malloc.h>
#include <tbb/parallel_pipeline.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace casegraph::resolve {
namespace {

using Clock = std::chrono::steady_clock;
using PairSet = std::set<std::pair<std::string, std::string>>;

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::vector<std::vector<std::string>> ReadDelimited(const std::string& path, char sep,
                                                    bool csv_quotes = false) {
  std::ifstream in(path);
  if (!in) throw Error(StatusCode::kNotFound, "cannot read " + path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    rows.push_back(csv_quotes ? ParseCsvRecord(line) : SplitDelimited(line, sep));
  }
  return rows;
}

// Calls fn(fields) for every data row of a delimited file, one row at a time (the
// generator's files at 1 M records are not held whole).
template <typename Fn>
void ForEachRow(const std::string& path, char sep, bool csv_quotes, Fn fn) {
  std::ifstream in(path);
  if (!in) throw Error(StatusCode::kNotFound, "cannot read " + path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    fn(csv_quotes ? ParseCsvRecord(line) : SplitDelimited(line, sep));
  }
}

void Finish(EvalResult& r) {
  r.precision = r.predicted_pairs ? double(r.correct_pairs) / r.predicted_pairs : 0;
  r.recall = r.true_pairs ? double(r.correct_pairs) / r.true_pairs : 0;
  r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0;
}

// CG_ER_DIAG=N: prints cluster sizes, N false positives and N missed pairs (default 6)
// with their evidence.
void Diagnose(const std::vector<PreparedRecord>& prepared, const std::vector<std::string>& truth,
              const DedupeResult& d) {
  const char* diag = std::getenv("CG_ER_DIAG");
  if (!diag) return;
  {
    // CG_ER_DIAG=N shows N false positives and N missed pairs (default 6).
    const int limit = std::max(6, std::atoi(diag));
    int shown = 0;
    auto cs = std::make_shared<CorpusStats>();
    cs->AddAll(prepared);
    cs->Finish();
    Matcher matcher(d.params, cs);
    std::map<size_t, size_t> size_hist;
    for (const auto& c : d.clusters) ++size_hist[c.size()];
    for (const auto& [k, v] : size_hist) std::printf("cluster size %zu: %zu\n", k, v);
    for (const auto& c : d.clusters)
      for (size_t x = 0; x < c.size() && shown < limit; ++x)
        for (size_t y = x + 1; y < c.size() && shown < limit; ++y)
          if (truth[c[x]] != truth[c[y]]) {
            ++shown;
            std::printf("FP\n%s", matcher.Score(prepared[c[x]], prepared[c[y]]).ToText().c_str());
          }
    std::vector<uint32_t> cluster_of(prepared.size());
    for (uint32_t k = 0; k < d.clusters.size(); ++k)
      for (uint32_t i : d.clusters[k]) cluster_of[i] = k;
    std::unordered_map<std::string, std::vector<uint32_t>> by_truth;
    for (uint32_t i = 0; i < truth.size(); ++i) by_truth[truth[i]].push_back(i);
    shown = 0;
    for (const auto& [t, members] : by_truth)
      for (size_t x = 0; x < members.size() && shown < limit; ++x)
        for (size_t y = x + 1; y < members.size() && shown < limit; ++y)
          if (cluster_of[members[x]] != cluster_of[members[y]]) {
            ++shown;
            std::printf("FN\n%s",
                        matcher.Score(prepared[members[x]], prepared[members[y]]).ToText().c_str());
          }
  }
}

// The same for records not prepared yet.
void Diagnose(const std::vector<model::Entity>& records, const std::vector<std::string>& truth,
              const DedupeResult& d) {
  if (std::getenv("CG_ER_DIAG")) Diagnose(PrepareAll(records), truth, d);
}

// Pairwise evaluation of clusters against true cluster labels.
void ScoreClusters(const std::vector<std::vector<uint32_t>>& clusters,
                   const std::vector<std::string>& truth_label, EvalResult& r) {
  std::unordered_map<std::string_view, size_t> sizes;
  sizes.reserve(truth_label.size());
  for (const auto& l : truth_label) ++sizes[l];
  for (const auto& [l, n] : sizes) r.true_pairs += n * (n - 1) / 2;
  std::unordered_map<std::string_view, size_t> by_label;
  for (const auto& c : clusters) {
    r.predicted_pairs += c.size() * (c.size() - 1) / 2;
    if (c.size() < 2) continue;
    by_label.clear();
    for (uint32_t i : c) ++by_label[truth_label[i]];
    for (const auto& [l, n] : by_label) r.correct_pairs += n * (n - 1) / 2;
  }
  Finish(r);
}

model::Entity FebrlEntity(const std::vector<std::string>& f) {
  model::Entity e;
  e.id = f[0];
  e.schema = "Person";
  e.Add("firstName", f[1]);
  e.Add("lastName", f[2]);
  e.Add("address", Trim(f[3] + " " + f[4] + " " + f[5]));
  e.Add("city", f[6]);
  e.Add("postalCode", f[7]);
  e.Add("region", f[8]);
  e.Add("birthDate", f[9]);
  e.Add("idNumber", f[10]);
  return e;
}

std::string FebrlPerson(const std::string& rec_id) {
  // "rec-1070-org" / "rec-1070-dup-0" -> "1070"
  size_t a = rec_id.find('-'), b = rec_id.find('-', a + 1);
  return rec_id.substr(a + 1, b - a - 1);
}

}  // namespace

std::vector<std::string> SplitDelimited(const std::string& line, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = line.find(sep, start);
    out.push_back(
        Trim(line.substr(start, pos == std::string::npos ? std::string::npos : pos - start)));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return out;
}

std::vector<std::string> ParseCsvRecord(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

std::string EvalResult::ToString() const {
  char buf[512];
  snprintf(buf, sizeof buf,
           "%-10s %-6s records=%zu candidates=%zu true=%zu predicted=%zu correct=%zu "
           "P=%.4f R=%.4f F1=%.4f (%.2fs)",
           name.c_str(), task.c_str(), records, candidate_pairs, true_pairs, predicted_pairs,
           correct_pairs, precision, recall, f1, seconds);
  return buf;
}

Result<EvalResult> EvalFebrl4(const std::string& er_dir, const ResolveOptions& options) {
  EvalResult r{"febrl4", "link"};
  Status st = CatchAsStatus([&] {
    auto t0 = Clock::now();
    std::vector<model::Entity> left, right;
    for (const auto& f : ReadDelimited(er_dir + "/febrl/dataset4a.csv", ','))
      if (f.size() >= 11) left.push_back(FebrlEntity(f));
    for (const auto& f : ReadDelimited(er_dir + "/febrl/dataset4b.csv", ','))
      if (f.size() >= 11) right.push_back(FebrlEntity(f));
    auto linked = Link(left, right, options);
    if (!linked.ok()) throw Error(linked.status());
    std::multiset<std::string> lp, rp;
    std::map<std::string, size_t> lc, rc;
    for (const auto& e : left) ++lc[FebrlPerson(e.id)];
    for (const auto& e : right) ++rc[FebrlPerson(e.id)];
    for (const auto& [p, n] : lc)
      if (rc.count(p)) r.true_pairs += n * rc[p];
    for (const auto& m : linked->matches) {
      ++r.predicted_pairs;
      if (FebrlPerson(left[m.a].id) == FebrlPerson(right[m.b].id)) ++r.correct_pairs;
    }
    r.records = left.size() + right.size();
    r.candidate_pairs = linked->stats.candidate_pairs;
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    Finish(r);
  });
  if (!st.ok()) return st;
  return r;
}

Result<EvalResult> EvalFebrl3(const std::string& er_dir, const ResolveOptions& options) {
  EvalResult r{"febrl3", "dedupe"};
  Status st = CatchAsStatus([&] {
    auto t0 = Clock::now();
    std::vector<model::Entity> records;
    std::vector<std::string> truth;
    for (const auto& f : ReadDelimited(er_dir + "/febrl/dataset3.csv", ',')) {
      if (f.size() < 11) continue;
      records.push_back(FebrlEntity(f));
      truth.push_back(FebrlPerson(f[0]));
    }
    auto d = Dedupe(records, options);
    if (!d.ok()) throw Error(d.status());
    r.records = records.size();
    r.candidate_pairs = d->stats.candidate_pairs;
    ScoreClusters(d->clusters, truth, r);
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    Diagnose(records, truth, *d);
  });
  if (!st.ok()) return st;
  return r;
}

Result<EvalResult> EvalFake1000(const std::string& er_dir, const ResolveOptions& options) {
  EvalResult r{"fake_1000", "dedupe"};
  Status st = CatchAsStatus([&] {
    auto t0 = Clock::now();
    std::vector<model::Entity> records;
    std::vector<std::string> truth;
    for (const auto& f : ReadDelimited(er_dir + "/splink_fake_1000/fake_1000.csv", ',', true)) {
      if (f.size() < 7) continue;
      model::Entity e;
      e.id = f[0];
      e.schema = "Person";
      e.Add("firstName", f[1]);
      e.Add("lastName", f[2]);
      e.Add("birthDate", f[3]);
      e.Add("city", f[4]);
      e.Add("email", f[5]);
      records.push_back(std::move(e));
      truth.push_back(f[6]);
    }
    auto d = Dedupe(records, options);
    if (!d.ok()) throw Error(d.status());
    r.records = records.size();
    r.candidate_pairs = d->stats.candidate_pairs;
    ScoreClusters(d->clusters, truth, r);
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    Diagnose(records, truth, *d);
  });
  if (!st.ok()) return st;
  return r;
}

namespace {
Result<EvalResult> EvalCleanClean(const std::string& name, const std::string& dir,
                                  const std::string& left_file, const std::string& right_file,
                                  char sep, const std::vector<std::string>& props,
                                  const ResolveOptions& options) {
  EvalResult r{name, "link"};
  Status st = CatchAsStatus([&] {
    auto t0 = Clock::now();
    auto load = [&](const std::string& file) {
      std::vector<model::Entity> out;
      for (const auto& f : ReadDelimited(dir + "/" + file, sep)) {
        if (f.empty()) continue;
        model::Entity e;
        e.id = f[0];
        e.schema = "Thing";
        for (size_t k = 0; k < props.size() && k + 1 < f.size(); ++k)
          if (!props[k].empty()) e.Add(props[k], f[k + 1]);
        out.push_back(std::move(e));
      }
      return out;
    };
    std::vector<model::Entity> left = load(left_file), right = load(right_file);
    PairSet truth;
    for (const auto& f : ReadDelimited(dir + "/gt.csv", sep))
      if (f.size() >= 2) truth.insert({f[0], f[1]});
    auto linked = Link(left, right, options);
    if (!linked.ok()) throw Error(linked.status());
    r.true_pairs = truth.size();
    for (const auto& m : linked->matches) {
      ++r.predicted_pairs;
      if (truth.count({left[m.a].id, right[m.b].id})) ++r.correct_pairs;
    }
    r.records = left.size() + right.size();
    r.candidate_pairs = linked->stats.candidate_pairs;
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    Finish(r);
    if (std::getenv("CG_ER_DIAG")) {
      size_t fn_review = 0, fp_hist[10] = {0};
      for (const auto& m : linked->review)
        if (truth.count({left[m.a].id, right[m.b].id})) ++fn_review;
      for (const auto& m : linked->matches)
        if (!truth.count({left[m.a].id, right[m.b].id}))
          ++fp_hist[std::min(9, static_cast<int>(m.probability * 10))];
      std::printf("diag %s: true pairs in review band %zu; false positives by probability decile:",
                  name.c_str(), fn_review);
      for (size_t x : fp_hist) std::printf(" %zu", x);
      std::printf("\n");
      int shown = 0;
      for (const auto& m : linked->matches)
        if (!truth.count({left[m.a].id, right[m.b].id}) && shown++ < 5) {
          std::printf("FP %.3f\n%s", m.probability,
                      Compare(left[m.a], right[m.b]).ToText().c_str());
        }
    }
  });
  if (!st.ok()) return st;
  return r;
}
}  // namespace

Result<EvalResult> EvalDblpAcm(const std::string& er_dir, const ResolveOptions& options) {
  return EvalCleanClean("dblp_acm", er_dir + "/dblp_acm", "dblp.csv", "acm.csv", '%',
                        {"title", "authors", "venue", "year"}, options);
}

Result<EvalResult> EvalAbtBuy(const std::string& er_dir, const ResolveOptions& options) {
  return EvalCleanClean("abt_buy", er_dir + "/abt_buy", "abt.csv", "buy.csv", '|',
                        {"title", "description", "price"}, options);
}

Result<EvalResult> EvalGenerated(const std::string& gen_dir, const ResolveOptions& options,
                                 ResolveStats* stats) {
  EvalResult r{"generator", "dedupe"};
  Status st = CatchAsStatus([&] {
    std::vector<PreparedRecord> prepared;
    std::vector<std::string> truth;
    // The truth labels first: the parsed JSON (hundreds of MB at 1 M records) is freed
    // before the records are loaded, so that the peak memory measured is the resolver's.
    std::unordered_map<std::string, std::string> label;
    {
      std::ifstream in(gen_dir + "/ground_truth.json");
      if (!in) throw Error(StatusCode::kNotFound, "cannot read " + gen_dir + "/ground_truth.json");
      nlohmann::json gt = nlohmann::json::parse(in);
      size_t cluster = 0, keys = 0;
      for (const auto& c : gt["duplicates"]["persons"]) keys += c["records"].size();
      label.reserve(keys);  // no rehashing of a million strings
      for (const auto& c : gt["duplicates"]["persons"]) {
        for (const auto& rec : c["records"])
          label[rec["key"].get<std::string>()] = "c" + std::to_string(cluster);
        ++cluster;
      }
    }
    // addresses.csv: address_id,full,... (the person's address, linked by the mapping)
    std::unordered_map<std::string, std::string> addresses;
    if (std::filesystem::exists(gen_dir + "/addresses.csv")) {
      addresses.reserve(std::filesystem::file_size(gen_dir + "/addresses.csv") / 64);
      ForEachRow(gen_dir + "/addresses.csv", ',', true, [&](std::vector<std::string> f) {
        if (f.size() >= 2) addresses[std::move(f[0])] = std::move(f[1]);
      });
    }
    // Records are read and prepared in a pipeline - lines read in batches (serial), each
    // batch parsed into entities and prepared (batches in parallel), appended in order -
    // and the entities dropped: the resolver works on prepared records only
    // (DedupePrepared), so the whole input is never held as model::Entity (at 1 M records
    // ~2 GB of values with room for provenance). The time counts as deduplication time.
    // A Person from the id column (0) and (property, column) pairs; empty columns are left
    // out (Prepare skips them anyway).
    using Columns = std::initializer_list<std::pair<const char*, size_t>>;
    auto person_from = [](std::vector<std::string>& f, Columns columns, model::Entity& e) {
      e.id = std::move(f[0]);
      e.schema = "Person";
      for (auto [prop, column] : columns)
        if (!f[column].empty()) e.Add(prop, std::move(f[column]));
    };
    // persons.csv: person_id,name,first_name,last_name,gender,birth_date,nationality,email,
    // phone,passport_number,address_id
    auto person = [&](std::vector<std::string> f, model::Entity& e) {
      if (f.size() < 10) return false;
      person_from(f,
                  {{"name", 1},
                   {"gender", 4},
                   {"birthDate", 5},
                   {"nationality", 6},
                   {"email", 7},
                   {"phone", 8},
                   {"passportNumber", 9}},
                  e);
      if (f.size() > 10) {
        auto it = addresses.find(f[10]);
        if (it != addresses.end()) e.Add("address", it->second);
      }
      return true;
    };
    // kyc_persons.csv: kyc_id,full_name,birth_date,nationality,phone,email,passport_number,address
    auto kyc = [&](std::vector<std::string> f, model::Entity& e) {
      if (f.size() < 7) return false;
      person_from(f,
                  {{"name", 1},
                   {"birthDate", 2},
                   {"nationality", 3},
                   {"phone", 4},
                   {"email", 5},
                   {"passportNumber", 6}},
                  e);
      if (f.size() > 7 && !f[7].empty()) e.Add("address", std::move(f[7]));
      return true;
    };
    struct Batch {
      int file = 0;  // 0: persons.csv, 1: kyc_persons.csv
      std::vector<std::string> lines;
      std::vector<PreparedRecord> prepared;
      std::vector<std::string> truth;
    };
    const std::string files[2] = {gen_dir + "/persons.csv", gen_dir + "/kyc_persons.csv"};
    int file = -1;
    std::ifstream in;
    auto open_next = [&]() {
      ++file;
      if (file >= 2) return false;
      in = std::ifstream(files[file]);
      if (!in) throw Error(StatusCode::kNotFound, "cannot read " + files[file]);
      std::string header;
      std::getline(in, header);
      return true;
    };
    open_next();
    auto tp = Clock::now();
    tbb::parallel_pipeline(
        8, tbb::make_filter<void, std::shared_ptr<Batch>>(
               tbb::filter_mode::serial_in_order,
               [&](tbb::flow_control& fc) -> std::shared_ptr<Batch> {
                 auto batch = std::make_shared<Batch>();
                 std::string line;
                 while (batch->lines.size() < 8192) {
                   if (file >= 2) break;
                   if (!std::getline(in, line)) {
                     if (!batch->lines.empty()) break;  // finish this file's batch first
                     if (!open_next()) break;
                     continue;
                   }
                   if (!line.empty() && line.back() == '\r') line.pop_back();
                   if (!line.empty()) batch->lines.push_back(std::move(line));
                 }
                 batch->file = file;
                 if (batch->lines.empty()) {
                   fc.stop();
                   return nullptr;
                 }
                 return batch;
               }) &
               tbb::make_filter<std::shared_ptr<Batch>, std::shared_ptr<Batch>>(
                   tbb::filter_mode::parallel,
                   [&](std::shared_ptr<Batch> batch) {
                     for (const auto& line : batch->lines) {
                       model::Entity e;
                       bool ok = batch->file == 0 ? person(ParseCsvRecord(line), e)
                                                  : kyc(ParseCsvRecord(line), e);
                       if (!ok) continue;
                       auto it = label.find(e.id);
                       batch->truth.push_back(it == label.end() ? e.id : it->second);
                       batch->prepared.push_back(Prepare(e));
                     }
                     std::vector<std::string>().swap(batch->lines);
                     return batch;
                   }) &
               tbb::make_filter<std::shared_ptr<Batch>, void>(
                   tbb::filter_mode::serial_in_order, [&](std::shared_ptr<Batch> batch) {
                     std::move(batch->prepared.begin(), batch->prepared.end(),
                               std::back_inserter(prepared));
                     std::move(batch->truth.begin(), batch->truth.end(), std::back_inserter(truth));
                   }));
    const double seconds_prepare = std::chrono::duration<double>(Clock::now() - tp).count();
    std::unordered_map<std::string, std::string>().swap(addresses);  // free before Dedupe
    std::unordered_map<std::string, std::string>().swap(label);
    malloc_trim(0);  // hand the loader's freed memory back before measuring the resolver
    if (std::getenv("CG_ER_TIMING"))
      std::fprintf(stderr, "eval: read and prepared %zu records: %.2fs\n", prepared.size(),
                   seconds_prepare);
    auto t0 = Clock::now();
    auto d = DedupePrepared(prepared, options);
    if (!d.ok()) throw Error(d.status());
    r.seconds = seconds_prepare + std::chrono::duration<double>(Clock::now() - t0).count();
    r.records = prepared.size();
    r.candidate_pairs = d->stats.candidate_pairs;
    if (stats) *stats = d->stats;
    ScoreClusters(d->clusters, truth, r);
    Diagnose(prepared, truth, *d);
  });
  if (!st.ok()) return st;
  return r;
}

Result<EvalResult> EvalNameBench(const std::string& er_dir, const ModelParams& params) {
  EvalResult r{"name_bench", "pairs"};
  Status st = CatchAsStatus([&] {
    auto t0 = Clock::now();
    std::string path = er_dir + "/name_bench/name_bench_dev.csv";
    std::ifstream in(path);
    if (!in) throw Error(StatusCode::kNotFound, "cannot read " + path);
    std::string line, record;
    std::getline(in, line);
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
      bool truth = f[4] == "true";
      bool match = Compare(a, b, params).match;
      ++r.records;
      r.true_pairs += truth;
      r.predicted_pairs += match;
      r.correct_pairs += truth && match;
    }
    r.candidate_pairs = r.records;
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    Finish(r);
  });
  if (!st.ok()) return st;
  return r;
}

}  // namespace casegraph::resolve
