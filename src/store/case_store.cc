// The SQLite case store: file format (tables, migrations), opening and creating cases,
// import transactions (merge of values with provenance, link derivation, search
// index) and the clearance-filtered read paths. See case_store.h for the contract.
//
// Format notes:
//  - entities.iid is the dense internal id (assigned here, never reused); entities.id is
//    the FtM id, found through an index on its 64-bit xxh3 hash (smaller and faster to
//    maintain than a text UNIQUE index; uniqueness is enforced here).
//  - An entity owns the links derived from it; they occupy the contiguous link-id range
//    [link_lo, link_lo + link_n), so recomputing them on merge needs no owner index.
//    Link ids come from meta.next_lid and are never reused.
//  - link_pages / node_pages (format 2) are derived, read-optimised copies for snapshot
//    loads: links packed by link-id range, and one flag byte per entity (edge schema).
//    An import rewrites the pages it touched inside its own transaction.
//  - name_index is an FTS5 table (rowid = iid): `names` holds the folded names joined by
//    " | ", `labels` (unindexed) the security label of each of them, joined by \x1f.
#include "store/case_store.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common/text.h"
#include "model/types.h"
#include "store/id_map.h"
#include "store/import_writer.h"
#include "store/search_score.h"
#include "store/sqlite_util.h"
#include "store/value_codec.h"

namespace casegraph::store {
namespace {

constexpr std::int64_t kApplicationId = 0x43477068;  // "CGph"
constexpr char kLabelSep = '\x1f';
constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

std::int64_t IdHash(std::string_view id) {
  return static_cast<std::int64_t>(XXH3_64bits(id.data(), id.size()));
}

std::int64_t NowSeconds() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

// True if every label in a \x1f-joined label set is covered.
bool CoversAll(const model::Clearances& c, std::string_view labels) {
  if (labels.empty() || c.all()) return true;
  std::size_t start = 0;
  while (start <= labels.size()) {
    std::size_t end = labels.find(kLabelSep, start);
    if (end == std::string_view::npos) end = labels.size();
    if (!c.Covers(std::string(labels.substr(start, end - start)))) return false;
    start = end + 1;
  }
  return true;
}

void AddLabel(std::string* set, const std::string& label) {
  if (label.empty()) return;
  std::size_t start = 0;
  while (start <= set->size() && !set->empty()) {
    std::size_t end = set->find(kLabelSep, start);
    if (end == std::string::npos) end = set->size();
    if (set->compare(start, end - start, label) == 0) return;
    start = end + 1;
  }
  if (!set->empty()) set->push_back(kLabelSep);
  set->append(label);
}

std::vector<std::string> SplitNames(std::string_view joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < joined.size()) {
    std::size_t end = joined.find(" | ", start);
    if (end == std::string_view::npos) end = joined.size();
    out.emplace_back(joined.substr(start, end - start));
    start = end + 3;
  }
  return out;
}

std::vector<std::string> SplitOn(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t end = s.find(sep, start);
    if (end == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      return out;
    }
    out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
}

// ---- Format and migrations -------------------------------------------------------------

struct Migration {
  int to_version;
  const char* description;
  const char* sql;
  void (*after)(Db& db);  // C++ part of the step (same transaction), or nullptr
};

void RebuildAllPages(Db& db);
void RebuildAllLinkPages(Db& db);

// Migration N takes a case from format N-1 to N. Version 0 is an empty shell (application
// id and meta table only); Create() runs every migration from 0.
const Migration kMigrations[] = {
    {1, "initial case format", R"sql(
CREATE TABLE schema_extensions(id INTEGER PRIMARY KEY, yaml TEXT NOT NULL, added_at INTEGER);
CREATE TABLE sources(sid INTEGER PRIMARY KEY, dataset TEXT NOT NULL, source_file TEXT NOT NULL,
  run_id INTEGER NOT NULL, UNIQUE(dataset, source_file, run_id));
CREATE TABLE entities(iid INTEGER PRIMARY KEY, id_hash INTEGER NOT NULL, id TEXT NOT NULL,
  schema TEXT, label TEXT, caption TEXT, first_seen INTEGER, last_seen INTEGER,
  link_lo INTEGER NOT NULL DEFAULT 0, link_n INTEGER NOT NULL DEFAULT 0, vals BLOB);
CREATE INDEX entities_id_hash ON entities(id_hash);
CREATE INDEX entities_labelled ON entities(label) WHERE label IS NOT NULL;
CREATE INDEX entities_first_seen ON entities(first_seen);
CREATE TABLE link_types(code INTEGER PRIMARY KEY, schema TEXT NOT NULL, prop TEXT NOT NULL,
  directed INTEGER NOT NULL, UNIQUE(schema, prop));
CREATE TABLE links(lid INTEGER PRIMARY KEY, src INTEGER NOT NULL, dst INTEGER NOT NULL,
  type INTEGER NOT NULL, time INTEGER, weight REAL, label TEXT, first_seen INTEGER,
  last_seen INTEGER, owner INTEGER NOT NULL);
CREATE INDEX links_src ON links(src);
CREATE INDEX links_dst ON links(dst);
CREATE TABLE import_runs(id INTEGER PRIMARY KEY, kind TEXT, dataset TEXT, source_file TEXT,
  content_hash TEXT, mapping TEXT, records INTEGER, entities INTEGER, new_entities INTEGER,
  links INTEGER, vals INTEGER, rejected INTEGER, warnings INTEGER, started_at INTEGER,
  finished_at INTEGER, outcome TEXT);
CREATE VIRTUAL TABLE name_index USING fts5(names, labels UNINDEXED, tokenize='ascii');
INSERT OR REPLACE INTO meta(key, value) VALUES('next_lid', 1), ('data_version', 0);
)sql",
     nullptr},
    // Snapshot loading: links packed into fixed-width pages (see PackLinkPage), and one
    // flag byte per entity (see kNodeEdge) so LoadLinks knows which entities are nodes.
    {2, "packed link pages and node flags", R"sql(
CREATE TABLE link_pages(page INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE node_pages(page INTEGER PRIMARY KEY, data BLOB NOT NULL);
)sql",
     &RebuildAllPages},
};

// Secondary indexes that a bulk import drops at BeginImport and rebuilds (by sorting,
// much faster than random-order inserts) at Commit. Same definitions as the migrations.
// Nothing reads them during a bulk import (its id map holds every id of the case). The
// entity indexes cost the writer thread 103 s of CPU at 10 M links when kept row by row
// (random id_hash inserts), 43 s without them, and rebuilding them adds 30 s to the
// commit: 399 s of CPU and 258.5 s wall against 431 s and 266 s (quiet machine, one run
// each; session 2, under load and before the row writer was a thread of its own, had
// found the opposite).
const char* const kBulkIndexes[][2] = {
    {"links_src", "CREATE INDEX links_src ON links(src)"},
    {"links_dst", "CREATE INDEX links_dst ON links(dst)"},
    {"entities_id_hash", "CREATE INDEX entities_id_hash ON entities(id_hash)"},
    {"entities_first_seen", "CREATE INDEX entities_first_seen ON entities(first_seen)"},
};
// A case with at most this many entities is imported into in bulk mode.
constexpr std::int64_t kBulkMaxExistingEntities = 200000;

// ---- Packed link pages -------------------------------------------------------------------
// LoadLinks reads links from link_pages rather than the links table: link ids
// [page * kPageLinks, (page + 1) * kPageLinks) are packed into one BLOB of fixed-width
// columns, so a snapshot load is a few hundred sequential BLOB reads and memcpys instead
// of one sqlite3_step per link. Pages are rewritten, inside the import transaction, for
// every link-id range the import touched (so they are exactly as durable as the links).
// Page layout (little-endian, host order): u32 version (=1), u32 n, u32 nlabels, then
// nlabels x (u32 length, bytes), then the columns: i64 lid[n], u32 src[n], u32 dst[n],
// u16 type[n], i64 time[n] (kNoTime = none), f64 weight[n] (NaN = none),
// i64 first_seen[n], u32 label[n] (0 = unlabelled, k = k-th label of the page).
constexpr int kPageShift = 12;
constexpr std::int64_t kPageLinks = std::int64_t{1} << kPageShift;
constexpr std::uint32_t kPageVersion = 1;

struct LinkPage {
  std::vector<std::int64_t> lid;
  std::vector<std::uint32_t> src, dst;
  std::vector<std::uint16_t> type;
  std::vector<std::int64_t> time;
  std::vector<double> weight;
  std::vector<std::int64_t> first_seen;
  std::vector<std::uint32_t> label;
  std::vector<std::string> labels;
  void Clear() {
    lid.clear();
    src.clear();
    dst.clear();
    type.clear();
    time.clear();
    weight.clear();
    first_seen.clear();
    label.clear();
    labels.clear();
  }
};

template <typename T>
void AppendRaw(std::string* out, const std::vector<T>& v) {
  out->append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}
