// Thin RAII helpers over the SQLite C API for the case store: a connection (Db) and
// prepared statements (Stmt). Every failure throws casegraph::Error (kIoError, or
// kCorruption for "not a database"/corrupt files); the store converts to Status once at
// its public boundary. Not thread-safe: one thread uses a Db and its statements.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "casegraph/status.h"

namespace casegraph::store {

// Throws Error for a failed SQLite call on `db`, with `what` as context.
[[noreturn]] void ThrowSqlite(sqlite3* db, int rc, std::string_view what);

// A prepared statement. Owns the sqlite3_stmt; borrows the connection.
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, std::string_view sql);
  Stmt(Stmt&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Binding; indexes are 1-based as in SQLite. Text and blobs are bound SQLITE_STATIC:
  // the caller keeps them alive until the statement is stepped/reset.
  Stmt& Bind(int i, std::int64_t v);
  Stmt& Bind(int i, double v);
  Stmt& Bind(int i, std::string_view text);
  Stmt& BindBlob(int i, std::string_view bytes);
  Stmt& BindNull(int i);
  // Binds text, or NULL when empty.
  Stmt& BindTextOrNull(int i, std::string_view text);

  // Steps once: true if a row is available, false when done. Throws on error.
  bool Step();
  // Steps a statement that returns no rows, then resets it.
  void Exec();
  void Reset();

  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string_view Text(int col) const;
  std::string_view Blob(int col) const;
  std::string Str(int col) const { return std::string(Text(col)); }

  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// An open SQLite connection. Owns the sqlite3 handle.
class Db {
 public:
  // Opens `path` with the given sqlite3_open_v2 flags.
  Db(const std::string& path, int flags);
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  void Exec(std::string_view sql);
  Stmt Prepare(std::string_view sql) { return Stmt(db_, sql); }
  // Runs a query returning one integer (first column of the first row); `fallback` if none.
  std::int64_t QueryInt(std::string_view sql, std::int64_t fallback = 0);
  std::int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace casegraph::store
