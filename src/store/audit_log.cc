// Implementation of the hash-chained audit log on its own SQLite connection.
#include "store/audit_log.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <ctime>
#include <memory>

#include "common/hash.h"

namespace casegraph::store {
namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

[[noreturn]] void Fail(sqlite3* db, const std::string& what) {
  throw Error(StatusCode::kIoError, "audit log: " + what + ": " + (db ? sqlite3_errmsg(db) : "?"));
}

Db OpenDb(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw Error(StatusCode::kNotFound, "no case file at " + path);
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    Db guard(raw);
    Fail(raw, "cannot open " + path);
  }
  Db db(raw);
  sqlite3_busy_timeout(db.get(), 10000);
  const char* ddl =
      "CREATE TABLE IF NOT EXISTS audit_log(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, "
      "user TEXT NOT NULL, purpose TEXT NOT NULL, command TEXT NOT NULL, arguments TEXT NOT NULL, "
      "outcome TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)";
  if (sqlite3_exec(db.get(), ddl, nullptr, nullptr, nullptr) != SQLITE_OK)
    Fail(db.get(), "create table");
  return db;
}

Stmt Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) Fail(db, "prepare");
  return Stmt(raw);
}

std::string Text(sqlite3_stmt* s, int col) {
  const unsigned char* t = sqlite3_column_text(s, col);
  return t ? reinterpret_cast<const char*>(t) : "";
}

AuditEntry RowToEntry(sqlite3_stmt* s) {
  AuditEntry e;
  e.seq = sqlite3_column_int64(s, 0);
  e.at = sqlite3_column_int64(s, 1);
  e.user = Text(s, 2);
  e.purpose = Text(s, 3);
  e.command = Text(s, 4);
  e.arguments = Text(s, 5);
  e.outcome = Text(s, 6);
  e.prev_hash = Text(s, 7);
  e.hash = Text(s, 8);
  return e;
}

const char* kSelect =
    "SELECT seq, at, user, purpose, command, arguments, outcome, prev_hash, hash FROM audit_log ";

}  // namespace

std::string AuditLog::HashOf(const AuditEntry& e) {
  // Length-prefixed fields so that no two different entries serialise alike.
  std::string buf;
  auto add = [&buf](const std::string& field) {
    buf += std::to_string(field.size());
    buf += ':';
    buf += field;
  };
  add(std::to_string(e.seq));
  add(std::to_string(e.at));
  add(e.user);
  add(e.purpose);
  add(e.command);
  add(e.arguments);
  add(e.outcome);
  add(e.prev_hash);
  return Sha256Hex(buf);
}

Status AuditLog::Append(const std::string& case_path, const AuditEntry& entry) {
  return CatchAsStatus([&] {
    Db db = OpenDb(case_path);
    if (sqlite3_exec(db.get(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
      Fail(db.get(), "begin");
    AuditEntry e = entry;
    {
      Stmt last = Prepare(db.get(), "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
      if (sqlite3_step(last.get()) == SQLITE_ROW) {
        e.seq = sqlite3_column_int64(last.get(), 0) + 1;
        e.prev_hash = Text(last.get(), 1);
      } else {
        e.seq = 1;
        e.prev_hash = std::string(64, '0');
      }
    }
    if (e.at == 0) e.at = static_cast<std::int64_t>(std::time(nullptr));
    e.hash = HashOf(e);
    Stmt ins = Prepare(db.get(),
                       "INSERT INTO audit_log(seq, at, user, purpose, command, arguments, outcome, "
                       "prev_hash, hash) VALUES(?,?,?,?,?,?,?,?,?)");
    sqlite3_bind_int64(ins.get(), 1, e.seq);
    sqlite3_bind_int64(ins.get(), 2, e.at);
    const std::string* texts[] = {&e.user,    &e.purpose,   &e.command, &e.arguments,
                                  &e.outcome, &e.prev_hash, &e.hash};
    for (int i = 0; i < 7; ++i)
      sqlite3_bind_text(ins.get(), 3 + i, texts[i]->c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(ins.get()) != SQLITE_DONE) Fail(db.get(), "insert");
    if (sqlite3_exec(db.get(), "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
      Fail(db.get(), "commit");
  });
}

Result<std::vector<AuditEntry>> AuditLog::Read(const std::string& case_path, std::int64_t after_seq,
                                               std::int64_t limit) {
  std::vector<AuditEntry> out;
  Status s = CatchAsStatus([&] {
    Db db = OpenDb(case_path);
    Stmt q =
        Prepare(db.get(), (std::string(kSelect) + "WHERE seq > ? ORDER BY seq LIMIT ?").c_str());
    sqlite3_bind_int64(q.get(), 1, after_seq);
    sqlite3_bind_int64(q.get(), 2, limit > 0 ? limit : -1);
    while (sqlite3_step(q.get()) == SQLITE_ROW) out.push_back(RowToEntry(q.get()));
  });
  if (!s.ok()) return s;
  return out;
}

Result<AuditVerification> AuditLog::Verify(const std::string& case_path) {
  AuditVerification v;
  Status s = CatchAsStatus([&] {
    Db db = OpenDb(case_path);
    Stmt q = Prepare(db.get(), (std::string(kSelect) + "ORDER BY seq").c_str());
    std::string prev(64, '0');
    std::int64_t expected_seq = 1;
    while (sqlite3_step(q.get()) == SQLITE_ROW) {
      AuditEntry e = RowToEntry(q.get());
      ++v.entries;
      std::string reason;
      if (e.seq != expected_seq)
        reason = "entry missing before this one";
      else if (e.prev_hash != prev)
        reason = "does not chain to the previous entry";
      else if (HashOf(e) != e.hash)
        reason = "content does not match its hash (edited)";
      if (!reason.empty()) {
        v.ok = false;
        v.first_bad_seq = e.seq;
        v.reason = reason;
        return;
      }
      prev = e.hash;
      expected_seq = e.seq + 1;
    }
  });
  if (!s.ok()) return s;
  return v;
}

}  // namespace casegraph::store
