// ImportWriter: a bounded queue of row writes and the thread that executes them in order
// on the import's SQLite connection (see import_writer.h for the contract).
#include "store/import_writer.h"

#include <pthread.h>
#include <time.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <utility>

#include "casegraph/status.h"

namespace casegraph::store {
namespace {

// CPU time of the calling thread (the writer shares 2 cores with the parse and merge
// threads, so wall time would count the time it was not running).
std::uint64_t ThreadCpuNanos() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

// "INSERT INTO <head> VALUES(?,..),(?,..)...": `rows` rows of `columns` parameters.
std::string MultiRowInsert(const char* head, int columns, std::size_t rows) {
  std::string row = "(";
  for (int c = 0; c < columns; ++c) row += c == 0 ? "?" : ",?";
  row += ")";
  std::string sql = std::string("INSERT INTO ") + head + " VALUES";
  for (std::size_t r = 0; r < rows; ++r) {
    if (r > 0) sql += ',';
    sql += row;
  }
  return sql;
}

constexpr const char* kEntityColumns =
    "entities(iid, id_hash, id, schema, label, caption, first_seen, last_seen, link_lo, "
    "link_n, vals)";
constexpr int kEntityParams = 11;
constexpr const char* kLinkColumns =
    "links(lid, src, dst, type, time, weight, label, first_seen, last_seen, owner)";
constexpr int kLinkParams = 10;
constexpr const char* kFtsColumns = "name_index(rowid, names, labels)";
constexpr int kFtsParams = 3;

}  // namespace

ImportWriter::ImportWriter(Db& db, bool multi_row_inserts) {
  insert_entity_ = db.Prepare(MultiRowInsert(kEntityColumns, kEntityParams, 1));
  update_entity_ = db.Prepare(
      "UPDATE entities SET schema=?, label=?, caption=?, first_seen=?, last_seen=?, link_lo=?, "
      "link_n=?, vals=? WHERE iid=?");
  insert_placeholder_ = db.Prepare("INSERT INTO entities(iid, id_hash, id) VALUES(?,?,?)");
  insert_link_ = db.Prepare(MultiRowInsert(kLinkColumns, kLinkParams, 1));
  if (multi_row_inserts) {
    insert_entities_ = db.Prepare(MultiRowInsert(kEntityColumns, kEntityParams, kRowsPerInsert));
    insert_links_ = db.Prepare(MultiRowInsert(kLinkColumns, kLinkParams, kRowsPerInsert));
  }
  delete_links_ = db.Prepare("DELETE FROM links WHERE lid >= ? AND lid < ?");
  fts_delete_ = db.Prepare("DELETE FROM name_index WHERE rowid = ?");
  fts_insert_ = db.Prepare(MultiRowInsert(kFtsColumns, kFtsParams, 1));
  pending_.reserve(kBatchOps);
  timing_ = std::getenv("CG_IMPORT_TIMING") != nullptr;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "cg-import-write");
    Run();
  });
}

ImportWriter::~ImportWriter() {
  Stop(/*discard=*/true);
}

ImportWriter::Op ImportWriter::EntityOp(Kind kind, std::int64_t iid, std::int64_t id_hash,
                                        std::string id, std::string schema, std::string label,
                                        std::string caption, std::int64_t first_seen,
                                        std::int64_t last_seen, std::int64_t link_lo,
                                        std::int64_t link_n, std::string vals) {
  Op op{kind};
  op.v[0] = iid;
  op.v[1] = id_hash;
  op.v[2] = first_seen;
  op.v[3] = last_seen;
  op.v[4] = link_lo;
  op.v[5] = link_n;
  op.s[0] = std::move(id);
  op.s[1] = std::move(schema);
  op.s[2] = std::move(label);
  op.s[3] = std::move(caption);
  op.s[4] = std::move(vals);
  return op;
}

