// FollowTheMoney entity JSON lines: a streaming reader ({"id","schema","properties":{...}}
// per line, as Aleph, OpenSanctions and `ftm` write them) and a deterministic writer, so
// export -> import round-trips without loss.
//
// Reader: provenance comes from the top-level first_seen / last_seen / datasets fields;
// caption, referents, target, last_change and other fields are ignored. Properties our
// schema does not know (newer FtM versions) are kept as text values and reported in
// FtmRecord::unknown_properties. The writer emits FtM's shape plus, when an entity
// carries casegraph-only data (labels, gradings, per-value provenance that differs from
// the entity's), a "casegraph" object that the reader restores.
//
// Ownership and threads: an FtmJsonReader owns its file and parser; one thread at a time.
// WriteFtmJson is pure and thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casegraph/status.h"
#include "model/entity.h"
#include "model/schema.h"

namespace casegraph::ingest {

struct FtmRecord {
  long line = 0;         // 1-based line number in the file
  std::string_view raw;  // the line's bytes, valid until the next Next()
  model::Entity entity;  // values carry prov.dataset/first_seen/last_seen from the line
  std::vector<std::string> datasets;  // top-level "datasets"
  std::int64_t first_seen = 0;        // unix seconds; 0 = absent
  std::int64_t last_seen = 0;
  std::vector<std::string> unknown_properties;  // names kept as text values
  Status error;  // a bad line (invalid JSON, unknown schema, bad value): reject or fail
};

struct FtmReadOptions {
  bool clean_values = true;  // validate and normalise values with model::CleanValue
  std::size_t buffer_size = 1 << 20;
  std::size_t max_line_bytes = 256 << 20;
};

class FtmJsonReader {
 public:
  // `schema` must outlive the reader.
  static Result<std::unique_ptr<FtmJsonReader>> Open(const std::string& path,
                                                     const model::Schema& schema,
                                                     const FtmReadOptions& options = {});
  static Result<std::unique_ptr<FtmJsonReader>> FromString(std::string data,
                                                           const std::string& name,
                                                           const model::Schema& schema,
                                                           const FtmReadOptions& options = {});
  ~FtmJsonReader();
  FtmJsonReader(const FtmJsonReader&) = delete;
  FtmJsonReader& operator=(const FtmJsonReader&) = delete;

  // Reads the next non-blank line. False at the end or on a fatal (I/O) error, see status().
  // A malformed line returns true with record->error set.
  bool Next(FtmRecord* record);
  const Status& status() const { return status_; }
  std::uint64_t bytes_read() const { return consumed_; }
  std::uint64_t bytes_total() const { return total_; }
  const std::string& name() const { return name_; }

 private:
  struct Impl;
  FtmJsonReader(std::string name, const model::Schema& schema, const FtmReadOptions& options);
  void ParseLine(std::string_view line, FtmRecord* record);
  bool Refill();

  std::string name_;
  const model::Schema& schema_;
  FtmReadOptions options_;
  std::FILE* file_ = nullptr;
  std::vector<char> buf_;  // capacity incl. simdjson padding
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  long line_ = 0;
  std::uint64_t buf_offset_ = 0;
  std::uint64_t consumed_ = 0;
  std::uint64_t total_ = 0;
  Status status_;
  std::unique_ptr<Impl> impl_;
};

struct FtmWriteOptions {
  // Adds the "casegraph" object (entity label; every value with its dataset, source file,
  // record key, first/last seen, grading and label) so a re-import restores it exactly.
  // FtM tools ignore the extra field.
  bool extended = false;
};

// One entity as one JSON line (no trailing newline). Deterministic: keys in the order
// id, schema, properties (sorted by name; values in stored order, duplicates dropped),
// datasets (sorted), first_seen, last_seen (min/max over the values, ISO 8601), then the
// optional "casegraph" object. Non-ASCII text is written as raw UTF-8.
std::string WriteFtmJson(const model::Entity& entity, const FtmWriteOptions& options = {});

// ISO 8601 ("2023-01-02T03:04:05", optional fraction and Z/offset, or a bare date) to unix
// seconds; nullopt if unparseable.
std::optional<std::int64_t> ParseIsoTime(std::string_view s);
// Unix seconds to FtM's "YYYY-MM-DDTHH:MM:SS".
std::string FormatIsoTime(std::int64_t seconds);

}  // namespace casegraph::ingest