void AppendU32(std::string* out, std::uint32_t v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

void PackLinkPage(const LinkPage& p, std::string* out) {
  out->clear();
  AppendU32(out, kPageVersion);
  AppendU32(out, static_cast<std::uint32_t>(p.lid.size()));
  AppendU32(out, static_cast<std::uint32_t>(p.labels.size()));
  for (const auto& l : p.labels) {
    AppendU32(out, static_cast<std::uint32_t>(l.size()));
    out->append(l);
  }
  AppendRaw(out, p.lid);
  AppendRaw(out, p.src);
  AppendRaw(out, p.dst);
  AppendRaw(out, p.type);
  AppendRaw(out, p.time);
  AppendRaw(out, p.weight);
  AppendRaw(out, p.first_seen);
  AppendRaw(out, p.label);
}

// A decoded view of a page BLOB; pointers into the BLOB (unaligned: read with memcpy).
struct LinkPageView {
  std::uint32_t n = 0;
  std::vector<std::string_view> labels;
  const char *lid, *src, *dst, *type, *time, *weight, *first_seen, *label;
};

LinkPageView ParseLinkPage(std::string_view blob) {
  auto fail = [] { throw Error(StatusCode::kCorruption, "malformed link page in the case file"); };
  std::size_t at = 0;
  auto u32 = [&] {
    if (at + 4 > blob.size()) fail();
    std::uint32_t v;
    std::memcpy(&v, blob.data() + at, 4);
    at += 4;
    return v;
  };
  LinkPageView v;
  if (u32() != kPageVersion) fail();
  v.n = u32();
  std::uint32_t nl = u32();
  for (std::uint32_t i = 0; i < nl; ++i) {
    std::uint32_t len = u32();
    if (at + len > blob.size()) fail();
    v.labels.push_back(blob.substr(at, len));
    at += len;
  }
  const std::size_t n = v.n;
  if (blob.size() - at != n * (8 + 4 + 4 + 2 + 8 + 8 + 8 + 4)) fail();
  const char* p = blob.data() + at;
  v.lid = p;
  p += 8 * n;
  v.src = p;
  p += 4 * n;
  v.dst = p;
  p += 4 * n;
  v.type = p;
  p += 2 * n;
  v.time = p;
  p += 8 * n;
  v.weight = p;
  p += 8 * n;
  v.first_seen = p;
  p += 8 * n;
  v.label = p;
  return v;
}

// Reads links [page * kPageLinks, next page) from the links table into `p`.
void ReadLinkPage(Stmt& range, std::int64_t page, LinkPage* p) {
  p->Clear();
  std::map<std::string, std::uint32_t, std::less<>> codes;
  range.Bind(1, page << kPageShift).Bind(2, (page + 1) << kPageShift);
  while (range.Step()) {
    p->lid.push_back(range.Int(0));
    p->src.push_back(static_cast<std::uint32_t>(range.Int(1)));
    p->dst.push_back(static_cast<std::uint32_t>(range.Int(2)));
    p->type.push_back(static_cast<std::uint16_t>(range.Int(3)));
    p->time.push_back(range.IsNull(4) ? kNoTime : range.Int(4));
    p->weight.push_back(range.IsNull(5) ? std::nan("") : range.Double(5));
    p->first_seen.push_back(range.Int(7));
    std::uint32_t code = 0;
    if (!range.IsNull(6) && !range.Text(6).empty()) {
      std::string_view label = range.Text(6);
      auto it = codes.find(label);
      if (it == codes.end()) {
        p->labels.emplace_back(label);
        it = codes.emplace(std::string(label), static_cast<std::uint32_t>(p->labels.size())).first;
      }
      code = it->second;
    }
    p->label.push_back(code);
  }
  range.Reset();
}

const char kLinkRangeSql[] =
    "SELECT lid, src, dst, type, time, weight, label, first_seen FROM links "
    "WHERE lid >= ? AND lid < ? ORDER BY lid";

// Rewrites the given pages from the links table (deleting pages left empty).
template <typename Pages>
void RewriteLinkPages(Db& db, const Pages& pages) {
  Stmt range = db.Prepare(kLinkRangeSql);
  Stmt put = db.Prepare("INSERT OR REPLACE INTO link_pages(page, data) VALUES(?, ?)");
  Stmt del = db.Prepare("DELETE FROM link_pages WHERE page = ?");
  LinkPage p;
  std::string blob;
  for (std::int64_t page : pages) {
    ReadLinkPage(range, page, &p);
    if (p.lid.empty()) {
      del.Bind(1, page).Exec();
      continue;
    }
    PackLinkPage(p, &blob);
    put.Bind(1, page).BindBlob(2, blob).Exec();
  }
}

// Node flags: node_pages holds one byte per entity iid, kPageLinks iids per page.
constexpr std::uint8_t kNodeEdge = 1;  // the entity's schema is an edge schema

// Sets the flag bytes of `iids` (sorted) to flags(iid), page by page, keeping the other
// bytes of each page.
template <typename FlagsOf>
void PatchNodePages(Db& db, const std::vector<std::int64_t>& iids, FlagsOf flags) {
  Stmt get = db.Prepare("SELECT data FROM node_pages WHERE page = ?");
  Stmt put = db.Prepare("INSERT OR REPLACE INTO node_pages(page, data) VALUES(?, ?)");
  std::string data;
  for (std::size_t i = 0; i < iids.size();) {
    std::int64_t page = iids[i] >> kPageShift;
    data.assign(static_cast<std::size_t>(kPageLinks), '\0');
    get.Bind(1, page);
    if (get.Step()) {
      std::string_view old = get.Blob(0);
      std::memcpy(data.data(), old.data(), std::min(old.size(), data.size()));
    }
    get.Reset();
    for (; i < iids.size() && (iids[i] >> kPageShift) == page; ++i) {
      data[static_cast<std::size_t>(iids[i] & (kPageLinks - 1))] =
          static_cast<char>(flags(iids[i]));
    }
    put.Bind(1, page).BindBlob(2, data).Exec();
  }
}

void RebuildAllPages(Db& db) {
  RebuildAllLinkPages(db);
  db.Exec("DELETE FROM node_pages");
  auto schema = model::Schema::BuiltIn();  // extensions may add edge schemata: see Open()
  std::vector<std::int64_t> edge_iids;
  Stmt s = db.Prepare("SELECT iid, schema FROM entities WHERE schema IS NOT NULL");
  while (s.Step()) {
    if (schema.ok() && (*schema)->IsEdge(s.Text(1))) edge_iids.push_back(s.Int(0));
  }
  PatchNodePages(db, edge_iids, [](std::int64_t) { return kNodeEdge; });
}

void RebuildAllLinkPages(Db& db) {
  db.Exec("DELETE FROM link_pages");
  std::int64_t lo = db.QueryInt("SELECT min(lid) FROM links", 1);
  std::int64_t hi = db.QueryInt("SELECT max(lid) FROM links", 0);
  std::vector<std::int64_t> pages;
  for (std::int64_t page = lo >> kPageShift; page <= (hi >> kPageShift); ++page) {
    pages.push_back(page);
  }
  RewriteLinkPages(db, pages);
}

int CurrentVersion() {
  return kMigrations[std::size(kMigrations) - 1].to_version;
}

}  // namespace

// ---- Store state -------------------------------------------------------------------------

struct SourceRow {
  std::string dataset;
  std::string source_file;
  std::int64_t run_id = 0;
};

struct CaseStore::Impl {
  std::string path;
  std::unique_ptr<Db> db;
  std::shared_ptr<const model::Schema> schema;
  // Caches of small tables (reloaded after a rollback).
  std::vector<SourceRow> sources;  // index = sid (0 unused)
  std::map<std::pair<std::string, std::string>, std::uint16_t> link_type_codes;  // (schema, prop)
  std::vector<LinkType> link_types;                                              // index = code
  bool importing = false;

  void LoadCaches() {
    sources.assign(1, SourceRow{});
    Stmt s = db->Prepare("SELECT sid, dataset, source_file, run_id FROM sources ORDER BY sid");
    while (s.Step()) {
      auto sid = static_cast<std::size_t>(s.Int(0));
      if (sources.size() <= sid) sources.resize(sid + 1);
      sources[sid] = SourceRow{s.Str(1), s.Str(2), s.Int(3)};
    }
    link_types.clear();
    link_type_codes.clear();
    Stmt t = db->Prepare("SELECT code, schema, prop, directed FROM link_types ORDER BY code");
    while (t.Step()) {
      LinkType lt;
      lt.code = static_cast<std::uint16_t>(t.Int(0));
      lt.schema = t.Str(1);
      lt.prop = t.Str(2);
      lt.directed = t.Int(3) != 0;
      if (link_types.size() <= lt.code) link_types.resize(lt.code + 1);
      link_type_codes[{lt.schema, lt.prop}] = lt.code;
      link_types[lt.code] = lt;
    }
  }

  void LoadSchema() {
    std::vector<std::string> ext;
    Stmt s = db->Prepare("SELECT yaml FROM schema_extensions ORDER BY id");
    while (s.Step()) ext.push_back(s.Str(0));
    auto r = ext.empty() ? model::Schema::BuiltIn() : model::Schema::WithExtensions(ext);
    if (!r.ok()) throw Error(r.status());
    schema = std::move(r).value();
  }

  std::int64_t MetaInt(const char* key) {
    Stmt s = db->Prepare("SELECT value FROM meta WHERE key = ?");
    s.Bind(1, std::string_view(key));
    if (!s.Step()) return 0;
    return s.Int(0);
  }
  void SetMetaInt(const char* key, std::int64_t v) {
    Stmt s = db->Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    s.Bind(1, std::string_view(key)).Bind(2, v).Exec();
  }

  // Sets the journal mode and returns the one in effect (SQLite keeps the old mode, without
  // an error, when it cannot switch: e.g. out of WAL while another connection is open).
  std::string SetJournalMode(const char* mode) {
    Stmt s = db->Prepare(std::string("PRAGMA journal_mode=") + mode);
    return s.Step() ? s.Str(0) : std::string();
  }
  // The import into an empty case runs in rollback-journal mode (see BeginImport); this
  // puts the case back in WAL mode after it. If another connection holds the file, the
  // mode stays, and the next connection to open the case sets WAL again (ApplyPragmas).
  bool bulk_journal = false;
  void EndBulkJournal() {
    if (!bulk_journal) return;
    bulk_journal = false;
    try {
      SetJournalMode("WAL");
    } catch (const Error&) {
    }
  }

  void ApplyPragmas() {
    db->Exec("PRAGMA journal_mode=WAL");
    // FULL: the WAL is synced at every commit, so a committed import survives power loss.
    db->Exec("PRAGMA synchronous=FULL");
    db->Exec("PRAGMA cache_size=-262144");  // 256 MiB
    db->Exec("PRAGMA temp_store=MEMORY");
    db->Exec("PRAGMA mmap_size=1073741824");
    // Index builds at the end of a bulk import sort with a helper thread.
    db->Exec("PRAGMA threads=2");
  }

  // Brings the file from its version to CurrentVersion(), one transaction per step.
  void Migrate() {
    std::int64_t version = MetaInt("format_version");
    if (version > CurrentVersion()) {
      throw Error(StatusCode::kInvalidArgument,
                  "case file '" + path + "' has format version " + std::to_string(version) +
                      ", newer than this casegraph supports (" + std::to_string(CurrentVersion()) +
                      "); upgrade casegraph to open it");
    }
    for (const auto& m : kMigrations) {
      if (m.to_version <= version) continue;
      db->Exec("BEGIN IMMEDIATE");
      try {
        db->Exec(m.sql);
        if (m.after != nullptr) m.after(*db);
        SetMetaInt("format_version", m.to_version);
        db->Exec("COMMIT");
      } catch (...) {
        db->Exec("ROLLBACK");
        throw;
      }
      version = m.to_version;
    }
  }

