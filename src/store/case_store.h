// The case store: one SQLite file per case (WAL mode) holding entities with their
// property values and provenance, the links derived from them, import runs, and
// case metadata (schema version, user schema extensions). It is the system of record;
// analytics run on graph snapshots built from LoadLinks().
//
// Ownership and threads: a CaseStore owns its SQLite connection and is used by one
// thread at a time. An ImportTransaction borrows the store and must not outlive it;
// while one is open, no other write may happen. Readers in other processes see only
// committed imports (WAL).
//
// File format and performance notes (details in case_store.cc): entities are found by a
// 64-bit hash index of their FtM id; an entity owns the contiguous range of link ids
// derived from it; an import into a case with at most 200k entities runs in "bulk mode"
// (secondary indexes dropped and rebuilt by sorting at Commit, every id held in an
// in-memory map of ~24-34 bytes per id), larger cases update the indexes in place.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casegraph/status.h"
#include "model/clearance.h"
#include "model/entity.h"
#include "model/schema.h"

namespace casegraph::store {

inline constexpr int kStoreFormatVersion = 2;

// Dense internal id of an entity: the SQLite rowid, 1-based, never reused.
using EntityIid = std::int64_t;

struct ImportRunInfo {
  std::string kind;          // "ftm" or "mapping"
  std::string dataset;       // dataset name
  std::string source_file;   // the file imported (mapping file for mapping imports)
  std::string content_hash;  // sha256 of the input bytes (all CSVs + mapping for mappings)
  std::string mapping;       // mapping YAML text, if any
};

struct ImportCounts {
  std::int64_t records = 0;   // input rows / lines read
  std::int64_t entities = 0;  // entities written (new or merged)
  std::int64_t new_entities = 0;
  std::int64_t links = 0;     // links derived
  std::int64_t values = 0;    // property values written
  std::int64_t rejected = 0;  // rows sent to the rejects file
  std::int64_t warnings = 0;  // e.g. unknown properties kept as text
};

struct ImportRun {
  std::int64_t id = 0;
  ImportRunInfo info;
  ImportCounts counts;
  std::int64_t started_at = 0;  // unix seconds
  std::int64_t finished_at = 0;
  std::string outcome;  // "committed"; failed runs leave no trace in the case
};

// A compact view of an entity for lists: id, schema and display caption.
struct EntityHeader {
  EntityIid iid = 0;
  std::string id;
  std::string schema;
  std::string caption;  // first name/title-like value, or the id
};

// All visible links, structure-of-arrays, ready for the CSR builder.
struct LinkTable {
  std::int64_t num_nodes = 0;          // max entity iid + 1
  std::vector<std::int64_t> link_iid;  // the link's own row id
  std::vector<std::uint32_t> src;      // entity iids (fit 32 bits up to 4 G entities)
  std::vector<std::uint32_t> dst;
  std::vector<std::uint16_t> type;     // link type code, see LinkTypes()
  std::vector<std::int64_t> time;      // unix seconds of the link's date; INT64_MIN if none
  std::vector<std::uint8_t> directed;  // 1 if the link's schema is directed
  // Per-link numeric value for weighted analyses: the edge entity's `amount` (Payment,
  // Debt...) or `percentage` / 100 (Ownership); NaN where absent. Empty = not loaded.
  std::vector<double> weight;
  // Per iid: 1 if the entity is a visible graph node. 0 for hidden entities and for
  // entities of edge schemata (Payment, Ownership...: they are links, not nodes).
  std::vector<std::uint8_t> visible_node;
};

// A link type: an edge schema ("Ownership", prop "") or an entity-reference
// property ("BankAccount", prop "bank").
struct LinkType {
  std::uint16_t code = 0;
  std::string schema;
  std::string prop;
  bool directed = true;
  std::string Name() const { return prop.empty() ? schema : schema + "." + prop; }
};

// One link with its endpoints, for show/expand/path output.
struct LinkInfo {
  std::int64_t link_iid = 0;
  std::string id;      // edge entity id, or "<entity id>.<prop>.<target id>" for references
  std::string schema;  // edge schema, or the referring entity's schema
  std::string prop;    // "" for edge schemata
  std::string source;  // entity ids
  std::string target;
  bool directed = true;
  std::int64_t time = 0;  // 0 if none
};

struct SearchHit {
  EntityHeader entity;
  double score = 0;  // 0..1
};

class ImportTransaction;

class CaseStore {
 public:
  // Creates a new case file; fails with kAlreadyExists if the file exists.
  static Result<std::unique_ptr<CaseStore>> Create(const std::string& path);
  // Opens an existing case, migrating it to the current format if older.
  static Result<std::unique_ptr<CaseStore>> Open(const std::string& path);
  ~CaseStore();

