// The SQLite write floor of an import: how long SQLite alone takes to write the rows a
// finished casegraph import wrote, with nothing else to do. It copies a case (made by
// `casegraph import`) into a fresh file with the case store's own schema, page size and
// pragmas, in one transaction and in the order and manner of a bulk import: entity rows
// in iid order with their indexes in place, the name-index (FTS5) rows, link rows with
// the link indexes dropped and then rebuilt, the packed link and node pages, and a
// COMMIT with the WAL synced and checkpointed. No parsing, mapping, merging or encoding:
// every row arrives ready-made from the attached source case (so the figure is an upper
// bound on what any importer writing this content into SQLite can reach on the machine).
//
// Usage: sqlite_floor_bench --case SOURCE.case [--out DEST.case] [--late-entity-indexes]
//          [--rollback-journal] [--json]
// --late-entity-indexes: the entity indexes too are created after the rows (by sorting),
// instead of being maintained row by row. --rollback-journal: the transaction runs in
// SQLite's rollback-journal mode (journal_mode=DELETE) instead of WAL, so each page is
// written once (into the file) instead of twice (WAL, then checkpoint).
// Prints per-phase seconds and the implied links/s (links of the source / total time).
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "casegraph/status.h"
#include "store/sqlite_util.h"

namespace {

using casegraph::store::Db;
using casegraph::store::Stmt;
using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "sqlite_floor_bench: %s\n", message.c_str());
  std::exit(1);
}

struct Phase {
  std::string name;
  double seconds;
};

}  // namespace

int main(int argc, char** argv) {
  std::string source, dest;
  bool json = false, late_entity_indexes = false, rollback_journal = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--case" && i + 1 < argc) {
      source = argv[++i];
    } else if (a == "--out" && i + 1 < argc) {
      dest = argv[++i];
    } else if (a == "--late-entity-indexes") {
      late_entity_indexes = true;
    } else if (a == "--rollback-journal") {
      rollback_journal = true;
    } else if (a == "--json") {
      json = true;
    } else {
      Die("unknown argument " + a + " (usage: --case SOURCE.case [--out DEST.case] [--json])");
    }
  }
  if (source.empty()) Die("--case SOURCE.case is required");
  if (!std::filesystem::exists(source)) Die("no such case file: " + source);
  if (dest.empty()) dest = source + ".floor";
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(dest + suffix);

  try {
    Db db(dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    // The case store's pragmas (case_store.cc ApplyPragmas and Create).
    db.Exec("PRAGMA page_size=8192");
    db.Exec(rollback_journal ? "PRAGMA journal_mode=DELETE" : "PRAGMA journal_mode=WAL");
    db.Exec("PRAGMA synchronous=FULL");
    db.Exec("PRAGMA cache_size=-262144");
    db.Exec("PRAGMA temp_store=MEMORY");
    db.Exec("PRAGMA threads=2");
    db.Exec("ATTACH '" + source + "' AS src");

    // The source's schema: tables (FTS5 shadow tables come with the virtual table) and
    // indexes; the link indexes are created after the link rows, as a bulk import does.
    std::vector<std::string> tables, indexes, late_indexes;
    {
      Stmt s = db.Prepare(
          "SELECT type, name, sql FROM src.sqlite_schema WHERE sql IS NOT NULL "
          "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'name_index_%' ORDER BY rowid");
      while (s.Step()) {
        const std::string type = s.Str(0), name = s.Str(1), sql = s.Str(2);
        if (type == "table") {
          tables.push_back(sql);
        } else if (type == "index") {
          const bool late = name == "links_src" || name == "links_dst" ||
                            (late_entity_indexes && name.rfind("entities_", 0) == 0);
          (late ? late_indexes : indexes).push_back(sql);
        }
      }
    }
    for (const std::string& sql : tables) db.Exec(sql);
    for (const std::string& sql : indexes) db.Exec(sql);
    const std::int64_t links = db.QueryInt("SELECT count(*) FROM src.links");
    const std::int64_t entities = db.QueryInt("SELECT count(*) FROM src.entities");

    std::vector<Phase> phases;
    const auto start = Clock::now();
    auto lap = [&, t = start](const char* name) mutable {
      const auto now = Clock::now();
      phases.push_back({name, std::chrono::duration<double>(now - t).count()});
      t = now;
    };
    db.Exec("BEGIN IMMEDIATE");
    db.Exec("INSERT INTO entities SELECT * FROM src.entities ORDER BY iid");
    lap(late_entity_indexes ? "entity rows" : "entity rows (+ id_hash, first_seen, label indexes)");
    db.Exec(
        "INSERT INTO name_index(rowid, names, labels) SELECT rowid, names, labels "
        "FROM src.name_index ORDER BY rowid");
    lap("name index rows (FTS5)");
    db.Exec("INSERT INTO links SELECT * FROM src.links ORDER BY lid");
    lap("link rows");
    db.Exec("INSERT INTO link_pages SELECT * FROM src.link_pages");
    db.Exec("INSERT INTO node_pages SELECT * FROM src.node_pages");
    for (const char* small : {"meta", "sources", "link_types", "import_runs"}) {
      db.Exec(std::string("INSERT OR REPLACE INTO ") + small + " SELECT * FROM src." + small);
    }
    lap("link and node pages, small tables");
    for (const std::string& sql : late_indexes) db.Exec(sql);
    lap(late_entity_indexes ? "link and entity indexes" : "link indexes");
    db.Exec("COMMIT");
    lap(rollback_journal ? "COMMIT (sync)" : "COMMIT (sync, checkpoint)");
    const double total = std::chrono::duration<double>(Clock::now() - start).count();
    db.Exec("DETACH src");

    if (json) {
      nlohmann::ordered_json out{{"source", source},
                                 {"rollback_journal", rollback_journal},
                                 {"late_entity_indexes", late_entity_indexes},
                                 {"entities", entities},
                                 {"links", links},
                                 {"seconds", total},
                                 {"links_per_second", static_cast<double>(links) / total}};
      for (const Phase& p : phases) out["phases"][p.name] = p.seconds;
      std::printf("%s\n", out.dump().c_str());
    } else {
      for (const Phase& p : phases) std::printf("%-52s %8.3f s\n", p.name.c_str(), p.seconds);
      std::printf("SQLite write floor: %lld entities, %lld links in %.2f s = %.0f links/s\n",
                  static_cast<long long>(entities), static_cast<long long>(links), total,
                  links / total);
    }
  } catch (const casegraph::Error& e) {
    Die(e.what());
  }
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(dest + suffix);
  }
  return 0;
}