  bool EntityVisible(std::int64_t iid, const model::Clearances& c,
                     std::unordered_map<std::int64_t, bool>* memo) {
    if (c.all()) return true;
    auto it = memo->find(iid);
    if (it != memo->end()) return it->second;
    Stmt s = db->Prepare("SELECT label FROM entities WHERE iid = ?");
    s.Bind(1, iid);
    bool visible = s.Step() && c.Covers(s.Str(0));
    (*memo)[iid] = visible;
    return visible;
  }

  model::Entity ToEntity(std::string id, std::string schema_name, std::string label,
                         std::string_view blob, const model::Clearances& c) const {
    model::Entity e;
    e.id = std::move(id);
    e.schema = std::move(schema_name);
    e.label = std::move(label);
    for (auto& v : DecodeValues(blob)) {
      if (!c.Covers(v.label)) continue;
      model::Value out;
      out.prop = std::move(v.prop);
      out.value = std::move(v.value);
      if (v.sid > 0 && static_cast<std::size_t>(v.sid) < sources.size()) {
        const SourceRow& src = sources[static_cast<std::size_t>(v.sid)];
        out.prov.dataset = src.dataset;
        out.prov.source_file = src.source_file;
        out.prov.run_id = src.run_id;
      }
      out.prov.record_key = std::move(v.record_key);
      out.prov.first_seen = v.first_seen;
      out.prov.last_seen = v.last_seen;
      out.grading = v.grading;
      out.label = std::move(v.label);
      e.values.push_back(std::move(out));
    }
    return e;
  }

  // Ids of entities the clearances do not cover (empty when they cover everything).
  std::unordered_set<std::string> HiddenIds(const model::Clearances& c) const {
    std::unordered_set<std::string> hidden;
    if (c.all()) return hidden;
    Stmt s = db->Prepare("SELECT id, label FROM entities WHERE label IS NOT NULL");
    while (s.Step()) {
      if (!c.Covers(s.Str(1))) hidden.insert(s.Str(0));
    }
    return hidden;
  }

  // Access control on references: values naming a hidden entity are dropped, so a reader
  // never learns a hidden entity's id. An edge entity (Ownership, Payment...) that loses
  // every value of its source or target property is hidden as a whole: returns false.
  bool RedactReferences(model::Entity& e, const std::unordered_set<std::string>& hidden) const {
    if (hidden.empty()) return true;
    const model::SchemaDef* def = schema->Find(e.schema);
    if (def == nullptr) return true;
    bool had_source = false, had_target = false, kept_source = false, kept_target = false;
    std::vector<model::Value> kept;
    kept.reserve(e.values.size());
    for (auto& v : e.values) {
      auto it = def->properties.find(v.prop);
      bool is_ref = it != def->properties.end() && it->second->type == model::PropertyType::kEntity;
      bool drop = is_ref && hidden.count(v.value) > 0;
      if (def->edge) {
        if (v.prop == def->edge->source) (drop ? had_source : kept_source) = true;
        if (v.prop == def->edge->target) (drop ? had_target : kept_target) = true;
      }
      if (!drop) kept.push_back(std::move(v));
    }
    e.values = std::move(kept);
    if (def->edge && ((had_source && !kept_source) || (had_target && !kept_target))) return false;
    return true;
  }

  // Finds an entity row by FtM id: iid or 0.
  std::int64_t LookupIid(Stmt& by_hash, const std::string& id) {
    by_hash.Bind(1, IdHash(id));
    std::int64_t found = 0;
    while (by_hash.Step()) {
      if (by_hash.Text(1) == id) {
        found = by_hash.Int(0);
        break;
      }
    }
    by_hash.Reset();
    return found;
  }
};

CaseStore::CaseStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CaseStore::~CaseStore() = default;

const model::Schema& CaseStore::schema() const {
  return *impl_->schema;
}
const std::string& CaseStore::path() const {
  return impl_->path;
}