void ImportWriter::InsertEntity(std::int64_t iid, std::int64_t id_hash, std::string id,
                                std::string schema, std::string label, std::string caption,
                                std::int64_t first_seen, std::int64_t last_seen,
                                std::int64_t link_lo, std::int64_t link_n, std::string vals) {
  Submit(EntityOp(Kind::kInsertEntity, iid, id_hash, std::move(id), std::move(schema),
                  std::move(label), std::move(caption), first_seen, last_seen, link_lo, link_n,
                  std::move(vals)));
}

void ImportWriter::UpdateEntity(std::int64_t iid, std::string schema, std::string label,
                                std::string caption, std::int64_t first_seen,
                                std::int64_t last_seen, std::int64_t link_lo, std::int64_t link_n,
                                std::string vals) {
  Submit(EntityOp(Kind::kUpdateEntity, iid, 0, std::string(), std::move(schema), std::move(label),
                  std::move(caption), first_seen, last_seen, link_lo, link_n, std::move(vals)));
}

void ImportWriter::InsertPlaceholder(std::int64_t iid, std::int64_t id_hash, std::string id) {
  Op op{Kind::kPlaceholder};
  op.v[0] = iid;
  op.v[1] = id_hash;
  op.s[0] = std::move(id);
  Submit(std::move(op));
}

void ImportWriter::InsertLink(std::int64_t lid, std::int64_t src, std::int64_t dst,
                              std::int64_t type, bool has_time, std::int64_t time, double weight,
                              std::string label, std::int64_t first_seen, std::int64_t last_seen,
                              std::int64_t owner) {
  Op op{Kind::kInsertLink};
  op.flag = has_time;
  op.v[0] = lid;
  op.v[1] = src;
  op.v[2] = dst;
  op.v[3] = type;
  op.v[4] = time;
  op.v[5] = first_seen;
  op.v[6] = last_seen;
  op.v[7] = owner;
  op.d = weight;
  op.s[0] = std::move(label);
  Submit(std::move(op));
}

void ImportWriter::DeleteLinks(std::int64_t lo, std::int64_t hi) {
  Op op{Kind::kDeleteLinks};
  op.v[0] = lo;
  op.v[1] = hi;
  Submit(std::move(op));
}

void ImportWriter::FtsDelete(std::int64_t iid) {
  Op op{Kind::kFtsDelete};
  op.v[0] = iid;
  Submit(std::move(op));
}

void ImportWriter::FtsInsert(std::int64_t iid, std::string names, std::string labels) {
  Op op{Kind::kFtsInsert};
  op.v[0] = iid;
  op.s[0] = std::move(names);
  op.s[1] = std::move(labels);
  Submit(std::move(op));
}

void ImportWriter::Submit(Op&& op) {
  pending_.push_back(std::move(op));
  if (pending_.size() >= kBatchOps) HandOver();
}

void ImportWriter::HandOver() {
  std::unique_lock lock(mu_);
  RethrowIfFailed();
  if (stopped_) throw Error(StatusCode::kInternal, "import writer already stopped");
  if (pending_.empty()) return;
  if (queue_.size() >= kMaxBatches) {
    ++owner_waiting_;
    cv_.wait(lock, [&] { return queue_.size() < kMaxBatches || error_ != nullptr; });
    --owner_waiting_;
  }
  RethrowIfFailed();
  queue_.push_back(std::move(pending_));
  ++handed_over_;
  pending_.clear();
  const bool wake = writer_waiting_;
  lock.unlock();
  if (wake) writer_cv_.notify_one();
  pending_.reserve(kBatchOps);
}

void ImportWriter::Drain() {
  HandOver();
  std::unique_lock lock(mu_);
  ++owner_waiting_;
  cv_.wait(lock, [&] { return (queue_.empty() && running_ == 0) || error_ != nullptr; });
  --owner_waiting_;
  RethrowIfFailed();
}

