// Import drivers for FtM JSON lines and mapping files: a hashing pre-pass (content hash
// and progress total), then one streaming pass inside one store transaction, with bad
// rows routed to a rejects sink or failing the import, and a summary at the end.
#include "ingest/importer.h"

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/hash.h"
#include "ingest/csv_reader.h"
#include "ingest/ftm_json.h"
#include "ingest/mapping.h"

namespace casegraph::ingest {
namespace {

namespace fs = std::filesystem;

// sha256 over several files (and optional leading text), with their total size.
struct InputHash {
  std::string hex;
  std::uint64_t bytes = 0;
};

InputHash HashInputs(const std::string& text, const std::vector<std::string>& files) {
  Digest digest(Digest::Kind::kSha256);
  InputHash out;
  digest.Update(text);
  std::vector<char> buf(1 << 20);
  for (const auto& f : files) {
    std::FILE* fp = std::fopen(f.c_str(), "rb");
    if (fp == nullptr) {
      throw Error(StatusCode::kNotFound, "cannot open " + f, SourceLocation{f});
    }
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), fp)) > 0) {
      digest.Update(std::string_view(buf.data(), n));
      out.bytes += n;
    }
    bool err = std::ferror(fp);
    std::fclose(fp);
    if (err) throw Error(StatusCode::kIoError, "read error on " + f, SourceLocation{f});
  }
  out.hex = digest.HexDigest();
  return out;
}

std::string CsvQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

// Where rejected rows go. Writes lazily (no file unless a row is rejected).
class RejectSink {
 public:
  enum class Format { kCsv, kJsonl };
  RejectSink(const ImportOptions& options, Format format)
      : path_(options.rejects_path), limit_(options.max_rejects), format_(format) {}

  // Rejects one row, or throws: without a rejects file the row's error ends the import;
  // past the limit, kAborted ends it.
  void Reject(const Status& error, std::string_view raw) {
    if (path_.empty()) throw Error(error);
    if (count_ >= limit_) {
      throw Error(StatusCode::kAborted,
                  "too many bad rows: more than --max-rejects " + std::to_string(limit_) +
                      " (rejects written to " + path_ + "); nothing imported. Last: " +
                      error.where().ToString() + ": " + error.message(),
                  error.where());
    }
    if (!out_.is_open()) {
      out_.open(path_, std::ios::binary | std::ios::trunc);
      if (!out_) throw Error(StatusCode::kIoError, "cannot write rejects file " + path_);
      if (format_ == Format::kCsv) out_ << "file,line,column,reason,record\n";
    }
    const SourceLocation& w = error.where();
    if (format_ == Format::kCsv) {
      out_ << CsvQuote(w.file) << ',' << w.line << ',' << w.column << ','
           << CsvQuote(error.message()) << ',' << CsvQuote(raw) << '\n';
    } else {
      nlohmann::ordered_json j;
      j["file"] = w.file;
      j["line"] = w.line;
      j["column"] = w.column;
      j["reason"] = error.message();
      j["record"] = std::string(raw);
      out_ << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    ++count_;
  }
  std::int64_t count() const { return count_; }
  void Close() {
    if (out_.is_open()) out_.close();
  }

 private:
  std::string path_;
  std::int64_t limit_;
  Format format_;
  std::ofstream out_;
  std::int64_t count_ = 0;
};

class Warnings {
 public:
  void Add(const std::string& key) { ++counts_[key]; }
  std::int64_t total() const {
    std::int64_t n = 0;
    for (const auto& [k, c] : counts_) n += c;
    return n;
  }
  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    for (const auto& [k, c] : counts_) {
      if (out.size() >= 100) break;
      out.push_back(k + (c > 1 ? " (" + std::to_string(c) + " times)" : ""));
    }
    return out;
  }

 private:
  std::map<std::string, std::int64_t> counts_;
};

class Progress {
 public:
  Progress(const ImportOptions& options, std::uint64_t total)
      : fn_(options.progress), total_(total) {}
  void Update(std::uint64_t done) {
    if (!fn_ || done < last_ + (1 << 20)) return;
    last_ = done;
    fn_(done, total_);
  }
  void Finish() {
    if (fn_) fn_(total_, total_);
  }

 private:
  std::function<void(std::uint64_t, std::uint64_t)> fn_;
  std::uint64_t total_;
  std::uint64_t last_ = 0;
};

std::int64_t NowOr(std::int64_t now) {
  if (now != 0) return now;
  return static_cast<std::int64_t>(std::time(nullptr));
}