Result<std::unique_ptr<CaseStore>> CaseStore::Create(const std::string& path) {
  std::unique_ptr<CaseStore> out;
  Status st = CatchAsStatus([&] {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      throw Error(StatusCode::kAlreadyExists, "case file '" + path + "' already exists");
    }
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->db = std::make_unique<Db>(
        path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX);
    impl->db->Exec("PRAGMA page_size=8192");
    impl->ApplyPragmas();
    impl->db->Exec("PRAGMA application_id=" + std::to_string(kApplicationId));
    impl->db->Exec(
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
        "INSERT INTO meta(key, value) VALUES('format_version', 0)");
    impl->Migrate();
    impl->LoadSchema();
    impl->LoadCaches();
    out.reset(new CaseStore(std::move(impl)));
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::unique_ptr<CaseStore>> CaseStore::Open(const std::string& path) {
  std::unique_ptr<CaseStore> out;
  Status st = CatchAsStatus([&] {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      throw Error(StatusCode::kNotFound, "case file '" + path + "' does not exist");
    }
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->db = std::make_unique<Db>(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX);
    std::int64_t app_id = 0;
    bool has_meta = false;
    try {
      app_id = impl->db->QueryInt("PRAGMA application_id");
      has_meta = impl->db->QueryInt(
                     "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'") > 0;
    } catch (const Error&) {
      throw Error(StatusCode::kCorruption, "'" + path + "' is not a casegraph case file");
    }
    if (app_id != kApplicationId || !has_meta) {
      throw Error(StatusCode::kCorruption, "'" + path + "' is not a casegraph case file");
    }
    impl->ApplyPragmas();
    impl->Migrate();
    impl->LoadSchema();
    impl->LoadCaches();
    out.reset(new CaseStore(std::move(impl)));
  });
  if (!st.ok()) return st;
  return out;
}

Status CaseStore::AddSchemaExtension(const std::string& yaml_text) {
  return CatchAsStatus([&] {
    if (impl_->importing) {
      throw Error(StatusCode::kInvalidArgument, "cannot change the schema during an import");
    }
    std::vector<std::string> ext;
    {
      Stmt s = impl_->db->Prepare("SELECT yaml FROM schema_extensions ORDER BY id");
      while (s.Step()) ext.push_back(s.Str(0));
    }
    ext.push_back(yaml_text);
    auto r = model::Schema::WithExtensions(ext);
    if (!r.ok()) throw Error(r.status());
    Stmt ins = impl_->db->Prepare("INSERT INTO schema_extensions(yaml, added_at) VALUES(?, ?)");
    ins.Bind(1, std::string_view(yaml_text)).Bind(2, NowSeconds()).Exec();
    impl_->schema = std::move(r).value();
  });
}

// ---- Import ------------------------------------------------------------------------------

namespace {

struct PendingLink {
  std::int64_t src = 0;
  std::int64_t dst = 0;
  std::uint16_t type = 0;
  std::int64_t time = kNoTime;
  double weight = std::nan("");
  std::string label;
  std::int64_t first_seen = 0;
  std::int64_t last_seen = 0;
};

bool SameLink(const PendingLink& a, const PendingLink& b) {
  auto same_double = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
  return a.src == b.src && a.dst == b.dst && a.type == b.type && a.time == b.time &&
         same_double(a.weight, b.weight) && a.label == b.label && a.first_seen == b.first_seen &&
         a.last_seen == b.last_seen;
}

}  // namespace

// What the import needs to know about one schema, looked up once per transaction.
struct SchemaInfo {
  const model::SchemaDef* def = nullptr;
  bool edge = false;
  std::vector<std::string> temporal_start;
  // Every property's type (hashed: asked for several times per value imported).
  std::unordered_map<std::string, model::PropertyType> types;
  model::PropertyType TypeOf(const std::string& prop) const {
    auto it = types.find(prop);
    return it == types.end() ? model::PropertyType::kString : it->second;
  }
};

struct ImportTransaction::Impl {
  CaseStore::Impl* store = nullptr;
  ImportRunInfo info;
  std::int64_t run_id = 0;
  std::int64_t started_at = 0;
  ImportCounts counts;
  // Links currently derived from each entity this run touched (index: iid), so that
  // counts.links is the number of distinct links the imported entities yield, however
  // often an entity is merged within the run.
  std::vector<std::uint32_t> run_links_by_iid;
  std::vector<bool> run_touched;  // entities this run wrote (index: iid)
  bool done = false;
  std::int64_t next_iid = 1;
  std::int64_t next_lid = 1;

  // Reads (and the rare source / link type inserts) run on the importing thread; row
  // writes go through `writer` (its own thread; the connection is opened FULLMUTEX).
  // Reads of rows this import may have written Drain() the writer first.
  Stmt by_hash, by_iid, old_links, fts_get, insert_source, insert_link_type;
  std::unique_ptr<ImportWriter> writer;

  // Link pages (see PackLinkPage) whose link-id range this import changed.
  std::vector<std::int64_t> dirty_pages;
  void TouchLinks(std::int64_t lo, std::int64_t hi) {  // [lo, hi)
    for (std::int64_t page = lo >> kPageShift; page <= ((hi - 1) >> kPageShift); ++page) {
      if (dirty_pages.empty() || dirty_pages.back() != page) dirty_pages.push_back(page);
    }
  }

  // Every id this import touched (and in bulk mode every id in the case) -> iid.
  IdMap ids;
  bool bulk = false;  // secondary indexes dropped; `ids` is complete
  std::map<std::pair<std::string, std::string>, std::int64_t> sid_cache;
  std::map<std::string, SchemaInfo, std::less<>> schema_info;

  // What the import knows about each entity row without reading it: schema and label as
  // interned codes (kUnknownState until seen). Lets an Add that changes nothing (a
  // mapping's key-only reference to an entity already in the case, several per CSV row)
  // return without touching SQLite; and which writer batch must have run before the row can
  // be read back (ImportWriter::WaitForBatch). 8 bytes per iid.
  struct EntityState {
    std::uint16_t schema = 0xFFFF;
    std::uint16_t label = 0xFFFF;
    std::uint32_t batch = 0;  // writer batch holding this import's last write of the row
  };
  static constexpr std::uint16_t kUnknownState = 0xFFFF;
  std::vector<EntityState> states;
  // The rows this import wrote last, as written (direct-mapped by iid): an entity added
  // again soon after (the same record's entity mapped twice, a company named in the next
  // rows) merges with its cached row instead of waiting for the writer thread to have
  // written it and reading it back.
  struct WrittenRow {
    std::int64_t iid = 0;  // 0: empty slot
    std::string schema, label;
    std::int64_t link_lo = 0, link_n = 0;
    std::string vals;  // encoded values
    bool has_fts = false;
    std::string fts_names, fts_labels;
  };
  static constexpr std::size_t kWrittenRows = 1 << 15;
  std::vector<WrittenRow> written_rows = std::vector<WrittenRow>(kWrittenRows);
  WrittenRow& WrittenSlot(std::int64_t iid) {
    return written_rows[static_cast<std::size_t>(iid) & (kWrittenRows - 1)];
  }
  // Interned schema names and labels (code 0 = "", i.e. NULL).
  struct Interner {
    std::vector<std::string> names{std::string()};
    std::unordered_map<std::string, std::uint16_t> codes{{std::string(), 0}};
    std::uint16_t Code(std::string_view text) {
      auto it = codes.find(std::string(text));
      if (it != codes.end()) return it->second;
      if (names.size() >= kUnknownState) return kUnknownState;  // too many: not cached
      auto code = static_cast<std::uint16_t>(names.size());
      names.emplace_back(text);
      codes.emplace(std::string(text), code);
      return code;
    }
  };
  Interner schema_names, label_names;

  // iids whose row this import wrote (their node flags are rewritten at commit).
  std::vector<std::int64_t> touched_iids;
  void SetState(std::int64_t iid, std::string_view schema_name, std::string_view label,
                bool touched = true) {
    if (touched) touched_iids.push_back(iid);
    auto at = static_cast<std::size_t>(iid);
    if (states.size() <= at) states.resize(std::max(at + 1, states.size() * 3 / 2));
    states[at] =
        EntityState{schema_names.Code(schema_name), label_names.Code(label), states[at].batch};
  }
  // True if adding `entity` (known to exist as `iid`) would change nothing: no values, and
  // a schema and label the row already has (or a schema it already specialises).
  bool IsNoOpAdd(const model::Entity& entity, std::int64_t iid) const {
    for (const auto& v : entity.values) {
      if (!v.value.empty()) return false;
    }
    auto at = static_cast<std::size_t>(iid);
    if (at >= states.size()) return false;
    const EntityState& st = states[at];
    if (st.schema == kUnknownState || st.schema == 0 || st.label == kUnknownState) return false;
    if (!entity.label.empty() && label_names.names[st.label] != entity.label) return false;
    const std::string& old_schema = schema_names.names[st.schema];
    return old_schema == entity.schema || store->schema->IsA(old_schema, entity.schema);
  }

  const SchemaInfo& InfoFor(const std::string& name) {
    if (last_info != nullptr && last_info_name == name) return *last_info;
    const SchemaInfo& info = InfoForSlow(name);
    last_info_name = name;
    last_info = &info;
    return info;
  }
  const SchemaInfo* last_info = nullptr;  // map nodes are stable
  std::string last_info_name;
  const SchemaInfo& InfoForSlow(const std::string& name) {
    auto it = schema_info.find(name);
    if (it != schema_info.end()) return it->second;
    const model::Schema& s = *store->schema;
    SchemaInfo info;
    info.def = s.Find(name);
    if (info.def != nullptr) {
      info.edge = info.def->edge.has_value();
      info.temporal_start = TemporalStart(s, *info.def);
      for (const auto& [prop, def] : info.def->properties) info.types[prop] = def->type;
    }
    return schema_info.emplace(name, std::move(info)).first->second;
  }

  void Prepare() {
    Db& db = *store->db;
    by_hash = db.Prepare("SELECT iid, id FROM entities WHERE id_hash = ?");
    by_iid = db.Prepare(
        "SELECT schema, label, link_lo, link_n, vals, first_seen FROM entities WHERE iid = ?");
    old_links = db.Prepare(
        "SELECT src, dst, type, time, weight, label, first_seen, last_seen FROM links "
        "WHERE lid >= ? AND lid < ? ORDER BY lid");
    fts_get = db.Prepare("SELECT names, labels FROM name_index WHERE rowid = ?");
    insert_source =
        db.Prepare("INSERT INTO sources(sid, dataset, source_file, run_id) VALUES(?,?,?,?)");
    insert_link_type =
        db.Prepare("INSERT INTO link_types(code, schema, prop, directed) VALUES(?,?,?,?)");
    // In bulk mode the entities and links tables have no secondary index until commit
    // (but the partial one on labels), and multi-row inserts are cheaper; with indexes
    // they cost more (see ImportWriter).
    writer = std::make_unique<ImportWriter>(db, /*multi_row_inserts=*/bulk);
  }

  // Runs what the writer holds (rethrowing its error) or drops it (rollback), then
  // finalizes every statement of the transaction.
  void FinalizeStatements(bool discard_writes) {
    if (writer) {
      std::unique_ptr<ImportWriter> w = std::move(writer);
      w->Stop(discard_writes);
    }
    for (Stmt* st : {&by_hash, &by_iid, &old_links, &fts_get, &insert_source, &insert_link_type}) {
      *st = Stmt();
    }
  }

  // The source of values that name none (ImportTransaction::SetDefaultSource).
  std::string default_dataset, default_source_file;
  std::int64_t default_sid = 0;  // 0: not looked up yet
  std::int64_t DefaultSid() {
    if (default_sid == 0) default_sid = SidFor(default_dataset, default_source_file);
    return default_sid;
  }

  std::int64_t SidFor(const std::string& dataset, const std::string& file) {
    // Nearly every value of an import has the same source as the previous one.
    if (last_sid != 0 && dataset == last_dataset && file == last_file) return last_sid;
    last_sid = SidForSlow(dataset, file);
    last_dataset = dataset;
    last_file = file;
    return last_sid;
  }
  std::int64_t last_sid = 0;
  std::string last_dataset, last_file;
  std::int64_t SidForSlow(const std::string& dataset, const std::string& file) {
    auto key = std::make_pair(dataset, file);
    auto it = sid_cache.find(key);
    if (it != sid_cache.end()) return it->second;
    auto sid = static_cast<std::int64_t>(store->sources.size());
    insert_source.Bind(1, sid).Bind(2, std::string_view(dataset)).Bind(3, std::string_view(file));
    insert_source.Bind(4, run_id).Exec();
    store->sources.push_back(SourceRow{dataset, file, run_id});
    sid_cache.emplace(std::move(key), sid);
    return sid;
  }

  std::uint16_t TypeCode(const std::string& schema, const std::string& prop, bool directed) {
    auto it = store->link_type_codes.find({schema, prop});
    if (it != store->link_type_codes.end()) return it->second;
    std::size_t code = std::max<std::size_t>(store->link_types.size(), 1);
    if (code >= 0xFFFF) throw Error(StatusCode::kInternal, "too many link types");
    insert_link_type.Bind(1, static_cast<std::int64_t>(code)).Bind(2, std::string_view(schema));
    insert_link_type.Bind(3, std::string_view(prop)).Bind(4, std::int64_t{directed ? 1 : 0}).Exec();
    LinkType lt{static_cast<std::uint16_t>(code), schema, prop, directed};
    store->link_types.resize(code + 1);
    store->link_types[code] = lt;
    store->link_type_codes[{schema, prop}] = lt.code;
    return lt.code;
  }

  void CacheIid(const std::string& id, std::int64_t iid) { ids.Put(id, iid); }

  std::int64_t Find(const std::string& id) {
    std::int64_t iid = ids.Find(id);
    if (iid != 0 || bulk) return iid;
    iid = store->LookupIid(by_hash, id);
    if (iid != 0) CacheIid(id, iid);
    return iid;
  }

  // Bulk mode for imports into an empty or small case: load every id into `ids`, drop the
  // secondary indexes (rebuilt by EndBulk at commit, inside the same transaction).
  void BeginBulk() {
    Db& db = *store->db;
    Stmt all = db.Prepare("SELECT iid, id, schema, label FROM entities");
    while (all.Step()) {
      ids.Put(all.Text(1), all.Int(0));
      SetState(all.Int(0), all.Text(2), all.Text(3), /*touched=*/false);
    }
    for (const auto& idx : kBulkIndexes) db.Exec(std::string("DROP INDEX IF EXISTS ") + idx[0]);
    bulk = true;
  }
  void EndBulk() {
    if (!bulk) return;
    FinalizeStatements(/*discard_writes=*/false);
    for (const auto& idx : kBulkIndexes) store->db->Exec(idx[1]);
    bulk = false;
  }

  // iid of a referenced entity, creating a placeholder row if it is not in the case.
  std::int64_t Resolve(const std::string& id) {
    std::int64_t iid = Find(id);
    if (iid != 0) return iid;
    iid = next_iid++;
    writer->InsertPlaceholder(iid, IdHash(id), id);
    CacheIid(id, iid);
    SetState(iid, "", "");
    return iid;
  }

  std::string MergeSchema(const std::string& id, const std::string& old_schema,
                          const std::string& new_schema) {
    if (old_schema.empty() || old_schema == new_schema) return new_schema;
    const model::Schema& s = *store->schema;
    if (s.IsA(new_schema, old_schema)) return new_schema;
    if (s.IsA(old_schema, new_schema)) return old_schema;
    throw Error(StatusCode::kSchemaError, "entity '" + id + "' is imported as " + new_schema +
                                              " but the case has it as " + old_schema);
  }

  static std::vector<std::string> TemporalStart(const model::Schema& s,
                                                const model::SchemaDef& def) {
    if (!def.temporal_start.empty()) return def.temporal_start;
    for (const auto& a : def.ancestors) {
      const model::SchemaDef* ad = s.Find(a);
      if (ad != nullptr && !ad->temporal_start.empty()) return ad->temporal_start;
    }
    return {};
  }

  static double ParseDouble(const std::string& text) {
    if (text.empty()) return std::nan("");
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str()) return std::nan("");
    return v;
  }

  // One link per distinct endpoint pair / reference: a value held from several datasets
  // (one StoredValue each) must not multiply the entity's links. These say whether an
  // earlier value (or pair) of `values` already gave the same link; the earliest one
  // defines the link's label and first/last seen.
  static bool SeenValue(const std::vector<StoredValue>& values, const StoredValue& v) {
    for (const auto& w : values) {
      if (&w == &v) return false;
      if (w.prop == v.prop && w.value == v.value) return true;
    }
    return false;
  }
  static bool SeenPair(const std::vector<StoredValue>& values, const StoredValue& sv,
                       const StoredValue& tv) {
    return SeenValue(values, sv) || SeenValue(values, tv);
  }

  void DeriveLinks(const std::string& id, std::int64_t iid, const std::string& schema_name,
                   const std::string& entity_label, const std::vector<StoredValue>& values,
                   std::vector<PendingLink>* out) {
    out->clear();
    const SchemaInfo& info = InfoFor(schema_name);
    const model::SchemaDef* def = info.def;
    if (def == nullptr) return;
    auto resolve = [&](const std::string& ref) { return ref == id ? iid : Resolve(ref); };
    if (def->edge) {
      const model::EdgeDef& edge = *def->edge;
      std::int64_t time = kNoTime;
      for (const auto& prop : info.temporal_start) {
        for (const auto& v : values) {
          if (v.prop != prop) continue;
          if (auto t = model::DateToUnix(v.value)) {
            time = *t;
            break;
          }
        }
        if (time != kNoTime) break;
      }
      double weight = std::nan("");
      for (const auto& v : values) {
        if (v.prop == "amount" && std::isnan(weight)) weight = ParseDouble(v.value);
      }
      if (std::isnan(weight)) {
        for (const auto& v : values) {
          if (v.prop == "percentage" && std::isnan(weight)) weight = ParseDouble(v.value) / 100.0;
        }
      }
      std::uint16_t type = 0;
      for (const auto& sv : values) {
        if (sv.prop != edge.source) continue;
        for (const auto& tv : values) {
          if (tv.prop != edge.target) continue;
          if (type == 0) type = TypeCode(schema_name, "", edge.directed);
          if (SeenPair(values, sv, tv)) continue;  // same endpoints from another source
          PendingLink l;
          l.src = resolve(sv.value);
          l.dst = resolve(tv.value);
          l.type = type;
          l.time = time;
          l.weight = weight;
          AddLabel(&l.label, entity_label);
          AddLabel(&l.label, sv.label);
          AddLabel(&l.label, tv.label);
          l.first_seen = std::max(sv.first_seen, tv.first_seen);
          l.last_seen = std::min(sv.last_seen, tv.last_seen);
          out->push_back(std::move(l));
        }
      }
      return;
    }
    for (const auto& v : values) {
      if (info.TypeOf(v.prop) != model::PropertyType::kEntity) continue;
      if (SeenValue(values, v)) continue;  // same reference from another source
      PendingLink l;
      l.src = iid;
      l.dst = resolve(v.value);
      l.type = TypeCode(schema_name, v.prop, true);
      AddLabel(&l.label, entity_label);
      AddLabel(&l.label, v.label);
      l.first_seen = v.first_seen;
      l.last_seen = v.last_seen;
      out->push_back(std::move(l));
    }
  }

  // Caption from unlabelled values only (captions are shown without a clearance check).
  std::string Caption(const std::string& id, const std::string& schema_name,
                      const std::vector<StoredValue>& values) {
    const SchemaInfo& info = InfoFor(schema_name);
    static const char* const kPreferred[] = {
        "name", "title", "full", "iban", "number", "accountNumber", "registrationNumber", "email"};
    for (const char* prop : kPreferred) {
      for (const auto& v : values) {
        if (v.label.empty() && v.prop == prop) return v.value;
      }
    }
    for (const auto& v : values) {
      if (v.label.empty() && info.TypeOf(v.prop) == model::PropertyType::kName) return v.value;
    }
    return id;
  }

  // Folded names for the search index: (names joined by " | ", their labels joined by \x1f).
  std::pair<std::string, std::string> IndexText(const std::string& schema_name,
                                                const std::string& caption,
                                                const std::vector<StoredValue>& values) {
    const SchemaInfo& info = InfoFor(schema_name);
    std::vector<std::pair<std::string, std::string>> names;  // (folded, label)
    auto add = [&](const std::string& raw, const std::string& label) {
      std::string folded = FoldForSearch(raw);
      if (folded.empty()) return;
      for (const auto& n : names) {
        if (n.first == folded && n.second == label) return;
      }
      names.emplace_back(std::move(folded), label);
    };
    for (const auto& v : values) {
      if (info.TypeOf(v.prop) == model::PropertyType::kName) add(v.value, v.label);
    }
    if (!info.edge) add(caption, "");
    std::pair<std::string, std::string> out;
    bool any_label = false;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i > 0) {
        out.first += " | ";
        out.second.push_back(kLabelSep);
      }
      out.first += names[i].first;
      out.second += names[i].second;
      any_label = any_label || !names[i].second.empty();
    }
    if (!any_label) out.second.clear();
    return out;
  }

  // counts.entities is the number of distinct entities the run wrote, however often an
  // entity is named (a mapping names a person in every row that refers to them).
  void CountEntity(std::int64_t iid) {
    auto i = static_cast<std::size_t>(iid);
    if (i >= run_touched.size()) run_touched.resize(i + 1 + run_touched.size() / 2, false);
    if (run_touched[i]) return;
    run_touched[i] = true;
    ++counts.entities;
  }

  // `owned`: the same entity when the caller gives it up (its value strings are moved
  // into the stored values instead of copied), else null.
  void Add(const model::Entity& entity, model::Entity* owned) {
    if (entity.id.empty()) throw Error(StatusCode::kInvalidArgument, "entity without an id");
    if (InfoFor(entity.schema).def == nullptr) {
      throw Error(StatusCode::kSchemaError,
                  "entity '" + entity.id + "' has unknown schema '" + entity.schema + "'");
    }
    std::int64_t iid = Find(entity.id);
    if (iid != 0 && IsNoOpAdd(entity, iid)) {
      CountEntity(iid);
      return;
    }
    bool exists = false;    // a row exists (maybe a placeholder)
    bool was_real = false;  // and it had a schema
    std::string old_schema, label = entity.label;
    std::int64_t link_lo = 0, link_n = 0;
    std::vector<StoredValue> values;
    // A placeholder row (created for a reference, or loaded as one) holds nothing but its
    // id: no need to read it, nor to wait for the writer to have written it.
    const bool placeholder = iid != 0 && static_cast<std::size_t>(iid) < states.size() &&
                             states[static_cast<std::size_t>(iid)].schema == 0;
    bool had_fts_row = false;  // the search-index row as it is, for the end of Add
    std::string old_names, old_labels;
    WrittenRow* cached = iid != 0 && WrittenSlot(iid).iid == iid ? &WrittenSlot(iid) : nullptr;
    if (placeholder) {
      exists = true;
    } else if (cached != nullptr) {
      exists = true;
      was_real = true;  // written by this import with a schema
      old_schema = cached->schema;
      if (label.empty()) label = cached->label;
      link_lo = cached->link_lo;
      link_n = cached->link_n;
      values = DecodeValues(cached->vals);
      had_fts_row = cached->has_fts;
      old_names = cached->fts_names;
      old_labels = cached->fts_labels;
    } else if (iid != 0) {
      // The row (and its search-index row) may have been written by this import: wait for
      // the writer to have run the batch holding them, and keep it paused while reading.
      const auto at = static_cast<std::size_t>(iid);
      auto paused = writer->WaitForBatch(at < states.size() ? states[at].batch : 0);
      by_iid.Bind(1, iid);
      if (!by_iid.Step()) throw Error(StatusCode::kCorruption, "entity row vanished");
      exists = true;
      was_real = !by_iid.IsNull(0);
      old_schema = by_iid.Str(0);
      if (label.empty()) label = by_iid.Str(1);
      link_lo = by_iid.Int(2);
      link_n = by_iid.Int(3);
      values = DecodeValues(by_iid.Blob(4));
      by_iid.Reset();
      fts_get.Bind(1, iid);
      if (fts_get.Step()) {
        had_fts_row = true;
        old_names = fts_get.Text(0);
        old_labels = fts_get.Text(1);
      }
      fts_get.Reset();
    }
    std::string schema_name = MergeSchema(entity.id, old_schema, entity.schema);

    // Merge values by (prop, value, dataset).
    std::unordered_map<std::string, std::size_t> index;  // used when there are many values
    auto key_of = [&](const StoredValue& v) {
      const std::string& ds = store->sources[static_cast<std::size_t>(v.sid)].dataset;
      std::string k;
      k.reserve(v.prop.size() + v.value.size() + ds.size() + 2);
      k.append(v.prop).push_back('\0');
      k.append(v.value).push_back('\0');
      k.append(ds);
      return k;
    };
    auto same_key = [&](const StoredValue& a, const StoredValue& b) {
      return a.prop == b.prop && a.value == b.value &&
             (a.sid == b.sid || store->sources[static_cast<std::size_t>(a.sid)].dataset ==
                                    store->sources[static_cast<std::size_t>(b.sid)].dataset);
    };
    values.reserve(values.size() + entity.values.size());
    bool use_index = values.size() + entity.values.size() > 16;
    if (use_index) {
      for (std::size_t i = 0; i < values.size(); ++i) index.emplace(key_of(values[i]), i);
    }
    for (const auto& v : entity.values) {
      if (v.value.empty()) continue;
      StoredValue sv;
      model::Value* own = owned != nullptr ? &owned->values[&v - entity.values.data()] : nullptr;
      sv.prop = own != nullptr ? std::move(own->prop) : v.prop;
      sv.value = own != nullptr ? std::move(own->value) : v.value;
      sv.sid = v.prov.dataset.empty() && v.prov.source_file.empty()
                   ? DefaultSid()
                   : SidFor(v.prov.dataset.empty() ? default_dataset : v.prov.dataset,
                            v.prov.source_file.empty() ? default_source_file : v.prov.source_file);
      sv.record_key = own != nullptr ? std::move(own->prov.record_key) : v.prov.record_key;
      sv.first_seen = v.prov.first_seen != 0 ? v.prov.first_seen : started_at;
      sv.last_seen = std::max(v.prov.last_seen != 0 ? v.prov.last_seen : started_at, sv.first_seen);
      sv.grading = v.grading;
      sv.label = v.label;
      ++counts.values;
      std::size_t at = values.size();
      if (use_index) {
        at = index.emplace(key_of(sv), values.size()).first->second;
      } else {
        for (std::size_t i = 0; i < values.size(); ++i) {
          if (same_key(values[i], sv)) {
            at = i;
            break;
          }
        }
      }
      if (at == values.size()) {
        values.push_back(std::move(sv));
        continue;
      }
      StoredValue& old = values[at];
      old.first_seen = std::min(old.first_seen, sv.first_seen);
      old.last_seen = std::max(old.last_seen, sv.last_seen);
      old.sid = sv.sid;
      if (!sv.record_key.empty()) old.record_key = std::move(sv.record_key);
      if (sv.grading.graded()) old.grading = sv.grading;
      old.label = std::move(sv.label);
    }
    std::int64_t first_seen = started_at, last_seen = started_at;
    if (!values.empty()) {
      first_seen = values[0].first_seen;
      last_seen = values[0].last_seen;
      for (const auto& v : values) {
        first_seen = std::min(first_seen, v.first_seen);
        last_seen = std::max(last_seen, v.last_seen);
      }
    }
    if (!exists) iid = next_iid++;
    std::string caption = Caption(entity.id, schema_name, values);
    // A caption equal to the id (edge entities, entities without names) is not stored.
    const std::string_view stored_caption =
        caption == entity.id ? std::string_view() : std::string_view(caption);

    // Links: recompute; rewrite only if they changed.
    std::vector<PendingLink> links;
    DeriveLinks(entity.id, iid, schema_name, label, values, &links);
    if (static_cast<std::size_t>(iid) >= run_links_by_iid.size()) {
      run_links_by_iid.resize(static_cast<std::size_t>(iid) + 1 + run_links_by_iid.size() / 2, 0);
    }
    std::uint32_t& counted = run_links_by_iid[static_cast<std::size_t>(iid)];
    counts.links += static_cast<std::int64_t>(links.size()) - static_cast<std::int64_t>(counted);
    counted = static_cast<std::uint32_t>(links.size());
    bool same = static_cast<std::int64_t>(links.size()) == link_n;
    if (same && link_n > 0) {
      // The links were written with the row (read above): the writer stays paused meanwhile.
      const auto at = static_cast<std::size_t>(iid);
      auto paused = writer->WaitForBatch(at < states.size() ? states[at].batch : 0);
      old_links.Bind(1, link_lo).Bind(2, link_lo + link_n);
      for (const auto& l : links) {
        if (!old_links.Step()) {
          same = false;
          break;
        }
        PendingLink o;
        o.src = old_links.Int(0);
        o.dst = old_links.Int(1);
        o.type = static_cast<std::uint16_t>(old_links.Int(2));
        o.time = old_links.IsNull(3) ? kNoTime : old_links.Int(3);
        o.weight = old_links.IsNull(4) ? std::nan("") : old_links.Double(4);
        o.label = old_links.Str(5);
        o.first_seen = old_links.Int(6);
        o.last_seen = old_links.Int(7);
        if (!SameLink(l, o)) {
          same = false;
          break;
        }
      }
      old_links.Reset();
    }
    if (!same) {
      if (link_n > 0) {
        writer->DeleteLinks(link_lo, link_lo + link_n);
        TouchLinks(link_lo, link_lo + link_n);
      }
      if (!links.empty()) TouchLinks(next_lid, next_lid + static_cast<std::int64_t>(links.size()));
      link_lo = links.empty() ? 0 : next_lid;
      link_n = static_cast<std::int64_t>(links.size());
      for (auto& l : links) {
        writer->InsertLink(next_lid++, l.src, l.dst, static_cast<std::int64_t>(l.type),
                           l.time != kNoTime, l.time, l.weight, std::move(l.label), l.first_seen,
                           l.last_seen, iid);
      }
    }

    std::string blob;
    EncodeValues(values, &blob);
    WrittenRow& slot = WrittenSlot(iid);
    slot.iid = iid;
    slot.schema = schema_name;
    slot.label = label;
    slot.link_lo = link_lo;
    slot.link_n = link_n;
    slot.vals = blob;
    slot.has_fts = had_fts_row;
    slot.fts_names = old_names;
    slot.fts_labels = old_labels;
    if (!exists) {
      writer->InsertEntity(iid, IdHash(entity.id), entity.id, schema_name, label,
                           std::string(stored_caption), first_seen, last_seen, link_lo, link_n,
                           std::move(blob));
      CacheIid(entity.id, iid);
    } else {
      writer->UpdateEntity(iid, schema_name, label, std::string(stored_caption), first_seen,
                           last_seen, link_lo, link_n, std::move(blob));
    }
    CountEntity(iid);
    if (!was_real) ++counts.new_entities;
    SetState(iid, schema_name, label);

    // Search index.
    auto [names, labels] = IndexText(schema_name, caption, values);
    if (had_fts_row && old_names == names && old_labels == labels) {
      SetWriteBatch(iid);
      return;
    }
    slot.has_fts = !names.empty();
    slot.fts_names = names;
    slot.fts_labels = labels;
    if (had_fts_row) writer->FtsDelete(iid);
    if (!names.empty()) writer->FtsInsert(iid, std::move(names), std::move(labels));
    SetWriteBatch(iid);
  }

  // Records that the row of `iid` was last written in the batch being filled now.
  void SetWriteBatch(std::int64_t iid) {
    states[static_cast<std::size_t>(iid)].batch = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(writer->CurrentBatch(), std::numeric_limits<std::uint32_t>::max()));
  }
};

