// Helpers shared by the store tests and benchmark: temporary case paths, entity builders
// and a content checksum of a whole case. Test-only; not part of the store's API.
#pragma once

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "model/entity.h"

namespace casegraph::store::testing {

// A fresh, empty temporary directory, removed by the destructor.
class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    path_ = std::filesystem::temp_directory_path() /
            ("cg_store_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline model::Entity MakeEntity(std::string id, std::string schema,
                                std::initializer_list<std::pair<std::string, std::string>> props) {
  model::Entity e;
  e.id = std::move(id);
  e.schema = std::move(schema);
  for (const auto& [p, v] : props) e.Add(p, v);
  return e;
}

// The journal mode of a case file ("wal", "delete", ...) as a fresh connection sees it;
// "" if it cannot be read.
inline std::string JournalMode(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  std::string mode;
  if (st != nullptr && sqlite3_step(st) == SQLITE_ROW) {
    mode = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return mode;
}

}  // namespace casegraph::store::testing
