// SQLite-alone peer for the issue 2 benchmarks: loads the CSVs of `casegraph generate` into
// two plain tables (entity, link) as bench/peers/graph_spec.json says (the same links the
// case store derives from mapping.yml), times the load (parse + insert + indexes), then
// times a depth-2 expand (two self-joins) and a shortest path (recursive CTE, breadth
// first, stopped at the first hit) for every pair of the shared pairs file. Prints JSON.
//
// Usage: sqlite_peer_bench --data DIR --pairs FILE [--db PATH] [--max-hops 8]
//          [--warmup 20] [--path-queries N] [--expand-queries N] [--spec graph_spec.json]
// Pairs file: a_literal<TAB>a_key<TAB>b_literal<TAB>b_key per line (see bench/peers/make_pairs.py).
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/csv_reader.h"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "sqlite_peer_bench: %s\n", message.c_str());
  std::exit(1);
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    Die(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err != nullptr ? err : "?";
    sqlite3_free(err);
    Die(sql + ": " + m);
  }
}

sqlite3_stmt* Prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  Check(sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr), db,
        sql.c_str());
  return st;
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

struct Pair {
  std::string a, b;
};

std::vector<Pair> ReadPairs(const std::string& path) {
  std::ifstream in(path);
  if (!in) Die("cannot read " + path);
  std::vector<Pair> pairs;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, '\t')) f.push_back(field);
    if (f.size() < 4) Die("bad pairs line: " + line);
    pairs.push_back({f[1], f[3]});
  }
  return pairs;
}

json Summary(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) {
    if (ms.empty()) return 0.0;
    std::size_t i = static_cast<std::size_t>(std::max(0.0, std::ceil(p / 100 * ms.size()) - 1));
    return ms[std::min(i, ms.size() - 1)];
  };
  double sum = 0;
  for (double v : ms) sum += v;
  return json{{"queries", ms.size()},
              {"median_ms", pct(50)},
              {"p99_ms", pct(99)},
              {"mean_ms", ms.empty() ? 0.0 : sum / ms.size()},
              {"max_ms", ms.empty() ? 0.0 : ms.back()}};
}

// Streams one CSV and calls fn(fields) per row with the requested columns.
template <typename Fn>
std::int64_t ForEachRow(const std::string& path, const std::vector<std::string>& columns, Fn fn) {
  auto reader = casegraph::ingest::CsvReader::Open(path);
  if (!reader.ok()) Die(reader.status().ToString());
  std::vector<int> idx;
  for (const auto& c : columns) {
    int i = (*reader)->ColumnIndex(c);
    if (i < 0) Die(path + ": no column " + c);
    idx.push_back(i);
  }
  casegraph::ingest::CsvRow row;
  std::vector<std::string_view> picked(idx.size());
  std::int64_t n = 0;
  while ((*reader)->Next(&row)) {
    for (std::size_t k = 0; k < idx.size(); ++k) {
      picked[k] = static_cast<std::size_t>(idx[k]) < row.fields.size() ? row.fields[idx[k]]
                                                                       : std::string_view();
    }
    fn(picked);
    ++n;
  }
  if (!(*reader)->status().ok()) Die((*reader)->status().ToString());
  return n;
}