ImportTransaction::ImportTransaction(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ImportTransaction::~ImportTransaction() {
  Rollback();
}

std::int64_t ImportTransaction::run_id() const {
  return impl_->run_id;
}
const ImportCounts& ImportTransaction::counts() const {
  return impl_->counts;
}

Result<std::unique_ptr<ImportTransaction>> CaseStore::BeginImport(const ImportRunInfo& info) {
  std::unique_ptr<ImportTransaction> out;
  Status st = CatchAsStatus([&] {
    if (impl_->importing) {
      throw Error(StatusCode::kInvalidArgument, "an import is already running on this case");
    }
    Db& db = *impl_->db;
    // An import into an empty case runs in SQLite's rollback-journal mode: the journal
    // then holds only the few pages the empty case had, and every new page is written
    // once, into the case file, instead of twice (into the WAL, then by the checkpoint at
    // COMMIT into the file). Just as atomic and durable: a failed, killed or crashed
    // import leaves a hot journal that SQLite rolls back when the case is next opened.
    // Measured (bench/sqlite_floor_bench, the rows of the 10 M-link case): 176 s in WAL
    // mode, 122 s with the rollback journal. Needs the only connection to the case (else
    // the mode does not switch and the import runs in WAL mode, as any other import).
    if (db.QueryInt("SELECT count(*) FROM (SELECT 1 FROM entities LIMIT 1)") == 0) {
      impl_->bulk_journal = impl_->SetJournalMode("DELETE") == "delete";
    }
    try {
      db.Exec("BEGIN IMMEDIATE");
    } catch (...) {
      impl_->EndBulkJournal();
      throw;
    }
    auto t = std::make_unique<ImportTransaction::Impl>();
    t->store = impl_.get();
    t->info = info;
    try {
      t->started_at = NowSeconds();
      Stmt ins = db.Prepare(
          "INSERT INTO import_runs(kind, dataset, source_file, content_hash, mapping, started_at, "
          "outcome) VALUES(?,?,?,?,?,?, 'running')");
      ins.Bind(1, std::string_view(info.kind)).Bind(2, std::string_view(info.dataset));
      ins.Bind(3, std::string_view(info.source_file)).Bind(4, std::string_view(info.content_hash));
      ins.Bind(5, std::string_view(info.mapping)).Bind(6, t->started_at).Exec();
      t->run_id = db.LastInsertRowid();
      t->default_dataset = info.dataset;
      t->default_source_file = info.source_file;
      t->next_iid = db.QueryInt("SELECT max(iid) FROM entities", 0) + 1;
      t->next_lid = impl_->MetaInt("next_lid");
      if (t->next_iid - 1 <= kBulkMaxExistingEntities) t->BeginBulk();
      t->Prepare();
    } catch (...) {
      db.Exec("ROLLBACK");
      impl_->EndBulkJournal();
      throw;
    }
    impl_->importing = true;
    out.reset(new ImportTransaction(std::move(t)));
  });
  if (!st.ok()) return st;
  return out;
}

Status ImportTransaction::Add(const model::Entity& entity) {
  if (impl_->done) return Status(StatusCode::kInvalidArgument, "import already finished");
  return CatchAsStatus([&] { impl_->Add(entity, nullptr); });
}

Status ImportTransaction::Add(model::Entity&& entity) {
  if (impl_->done) return Status(StatusCode::kInvalidArgument, "import already finished");
  return CatchAsStatus([&] { impl_->Add(entity, &entity); });
}

void ImportTransaction::SetDefaultSource(const std::string& dataset,
                                         const std::string& source_file) {
  if (dataset == impl_->default_dataset && source_file == impl_->default_source_file) return;
  impl_->default_dataset = dataset;
  impl_->default_source_file = source_file;
  impl_->default_sid = 0;
}

Result<ImportRun> ImportTransaction::Commit(const ImportCounts& counts) {
  if (impl_->done) return Status(StatusCode::kInvalidArgument, "import already finished");
  ImportRun run;
  // CG_IMPORT_TIMING=1: the commit's phases, to stderr.
  const bool timing = std::getenv("CG_IMPORT_TIMING") != nullptr;
  auto lap = [timing, t = std::chrono::steady_clock::now()](const char* phase) mutable {
    if (!timing) return;
    auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "commit: %-22s %8.3f s\n", phase,
                 std::chrono::duration<double>(now - t).count());
    t = now;
  };
  Status st = CatchAsStatus([&] {
    CaseStore::Impl& store = *impl_->store;
    impl_->FinalizeStatements(/*discard_writes=*/false);  // every row written, or throws
    lap("drain row writer");
    ImportCounts c = impl_->counts;
    c.records = counts.records;
    c.rejected = counts.rejected;
    c.warnings = counts.warnings;
    run.id = impl_->run_id;
    run.info = impl_->info;
    run.counts = c;
    run.started_at = impl_->started_at;
    run.finished_at = NowSeconds();
    run.outcome = "committed";
    Stmt up = store.db->Prepare(
        "UPDATE import_runs SET records=?, entities=?, new_entities=?, links=?, vals=?, "
        "rejected=?, "
        "warnings=?, finished_at=?, outcome=? WHERE id=?");
    up.Bind(1, c.records).Bind(2, c.entities).Bind(3, c.new_entities).Bind(4, c.links);
    up.Bind(5, c.values).Bind(6, c.rejected).Bind(7, c.warnings).Bind(8, run.finished_at);
    up.Bind(9, std::string_view(run.outcome)).Bind(10, run.id).Exec();
    std::vector<std::int64_t>& pages = impl_->dirty_pages;
    std::sort(pages.begin(), pages.end());
    pages.erase(std::unique(pages.begin(), pages.end()), pages.end());
    RewriteLinkPages(*store.db, pages);
    lap("link pages");
    {
      std::vector<std::int64_t>& iids = impl_->touched_iids;
      std::sort(iids.begin(), iids.end());
      iids.erase(std::unique(iids.begin(), iids.end()), iids.end());
      std::vector<std::int8_t> edge_of(impl_->schema_names.names.size(), -1);
      const model::Schema& schema = *store.schema;
      PatchNodePages(*store.db, iids, [&](std::int64_t iid) -> std::uint8_t {
        auto at = static_cast<std::size_t>(iid);
        if (at >= impl_->states.size()) return 0;
        std::uint16_t code = impl_->states[at].schema;
        if (code == ImportTransaction::Impl::kUnknownState) return 0;
        if (edge_of[code] < 0)
          edge_of[code] = schema.IsEdge(impl_->schema_names.names[code]) ? 1 : 0;
        return edge_of[code] != 0 ? kNodeEdge : 0;
      });
    }
    lap("node pages");
    impl_->EndBulk();
    lap("rebuild bulk indexes");
    store.SetMetaInt("next_lid", impl_->next_lid);
    store.SetMetaInt("data_version", store.MetaInt("data_version") + 1);
    const bool rollback_journal = store.bulk_journal;
    store.db->Exec("COMMIT");
    lap(rollback_journal ? "COMMIT (sync; rollback journal)" : "COMMIT (sync, checkpoint)");
    store.EndBulkJournal();
    lap("back to WAL mode");
  });
  if (!st.ok()) {
    Rollback();
    return st;
  }
  impl_->done = true;
  impl_->store->importing = false;
  impl_->FinalizeStatements(/*discard_writes=*/true);
  return run;
}