// Shared tail: commit, then the summary.
ImportSummary Finish(store::ImportTransaction& txn, store::ImportCounts counts,
                     std::chrono::steady_clock::time_point start, const std::string& hash,
                     const Warnings& warnings, RejectSink& rejects, const ImportOptions& options) {
  rejects.Close();
  counts.rejected = rejects.count();
  counts.warnings = warnings.total();
  auto commit_start = std::chrono::steady_clock::now();
  auto run = txn.Commit(counts);
  if (!run.ok()) throw Error(run.status());
  ImportSummary s;
  s.commit_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - commit_start).count();
  s.run_id = run->id;
  s.counts = run->counts;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  s.rows_per_second = s.seconds > 0 ? static_cast<double>(s.counts.records) / s.seconds : 0;
  s.content_hash = hash;
  s.warnings = warnings.Messages();
  if (rejects.count() > 0) s.rejects_path = options.rejects_path;
  return s;
}

std::string FileStem(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  for (const char* ext : {".ftm.json", ".ftm.jsonl", ".jsonl", ".json", ".ijson"}) {
    std::string e(ext);
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
      return name.substr(0, name.size() - e.size());
    }
  }
  return fs::path(path).stem().string();
}

// Entities travel from the parsing thread (read, map, clean, provenance) to the store
// thread (merge, derive links, write) in batches through a bounded queue, so the two
// halves of an import run on two cores while memory stays bounded. Input order is kept:
// entity k of the input is added k-th, and errors surface in input order.
struct LocatedEntity {
  model::Entity entity;
  // Owned by the producer's inputs (options, mapping), outlive the pipe. The dataset and
  // file are also the source of the entity's values that name none.
  const std::string* dataset = nullptr;
  const std::string* file = nullptr;
  std::int64_t line = 0;
};

class EntityPipe {
 public:
  static constexpr std::size_t kBatchSize = 1024;
  static constexpr std::size_t kMaxBatches = 16;

  // Producer: queues one entity; blocks while the queue is full. Throws Cancelled once
  // the consumer gave up, which unwinds the producer.
  struct Cancelled {};
  void Emit(model::Entity&& entity, const std::string* dataset, const std::string* file,
            std::int64_t line) {
    pending_.push_back(LocatedEntity{std::move(entity), dataset, file, line});
    if (pending_.size() >= kBatchSize) Flush();
  }
  // Producer: hands over what is pending and ends the stream (with the producer's error,
  // if any, which the consumer rethrows after the last batch).
  void Finish(std::exception_ptr error) {
    if (!error) {
      try {
        Flush();
      } catch (const Cancelled&) {
      }
    }
    std::lock_guard lock(mu_);
    error_ = error;
    done_ = true;
    consumer_cv_.notify_all();
  }
  // Consumer: the next batch, or false at the end of the stream.
  bool Pop(std::vector<LocatedEntity>* batch) {
    std::unique_lock lock(mu_);
    if (queue_.empty() && !done_) {
      consumer_waiting_ = true;
      consumer_cv_.wait(lock, [&] { return !queue_.empty() || done_; });
      consumer_waiting_ = false;
    }
    if (queue_.empty()) {
      if (error_) std::rethrow_exception(error_);
      return false;
    }
    if (!batch->empty()) used_.push_back(std::move(*batch));  // freed by the producer
    *batch = std::move(queue_.front());
    queue_.pop_front();
    if (producer_waiting_) producer_cv_.notify_one();
    return true;
  }
  // Consumer: stop the producer (it throws Cancelled at its next Emit).
  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    producer_cv_.notify_all();
  }

 private:
  void Flush() {
    if (pending_.empty()) return;
    std::unique_lock lock(mu_);
    if (queue_.size() >= kMaxBatches && !cancelled_) {
      producer_waiting_ = true;
      producer_cv_.wait(lock, [&] { return queue_.size() < kMaxBatches || cancelled_; });
      producer_waiting_ = false;
    }
    if (cancelled_) throw Cancelled{};
    queue_.push_back(std::move(pending_));
    pending_.clear();
    std::vector<std::vector<LocatedEntity>> used;
    used.swap(used_);
    const bool wake = consumer_waiting_;
    lock.unlock();
    if (wake) consumer_cv_.notify_one();
    // Batches the consumer is done with are destroyed here, so that freeing their
    // strings costs the (less loaded) parsing thread, not the store thread.
    used.clear();
    pending_.reserve(kBatchSize);
  }

  std::vector<LocatedEntity> pending_;  // producer only
  std::mutex mu_;
  std::condition_variable producer_cv_, consumer_cv_;
  bool producer_waiting_ = false, consumer_waiting_ = false;
  std::deque<std::vector<LocatedEntity>> queue_;
  std::vector<std::vector<LocatedEntity>> used_;  // consumed batches awaiting destruction
  bool done_ = false, cancelled_ = false;
  std::exception_ptr error_;
};

