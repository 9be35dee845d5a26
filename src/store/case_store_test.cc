// Tests of the case store: create/open/migrate, merging and idempotent re-import,
// provenance round trip, clearance filtering, search ranking, LoadLinks and as_of,
// rollback, and the value codec.
#include "store/case_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <tuple>

#include "model/types.h"
#include "store/search_score.h"
#include "store/test_util.h"
#include "store/value_codec.h"

namespace casegraph::store {
namespace {

using model::Clearances;
using model::Entity;
using testing::JournalMode;
using testing::MakeEntity;
using testing::TempDir;

std::unique_ptr<CaseStore> NewCase(const TempDir& dir, const std::string& name = "case.cg") {
  auto r = CaseStore::Create(dir.File(name));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

ImportRun Import(CaseStore& store, const std::vector<Entity>& entities,
                 const std::string& dataset = "ds") {
  auto txn = store.BeginImport({"ftm", dataset, "input.json", "hash", ""});
  EXPECT_TRUE(txn.ok()) << txn.status().ToString();
  for (const auto& e : entities) {
    Status st = (*txn)->Add(e);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  auto run = (*txn)->Commit({static_cast<std::int64_t>(entities.size()), 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(run.ok()) << run.status().ToString();
  return run.ok() ? run.value() : ImportRun{};
}

std::vector<Entity> SmallCase() {
  return {
      MakeEntity("p1", "Person", {{"name", "John Smith"}, {"nationality", "gb"}}),
      MakeEntity("c1", "Company", {{"name", "Acme Holdings Ltd"}, {"jurisdiction", "cy"}}),
      MakeEntity(
          "o1", "Ownership",
          {{"owner", "p1"}, {"asset", "c1"}, {"percentage", "50"}, {"startDate", "2019-03-01"}}),
  };
}

std::int64_t EntityCount(CaseStore& store) {
  auto counts = store.CountEntitiesBySchema(Clearances::All());
  std::int64_t n = 0;
  for (auto [k, v] : *counts) n += v;
  return n;
}

TEST(CaseStoreTest, CreateAndOpen) {
  TempDir dir("create");
  { auto store = NewCase(dir); }
  auto again = CaseStore::Create(dir.File("case.cg"));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  auto opened = CaseStore::Open(dir.File("case.cg"));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ((*opened)->DataVersion().value(), 0);

  EXPECT_EQ(CaseStore::Open(dir.File("missing.cg")).status().code(), StatusCode::kNotFound);
  {
    std::ofstream f(dir.File("text.cg"));
    f << "this is not a database, just some text that is long enough to have a header...\n";
  }
  auto bad = CaseStore::Open(dir.File("text.cg"));
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption) << bad.status().ToString();
  {
    sqlite3* db = nullptr;
    sqlite3_open(dir.File("other.db").c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  auto other = CaseStore::Open(dir.File("other.db"));
  EXPECT_EQ(other.status().code(), StatusCode::kCorruption);
  EXPECT_NE(other.status().message().find("not a casegraph case file"), std::string::npos);
}

TEST(CaseStoreTest, MigratesOlderAndRefusesNewerFormat) {
  TempDir dir("migrate");
  // A version-0 shell: what a case looks like before the first migration.
  {
    sqlite3* db = nullptr;
    sqlite3_open(dir.File("old.cg").c_str(), &db);
    sqlite3_exec(db,
                 "PRAGMA application_id=1128755304;"
                 "CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
                 "INSERT INTO meta VALUES('format_version', 0);",
                 nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  {
    auto opened = CaseStore::Open(dir.File("old.cg"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    Import(**opened, SmallCase());
    EXPECT_EQ(EntityCount(**opened), 3);
  }
  {
    sqlite3* db = nullptr;
    sqlite3_open(dir.File("old.cg").c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='format_version'", -1, &st, nullptr);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(st, 0), kStoreFormatVersion);
    sqlite3_finalize(st);
    sqlite3_exec(db, "UPDATE meta SET value=99 WHERE key='format_version'", nullptr, nullptr,
                 nullptr);
    sqlite3_close(db);
  }
  auto newer = CaseStore::Open(dir.File("old.cg"));
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.status().message().find("newer than this casegraph supports"), std::string::npos)
      << newer.status().ToString();
}

TEST(CaseStoreTest, ImportDerivesLinksAndCounts) {
  TempDir dir("links");
  auto store = NewCase(dir);
  auto person = MakeEntity("p2", "Person", {{"name", "Jane Roe"}, {"addressEntity", "addr1"}});
  auto entities = SmallCase();
  entities.push_back(person);
  entities.push_back(MakeEntity("pay1", "Payment",
                                {{"payer", "c1"},
                                 {"beneficiary", "p2"},
                                 {"beneficiary", "p1"},
                                 {"amount", "1200.50"},
                                 {"date", "2020-01-02"}}));
  ImportRun run = Import(*store, entities);
  EXPECT_EQ(run.counts.entities, 5);
  EXPECT_EQ(run.counts.new_entities, 5);
  EXPECT_EQ(run.counts.links, 4);  // ownership, address reference, 2 payments (1 x 2)
  EXPECT_EQ(run.counts.records, 5);
  EXPECT_EQ(run.outcome, "committed");

  auto table = store->LoadLinks(Clearances::All(), std::nullopt);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->src.size(), 4u);
  EXPECT_EQ(table->num_nodes, 7);  // 5 entities + placeholder addr1, plus unused 0
  auto types = store->LinkTypes().value();
  std::map<std::uint16_t, std::string> name_of;
  for (const auto& t : types) name_of[t.code] = t.Name();
  auto iid = [&](const std::string& id) {
    return static_cast<std::uint32_t>(store->FindIid(id, Clearances::All()).value().value());
  };
  int seen = 0;
  for (std::size_t i = 0; i < table->src.size(); ++i) {
    std::string type = name_of[table->type[i]];
    if (type == "Ownership") {
      ++seen;
      EXPECT_EQ(table->src[i], iid("p1"));
      EXPECT_EQ(table->dst[i], iid("c1"));
      EXPECT_EQ(table->time[i], *model::DateToUnix("2019-03-01"));
      EXPECT_DOUBLE_EQ(table->weight[i], 0.5);
      EXPECT_EQ(table->directed[i], 1);
    } else if (type == "Person.addressEntity") {
      ++seen;
      EXPECT_EQ(table->src[i], iid("p2"));
      EXPECT_EQ(table->dst[i], iid("addr1"));
      EXPECT_EQ(table->time[i], std::numeric_limits<std::int64_t>::min());
      EXPECT_TRUE(std::isnan(table->weight[i]));
    } else if (type == "Payment") {
      ++seen;
      EXPECT_EQ(table->src[i], iid("c1"));
      EXPECT_TRUE(table->dst[i] == iid("p1") || table->dst[i] == iid("p2"));
      EXPECT_DOUBLE_EQ(table->weight[i], 1200.5);
      EXPECT_EQ(table->time[i], *model::DateToUnix("2020-01-02"));
    }
  }
  EXPECT_EQ(seen, 4);

  // GetLinks / LinksOf describe links by FtM ids.
  auto of = store->LinksOf("p2", Clearances::All()).value();
  ASSERT_EQ(of.size(), 2u);
  for (const auto& l : of) {
    if (l.schema == "Payment") {
      EXPECT_EQ(l.id, "pay1");
      EXPECT_EQ(l.source, "c1");
      EXPECT_EQ(l.target, "p2");
      EXPECT_EQ(l.time, *model::DateToUnix("2020-01-02"));
    } else {
      EXPECT_EQ(l.schema, "Person");
      EXPECT_EQ(l.prop, "addressEntity");
      EXPECT_EQ(l.id, "p2.addressEntity.addr1");
      EXPECT_EQ(l.target, "addr1");
    }
  }
  auto by_type = store->CountLinksByType(Clearances::All()).value();
  EXPECT_EQ(by_type["Payment"], 2);
  EXPECT_EQ(by_type["Ownership"], 1);
  auto by_schema = store->CountEntitiesBySchema(Clearances::All()).value();
  EXPECT_EQ(by_schema["Person"], 2);
  EXPECT_EQ(by_schema.count("Address"), 0u);  // placeholders are not counted

  // The placeholder is filled by a later import, keeping its iid and links.
  std::uint32_t addr_iid = iid("addr1");
  ImportRun run2 =
      Import(*store, {MakeEntity("addr1", "Address", {{"full", "1 Main St, Nicosia"}})});
  EXPECT_EQ(run2.counts.new_entities, 1);
  EXPECT_EQ(iid("addr1"), addr_iid);
  auto addr = store->GetEntity("addr1", Clearances::All()).value();
  ASSERT_TRUE(addr.has_value());
  EXPECT_EQ(addr->schema, "Address");
  EXPECT_EQ(store->LinksOf("addr1", Clearances::All()).value().size(), 1u);
  auto headers = store->GetHeaders({addr_iid, iid("p1")}).value();
  ASSERT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers[0].caption, "1 Main St, Nicosia");
  EXPECT_EQ(headers[1].caption, "John Smith");
  EXPECT_EQ(headers[1].schema, "Person");
}

// An import into an empty case writes through a rollback journal (each page once), any
// other through the WAL; either way the case is in WAL mode before and after.
TEST(CaseStoreTest, ImportIntoEmptyCaseUsesRollbackJournalThenWal) {
  TempDir dir("journal");
  const std::string path = dir.File("case.cg");
  auto store = NewCase(dir);
  EXPECT_EQ(JournalMode(path), "wal");
  {
    auto txn = store->BeginImport({"ftm", "ds", "f.json", "h", ""});
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    for (const auto& e : SmallCase()) ASSERT_TRUE((*txn)->Add(e).ok());
    for (int i = 0; i < 3000; ++i) {
      ASSERT_TRUE((*txn)
                      ->Add(MakeEntity("bulk" + std::to_string(i), "Person",
                                       {{"name", "Person " + std::to_string(i)}}))
                      .ok());
    }
    ASSERT_TRUE((*txn)->Commit({}).ok());
  }
  auto wal_bytes = [&] {
    std::error_code ec;
    auto size = std::filesystem::file_size(path + "-wal", ec);
    return ec ? std::uintmax_t{0} : size;
  };
  // Nothing went through the WAL (a WAL-mode import leaves its pages there until the
  // WAL is restarted), the journal is gone and the case is in WAL mode again.
  EXPECT_EQ(wal_bytes(), 0u);
  EXPECT_FALSE(std::filesystem::exists(path + "-journal"));
  EXPECT_EQ(JournalMode(path), "wal");
  EXPECT_EQ(EntityCount(*store), 3003);
  // The second import finds entities: WAL mode throughout, and it reads the first's rows.
  Import(*store, {MakeEntity("p9", "Person", {{"name", "Late Person"}, {"associate", "p1"}})});
  EXPECT_GT(wal_bytes(), 0u);
  EXPECT_EQ(JournalMode(path), "wal");
  EXPECT_EQ(EntityCount(*store), 3004);
}

TEST(CaseStoreTest, ReimportIsIdempotentAndMergesSeenTimes) {
  TempDir dir("idem");
  auto store = NewCase(dir);
  auto entities = SmallCase();
  entities[0].values[0].prov.first_seen = 1000;
  entities[0].values[0].prov.last_seen = 1000;
  ImportRun first = Import(*store, entities);
  auto before = store->LoadLinks(Clearances::All(), std::nullopt).value();
  std::int64_t v1 = store->DataVersion().value();

  entities[0].values[0].prov.first_seen = 2000;
  entities[0].values[0].prov.last_seen = 2000;
  ImportRun second = Import(*store, entities);
  EXPECT_EQ(second.counts.entities, 3);
  EXPECT_EQ(second.counts.new_entities, 0);
  EXPECT_EQ(second.counts.values, first.counts.values);
  EXPECT_EQ(EntityCount(*store), 3);
  EXPECT_GT(store->DataVersion().value(), v1);

  auto after = store->LoadLinks(Clearances::All(), std::nullopt).value();
  EXPECT_EQ(after.link_iid, before.link_iid);  // unchanged links keep their ids
  EXPECT_EQ(after.src, before.src);

  auto p1 = store->GetEntity("p1", Clearances::All()).value().value();
  ASSERT_EQ(p1.All("name").size(), 1u);  // merged, not duplicated
  for (const auto& v : p1.values) {
    if (v.prop != "name") continue;
    EXPECT_EQ(v.prov.first_seen, 1000);
    EXPECT_EQ(v.prov.last_seen, 2000);
    EXPECT_EQ(v.prov.run_id, second.id);
  }
  // The same value from another dataset is kept separately (merge key includes dataset).
  Import(*store, {MakeEntity("p1", "Person", {{"name", "John Smith"}})}, "other");
  p1 = store->GetEntity("p1", Clearances::All()).value().value();
  EXPECT_EQ(p1.All("name").size(), 2u);
  EXPECT_EQ(store->ImportRuns().value().size(), 3u);

  // Changing an edge recomputes its links.
  Import(*store, {MakeEntity("c2", "Company", {{"name", "Beta"}}),
                  MakeEntity("o1", "Ownership", {{"asset", "c2"}})});
  auto links = store->LinksOf("o1", Clearances::All());
  auto c2 = store->LinksOf("c2", Clearances::All()).value();
  ASSERT_EQ(c2.size(), 1u);
  EXPECT_EQ(c2[0].id, "o1");
  EXPECT_EQ(store->LoadLinks(Clearances::All(), std::nullopt)->src.size(), 2u);  // p1->c1, p1->c2
}

TEST(CaseStoreTest, SchemaConflictAndSpecialisation) {
  TempDir dir("schema");
  auto store = NewCase(dir);
  Import(*store, {MakeEntity("x", "LegalEntity", {{"name", "X"}})});
  Import(*store, {MakeEntity("x", "Company", {{"name", "X"}})});
  EXPECT_EQ(store->GetEntity("x", Clearances::All()).value()->schema, "Company");
  auto txn = store->BeginImport({"ftm", "ds", "f", "h", ""});
  ASSERT_TRUE(txn.ok());
  Status st = (*txn)->Add(MakeEntity("x", "Person", {{"name", "X"}}));
  EXPECT_EQ(st.code(), StatusCode::kSchemaError);
  Status unknown = (*txn)->Add(MakeEntity("y", "NoSuchSchema", {}));
  EXPECT_EQ(unknown.code(), StatusCode::kSchemaError);
}

TEST(CaseStoreTest, ProvenanceRoundTrip) {
  TempDir dir("prov");
  auto store = NewCase(dir);
  Entity e = MakeEntity("p1", "Person", {{"name", "Anna Berg"}, {"birthDate", "1970-05"}});
  e.values[0].prov = {"registry", "people.csv", "line 12", 0, 1600000000, 1650000000};
  e.values[0].grading = {'B', 2};
  e.values[1].label = "restricted";
  e.values[1].prov.record_key = "line 13";
  ImportRun run = Import(*store, {e}, "fallback");
  auto got = store->GetEntity("p1", Clearances::All()).value().value();
  ASSERT_EQ(got.values.size(), 2u);
  const auto& name = got.values[0];
  EXPECT_EQ(name.prop, "name");
  EXPECT_EQ(name.value, "Anna Berg");
  EXPECT_EQ(name.prov.dataset, "registry");
  EXPECT_EQ(name.prov.source_file, "people.csv");
  EXPECT_EQ(name.prov.record_key, "line 12");
  EXPECT_EQ(name.prov.run_id, run.id);
  EXPECT_EQ(name.prov.first_seen, 1600000000);
  EXPECT_EQ(name.prov.last_seen, 1650000000);
  EXPECT_EQ(name.grading.ToString(), "B2");
  const auto& birth = got.values[1];
  EXPECT_EQ(birth.prov.dataset, "fallback");  // defaults from the import run
  EXPECT_EQ(birth.prov.source_file, "input.json");
  EXPECT_EQ(birth.prov.record_key, "line 13");
  EXPECT_EQ(birth.label, "restricted");
  EXPECT_FALSE(birth.grading.graded());
  EXPECT_EQ(birth.prov.first_seen, run.started_at);

  auto runs = store->ImportRuns().value();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].info.dataset, "fallback");
  EXPECT_EQ(runs[0].info.content_hash, "hash");
  EXPECT_EQ(runs[0].counts.entities, 1);
  EXPECT_EQ(runs[0].counts.values, 2);
}

TEST(CaseStoreTest, ClearancesFilterEveryReadPath) {
  TempDir dir("clear");
  auto store = NewCase(dir);
  Entity agent = MakeEntity("agent", "Person", {{"name", "Secret Agent"}});
  agent.label = "secret";
  Entity boss = MakeEntity("boss", "Person", {{"name", "Big Boss"}, {"alias", "The Hidden Alias"}});
  boss.values[1].label = "secret";
  boss.values.push_back({"phone", "+441234", {}, {}, "secret"});
  Entity co = MakeEntity("co", "Company", {{"name", "Front Company"}});
  Entity d1 = MakeEntity("d1", "Directorship", {{"director", "agent"}, {"organization", "co"}});
  Entity d2 = MakeEntity("d2", "Directorship", {{"director", "boss"}, {"organization", "co"}});
  Entity d3 = MakeEntity("d3", "Directorship", {{"director", "boss"}, {"organization", "agent"}});
  Entity d4 = MakeEntity("d4", "Ownership", {{"owner", "boss"}, {"asset", "co"}});
  d4.label = "secret";
  Import(*store, {agent, boss, co, d1, d2, d3, d4});

  Clearances none;
  Clearances secret({"secret"});
  // Labelled entity hidden.
  EXPECT_FALSE(store->GetEntity("agent", none).value().has_value());
  EXPECT_FALSE(store->FindIid("agent", none).value().has_value());
  EXPECT_TRUE(store->GetEntity("agent", secret).value().has_value());
  EXPECT_EQ(store->CountEntitiesBySchema(none).value()["Person"], 1);
  EXPECT_EQ(store->CountEntitiesBySchema(secret).value()["Person"], 2);
  EXPECT_TRUE(store->Search("secret agent", 10, none).value().empty());
  EXPECT_EQ(store->Search("secret agent", 10, secret).value().size(), 1u);

  // Labelled values hidden, including from search; captions never use them.
  auto b = store->GetEntity("boss", none).value().value();
  EXPECT_EQ(b.values.size(), 1u);
  EXPECT_EQ(b.All("alias").size(), 0u);
  EXPECT_EQ(store->GetEntity("boss", secret).value()->values.size(), 3u);
  EXPECT_TRUE(store->Search("hidden alias", 10, none).value().empty());
  EXPECT_EQ(store->Search("hidden alias", 10, secret).value().size(), 1u);
  int exported = 0;
  ASSERT_TRUE(store
                  ->ForEachEntity(none,
                                  [&](const Entity& e) {
                                    ++exported;
                                    EXPECT_NE(e.id, "agent");
                                    for (const auto& v : e.values) EXPECT_TRUE(v.label.empty());
                                  })
                  .ok());
  // boss, co, d2: d1 and d3 are unlabelled but join the hidden agent, and showing them
  // would reveal the agent's id, so edge entities with a hidden end are hidden too.
  EXPECT_EQ(exported, 3);
  EXPECT_FALSE(store->GetEntity("d1", none).value().has_value());
  EXPECT_TRUE(store->GetEntity("d1", secret).value().has_value());
  EXPECT_EQ(store->CountEntitiesBySchema(none).value()["Directorship"], 1);
  EXPECT_EQ(store->CountEntitiesBySchema(secret).value()["Directorship"], 3);

  // Links: to a hidden entity hidden; a labelled link hidden.
  auto table = store->LoadLinks(none, std::nullopt).value();
  ASSERT_EQ(table.src.size(), 1u);  // only d2: boss -> co
  auto agent_iid = store->FindIid("agent", secret).value().value();
  EXPECT_EQ(table.visible_node[static_cast<std::size_t>(agent_iid)], 0);
  EXPECT_EQ(store->LoadLinks(secret, std::nullopt)->src.size(), 4u);
  EXPECT_EQ(store->LinksOf("co", none).value().size(), 1u);
  EXPECT_EQ(store->LinksOf("co", secret).value().size(), 3u);
  EXPECT_EQ(store->CountLinksByType(none).value()["Directorship"], 1);
  EXPECT_EQ(store->CountLinksByType(none).value().count("Ownership"), 0u);
  EXPECT_EQ(store->CountLinksByType(Clearances::All()).value()["Directorship"], 3);
}

TEST(CaseStoreTest, SearchIsRankedAndInsensitive) {
  TempDir dir("search");
  auto store = NewCase(dir);
  Import(*store, {
                     MakeEntity("a", "Person", {{"name", "Jürgen Müller"}}),
                     MakeEntity("b", "Person", {{"name", "Jürgen Müller-Schmidt"}}),
                     MakeEntity("c", "Person", {{"name", "Anna Müller"}}),
                     MakeEntity("d", "Person", {{"name", "Владимир Путин"}}),
                     MakeEntity("e", "Company", {{"name", "Mullerton Trading"}}),
                     MakeEntity("f", "Person", {{"name", "Unrelated Name"}}),
                 });
  auto hits = store->Search("MULLER jurgen", 10, Clearances()).value();
  ASSERT_GE(hits.size(), 3u);
  EXPECT_EQ(hits[0].entity.id, "a");
  EXPECT_DOUBLE_EQ(hits[0].score, 1.0);
  EXPECT_EQ(hits[1].entity.id, "b");
  EXPECT_LT(hits[1].score, 1.0);
  EXPECT_GT(hits[1].score, hits[2].score);
  for (const auto& h : hits) {
    EXPECT_NE(h.entity.id, "f");
    EXPECT_GE(h.score, 0.0);
    EXPECT_LE(h.score, 1.0);
  }
  EXPECT_EQ(hits[0].entity.caption, "Jürgen Müller");
  EXPECT_EQ(hits[0].entity.schema, "Person");

  auto cyr = store->Search("vladimir putin", 10, Clearances()).value();
  ASSERT_EQ(cyr.size(), 1u);
  EXPECT_EQ(cyr[0].entity.id, "d");
  auto cyr2 = store->Search("Путин Владимир", 10, Clearances()).value();
  ASSERT_EQ(cyr2.size(), 1u);
  EXPECT_DOUBLE_EQ(cyr2[0].score, 1.0);

  // Prefix on the last token.
  auto prefix = store->Search("mullert", 10, Clearances()).value();
  ASSERT_EQ(prefix.size(), 1u);
  EXPECT_EQ(prefix[0].entity.id, "e");
  EXPECT_EQ(store->Search("anna mül", 10, Clearances()).value()[0].entity.id, "c");
  EXPECT_EQ(store->Search("muller", 1, Clearances()).value().size(), 1u);
  EXPECT_TRUE(store->Search("   ", 10, Clearances()).value().empty());
}

TEST(CaseStoreTest, NameMatchScore) {
  EXPECT_DOUBLE_EQ(NameMatchScore({"john", "smith"}, {"smith", "john"}), 1.0);
  EXPECT_GT(NameMatchScore({"john", "smith"}, {"john", "smith", "jr"}),
            NameMatchScore({"john", "smith"}, {"john", "doe"}));
  EXPECT_GT(NameMatchScore({"john", "sm"}, {"john", "smith"}), 0.5);
  EXPECT_LT(NameMatchScore({"john", "sm"}, {"john", "smith"}), 1.0);
  EXPECT_EQ(NameMatchScore({"xavier"}, {"john", "smith"}), 0.0);
  EXPECT_EQ(NameMatchScore({"sm", "john"}, {"john", "smith"}),
            0.9 * 0.5 * 0.75);  // prefix: last only
}

TEST(CaseStoreTest, AsOfLeavesOutLaterEntitiesAndLinks) {
  TempDir dir("asof");
  auto store = NewCase(dir);
  auto with_seen = [](Entity e, std::int64_t t) {
    for (auto& v : e.values) v.prov.first_seen = v.prov.last_seen = t;
    return e;
  };
  Import(*store,
         {with_seen(MakeEntity("a", "Person", {{"name", "A"}}), 100),
          with_seen(MakeEntity("b", "Person", {{"name", "B"}}), 100),
          with_seen(MakeEntity("c", "Person", {{"name", "C"}}), 300),
          with_seen(MakeEntity("ab", "Associate", {{"person", "a"}, {"associate", "b"}}), 150),
          with_seen(MakeEntity("ab2", "Associate", {{"person", "a"}, {"associate", "b"}}), 250),
          with_seen(MakeEntity("bc", "Associate", {{"person", "b"}, {"associate", "c"}}), 160)});
  auto all = store->LoadLinks(Clearances(), std::nullopt).value();
  EXPECT_EQ(all.src.size(), 3u);
  EXPECT_EQ(all.directed[0], 0);  // Associate is undirected
  auto at200 = store->LoadLinks(Clearances(), 200).value();
  EXPECT_EQ(at200.src.size(), 1u);  // ab only: ab2 is later, bc touches c (seen at 300)
  auto c_iid = store->FindIid("c", Clearances()).value().value();
  EXPECT_EQ(at200.visible_node[static_cast<std::size_t>(c_iid)], 0);
  EXPECT_EQ(store->LoadLinks(Clearances(), 50)->src.size(), 0u);
}

// Regression: edge-schema entities (Payment, Ownership...) are links, not nodes; they
// used to be visible nodes, so every payment showed up as an isolated node in
// centrality/components output. Placeholders (referenced, never imported) stay visible.
TEST(CaseStoreTest, EdgeEntitiesAreNotVisibleNodes) {
  TempDir dir("edgenodes");
  auto store = NewCase(dir);
  Import(*store,
         {MakeEntity("a", "Person", {{"name", "A"}, {"addressEntity", "addr-placeholder"}}),
          MakeEntity("b", "Company", {{"name", "B"}}),
          MakeEntity("pay", "Payment", {{"payer", "a"}, {"beneficiary", "b"}, {"amount", "10"}}),
          MakeEntity("own", "Ownership", {{"owner", "a"}, {"asset", "b"}})});
  for (const Clearances& c : {Clearances::All(), Clearances({"x"})}) {
    auto t = store->LoadLinks(c, std::nullopt).value();
    EXPECT_EQ(t.src.size(), 3u);  // payment, ownership, addressEntity reference
    auto vis = [&](const std::string& id) {
      auto iid = store->FindIid(id, Clearances::All()).value().value();
      return t.visible_node.at(static_cast<std::size_t>(iid));
    };
    EXPECT_EQ(vis("a"), 1);
    EXPECT_EQ(vis("b"), 1);
    EXPECT_EQ(vis("addr-placeholder"), 1);
    EXPECT_EQ(vis("pay"), 0);
    EXPECT_EQ(vis("own"), 0);
  }
}

// LoadLinks reads packed link pages; they must follow every change of the links table:
// many pages, merges that re-derive (delete and re-add) links, key-only re-adds that
// change nothing, labels and as_of filtering.
TEST(CaseStoreTest, LinkPagesMatchTheLinksTable) {
  TempDir dir("pages");
  auto store = NewCase(dir);
  auto payment = [](int i, int to) {
    return MakeEntity("pay" + std::to_string(i), "Payment",
                      {{"payer", "p" + std::to_string(i % 97)},
                       {"beneficiary", "p" + std::to_string(to)},
                       {"amount", std::to_string(i)},
                       {"date", "2020-01-02"}});
  };
  std::vector<Entity> first;
  for (int i = 0; i < 97; ++i)
    first.push_back(MakeEntity("p" + std::to_string(i), "Person", {{"name", "P"}}));
  for (int i = 0; i < 9000; ++i) first.push_back(payment(i, (i * 7) % 97));
  Import(*store, first);
  std::vector<Entity> second;
  for (int i = 0; i < 9000; i += 5) second.push_back(payment(i, (i * 11) % 97));  // new beneficiary
  for (int i = 0; i < 97; ++i) second.push_back(MakeEntity("p" + std::to_string(i), "Person", {}));
  Entity labelled = MakeEntity("secret", "Payment", {{"payer", "p1"}, {"beneficiary", "p2"}});
  labelled.label = "x";
  second.push_back(labelled);
  Import(*store, second);

  // Expected: straight from the links table.
  std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, double, std::string>> want;
  {
    sqlite3* db = nullptr;
    sqlite3_open(dir.File("case.cg").c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT lid, src, dst, weight, coalesce(label, '') FROM links ORDER BY lid",
                       -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
      want.emplace_back(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                        sqlite3_column_int64(st, 2), sqlite3_column_double(st, 3),
                        reinterpret_cast<const char*>(sqlite3_column_text(st, 4)));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  ASSERT_GT(want.size(), 10000u);  // re-imported payments gained a second beneficiary
  auto t = store->LoadLinks(Clearances::All(), std::nullopt).value();
  ASSERT_EQ(t.src.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(t.link_iid[i], std::get<0>(want[i]));
    EXPECT_EQ(t.src[i], static_cast<std::uint32_t>(std::get<1>(want[i])));
    EXPECT_EQ(t.dst[i], static_cast<std::uint32_t>(std::get<2>(want[i])));
    if (std::get<4>(want[i]) == "x") {  // the labelled payment has no amount or date
      EXPECT_TRUE(std::isnan(t.weight[i]));
      EXPECT_EQ(t.time[i], std::numeric_limits<std::int64_t>::min());
      continue;
    }
    EXPECT_EQ(t.weight[i], std::get<3>(want[i]));
    EXPECT_NE(t.time[i], std::numeric_limits<std::int64_t>::min());
  }
  EXPECT_EQ(store->LoadLinks(Clearances({"y"}), std::nullopt)->src.size(), want.size() - 1);
  EXPECT_EQ(store->LoadLinks(Clearances({"x"}), std::nullopt)->src.size(), want.size());
  EXPECT_EQ(store->LoadLinks(Clearances::All(), 1)->src.size(), 0u);  // all seen later
}

// Regression: the same link entity imported from two datasets holds each endpoint value
// twice (one provenance each); it used to give one link per combination (4 instead of 1).
TEST(CaseStoreTest, ValuesFromSeveralDatasetsDoNotMultiplyLinks) {
  TempDir dir("dup_links");
  auto store = NewCase(dir);
  std::vector<Entity> entities = {
      MakeEntity("a", "Person", {{"name", "A"}, {"addressEntity", "addr"}}),
      MakeEntity("b", "Company", {{"name", "B"}}),
      MakeEntity("pay", "Payment", {{"payer", "a"}, {"beneficiary", "b"}})};
  Import(*store, entities, "one");
  Import(*store, entities, "two");
  auto t = store->LoadLinks(Clearances::All(), std::nullopt).value();
  EXPECT_EQ(t.src.size(), 2u);  // the payment and the address reference, once each
  auto by_type = store->CountLinksByType(Clearances::All()).value();
  EXPECT_EQ(by_type["Payment"], 1);
}

// Regression: the import summary counted an entity (and its links) once per mention, so a
// mapping naming a person in every row reported several times the entities in the case.
TEST(CaseStoreTest, CountsAreDistinctEntitiesAndLinks) {
  TempDir dir("distinct_counts");
  auto store = NewCase(dir);
  auto txn = store->BeginImport({"ftm", "ds", "f", "h", ""});
  ASSERT_TRUE(txn.ok());
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE((*txn)->Add(MakeEntity("a", "Person", {{"name", "A"}})).ok());
    ASSERT_TRUE(
        (*txn)->Add(MakeEntity("b", "Company", {{"name", "B" + std::to_string(round)}})).ok());
    ASSERT_TRUE(
        (*txn)->Add(MakeEntity("pay", "Payment", {{"payer", "a"}, {"beneficiary", "b"}})).ok());
  }
  auto run = (*txn)->Commit({});
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->counts.entities, 3);
  EXPECT_EQ(run->counts.new_entities, 3);
  EXPECT_EQ(run->counts.links, 1);
}

TEST(CaseStoreTest, RollbackLeavesCaseUnchanged) {
  TempDir dir("rollback");
  auto store = NewCase(dir);
  Import(*store, SmallCase());
  std::int64_t version = store->DataVersion().value();
  auto links_before = store->LoadLinks(Clearances::All(), std::nullopt).value();
  std::size_t types_before = store->LinkTypes().value().size();
  {
    auto txn = store->BeginImport({"ftm", "ds", "f", "h", ""});
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->Add(MakeEntity("z", "Person", {{"name", "Zed Zulu"}})).ok());
    ASSERT_TRUE((*txn)->Add(MakeEntity("p1", "Person", {{"name", "Renamed"}})).ok());
    ASSERT_TRUE(
        (*txn)->Add(MakeEntity("f1", "Family", {{"person", "z"}, {"relative", "p1"}})).ok());
    // A second import cannot start while one is open.
    EXPECT_FALSE(store->BeginImport({"ftm", "ds", "f", "h", ""}).ok());
  }  // destructor rolls back
  EXPECT_EQ(store->DataVersion().value(), version);
  EXPECT_EQ(EntityCount(*store), 3);
  EXPECT_FALSE(store->FindIid("z", Clearances::All()).value().has_value());
  EXPECT_TRUE(store->Search("zed", 5, Clearances()).value().empty());
  EXPECT_TRUE(store->Search("renamed", 5, Clearances()).value().empty());
  EXPECT_EQ(store->GetEntity("p1", Clearances()).value()->All("name").size(), 1u);
  EXPECT_EQ(store->LoadLinks(Clearances::All(), std::nullopt)->link_iid, links_before.link_iid);
  EXPECT_EQ(store->LinkTypes().value().size(), types_before);
  EXPECT_EQ(store->ImportRuns().value().size(), 1u);
  // The store is usable again afterwards.
  auto run = Import(*store, {MakeEntity("z", "Person", {{"name", "Zed Zulu"}})});
  EXPECT_EQ(run.counts.new_entities, 1);
  EXPECT_EQ(store->Search("zed", 5, Clearances()).value().size(), 1u);
}

TEST(CaseStoreTest, CommittedImportIsVisibleToAnotherConnection) {
  TempDir dir("reopen");
  {
    auto store = NewCase(dir);
    Import(*store, SmallCase());
  }
  auto reopened = CaseStore::Open(dir.File("case.cg")).value();
  EXPECT_EQ(EntityCount(*reopened), 3);
  EXPECT_EQ(reopened->DataVersion().value(), 1);
  EXPECT_EQ(reopened->LoadLinks(Clearances(), std::nullopt)->src.size(), 1u);
}

TEST(ValueCodecTest, RoundTrip) {
  std::vector<StoredValue> values = {
      {"name", "Ünïcødé Name", 3, "line 7", 1600000000, 1700000000, {'A', 1}, "secret"},
      {"birthDate", "1970", 1, "", -86400, -86400, {}, ""},
      {"x", std::string(300, 'y'), 123456, "k", 0, 0, {0, 6}, ""},
  };
  std::string blob;
  EncodeValues(values, &blob);
  EXPECT_EQ(DecodeValues(blob), values);
  EXPECT_TRUE(DecodeValues("").empty());
  EXPECT_THROW(DecodeValues(blob.substr(0, blob.size() - 3)), Error);
  EXPECT_THROW(DecodeValues("\x07garbage"), Error);
}

TEST(ValueCodecTest, SharedProvenanceAndHexIdsRoundTripCompactly) {
  const std::string id = "0123456789abcdef0123456789abcdef01234567";
  std::vector<StoredValue> values = {
      {"payer", id, 5, "line 9", 1600000000, 1600000500, {}, ""},
      {"payer",
       "0123456789ABCDEF0123456789ABCDEF01234567",
       5,
       "line 9",
       1600000000,
       1600000500,
       {},
       ""},  // upper case
      {"payee",
       "0123456789abcdef0123456789abcdef0123456g",
       5,
       "line 9",
       1600000000,
       1600000500,
       {},
       ""},                                                                       // not hex
      {"payee", id + "0", 5, "line 9", 1600000000, 1600000500, {}, ""},           // 41 chars
      {"amount", "12.50", 6, "line 9", 1600000000, 1600000500, {'B', 2}, "kyc"},  // new sid
      {"amount", "", 6, "line 10", 1600000001, 1600000001, {}, ""},               // all change
  };
  std::string blob;
  EncodeValues(values, &blob);
  EXPECT_EQ(DecodeValues(blob), values);
  // One reference value alone: flags, prop, 20 id bytes, sid, record key, two times.
  std::vector<StoredValue> one(values.begin(), values.begin() + 1);
  EncodeValues(one, &blob);
  EXPECT_LT(blob.size(), 45u);
  // Repeated provenance costs one flag byte per value beyond property and text.
  std::vector<StoredValue> many;
  for (int i = 0; i < 10; ++i) many.push_back({"name", "n" + std::to_string(i), 1, "line 1", 5, 5});
  EncodeValues(many, &blob);
  EXPECT_EQ(DecodeValues(blob), many);
  EXPECT_LE(blob.size(), 2u + 19u + 9u * 4u);
  // A later value may not refer to a previous one that does not exist.
  EXPECT_THROW(DecodeValues(std::string("\x02\x01\x01\x01v\x00", 6)), Error);
}

TEST(ValueCodecTest, ReadsFormatOneOfOlderCases) {
  // Format 1, one value: prop "name", value "Ann", sid 2, record "r", first seen 3
  // (zig-zag 6), last - first 1 (zig-zag 2), grading A1, label "".
  const std::string blob(
      "\x01\x01\x04name\x03"
      "Ann\x02\x01r\x06\x02"
      "A\x01\x00",
      19);
  auto values = DecodeValues(blob);
  ASSERT_EQ(values.size(), 1u);
  EXPECT_EQ(values[0].prop, "name");
  EXPECT_EQ(values[0].value, "Ann");
  EXPECT_EQ(values[0].sid, 2);
  EXPECT_EQ(values[0].record_key, "r");
  EXPECT_EQ(values[0].first_seen, 3);
  EXPECT_EQ(values[0].last_seen, 4);
  EXPECT_EQ(values[0].grading, (model::Grading{'A', 1}));
}

}  // namespace
}  // namespace casegraph::store