void ImportTransaction::Rollback() {
  if (impl_->done) return;
  impl_->done = true;
  CaseStore::Impl& store = *impl_->store;
  store.importing = false;
  // Statements must not keep the transaction busy while rolling back.
  impl_->FinalizeStatements(/*discard_writes=*/true);
  if (store.db->InTransaction()) {
    try {
      store.db->Exec("ROLLBACK");
    } catch (const Error&) {
    }
  }
  store.EndBulkJournal();
  try {
    store.LoadCaches();
  } catch (const Error&) {
  }
}

// ---- Reads ------------------------------------------------------------------------------

Result<std::optional<model::Entity>> CaseStore::GetEntity(const std::string& id,
                                                          const model::Clearances& c) {
  std::optional<model::Entity> out;
  Status st = CatchAsStatus([&] {
    Stmt s =
        impl_->db->Prepare("SELECT iid, id, schema, label, vals FROM entities WHERE id_hash = ?");
    s.Bind(1, IdHash(id));
    while (s.Step()) {
      if (s.Text(1) != id) continue;
      if (!c.Covers(s.Str(3))) return;
      model::Entity e = impl_->ToEntity(id, s.Str(2), s.Str(3), s.Blob(4), c);
      if (impl_->RedactReferences(e, impl_->HiddenIds(c))) out = std::move(e);
      return;
    }
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::optional<EntityIid>> CaseStore::FindIid(const std::string& id,
                                                    const model::Clearances& c) {
  std::optional<EntityIid> out;
  Status st = CatchAsStatus([&] {
    Stmt s = impl_->db->Prepare("SELECT iid, id, label FROM entities WHERE id_hash = ?");
    s.Bind(1, IdHash(id));
    while (s.Step()) {
      if (s.Text(1) != id) continue;
      if (c.Covers(s.Str(2))) out = s.Int(0);
      return;
    }
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<EntityHeader>> CaseStore::GetHeaders(const std::vector<EntityIid>& iids) {
  std::vector<EntityHeader> out;
  Status st = CatchAsStatus([&] {
    Stmt s = impl_->db->Prepare("SELECT id, schema, caption FROM entities WHERE iid = ?");
    out.reserve(iids.size());
    for (EntityIid iid : iids) {
      EntityHeader h;
      h.iid = iid;
      s.Bind(1, iid);
      if (s.Step()) {
        h.id = s.Str(0);
        h.schema = s.Str(1);
        h.caption = s.IsNull(2) ? h.id : s.Str(2);
      }
      s.Reset();
      out.push_back(std::move(h));
    }
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<LinkInfo>> CaseStore::GetLinks(const std::vector<std::int64_t>& link_iids) {
  std::vector<LinkInfo> out;
  Status st = CatchAsStatus([&] {
    Stmt s = impl_->db->Prepare(
        "SELECT l.type, l.time, o.id, a.id, b.id FROM links l JOIN entities o ON o.iid = l.owner "
        "JOIN entities a ON a.iid = l.src JOIN entities b ON b.iid = l.dst WHERE l.lid = ?");
    out.reserve(link_iids.size());
    for (std::int64_t lid : link_iids) {
      LinkInfo info;
      info.link_iid = lid;
      s.Bind(1, lid);
      if (s.Step()) {
        auto code = static_cast<std::size_t>(s.Int(0));
        if (code < impl_->link_types.size()) {
          const LinkType& lt = impl_->link_types[code];
          info.schema = lt.schema;
          info.prop = lt.prop;
          info.directed = lt.directed;
        }
        info.time = s.IsNull(1) ? 0 : s.Int(1);
        info.source = s.Str(3);
        info.target = s.Str(4);
        info.id = info.prop.empty() ? s.Str(2) : s.Str(2) + "." + info.prop + "." + info.target;
      }
      s.Reset();
      out.push_back(std::move(info));
    }
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<LinkInfo>> CaseStore::LinksOf(const std::string& id,
                                                 const model::Clearances& c) {
  std::vector<std::int64_t> lids;
  Status st = CatchAsStatus([&] {
    auto iid = FindIid(id, c);
    if (!iid.ok()) throw Error(iid.status());
    if (!iid.value()) return;
    std::unordered_map<std::int64_t, bool> memo;
    Stmt s = impl_->db->Prepare(
        "SELECT lid, src, dst, label FROM links WHERE src = ?1 "
        "UNION ALL SELECT lid, src, dst, label FROM links WHERE dst = ?1 AND src <> ?1");
    s.Bind(1, **iid);
    while (s.Step()) {
      if (!CoversAll(c, s.Text(3))) continue;
      if (!impl_->EntityVisible(s.Int(1), c, &memo) || !impl_->EntityVisible(s.Int(2), c, &memo)) {
        continue;
      }
      lids.push_back(s.Int(0));
    }
  });
  if (!st.ok()) return st;
  std::sort(lids.begin(), lids.end());
  return GetLinks(lids);
}

Result<std::map<std::string, std::int64_t>> CaseStore::CountEntitiesBySchema(
    const model::Clearances& c) {
  std::map<std::string, std::int64_t> out;
  Status st = CatchAsStatus([&] {
    Stmt s = impl_->db->Prepare(
        "SELECT schema, label, count(*) FROM entities WHERE schema IS NOT NULL GROUP BY schema, "
        "label");
    while (s.Step()) {
      if (c.Covers(s.Str(1))) out[s.Str(0)] += s.Int(2);
    }
    // Edge entities joining a hidden entity are hidden too (see RedactReferences).
    auto hidden = impl_->HiddenIds(c);
    if (hidden.empty()) return;
    Stmt e =
        impl_->db->Prepare("SELECT id, schema, label, vals FROM entities WHERE schema IS NOT NULL");
    while (e.Step()) {
      std::string schema_name = e.Str(1);
      if (!impl_->schema->IsEdge(schema_name) || !c.Covers(e.Str(2))) continue;
      model::Entity entity = impl_->ToEntity(e.Str(0), schema_name, e.Str(2), e.Blob(3), c);
      if (!impl_->RedactReferences(entity, hidden)) out[schema_name] -= 1;
    }
  });
  if (!st.ok()) return st;
  return out;
}

namespace {

// Per-iid visibility for clearances (and optionally an as_of date). Empty = all visible.
std::vector<std::uint8_t> HiddenMask(Db& db, std::int64_t num_nodes, const model::Clearances& c,
                                     std::optional<std::int64_t> as_of, bool* any_hidden) {
  std::vector<std::uint8_t> visible(static_cast<std::size_t>(num_nodes), 1);
  if (num_nodes > 0) visible[0] = 0;
  *any_hidden = false;
  if (!c.all()) {
    Stmt s = db.Prepare("SELECT iid, label FROM entities WHERE label IS NOT NULL");
    while (s.Step()) {
      if (!c.Covers(s.Str(1))) {
        visible[static_cast<std::size_t>(s.Int(0))] = 0;
        *any_hidden = true;
      }
    }
  }
  if (as_of) {
    Stmt s = db.Prepare("SELECT iid FROM entities WHERE first_seen > ?");
    s.Bind(1, *as_of);
    while (s.Step()) {
      visible[static_cast<std::size_t>(s.Int(0))] = 0;
      *any_hidden = true;
    }
  }
  return visible;
}

}  // namespace

Result<std::map<std::string, std::int64_t>> CaseStore::CountLinksByType(
    const model::Clearances& c) {
  std::map<std::string, std::int64_t> out;
  Status st = CatchAsStatus([&] {
    Db& db = *impl_->db;
    std::int64_t num_nodes = db.QueryInt("SELECT max(iid) FROM entities", 0) + 1;
    bool any_hidden = false;
    auto visible = HiddenMask(db, num_nodes, c, std::nullopt, &any_hidden);
    std::map<std::int64_t, std::int64_t> by_code;
    if (!any_hidden) {
      Stmt s = db.Prepare("SELECT type, label, count(*) FROM links GROUP BY type, label");
      while (s.Step()) {
        if (CoversAll(c, s.Text(1))) by_code[s.Int(0)] += s.Int(2);
      }
    } else {
      Stmt s = db.Prepare("SELECT type, label, src, dst FROM links");
      while (s.Step()) {
        if (!visible[static_cast<std::size_t>(s.Int(2))] ||
            !visible[static_cast<std::size_t>(s.Int(3))]) {
          continue;
        }
        if (CoversAll(c, s.Text(1))) by_code[s.Int(0)] += 1;
      }
    }
    for (auto [code, n] : by_code) {
      if (static_cast<std::size_t>(code) < impl_->link_types.size()) {
        out[impl_->link_types[static_cast<std::size_t>(code)].Name()] += n;
      }
    }
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<SearchHit>> CaseStore::Search(const std::string& text, int limit,
                                                 const model::Clearances& c) {
  std::vector<SearchHit> hits;
  Status st = CatchAsStatus([&] {
    std::vector<std::string> query = Tokenize(FoldForSearch(text));
    if (query.empty() || limit <= 0) return;
    std::string match;
    for (std::size_t i = 0; i < query.size(); ++i) {
      if (i > 0) match += " OR ";
      match += "\"" + query[i] + "\"";
      if (i + 1 == query.size()) match += "*";
    }
    Stmt s = impl_->db->Prepare(
        "SELECT n.rowid, n.names, n.labels, e.id, e.schema, e.caption, e.label FROM name_index n "
        "JOIN entities e ON e.iid = n.rowid WHERE name_index MATCH ? ORDER BY rank LIMIT 2000");
    s.Bind(1, std::string_view(match));
    while (s.Step()) {
      if (!c.Covers(s.Str(6))) continue;
      std::vector<std::string> names = SplitNames(s.Text(1));
      std::vector<std::string> labels;
      if (!s.IsNull(2) && !s.Text(2).empty()) labels = SplitOn(s.Text(2), kLabelSep);
      double best = 0;
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (i < labels.size() && !c.Covers(labels[i])) continue;
        best = std::max(best, NameMatchScore(query, Tokenize(names[i])));
      }
      if (best <= 0) continue;
      SearchHit h;
      h.entity.iid = s.Int(0);
      h.entity.id = s.Str(3);
      h.entity.schema = s.Str(4);
      h.entity.caption = s.IsNull(5) ? h.entity.id : s.Str(5);
      h.score = best;
      hits.push_back(std::move(h));
    }
    std::stable_sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
      if (a.score != b.score) return a.score > b.score;
      return a.entity.caption < b.entity.caption;
    });
    if (hits.size() > static_cast<std::size_t>(limit)) hits.resize(static_cast<std::size_t>(limit));
  });
  if (!st.ok()) return st;
  return hits;
}

Status CaseStore::ForEachEntity(const model::Clearances& c,
                                const std::function<void(const model::Entity&)>& fn) {
  return CatchAsStatus([&] {
    auto hidden = impl_->HiddenIds(c);
    Stmt s = impl_->db->Prepare(
        "SELECT id, schema, label, vals FROM entities WHERE schema IS NOT NULL ORDER BY iid");
    while (s.Step()) {
      if (!c.Covers(s.Str(2))) continue;
      model::Entity e = impl_->ToEntity(s.Str(0), s.Str(1), s.Str(2), s.Blob(3), c);
      if (impl_->RedactReferences(e, hidden)) fn(e);
    }
  });
}

Result<LinkTable> CaseStore::LoadLinks(const model::Clearances& c,
                                       std::optional<std::int64_t> as_of) {
  LinkTable t;
  Status st = CatchAsStatus([&] {
    Db& db = *impl_->db;
    // One read transaction so the count and the scan see the same snapshot.
    bool own_txn = !db.InTransaction();
    if (own_txn) db.Exec("BEGIN");
    try {
      t.num_nodes = db.QueryInt("SELECT max(iid) FROM entities", 0) + 1;
      bool any_hidden = false;
      t.visible_node = HiddenMask(db, t.num_nodes, c, as_of, &any_hidden);
      // Links filtered out above hide their endpoints' links; edge-schema entities
      // (Payment, Ownership...) are links, not nodes: they are not graph nodes, but links
      // that happen to point at them (references) stay. Placeholders (schema NULL) stay.
      std::vector<std::uint8_t> endpoint_ok;
      if (any_hidden) endpoint_ok = t.visible_node;
      {
        Stmt nodes = db.Prepare("SELECT page, data FROM node_pages");
        std::uint8_t* vis_out = t.visible_node.data();
        const auto num = static_cast<std::size_t>(t.num_nodes);
        while (nodes.Step()) {
          auto base = static_cast<std::size_t>(nodes.Int(0)) << kPageShift;
          std::string_view flags = nodes.Blob(1);
          for (std::size_t i = 0; i < flags.size() && base + i < num; ++i) {
            if (flags[i] & kNodeEdge) vis_out[base + i] = 0;
          }
        }
      }
      // Link ids are dense up to deleted (recomputed) ranges: max - min + 1 bounds the count
      // without the index scan count(*) would need.
      // (Two queries: only a lone min() or max() is answered from the b-tree's edge; the
      // combined expression scanned a whole index.)
      std::int64_t span = db.QueryInt("SELECT max(lid) FROM links", 0) -
                          db.QueryInt("SELECT min(lid) FROM links", 1) + 1;
      auto cap = static_cast<std::size_t>(std::max<std::int64_t>(span, 0));
      t.link_iid.reserve(cap);
      t.src.reserve(cap);
      t.dst.reserve(cap);
      t.type.reserve(cap);
      t.time.reserve(cap);
      t.directed.reserve(cap);
      t.weight.reserve(cap);
      std::vector<std::uint8_t> directed_of(impl_->link_types.size() + 1, 1);
      for (const auto& lt : impl_->link_types) directed_of[lt.code] = lt.directed ? 1 : 0;
      std::unordered_map<std::string, bool> label_cache;
      std::vector<std::uint8_t> label_ok;
      const std::uint8_t* vis = endpoint_ok.data();
      // Appends n fixed-width values from an unaligned page column to a vector.
      auto append = [](auto& vec, const char* from, std::size_t n) {
        std::size_t at = vec.size();
        vec.resize(at + n);
        std::memcpy(vec.data() + at, from, n * sizeof(vec[0]));
      };
      auto get = [](auto* out, const char* col, std::size_t i) {
        std::memcpy(out, col + i * sizeof(*out), sizeof(*out));
      };
      Stmt pages = db.Prepare("SELECT data FROM link_pages ORDER BY page");
      while (pages.Step()) {
        LinkPageView p = ParseLinkPage(pages.Blob(0));
        const std::size_t n = p.n;
        bool all_labels_ok = true;
        label_ok.assign(p.labels.size() + 1, 1);
        for (std::size_t k = 0; k < p.labels.size(); ++k) {
          std::string label(p.labels[k]);
          auto it = label_cache.find(label);
          if (it == label_cache.end()) it = label_cache.emplace(label, CoversAll(c, label)).first;
          label_ok[k + 1] = it->second ? 1 : 0;
          all_labels_ok = all_labels_ok && it->second;
        }
        std::size_t first = t.src.size();
        if (!any_hidden && !as_of && all_labels_ok) {
          // Common case: the whole page is visible; copy its columns.
          append(t.link_iid, p.lid, n);
          append(t.src, p.src, n);
          append(t.dst, p.dst, n);
          append(t.type, p.type, n);
          append(t.time, p.time, n);
          append(t.weight, p.weight, n);
        } else {
          for (std::size_t i = 0; i < n; ++i) {
            std::uint32_t src, dst, label;
            get(&src, p.src, i);
            get(&dst, p.dst, i);
            get(&label, p.label, i);
            if (any_hidden && (src >= endpoint_ok.size() || dst >= endpoint_ok.size() ||
                               !vis[src] || !vis[dst])) {
              continue;
            }
            if (label >= label_ok.size() || !label_ok[label]) continue;
            if (as_of) {
              std::int64_t first_seen;
              get(&first_seen, p.first_seen, i);
              if (first_seen > *as_of) continue;
            }
            std::int64_t lid, time;
            std::uint16_t type;
            double weight;
            get(&lid, p.lid, i);
            get(&type, p.type, i);
            get(&time, p.time, i);
            get(&weight, p.weight, i);
            t.link_iid.push_back(lid);
            t.src.push_back(src);
            t.dst.push_back(dst);
            t.type.push_back(type);
            t.time.push_back(time);
            t.weight.push_back(weight);
          }
        }
        for (std::size_t i = first; i < t.type.size(); ++i) {
          std::uint16_t type = t.type[i];
          t.directed.push_back(type < directed_of.size() ? directed_of[type] : 1);
        }
      }
    } catch (...) {
      if (own_txn) db.Exec("COMMIT");
      throw;
    }
    if (own_txn) db.Exec("COMMIT");
  });
  if (!st.ok()) return st;
  return t;
}

Result<std::vector<LinkType>> CaseStore::LinkTypes() {
  std::vector<LinkType> out;
  for (const auto& lt : impl_->link_types) {
    if (lt.code != 0) out.push_back(lt);
  }
  return out;
}

Result<std::vector<ImportRun>> CaseStore::ImportRuns() {
  std::vector<ImportRun> out;
  Status st = CatchAsStatus([&] {
    Stmt s = impl_->db->Prepare(
        "SELECT id, kind, dataset, source_file, content_hash, mapping, records, entities, "
        "new_entities, links, vals, rejected, warnings, started_at, finished_at, outcome "
        "FROM import_runs WHERE outcome = 'committed' ORDER BY id");
    while (s.Step()) {
      ImportRun r;
      r.id = s.Int(0);
      r.info = ImportRunInfo{s.Str(1), s.Str(2), s.Str(3), s.Str(4), s.Str(5)};
      r.counts.records = s.Int(6);
      r.counts.entities = s.Int(7);
      r.counts.new_entities = s.Int(8);
      r.counts.links = s.Int(9);
      r.counts.values = s.Int(10);
      r.counts.rejected = s.Int(11);
      r.counts.warnings = s.Int(12);
      r.started_at = s.Int(13);
      r.finished_at = s.Int(14);
      r.outcome = s.Str(15);
      out.push_back(std::move(r));
    }
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::int64_t> CaseStore::DataVersion() {
  std::int64_t v = 0;
  Status st = CatchAsStatus([&] { v = impl_->MetaInt("data_version"); });
  if (!st.ok()) return st;
  return v;
}

}  // namespace casegraph::store