void BindText(sqlite3_stmt* st, int i, std::string_view v) {
  if (v.empty()) {
    sqlite3_bind_null(st, i);
  } else {
    sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string data, pairs_path, db_path, spec_path;
  int max_hops = 8, warmup = 20;
  long path_queries = -1, expand_queries = -1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--data")
      data = next();
    else if (a == "--pairs")
      pairs_path = next();
    else if (a == "--db")
      db_path = next();
    else if (a == "--spec")
      spec_path = next();
    else if (a == "--max-hops")
      max_hops = std::stoi(next());
    else if (a == "--warmup")
      warmup = std::stoi(next());
    else if (a == "--path-queries")
      path_queries = std::stol(next());
    else if (a == "--expand-queries")
      expand_queries = std::stol(next());
    else
      Die("unknown argument " + a);
  }
  if (data.empty() || pairs_path.empty()) Die("--data DIR and --pairs FILE are required");
  if (db_path.empty()) db_path = data + "/sqlite_peer.db";
  if (spec_path.empty())
    spec_path = std::string(CASEGRAPH_SOURCE_DIR) + "/bench/peers/graph_spec.json";
  json spec;
  {
    std::ifstream in(spec_path);
    if (!in) Die("cannot read " + spec_path);
    spec = json::parse(in);
  }
  std::vector<Pair> pairs = ReadPairs(pairs_path);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(db_path + suffix);

  json result = {{"system", "sqlite"},
                 {"version", sqlite3_libversion()},
                 {"data", data},
                 {"max_hops", max_hops}};

  // ---- Import: parse the CSVs, insert entities and links in one transaction, then index.
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) Die("cannot open " + db_path);
  auto t0 = Clock::now();
  Exec(db,
       "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-1048576;"
       "PRAGMA temp_store=MEMORY;");
  Exec(db,
       "CREATE TABLE entity(key TEXT PRIMARY KEY, schema TEXT NOT NULL, name TEXT) WITHOUT ROWID;"
       "CREATE TABLE link(id INTEGER PRIMARY KEY, src TEXT NOT NULL, dst TEXT NOT NULL, type TEXT "
       "NOT NULL);");
  Exec(db, "BEGIN");
  std::int64_t nodes = 0, links = 0;
  json per_file = json::object();
  {
    sqlite3_stmt* ins = Prepare(db, "INSERT INTO entity(key, schema, name) VALUES (?1, ?2, ?3)");
    for (const auto& n : spec["nodes"]) {
      auto ts = Clock::now();
      std::string schema = n["schema"];
      nodes += ForEachRow(data + "/" + n["file"].get<std::string>(),
                          {n["key"].get<std::string>(), n["name"].get<std::string>()},
                          [&](const std::vector<std::string_view>& f) {
                            BindText(ins, 1, f[0]);
                            sqlite3_bind_text(ins, 2, schema.c_str(), -1, SQLITE_STATIC);
                            BindText(ins, 3, f[1]);
                            Check(sqlite3_step(ins), db, "insert entity");
                            sqlite3_reset(ins);
                          });
      per_file["nodes:" + n["file"].get<std::string>()] = Seconds(ts);
    }
    sqlite3_finalize(ins);
  }
  {
    sqlite3_stmt* ins = Prepare(db, "INSERT INTO link(src, dst, type) VALUES (?1, ?2, ?3)");
    for (const auto& l : spec["links"]) {
      auto ts = Clock::now();
      std::string type = l["type"];
      ForEachRow(data + "/" + l["file"].get<std::string>(),
                 {l["src"].get<std::string>(), l["dst"].get<std::string>()},
                 [&](const std::vector<std::string_view>& f) {
                   if (f[0].empty() || f[1].empty()) return;
                   BindText(ins, 1, f[0]);
                   BindText(ins, 2, f[1]);
                   sqlite3_bind_text(ins, 3, type.c_str(), -1, SQLITE_STATIC);
                   Check(sqlite3_step(ins), db, "insert link");
                   sqlite3_reset(ins);
                   ++links;
                 });
      per_file["links:" + l["file"].get<std::string>()] = Seconds(ts);
    }
    sqlite3_finalize(ins);
  }
  auto ti = Clock::now();
  Exec(db, "CREATE INDEX link_src ON link(src, dst); CREATE INDEX link_dst ON link(dst, src);");
  Exec(db, "COMMIT");
  Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  per_file["indexes"] = Seconds(ti);
  double import_seconds = Seconds(t0);
  result["import"] = {{"seconds", import_seconds},
                      {"nodes", nodes},
                      {"links", links},
                      {"links_per_second", links / import_seconds},
                      {"per_file_seconds", per_file}};

  auto time_queries = [&](sqlite3_stmt* st, long limit, bool bind_b, auto on_rows) {
    std::size_t n = limit < 0 ? pairs.size() : std::min<std::size_t>(pairs.size(), limit);
    auto run = [&](const Pair& p) {
      sqlite3_bind_text(st, 1, p.a.c_str(), -1, SQLITE_STATIC);
      if (bind_b) {
        sqlite3_bind_text(st, 2, p.b.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, max_hops);
      }
      std::int64_t rows = 0, first = -1;
      int rc;
      while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (rows == 0) first = sqlite3_column_int64(st, 0);
        ++rows;
      }
      Check(rc, db, "query");
      sqlite3_reset(st);
      return std::pair<std::int64_t, std::int64_t>(rows, first);
    };
    for (std::size_t i = 0; i < std::min<std::size_t>(n, warmup); ++i) run(pairs[i]);
    std::vector<double> ms;
    for (std::size_t i = 0; i < n; ++i) {
      auto ts = Clock::now();
      auto r = run(pairs[i]);
      ms.push_back(Seconds(ts) * 1000);
      on_rows(r.first, r.second);
    }
    return ms;
  };

  // ---- Expand depth 2, both directions: every node within 2 links of a (a included,
  // as a walk a-x-a reaches it; Kuzu counts the same way).
  {
    sqlite3_stmt* st = Prepare(db,
                               "WITH n1(k) AS (SELECT dst FROM link WHERE src = ?1 UNION SELECT "
                               "src FROM link WHERE dst = ?1) "
                               "SELECT k FROM n1 "
                               "UNION SELECT l.dst FROM n1 JOIN link l ON l.src = n1.k "
                               "UNION SELECT l.src FROM n1 JOIN link l ON l.dst = n1.k");
    std::int64_t total = 0;
    auto ms = time_queries(st, expand_queries, false,
                           [&](std::int64_t rows, std::int64_t) { total += rows; });
    result["expand2"] = Summary(ms);
    result["expand2"]["total_result_nodes"] = total;
    sqlite3_finalize(st);
  }

  // ---- Shortest path by hops: breadth-first recursive CTE over both directions (ORDER BY
  // depth makes the queue FIFO; the outer LIMIT 1 stops the recursion at the first hit).
  {
    sqlite3_stmt* st = Prepare(
        db,
        "WITH RECURSIVE bfs(k, d) AS ("
        "  SELECT ?1, 0"
        "  UNION SELECT l.dst, bfs.d + 1 FROM bfs JOIN link l ON l.src = bfs.k WHERE bfs.d < ?3"
        "  UNION SELECT l.src, bfs.d + 1 FROM bfs JOIN link l ON l.dst = bfs.k WHERE bfs.d < ?3"
        "  ORDER BY 2) "
        "SELECT d FROM bfs WHERE k = ?2 LIMIT 1");
    std::vector<std::int64_t> hops;
    auto ms = time_queries(st, path_queries, true, [&](std::int64_t rows, std::int64_t first) {
      hops.push_back(rows > 0 ? first : -1);
    });
    result["path"] = Summary(ms);
    result["path"]["found"] =
        std::count_if(hops.begin(), hops.end(), [](auto h) { return h >= 0; });
    result["path"]["hops"] = hops;
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  std::printf("%s\n", result.dump().c_str());
  return 0;
}
