// Tests of ImportWriter: writes run in submission order, Drain and WaitForBatch make them
// visible to reads on the same connection, a failed write surfaces at the next call, and a
// discarding Stop leaves the rest unwritten.
#include "store/import_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "store/test_util.h"

namespace casegraph::store {
namespace {

using testing::TempDir;

// The tables ImportWriter writes, as in a case file.
void CreateTables(Db& db) {
  db.Exec(
      "CREATE TABLE entities(iid INTEGER PRIMARY KEY, id_hash INTEGER NOT NULL, id TEXT NOT "
      "NULL, schema TEXT, label TEXT, caption TEXT, first_seen INTEGER, last_seen INTEGER, "
      "link_lo INTEGER NOT NULL DEFAULT 0, link_n INTEGER NOT NULL DEFAULT 0, vals BLOB);"
      "CREATE TABLE links(lid INTEGER PRIMARY KEY, src INTEGER NOT NULL, dst INTEGER NOT NULL, "
      "type INTEGER NOT NULL, time INTEGER, weight REAL, label TEXT, first_seen INTEGER, "
      "last_seen INTEGER, owner INTEGER NOT NULL);"
      "CREATE VIRTUAL TABLE name_index USING fts5(names, labels UNINDEXED, tokenize='ascii');");
}

// Both ways of writing entity and link rows: one INSERT per row, and multi-row INSERTs for
// runs of inserts (the writer then groups each batch's ops by table).
class ImportWriterModeTest : public ::testing::TestWithParam<bool> {};

TEST_P(ImportWriterModeTest, WritesInOrderAndDrainMakesThemVisible) {
  TempDir dir("writer");
  Db db(dir.File("w.db"), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX);
  CreateTables(db);
  db.Exec("BEGIN");
  ImportWriter w(db, /*multi_row_inserts=*/GetParam());
  const int n = 5000;  // several batches
  for (int i = 1; i <= n; ++i) {
    w.InsertPlaceholder(i, i * 7, "p" + std::to_string(i));
    // Each update must land after its insert.
    w.UpdateEntity(i, "Person", i % 2 ? "secret" : "", "", 10, 20, 0, 0, "blob");
    w.InsertLink(i, i, i % n + 1, 3, i % 3 == 0, 1000 + i, i % 5 ? 1.5 : std::nan(""), "", 10, 20,
                 i);
  }
  // Full entity rows, most of them in runs (the multi-row path), then one updated.
  const int m = 1000;
  for (int i = n + 1; i <= n + m; ++i) {
    w.InsertEntity(i, -i, "e" + std::to_string(i), i % 2 ? "Company" : "Person",
                   i % 3 ? "" : "secret", i % 4 ? "Name " + std::to_string(i) : "", 100 + i,
                   200 + i, 300 + i, i % 7, "vals" + std::to_string(i));
  }
  w.UpdateEntity(n + m, "Company", "", "Renamed", 1, 2, 3, 4, "new");
  w.DeleteLinks(1, 11);  // lids 1..10
  w.FtsInsert(1, "anna smith", "");
  w.FtsInsert(2, "bob", "");
  w.FtsDelete(2);
  w.Drain();
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM entities WHERE schema = 'Person' AND iid <= 5000"),
            n);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM entities WHERE label = 'secret' AND iid <= 5000"),
            n / 2);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM entities WHERE caption IS NOT NULL AND iid <= 5000"),
            0);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM links"), n - 10);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM links WHERE time IS NULL"),
            db.QueryInt("SELECT count(*) FROM links WHERE lid % 3 != 0"));
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM links WHERE weight IS NULL"),
            db.QueryInt("SELECT count(*) FROM links WHERE lid % 5 = 0"));
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM name_index"), 1);
  // Every column of every link row as submitted (multi-row binds offset per row).
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM links WHERE src != lid OR dst != lid % 5000 + 1 "
                        "OR type != 3 OR owner != lid OR first_seen != 10 OR last_seen != 20 "
                        "OR label IS NOT NULL OR (lid % 3 = 0 AND time != 1000 + lid) "
                        "OR (lid % 5 != 0 AND weight != 1.5)"),
            0);
  // Every column of every full entity row as submitted.
  EXPECT_EQ(db.QueryInt(
                "SELECT count(*) FROM entities WHERE iid > 5000 AND iid < 6000 AND id_hash = -iid "
                "AND id = 'e' || iid AND schema = iif(iid % 2, 'Company', 'Person') "
                "AND label IS iif(iid % 3, NULL, 'secret') "
                "AND caption IS iif(iid % 4, 'Name ' || iid, NULL) AND first_seen = 100 + iid "
                "AND last_seen = 200 + iid AND link_lo = 300 + iid AND link_n = iid % 7 "
                "AND CAST(vals AS TEXT) = 'vals' || iid"),
            m - 1);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM entities WHERE iid = 6000 AND caption = 'Renamed' "
                        "AND link_n = 4 AND CAST(vals AS TEXT) = 'new'"),
            1);
  EXPECT_EQ(db.QueryInt("SELECT min(lid) FROM links"), 11);
  EXPECT_EQ(db.QueryInt("SELECT max(lid) FROM links"), n);
  w.Stop(/*discard=*/false);
  db.Exec("COMMIT");
}