// Runs `produce(pipe)` on a second thread and adds every entity it emits to `txn` on
// this one. Any error stops both and is rethrown here (store errors with the record's
// file and line).
template <typename Produce>
void RunPipelined(store::ImportTransaction& txn, Produce produce) {
  EntityPipe pipe;
  std::thread producer([&] {
    pthread_setname_np(pthread_self(), "cg-import-parse");
    std::exception_ptr error;
    try {
      produce(pipe);
    } catch (const EntityPipe::Cancelled&) {
    } catch (...) {
      error = std::current_exception();
    }
    pipe.Finish(error);
  });
  try {
    std::vector<LocatedEntity> batch;
    const std::string *dataset = nullptr, *file = nullptr;  // the default source set last
    while (pipe.Pop(&batch)) {
      for (LocatedEntity& le : batch) {
        if ((le.dataset != dataset || le.file != file) && le.dataset != nullptr &&
            le.file != nullptr) {
          txn.SetDefaultSource(*le.dataset, *le.file);
          dataset = le.dataset;
          file = le.file;
        }
        Status added = txn.Add(std::move(le.entity));
        if (!added.ok()) {
          throw Error(added.code(), added.message(),
                      SourceLocation{le.file != nullptr ? *le.file : std::string(), le.line, 1});
        }
      }
    }
  } catch (...) {
    pipe.Cancel();
    producer.join();
    throw;
  }
  producer.join();
}

}  // namespace

Result<ImportSummary> ImportFtmFile(store::CaseStore& store, const ImportOptions& options) {
  ImportSummary summary;
  Status st = CatchAsStatus([&] {
    auto start = std::chrono::steady_clock::now();
    const std::int64_t now = NowOr(options.now);
    InputHash hash = HashInputs("", {options.path});
    auto reader_or = FtmJsonReader::Open(options.path, store.schema());
    if (!reader_or.ok()) throw Error(reader_or.status());
    FtmJsonReader& reader = **reader_or;

    store::ImportRunInfo info;
    info.kind = "ftm";
    info.dataset = options.dataset.empty() ? FileStem(options.path) : options.dataset;
    info.source_file = options.path;
    info.content_hash = hash.hex;
    auto txn_or = store.BeginImport(info);
    if (!txn_or.ok()) throw Error(txn_or.status());
    store::ImportTransaction& txn = **txn_or;

    RejectSink rejects(options, RejectSink::Format::kJsonl);
    Warnings warnings;
    Progress progress(options, hash.bytes);
    store::ImportCounts counts;
    const std::int64_t run_id = txn.run_id();
    RunPipelined(txn, [&](EntityPipe& pipe) {
      FtmRecord rec;
      while (reader.Next(&rec)) {
        ++counts.records;
        progress.Update(reader.bytes_read());
        if (!rec.error.ok()) {
          rejects.Reject(rec.error, rec.raw);
          continue;
        }
        if (!rec.unknown_properties.empty()) {
          if (options.strict) {
            std::string names;
            for (const auto& p : rec.unknown_properties) names += (names.empty() ? "" : ", ") + p;
            rejects.Reject(
                Status(StatusCode::kSchemaError,
                       "unknown propert" +
                           std::string(rec.unknown_properties.size() > 1 ? "ies" : "y") + " " +
                           names + " for schema " + rec.entity.schema + " (strict mode)",
                       SourceLocation{options.path, rec.line, 1}),
                rec.raw);
            continue;
          }
          for (const auto& p : rec.unknown_properties) {
            warnings.Add("unknown property " + rec.entity.schema + "." + p +
                         " kept as text (newer FtM version?)");
          }
        }
        if (rec.entity.label.empty()) rec.entity.label = options.label;
        std::string record_key = "line " + std::to_string(rec.line);
        for (auto& v : rec.entity.values) {  // an empty dataset / file: info's (Emit)
          if (v.prov.record_key.empty()) v.prov.record_key = record_key;
          if (v.prov.first_seen == 0) v.prov.first_seen = now;
          if (v.prov.last_seen == 0) v.prov.last_seen = now;
          v.prov.run_id = run_id;
        }
        pipe.Emit(std::move(rec.entity), &info.dataset, &options.path, rec.line);
        rec.entity = model::Entity();
      }
      if (!reader.status().ok()) throw Error(reader.status());
    });
    progress.Finish();
    summary = Finish(txn, counts, start, hash.hex, warnings, rejects, options);
  });
  if (!st.ok()) return st;
  return summary;
}

