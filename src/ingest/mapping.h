// FollowTheMoney mapping files (the YAML that Aleph's `ftm map` reads), parsed and
// validated against the case schema, plus the per-record mapping step that turns one CSV
// row into entities with FtM-compatible ids. Extensions (date_format, grading, label) are
// documented in docs/mapping.md.
//
// Ownership and threads: a Mapping is an immutable value after LoadMapping(); mapping
// records from one thread at a time per QueryMapping (MapRecord uses no shared state
// except the immutable mapping, so distinct threads may map with distinct outputs).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casegraph/status.h"
#include "common/hash.h"
#include "model/entity.h"
#include "model/schema.h"

namespace casegraph::ingest {

// A grading component: a literal ("B", "2") or a CSV column to read it from.
struct GradingSource {
  std::string literal;
  std::string column;  // set if read from a column
  bool empty() const { return literal.empty() && column.empty(); }
};

struct GradingMapping {
  GradingSource reliability;  // A..F
  GradingSource credibility;  // 1..6
  bool empty() const { return reliability.empty() && credibility.empty(); }
};

struct PropertyMapping {
  std::string prop;  // FtM property name
  model::PropertyType type = model::PropertyType::kString;
  std::string range;                  // for entity properties: the target schema
  std::vector<std::string> columns;   // column / columns
  std::vector<std::string> literals;  // literal / literals
  std::optional<std::string> join;
  std::optional<std::string> split;
  std::string entity;                    // name of another entity mapping in the query
  std::optional<std::string> template_;  // "{{col}} text {{col2}}"
  std::vector<std::string> template_refs;
  std::vector<std::string> date_formats;  // FtM `format`, extension `date_format`
  bool required = false;                  // FtM: skip the entity if this yields nothing
  std::string label;                      // extension: security label of these values
  SourceLocation where;
};

struct EntityMapping {
  std::string name;  // key in the query's `entities`
  std::string schema;
  std::vector<std::string> keys;
  std::string key_literal;
  std::string id_column;
  std::vector<PropertyMapping> properties;
  GradingMapping grading;  // extension; falls back to the query's
  std::string label;       // extension: entity label; falls back to query, dataset, option
  std::vector<std::string> dependencies;  // entity mappings referenced by properties
  // sha1 seeded with the dataset name (FtM's key_prefix) and key_literal; copied per record.
  std::shared_ptr<const Digest> seed;
  SourceLocation where;
};

struct QueryMapping {
  std::vector<std::string> csv_paths;  // resolved against the mapping file's folder
  std::vector<std::pair<std::string, std::string>> filters;
  std::vector<std::pair<std::string, std::string>> filters_not;
  std::vector<EntityMapping> entities;  // in dependency order (referenced ones first)
  std::vector<std::string> refs;        // every column the query reads (sorted, unique)
  GradingMapping grading;
  std::string label;
  SourceLocation where;
};

struct DatasetMapping {
  std::string name;  // top-level key; seeds entity ids as FtM's key_prefix
  std::string label;
  std::vector<QueryMapping> queries;
};

struct Mapping {
  std::string path;  // mapping file
  std::string text;  // its YAML text
  std::vector<DatasetMapping> datasets;
};

// Parses and validates a mapping file: YAML syntax, structure, schemata and properties
// (against `schema`), keys, entity references and their ranges, dependency cycles,
// remote csv_urls (refused: casegraph never downloads). Errors carry the YAML
// line/column. csv_url paths are resolved against the mapping file's folder.
Result<Mapping> LoadMapping(const std::string& path, const model::Schema& schema);
Result<Mapping> ParseMapping(const std::string& yaml_text, const std::string& path,
                             const model::Schema& schema);

// One CSV record as the mapper sees it: column name -> index into `fields`.
struct RecordView {
  const std::vector<std::string_view>* fields = nullptr;
  const std::map<std::string, int, std::less<>>* columns = nullptr;
  // For error locations (optional): the record's bytes, its first line and its file.
  std::string_view raw_record;
  long line = 0;
  std::string file;
  // Where a column's value starts in the file (line, byte column), or the record start.
  SourceLocation Locate(std::string_view column) const;
  // The sanitized value of a column ("" if absent or empty): trimmed, NFKC-normalised.
  std::string Get(std::string_view column) const;
  std::string_view Raw(std::string_view column) const;
};

struct MappedEntity {
  const std::string* mapping_name = nullptr;  // EntityMapping::name (the mapping outlives it)
  model::Entity entity;                       // values without provenance (the importer adds it)
};

// Maps one record with one query: FtM's QueryMapping.map(). Entities whose keys are all
// empty are skipped and reported in *skipped (FtM logs a warning). Throws casegraph::Error
// (kParseError) for a value that cannot be cleaned (bad date, amount, grading...), located
// at the offending field.
std::vector<MappedEntity> MapRecord(const QueryMapping& query, const RecordView& record,
                                    std::vector<std::string>* skipped);

// True if the record passes the query's filters / filters_not.
bool PassesFilters(const QueryMapping& query, const RecordView& record);

// FtM's entity id for a mapping entity from its key values: sha1(dataset, key_literal,
// sorted non-empty keys...), or "" if all keys are empty.
std::string ComputeEntityId(const Digest& seed, std::vector<std::string> key_values);

// FtM's sanitize_text for a raw cell: NFKC, trimmed, unsafe control characters removed.
std::string SanitizeText(std::string_view raw);

}  // namespace casegraph::ingest