INSTANTIATE_TEST_SUITE_P(RowInserts, ImportWriterModeTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "MultiRow" : "SingleRow";
                         });

TEST(ImportWriterTest, WaitForBatchMakesThatBatchVisibleWhileMoreAreQueued) {
  TempDir dir("writer-wait");
  Db db(dir.File("w.db"), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX);
  CreateTables(db);
  db.Exec("BEGIN");
  ImportWriter w(db);
  std::vector<std::uint64_t> batch_of(20001, 0);
  for (int i = 1; i <= 20000; ++i) {
    w.InsertPlaceholder(i, i, "p" + std::to_string(i));
    batch_of[i] = w.CurrentBatch();
  }
  EXPECT_GT(batch_of[20000], batch_of[1]);  // many batches
  // An early row is readable once its batch ran, the last one once its batch (still being
  // filled when asked) was handed over and ran; the writer is paused while the lock is held.
  for (int i : {1, 7000, 20000}) {
    auto paused = w.WaitForBatch(batch_of[i]);
    EXPECT_EQ(db.QueryInt("SELECT count(*) FROM entities WHERE iid = " + std::to_string(i)), 1);
    const std::int64_t rows = db.QueryInt("SELECT count(*) FROM entities");
    EXPECT_GE(rows, i);
    EXPECT_EQ(db.QueryInt("SELECT count(*) FROM entities"), rows);  // paused: no new rows
  }
  { auto none_needed = w.WaitForBatch(0); }
  w.Drain();
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM entities"), 20000);
  w.Stop(/*discard=*/false);
  db.Exec("COMMIT");
}

TEST(ImportWriterTest, FailedWriteSurfacesAtTheNextCall) {
  TempDir dir("writer-fail");
  Db db(dir.File("w.db"), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX);
  CreateTables(db);
  db.Exec("BEGIN");
  ImportWriter w(db);
  w.InsertPlaceholder(1, 1, "a");
  w.InsertPlaceholder(1, 1, "a");  // primary key violation, on the writer thread
  EXPECT_THROW(w.Drain(), Error);
  EXPECT_THROW(
      {
        for (int i = 0; i < 100000; ++i) w.InsertPlaceholder(100 + i, 1, "b");
      },
      Error);
  w.Stop(/*discard=*/true);  // never throws
  db.Exec("ROLLBACK");
}

TEST(ImportWriterTest, DiscardingStopEndsQuickly) {
  TempDir dir("writer-discard");
  Db db(dir.File("w.db"), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX);
  CreateTables(db);
  db.Exec("BEGIN");
  {
    ImportWriter w(db);
    for (int i = 1; i <= 20000; ++i) w.InsertPlaceholder(i, i, "x");
    w.Stop(/*discard=*/true);
    w.Stop(/*discard=*/true);  // idempotent
  }
  EXPECT_LT(db.QueryInt("SELECT count(*) FROM entities"), 20000);
  db.Exec("ROLLBACK");
}

}  // namespace
}  // namespace casegraph::store