  const model::Schema& schema() const;
  const std::string& path() const;

  // Adds user schemata/properties (YAML, same format as schema/ftm.yml) to the case.
  Status AddSchemaExtension(const std::string& yaml_text);

  // Starts an import. Everything added is invisible to readers and discarded unless
  // Commit() succeeds; a crash before Commit leaves the case as before.
  Result<std::unique_ptr<ImportTransaction>> BeginImport(const ImportRunInfo& info);

  // Reads. Every read takes the reader's clearances and omits what they do not cover.
  // GetEntity: nullopt if absent or the entity's label is not covered; values whose label
  // is not covered are dropped. An entity that is only referenced (a placeholder created
  // by a link to it, not imported yet) comes back with an empty schema and no values.
  Result<std::optional<model::Entity>> GetEntity(const std::string& id, const model::Clearances& c);
  Result<std::optional<EntityIid>> FindIid(const std::string& id, const model::Clearances& c);
  // One header/link per input, in input order (unknown ids give an entry with only the
  // iid set). No clearance check: callers pass ids from an already filtered snapshot.
  // Captions are built from unlabelled values only, so they never leak labelled data.
  Result<std::vector<EntityHeader>> GetHeaders(const std::vector<EntityIid>& iids);
  Result<std::vector<LinkInfo>> GetLinks(const std::vector<std::int64_t>& link_iids);
  // Links touching one entity (in either direction), visible to c.
  Result<std::vector<LinkInfo>> LinksOf(const std::string& id, const model::Clearances& c);
  // Per-schema entity counts, and link counts per link type name.
  Result<std::map<std::string, std::int64_t>> CountEntitiesBySchema(const model::Clearances& c);
  Result<std::map<std::string, std::int64_t>> CountLinksByType(const model::Clearances& c);
  // Ranked name search, insensitive to case, diacritics, script and word order: FTS5
  // over FoldForSearch() of every name-type value and the caption; the last query token
  // also matches as a prefix. Score: see NameMatchScore() in search_score.h (1 = exact).
  Result<std::vector<SearchHit>> Search(const std::string& text, int limit,
                                        const model::Clearances& c);
  // Streams every visible entity (export). Values the clearances do not cover are dropped.
  Status ForEachEntity(const model::Clearances& c,
                       const std::function<void(const model::Entity&)>& fn);
  // The visible link graph as of a date (unix seconds; nullopt = now), for snapshots: a
  // link is left out if its label is not covered, if either end is hidden (label not
  // covered, or first seen after as_of), or if it was first seen after as_of (a link's
  // first seen is the later first-seen of the values defining it). Placeholders are visible.
  Result<LinkTable> LoadLinks(const model::Clearances& c, std::optional<std::int64_t> as_of);
  Result<std::vector<LinkType>> LinkTypes();
  Result<std::vector<ImportRun>> ImportRuns();
  // Monotonic counter that changes whenever an import commits (snapshot invalidation).
  Result<std::int64_t> DataVersion();

 private:
  friend class ImportTransaction;
  struct Impl;
  explicit CaseStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class ImportTransaction {
 public:
  ~ImportTransaction();  // rolls back if not committed
  std::int64_t run_id() const;
  // Merges an entity into the case: values merge by (entity id, property, value,
  // dataset); first_seen is kept, last_seen and run id updated. The entity must be
  // schema-valid (the importer checks). Links are derived from edge schemata and
  // entity-reference properties.
  // Values with empty prov.dataset / prov.source_file take the default source (see
  // SetDefaultSource; initially the run's); prov.first_seen /
  // last_seen of 0 mean "now" (the run's start). Errors: kSchemaError for an unknown
  // schema or an entity re-imported with an unrelated schema (a more specific one, e.g.
  // LegalEntity -> Company, is adopted); nothing of that entity is written and the
  // transaction stays usable. After any other error, roll back.
  Status Add(const model::Entity& entity);
  // Same, taking the entity's strings instead of copying them (faster for bulk imports).
  Status Add(model::Entity&& entity);
  // The source given to values added from now on whose prov.dataset / prov.source_file
  // are empty (until the first call: the run's dataset and source file). An importer
  // reading several files sets it per file, so that values need not carry the strings.
  void SetDefaultSource(const std::string& dataset, const std::string& source_file);
  // Writes the import_runs row and commits durably (WAL synced). `counts` supplies
  // records/rejected/warnings; entities/new_entities/links/values are the transaction's
  // own tally (see counts()). On failure the import is rolled back.
  Result<ImportRun> Commit(const ImportCounts& counts);
  void Rollback();
  const ImportCounts& counts() const;

 private:
  friend class CaseStore;
  struct Impl;
  explicit ImportTransaction(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace casegraph::store
