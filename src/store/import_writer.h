// The write half of an import transaction: entity rows, placeholders, links and search
// index rows, executed in submission order on a background thread, so that SQLite's
// B-tree and full-text work overlaps the importer's merging, link derivation and value
// encoding of the next entities (the import runs on three threads: parse, merge, write).
//
// Contract: one owner thread submits; the owner calls Drain() before it reads rows this
// import may have written (reads go through the same connection and must see every
// write), and Stop() before it commits or rolls back. An error on the writer thread is
// rethrown (as casegraph::Error) by the next Submit, Drain or Stop(false) call; the owner
// then rolls back. Memory is bounded: Submit blocks while the queue is full.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite_util.h"

namespace casegraph::store {

class ImportWriter {
 public:
  // Prepares its statements on `db`, which must outlive the writer. `multi_row_inserts`:
  // runs of entity and of link inserts go through multi-row INSERTs (faster on tables
  // without secondary indexes, as in a bulk import, which drops them; slower with them).
  explicit ImportWriter(Db& db, bool multi_row_inserts = false);
  ~ImportWriter();  // Stop(/*discard=*/true)
  ImportWriter(const ImportWriter&) = delete;
  ImportWriter& operator=(const ImportWriter&) = delete;

  // Empty label / caption strings are written as NULL.
  void InsertEntity(std::int64_t iid, std::int64_t id_hash, std::string id, std::string schema,
                    std::string label, std::string caption, std::int64_t first_seen,
                    std::int64_t last_seen, std::int64_t link_lo, std::int64_t link_n,
                    std::string vals);
  void UpdateEntity(std::int64_t iid, std::string schema, std::string label, std::string caption,
                    std::int64_t first_seen, std::int64_t last_seen, std::int64_t link_lo,
                    std::int64_t link_n, std::string vals);
  void InsertPlaceholder(std::int64_t iid, std::int64_t id_hash, std::string id);
  // time: nullopt-like sentinel `has_time = false`; weight NaN = NULL; empty label = NULL.
  void InsertLink(std::int64_t lid, std::int64_t src, std::int64_t dst, std::int64_t type,
                  bool has_time, std::int64_t time, double weight, std::string label,
                  std::int64_t first_seen, std::int64_t last_seen, std::int64_t owner);
  void DeleteLinks(std::int64_t lo, std::int64_t hi);  // lid in [lo, hi)
  void FtsDelete(std::int64_t iid);
  void FtsInsert(std::int64_t iid, std::string names, std::string labels);

  // Waits until every submitted write ran; rethrows a writer error.
  void Drain();
  // Batches are numbered from 1 in the order they are handed to the writer thread; this is
  // the number the batch being filled now will get (the one holding the last Submit).
  std::uint64_t CurrentBatch() const { return handed_over_ + 1; }
  // Waits until the writer has run batches up to `batch` (0: none needed) and returns a
  // lock that keeps it from running more while held: the owner can then read rows those
  // batches wrote on the shared connection, without waiting for the whole queue (Drain).
  // Rethrows a writer error. Release the lock before submitting anything.
  [[nodiscard]] std::unique_lock<std::mutex> WaitForBatch(std::uint64_t batch);
  // Ends the writer thread: after running what was submitted (discard = false, rethrows
  // a writer error) or as soon as possible (discard = true, for rollback; never throws).
  // Finalizes the statements. Idempotent.
  void Stop(bool discard);

 private:
  enum class Kind : std::uint8_t {
    kInsertEntity,
    kUpdateEntity,
    kPlaceholder,
    kInsertLink,
    kDeleteLinks,
    kFtsDelete,
    kFtsInsert
  };
  static constexpr int kKinds = static_cast<int>(Kind::kFtsInsert) + 1;
  enum class Table : std::uint8_t { kEntities, kLinks, kNames };
  static Table TableOf(Kind kind);
  struct Op {
    Kind kind;
    bool flag = false;  // kInsertLink: has_time
    std::int64_t v[8] = {};
    double d = 0;
    std::string s[5];
  };
  static constexpr std::size_t kBatchOps = 512;
  // With `multi_row_inserts`, runs of this many entity (or link) inserts go through one
  // multi-row INSERT: SQLite's fixed cost per statement (cursor open/close, reset) is paid
  // once per run. Measured at 1 M links: link rows 2.9 -> 1.7-2.2 s of writer CPU; 1.1 M
  // entity-like rows without secondary indexes 2.5 -> 1.8 us each. With secondary indexes
  // a 16-row INSERT is slower (9.9 against 6.2 us per row, two indexes); name-index
  // (FTS5) rows stay single.
  static constexpr std::size_t kRowsPerInsert = 16;
  static constexpr std::size_t kMaxBatches = 32;

  static Op EntityOp(Kind kind, std::int64_t iid, std::int64_t id_hash, std::string id,
                     std::string schema, std::string label, std::string caption,
                     std::int64_t first_seen, std::int64_t last_seen, std::int64_t link_lo,
                     std::int64_t link_n, std::string vals);
  void Submit(Op&& op);
  void HandOver();  // queues `pending_` (owner thread)
  void Run();       // writer thread
  void Execute(Op& op);
  // Bind `op` as row `row` (0-based) of a (multi-row) entity or link insert.
  static void BindInsertEntity(Stmt& st, int row, const Op& op);
  static void BindInsertLink(Stmt& st, int row, const Op& op);
  // Runs ops[at..]: a full run of entity or link inserts through the multi-row statement
  // (when enabled), else one op singly. Returns how many ops ran.
  std::size_t ExecuteRun(std::vector<Op>& ops, std::size_t at);
  void RethrowIfFailed();  // owner thread, mu_ held

  Stmt insert_entity_, update_entity_, insert_placeholder_, insert_link_, delete_links_,
      fts_delete_, fts_insert_;
  // kRowsPerInsert rows each; prepared only with multi_row_inserts.
  Stmt insert_entities_, insert_links_;
  std::vector<Op> pending_;  // owner thread only
  std::mutex mu_;
  std::condition_variable cv_;         // the owner waits here (room, drained, error)
  std::condition_variable writer_cv_;  // the writer waits here (work, stop)
  int owner_waiting_ = 0;
  bool writer_waiting_ = false;
  std::deque<std::vector<Op>> queue_;
  std::size_t running_ = 0;                 // batches taken by the writer and not finished
  std::uint64_t handed_over_ = 0;           // owner thread: batches queued so far
  std::uint64_t written_ = 0;               // guarded by mu_: batches the writer has run
  std::mutex exec_mu_;                      // held by the writer thread while it runs an op
  bool stopped_ = false, discard_ = false;  // guarded by mu_
  std::exception_ptr error_;
  // CG_IMPORT_TIMING set: per kind of op, how many ran and their time (writer thread),
  // printed to stderr by Stop.
  bool timing_ = false;
  std::uint64_t kind_count_[kKinds] = {}, kind_ns_[kKinds] = {};
  std::thread thread_;
};

}  // namespace casegraph::store