std::unique_lock<std::mutex> ImportWriter::WaitForBatch(std::uint64_t batch) {
  if (batch > handed_over_) HandOver();  // still in `pending_`
  {
    std::unique_lock lock(mu_);
    if (written_ < batch && error_ == nullptr) {
      ++owner_waiting_;
      cv_.wait(lock, [&] { return written_ >= batch || error_ != nullptr; });
      --owner_waiting_;
    }
    RethrowIfFailed();
  }
  return std::unique_lock(exec_mu_);
}

void ImportWriter::Stop(bool discard) {
  if (!discard && !stopped_) Drain();
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    discard_ = discard;
    writer_cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  if (timing_) {
    static constexpr const char* kNames[] = {"insert entity", "update entity", "placeholder",
                                             "insert link",   "delete links",  "fts delete",
                                             "fts insert"};
    static_assert(std::size(kNames) == kKinds, "a name per kind of op");
    for (int k = 0; k < kKinds; ++k) {
      if (kind_count_[k] == 0) continue;
      std::fprintf(stderr, "writer: %-14s %10llu ops %8.3f s CPU\n", kNames[k],
                   static_cast<unsigned long long>(kind_count_[k]),
                   static_cast<double>(kind_ns_[k]) * 1e-9);
    }
  }
  pending_.clear();
  queue_.clear();
  for (Stmt* st : {&insert_entity_, &update_entity_, &insert_placeholder_, &insert_link_,
                   &delete_links_, &fts_delete_, &fts_insert_, &insert_entities_, &insert_links_}) {
    *st = Stmt();
  }
}

void ImportWriter::RethrowIfFailed() {
  if (error_ != nullptr) std::rethrow_exception(error_);
}

ImportWriter::Table ImportWriter::TableOf(Kind kind) {
  switch (kind) {
    case Kind::kInsertEntity:
    case Kind::kUpdateEntity:
    case Kind::kPlaceholder:
      return Table::kEntities;
    case Kind::kInsertLink:
    case Kind::kDeleteLinks:
      return Table::kLinks;
    case Kind::kFtsDelete:
    case Kind::kFtsInsert:
      return Table::kNames;
  }
  return Table::kEntities;
}

void ImportWriter::Run() {
  std::vector<Op> batch, group;
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (!batch.empty()) {
        --running_;
        ++written_;
      }
      // The owner waits for room in the queue or for the queue to drain.
      if (owner_waiting_ > 0) cv_.notify_all();
      if (queue_.empty() && !stopped_) {
        writer_waiting_ = true;
        writer_cv_.wait(lock, [&] { return !queue_.empty() || stopped_; });
        writer_waiting_ = false;
      }
      if (discard_ || error_ != nullptr || (stopped_ && queue_.empty())) return;
      batch = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    try {
      // Each table's ops in submission order; the tables are independent (no triggers or
      // foreign keys), so grouping by table lines up runs of inserts for ExecuteRun. One
      // statement at a time under exec_mu_, so an owner reading back a row (WaitForBatch)
      // waits for one statement, not for the rest of the batch.
      for (Table table : {Table::kEntities, Table::kLinks, Table::kNames}) {
        group.clear();
        for (Op& op : batch) {
          if (TableOf(op.kind) == table) group.push_back(std::move(op));
        }
        for (std::size_t at = 0; at < group.size();) {
          std::lock_guard exec(exec_mu_);
          if (timing_) {
            const std::uint64_t start = ThreadCpuNanos();
            const auto k = static_cast<int>(group[at].kind);
            const std::size_t ran = ExecuteRun(group, at);
            kind_count_[k] += ran;
            kind_ns_[k] += ThreadCpuNanos() - start;
            at += ran;
          } else {
            at += ExecuteRun(group, at);
          }
        }
      }
    } catch (...) {
      std::lock_guard lock(mu_);
      error_ = std::current_exception();
      --running_;
      cv_.notify_all();
      return;
    }
  }
}