Result<ImportSummary> ImportMappingFile(store::CaseStore& store, const ImportOptions& options) {
  ImportSummary summary;
  Status st = CatchAsStatus([&] {
    auto start = std::chrono::steady_clock::now();
    const std::int64_t now = NowOr(options.now);
    auto mapping_or = LoadMapping(options.path, store.schema());
    if (!mapping_or.ok()) throw Error(mapping_or.status());
    const Mapping& mapping = *mapping_or;

    std::vector<std::string> files;
    std::string dataset_names;
    for (const auto& ds : mapping.datasets) {
      dataset_names += (dataset_names.empty() ? "" : ",") + ds.name;
      for (const auto& q : ds.queries)
        files.insert(files.end(), q.csv_paths.begin(), q.csv_paths.end());
    }
    InputHash hash = HashInputs(mapping.text, files);

    store::ImportRunInfo info;
    info.kind = "mapping";
    info.dataset = options.dataset.empty() ? dataset_names : options.dataset;
    info.source_file = options.path;
    info.content_hash = hash.hex;
    info.mapping = mapping.text;
    auto txn_or = store.BeginImport(info);
    if (!txn_or.ok()) throw Error(txn_or.status());
    store::ImportTransaction& txn = **txn_or;

    RejectSink rejects(options, RejectSink::Format::kCsv);
    Warnings warnings;
    Progress progress(options, hash.bytes);
    store::ImportCounts counts;
    std::uint64_t done_before = 0;
    CsvOptions csv_options;
    csv_options.skip_initial_space = true;  // as ftm's DictReader(skipinitialspace=True)
    const std::int64_t run_id = txn.run_id();

    RunPipelined(txn, [&](EntityPipe& pipe) {
      for (const auto& ds : mapping.datasets) {
        // A reference to strings that outlive the pipe (LocatedEntity::dataset).
        const std::string& dataset = options.dataset.empty() ? ds.name : options.dataset;
        for (const auto& query : ds.queries) {
          for (const auto& csv_path : query.csv_paths) {
            auto reader_or = CsvReader::Open(csv_path, csv_options);
            if (!reader_or.ok()) throw Error(reader_or.status());
            CsvReader& reader = **reader_or;
            std::map<std::string, int, std::less<>> columns;
            for (std::size_t i = 0; i < reader.header().size(); ++i) {
              columns.emplace(reader.header()[i], static_cast<int>(i));
            }
            for (const auto& ref : query.refs) {
              if (columns.count(ref) == 0) {
                throw Error(StatusCode::kSchemaError,
                            "column '" + ref + "' used by the mapping (" + query.where.ToString() +
                                ") is not in the header of " + csv_path,
                            SourceLocation{csv_path, 1, 1});
              }
            }
            CsvRow row;
            RecordView view;
            view.fields = &row.fields;
            view.columns = &columns;
            view.file = csv_path;
            std::vector<std::string> skipped;
            while (reader.Next(&row)) {
              ++counts.records;
              progress.Update(done_before + reader.bytes_read());
              if (!row.error.ok()) {
                rejects.Reject(row.error, row.raw);
                continue;
              }
              view.raw_record = row.raw;
              view.line = row.line;
              if (!PassesFilters(query, view)) continue;
              std::vector<MappedEntity> mapped;
              skipped.clear();
              try {
                mapped = MapRecord(query, view, &skipped);
              } catch (const Error& e) {
                rejects.Reject(e.status(), row.raw);
                continue;
              }
              if (!skipped.empty()) {
                if (options.strict) {
                  rejects.Reject(Status(StatusCode::kParseError,
                                        "entity skipped: " + skipped.front() + " (strict mode)",
                                        SourceLocation{csv_path, row.line, 1}),
                                 row.raw);
                  continue;
                }
                for (const auto& s : skipped) warnings.Add(csv_path + ": entity skipped: " + s);
              }
              std::string record_key = "line " + std::to_string(row.line);
              for (auto& me : mapped) {
                model::Entity& e = me.entity;
                if (e.label.empty()) e.label = options.label;
                for (auto& v : e.values) {  // dataset and file: Emit's (the default source)
                  v.prov.record_key = record_key;
                  v.prov.first_seen = now;
                  v.prov.last_seen = now;
                  v.prov.run_id = run_id;
                }
                pipe.Emit(std::move(e), &dataset, &csv_path, row.line);
              }
            }
            if (!reader.status().ok()) throw Error(reader.status());
            done_before += reader.bytes_total();
          }
        }
      }
    });
    progress.Finish();
    summary = Finish(txn, counts, start, hash.hex, warnings, rejects, options);
  });
  if (!st.ok()) return st;
  return summary;
}

}  // namespace casegraph::ingest
