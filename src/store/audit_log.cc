// Implementation of the hash-chained audit log on its own SQLite connection.
#include "store/audit_log.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <ctime>
#include <memory>

#include "common/hash.h"
#include "store/sqlite_util.h"

namespace casegraph::store {
namespace {

// Opens the case file (which must exist) and makes sure the audit table is there.
std::unique_ptr<Db> OpenDb(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw Error(StatusCode::kNotFound, "no case file at " + path);
  auto db = std::make_unique<Db>(path, SQLITE_OPEN_READWRITE);
  db->Exec("PRAGMA busy_timeout=10000");
  db->Exec(
      "CREATE TABLE IF NOT EXISTS audit_log(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, "
      "user TEXT NOT NULL, purpose TEXT NOT NULL, command TEXT NOT NULL, arguments TEXT NOT NULL, "
      "outcome TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)");
  return db;
}

AuditEntry RowToEntry(const Stmt& s) {
  AuditEntry e;
  e.seq = s.Int(0);
  e.at = s.Int(1);
  e.user = s.Str(2);
  e.purpose = s.Str(3);
  e.command = s.Str(4);
  e.arguments = s.Str(5);
  e.outcome = s.Str(6);
  e.prev_hash = s.Str(7);
  e.hash = s.Str(8);
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
    auto db = OpenDb(case_path);
    db->Exec("BEGIN IMMEDIATE");
    AuditEntry e = entry;
    {
      Stmt last = db->Prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
      if (last.Step()) {
        e.seq = last.Int(0) + 1;
        e.prev_hash = last.Str(1);
      } else {
        e.seq = 1;
        e.prev_hash = std::string(64, '0');
      }
    }
    if (e.at == 0) e.at = static_cast<std::int64_t>(std::time(nullptr));
    e.hash = HashOf(e);
    db->Prepare(
          "INSERT INTO audit_log(seq, at, user, purpose, command, arguments, outcome, "
          "prev_hash, hash) VALUES(?,?,?,?,?,?,?,?,?)")
        .Bind(1, e.seq)
        .Bind(2, e.at)
        .Bind(3, std::string_view(e.user))
        .Bind(4, std::string_view(e.purpose))
        .Bind(5, std::string_view(e.command))
        .Bind(6, std::string_view(e.arguments))
        .Bind(7, std::string_view(e.outcome))
        .Bind(8, std::string_view(e.prev_hash))
        .Bind(9, std::string_view(e.hash))
        .Exec();
    db->Exec("COMMIT");
  });
}

Result<std::vector<AuditEntry>> AuditLog::Read(const std::string& case_path, std::int64_t after_seq,
                                               std::int64_t limit) {
  std::vector<AuditEntry> out;
  Status s = CatchAsStatus([&] {
    auto db = OpenDb(case_path);
    Stmt q = db->Prepare(std::string(kSelect) + "WHERE seq > ? ORDER BY seq LIMIT ?");
    q.Bind(1, after_seq).Bind(2, std::int64_t{limit > 0 ? limit : -1});
    while (q.Step()) out.push_back(RowToEntry(q));
  });
  if (!s.ok()) return s;
  return out;
}

Result<AuditVerification> AuditLog::Verify(const std::string& case_path) {
  AuditVerification v;
  Status s = CatchAsStatus([&] {
    auto db = OpenDb(case_path);
    Stmt q = db->Prepare(std::string(kSelect) + "ORDER BY seq");
    std::string prev(64, '0');
    std::int64_t expected_seq = 1;
    while (q.Step()) {
      AuditEntry e = RowToEntry(q);
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