void ImportWriter::Execute(Op& op) {
  switch (op.kind) {
    case Kind::kInsertEntity:
      BindInsertEntity(insert_entity_, 0, op);
      insert_entity_.Exec();
      break;
    case Kind::kUpdateEntity:
      update_entity_.Bind(1, std::string_view(op.s[1])).BindTextOrNull(2, op.s[2]);
      update_entity_.BindTextOrNull(3, op.s[3]).Bind(4, op.v[2]).Bind(5, op.v[3]);
      update_entity_.Bind(6, op.v[4]).Bind(7, op.v[5]).BindBlob(8, op.s[4]).Bind(9, op.v[0]);
      update_entity_.Exec();
      break;
    case Kind::kPlaceholder:
      insert_placeholder_.Bind(1, op.v[0]).Bind(2, op.v[1]).Bind(3, std::string_view(op.s[0]));
      insert_placeholder_.Exec();
      break;
    case Kind::kInsertLink:
      BindInsertLink(insert_link_, 0, op);
      insert_link_.Exec();
      break;
    case Kind::kDeleteLinks:
      delete_links_.Bind(1, op.v[0]).Bind(2, op.v[1]).Exec();
      break;
    case Kind::kFtsDelete:
      fts_delete_.Bind(1, op.v[0]).Exec();
      break;
    case Kind::kFtsInsert:
      fts_insert_.Bind(1, op.v[0]).Bind(2, std::string_view(op.s[0]));
      fts_insert_.Bind(3, std::string_view(op.s[1])).Exec();
      break;
  }
}

void ImportWriter::BindInsertEntity(Stmt& st, int row, const Op& op) {
  const int p = row * kEntityParams;
  st.Bind(p + 1, op.v[0]).Bind(p + 2, op.v[1]).Bind(p + 3, std::string_view(op.s[0]));
  st.Bind(p + 4, std::string_view(op.s[1])).BindTextOrNull(p + 5, op.s[2]);
  st.BindTextOrNull(p + 6, op.s[3]).Bind(p + 7, op.v[2]).Bind(p + 8, op.v[3]);
  st.Bind(p + 9, op.v[4]).Bind(p + 10, op.v[5]).BindBlob(p + 11, op.s[4]);
}

void ImportWriter::BindInsertLink(Stmt& st, int row, const Op& op) {
  const int p = row * kLinkParams;
  st.Bind(p + 1, op.v[0]).Bind(p + 2, op.v[1]).Bind(p + 3, op.v[2]).Bind(p + 4, op.v[3]);
  if (op.flag) {
    st.Bind(p + 5, op.v[4]);
  } else {
    st.BindNull(p + 5);
  }
  if (std::isnan(op.d)) {
    st.BindNull(p + 6);
  } else {
    st.Bind(p + 6, op.d);
  }
  st.BindTextOrNull(p + 7, op.s[0]).Bind(p + 8, op.v[5]).Bind(p + 9, op.v[6]);
  st.Bind(p + 10, op.v[7]);
}

std::size_t ImportWriter::ExecuteRun(std::vector<Op>& ops, std::size_t at) {
  const Kind kind = ops[at].kind;
  Stmt* multi = kind == Kind::kInsertEntity ? &insert_entities_
                : kind == Kind::kInsertLink ? &insert_links_
                                            : nullptr;
  std::size_t run = 1;
  if (multi != nullptr && multi->get() != nullptr) {
    while (run < kRowsPerInsert && at + run < ops.size() && ops[at + run].kind == kind) ++run;
  }
  if (run < kRowsPerInsert) {
    Execute(ops[at]);
    return 1;
  }
  auto bind = kind == Kind::kInsertEntity ? &BindInsertEntity : &BindInsertLink;
  for (std::size_t r = 0; r < run; ++r) bind(*multi, static_cast<int>(r), ops[at + r]);
  multi->Exec();
  return run;
}

}  // namespace casegraph::store
