// Helpers shared by the store tests and benchmark: temporary case paths, entity builders
// and a content checksum of a whole case. Test-only; not part of the store's API.
#pragma once

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

}  // namespace casegraph::store::testing
