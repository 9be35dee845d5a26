// End-to-end import tests against a real case store: mapping and FtM imports with
// provenance, FtM-compatible ids shared across queries, every bad-input case (right
// file/line/column/reason, case unchanged), rejects files with a limit, strict mode,
// the export -> import round trip, and the real party_donations_de data set.
#include "ingest/importer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/ftm_json.h"

namespace casegraph::ingest {
namespace {

namespace fs = std::filesystem;
const std::string kFixtures = std::string(CASEGRAPH_SOURCE_DIR) + "/tests/fixtures/ingest/";

class ImporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cg_ingest_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = store::CaseStore::Create((dir_ / "case.cg").string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Everything visible in the case, as sorted extended FtM lines (a full fingerprint).
  std::string Dump() {
    std::vector<std::string> lines;
    FtmWriteOptions opt;
    opt.extended = true;
    Status st = store_->ForEachEntity(model::Clearances::All(), [&](const model::Entity& e) {
      model::Entity copy = e;
      for (auto& v : copy.values) v.prov.run_id = 0;
      lines.push_back(WriteFtmJson(copy, opt));
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (auto& l : lines) out += l + "\n";
    auto runs = store_->ImportRuns();
    out += "runs=" + std::to_string(runs.ok() ? runs->size() : 999);
    return out;
  }

  ImportOptions Opt(const std::string& fixture) {
    ImportOptions o;
    o.path = kFixtures + fixture;
    o.now = 1700000000;
    return o;
  }

  std::string ReadFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  fs::path dir_;
  std::unique_ptr<store::CaseStore> store_;
};

TEST_F(ImporterTest, MappingImportWithProvenanceAndSharedIds) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> progress;
  ImportOptions o = Opt("mapping.yml");
  o.progress = [&](std::uint64_t d, std::uint64_t t) { progress.emplace_back(d, t); };
  auto r = ImportMappingFile(*store_, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->counts.records, 6);  // 3 people rows + 3 register rows (1 filtered out)
  EXPECT_EQ(r->counts.rejected, 0);
  EXPECT_EQ(r->content_hash.size(), 64u);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().first, progress.back().second);

  // Same key_literal + key in two queries -> one company entity with values from both.
  auto c1 = store_->GetEntity("54466b3f3ee0782074c780d73295d04fc5224ec1", model::Clearances::All());
  ASSERT_TRUE(c1.ok());
  ASSERT_TRUE(c1->has_value());
  const model::Entity& company = **c1;
  EXPECT_EQ(company.schema, "Company");
  EXPECT_EQ(company.First("name"), "Acme GmbH");
  EXPECT_EQ(company.First("jurisdiction"), "de");
  EXPECT_EQ(company.label, "restricted");
  // The label hides it from a reader without clearance.
  auto hidden = store_->GetEntity("54466b3f3ee0782074c780d73295d04fc5224ec1", model::Clearances());
  ASSERT_TRUE(hidden.ok());
  EXPECT_FALSE(hidden->has_value());

  auto p1 = store_->GetEntity("60ae4269317c7a50e2665d5e8f2bea55aa198b66", model::Clearances::All());
  ASSERT_TRUE(p1.ok() && p1->has_value());
  const model::Entity& person = **p1;
  EXPECT_EQ(person.First("birthDate"), "1970-02-03");
  EXPECT_EQ(person.First("nationality"), "de");
  const model::Value& v = person.values.front();
  EXPECT_EQ(v.prov.dataset, "demo_case");
  EXPECT_EQ(v.prov.source_file, kFixtures + "people.csv");
  EXPECT_EQ(v.prov.record_key, "line 2");
  EXPECT_EQ(v.prov.first_seen, 1700000000);
  EXPECT_EQ(v.prov.run_id, r->run_id);
  EXPECT_EQ(v.grading.ToString(), "B2");

  // The dissolved C2 row is filtered out of the register query: C2 has no jurisdiction.
  // (sha1("demo_case" "company" "C2"), computed with hashlib as in mapping_test.cc.)
  auto c2 = store_->GetEntity("0f1444671d359b1d02df4d865340e678e6c020bc", model::Clearances::All());
  ASSERT_TRUE(c2.ok() && c2->has_value());
  EXPECT_EQ((*c2)->First("name"), "Globex, Ltd.");
  EXPECT_EQ((*c2)->First("jurisdiction"), "");
  auto links = store_->CountLinksByType(model::Clearances::All());
  ASSERT_TRUE(links.ok());
  EXPECT_EQ((*links)["Ownership"], 3);

  // Re-import is idempotent.
  std::string before = Dump();
  o.now = 1700000000;
  ASSERT_TRUE(ImportMappingFile(*store_, o).ok());
  std::string after = Dump();
  EXPECT_EQ(before.substr(0, before.rfind("runs=")), after.substr(0, after.rfind("runs=")));
}

struct BadCase {
  const char* fixture;
  const char* file;  // where the error is
  long line;
  long column;
  const char* reason;
};

TEST_F(ImporterTest, BadInputFailsWithLocationAndChangesNothing) {
  ASSERT_TRUE(ImportMappingFile(*store_, Opt("mapping.yml")).ok());
  const std::string before = Dump();
  auto version = store_->DataVersion();
  const BadCase cases[] = {
      {"m_bad_quote.yml", "bad_quote.csv", 3, 3, "unterminated quoted field"},
      {"m_bad_columns.yml", "bad_columns.csv", 3, 23, "expected 4 fields, found 5"},
      {"m_bad_utf8.yml", "bad_utf8.csv", 3, 6, "invalid UTF-8"},
      {"m_bad_date.yml", "bad_date.csv", 4, 8, "unparseable date"},
      {"m_bad_amount.yml", "bad_amount.csv", 3, 20, "12 apples"},
      {"m_unknown_schema.yml", "m_unknown_schema.yml", 7, 17, "unknown schema"},
      {"m_unknown_prop.yml", "m_unknown_prop.yml", 10, 11, "unknown property 'birthdate'"},
      {"m_no_keys.yml", "m_no_keys.yml", 7, 9, "no keys"},
      {"m_bad_yaml.yml", "m_bad_yaml.yml", 8, 16, "bad YAML"},
      {"m_missing_column.yml", "good_small.csv", 1, 1, "column 'full_name'"},
      {"unknown_schema.ftm.json", "unknown_schema.ftm.json", 2, 24, "unknown schema 'Persn'"},
      {"bad_json.ftm.json", "bad_json.ftm.json", 2, 33, "invalid JSON"},
      {"bad_date.ftm.json", "bad_date.ftm.json", 2, 0, "unparseable date"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.fixture);
    std::string f = c.fixture;
    bool ftm = f.size() > 5 && f.substr(f.size() - 5) == ".json";
    auto r = ftm ? ImportFtmFile(*store_, Opt(f)) : ImportMappingFile(*store_, Opt(f));
    ASSERT_FALSE(r.ok());
    const Status& s = r.status();
    EXPECT_EQ(s.where().file, kFixtures + c.file) << s.ToString();
    EXPECT_EQ(s.where().line, c.line) << s.ToString();
    if (c.column != 0) {
      EXPECT_EQ(s.where().column, c.column) << s.ToString();
    }
    EXPECT_NE(s.message().find(c.reason), std::string::npos) << s.ToString();
    EXPECT_EQ(Dump(), before);
    auto v2 = store_->DataVersion();
    ASSERT_TRUE(v2.ok());
    EXPECT_EQ(*v2, *version);
  }
}

TEST_F(ImporterTest, RejectsFileWithLimit) {
  ImportOptions o = Opt("m_bad_rows.yml");
  o.rejects_path = (dir_ / "rejects.csv").string();
  o.max_rejects = 2;
  const std::string empty = Dump();
  auto r = ImportMappingFile(*store_, o);  // 3 bad rows > 2
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kAborted);
  EXPECT_NE(r.status().message().find("too many bad rows"), std::string::npos);
  EXPECT_EQ(Dump(), empty);

  o.max_rejects = 3;
  r = ImportMappingFile(*store_, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->counts.records, 6);
  EXPECT_EQ(r->counts.rejected, 3);
  EXPECT_EQ(r->rejects_path, o.rejects_path);
  auto counts = store_->CountEntitiesBySchema(model::Clearances::All());
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)["Person"], 3);
  EXPECT_EQ((*counts)["Payment"], 3);
  std::string rejects = ReadFile(o.rejects_path);
  std::string file = kFixtures + "bad_rows.csv";
  EXPECT_NE(rejects.find("file,line,column,reason,record\n"), std::string::npos);
  EXPECT_NE(rejects.find("\"" + file + "\",3,"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("unparseable date"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("\"" + file + "\",4,"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("\"" + file + "\",6,"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("\"5,Emil,1992-02-02,50,x\""), std::string::npos) << rejects;
}

TEST_F(ImporterTest, FtmImportWarnsOnNewerPropertiesAndStrictRejects) {
  ImportOptions o = Opt("small.ftm.json");
  o.strict = true;
  auto r = ImportFtmFile(*store_, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kSchemaError);
  EXPECT_EQ(r.status().where().line, 2);
  EXPECT_NE(r.status().message().find("fancyNewProperty"), std::string::npos);

  o.strict = false;
  r = ImportFtmFile(*store_, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->counts.records, 3);
  EXPECT_EQ(r->counts.warnings, 1);
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("Company.fancyNewProperty"), std::string::npos);
  auto c1 = store_->GetEntity("c1", model::Clearances::All());
  ASSERT_TRUE(c1.ok() && c1->has_value());
  EXPECT_EQ((*c1)->First("fancyNewProperty"), "from FtM 9");
  EXPECT_EQ((*c1)->values[0].prov.dataset, "small");  // file stem
  auto p1 = store_->GetEntity("p1", model::Clearances::All());
  ASSERT_TRUE(p1.ok() && p1->has_value());
  EXPECT_EQ((*p1)->values[0].prov.dataset, "reg_a,reg_b");
  EXPECT_EQ((*p1)->values[0].prov.first_seen, 1609556645);
}

TEST_F(ImporterTest, FtmRejectsAsJsonLines) {
  ImportOptions o = Opt("bad_date.ftm.json");
  o.rejects_path = (dir_ / "rejects.jsonl").string();
  auto r = ImportFtmFile(*store_, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->counts.rejected, 1);
  std::string rejects = ReadFile(o.rejects_path);
  EXPECT_NE(rejects.find("\"line\":2"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("the 5th of never"), std::string::npos) << rejects;
}

// export (extended) -> import into a new case -> export: identical.
TEST_F(ImporterTest, ExportImportRoundTrip) {
  ASSERT_TRUE(ImportMappingFile(*store_, Opt("mapping.yml")).ok());
  ASSERT_TRUE(ImportFtmFile(*store_, Opt("small.ftm.json")).ok());
  std::string first = Dump();
  std::string export_path = (dir_ / "export.ftm.json").string();
  {
    std::ofstream out(export_path);
    FtmWriteOptions opt;
    opt.extended = true;
    ASSERT_TRUE(
        store_
            ->ForEachEntity(model::Clearances::All(),
                            [&](const model::Entity& e) { out << WriteFtmJson(e, opt) << "\n"; })
            .ok());
  }
  store_.reset();
  auto s2 = store::CaseStore::Create((dir_ / "case2.cg").string());
  ASSERT_TRUE(s2.ok());
  store_ = std::move(*s2);
  ImportOptions o;
  o.path = export_path;
  auto r = ImportFtmFile(*store_, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::string second = Dump();
  EXPECT_EQ(first.substr(0, first.rfind("runs=")), second.substr(0, second.rfind("runs=")));
}

TEST_F(ImporterTest, PartyDonationsImports) {
  std::string path =
      std::string(CASEGRAPH_SHARED_DIR) + "/data/ftm/party_donations_de/entities.ftm.json";
  if (!fs::exists(path)) GTEST_SKIP() << "reference data absent: " << path;
  ImportOptions o;
  o.path = path;
  auto r = ImportFtmFile(*store_, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->counts.records, 475);
  EXPECT_EQ(r->counts.rejected, 0);
  auto counts = store_->CountEntitiesBySchema(model::Clearances::All());
  ASSERT_TRUE(counts.ok());
  std::int64_t total = 0;
  for (auto& [k, n] : *counts) total += n;
  EXPECT_EQ(total, 475);
  EXPECT_GT((*counts)["Payment"], 0);
  std::printf("party_donations_de: %lld records in %.3f s (%.0f rows/s), %lld warnings\n",
              static_cast<long long>(r->counts.records), r->seconds, r->rows_per_second,
              static_cast<long long>(r->counts.warnings));
}

}  // namespace
}  // namespace casegraph::ingest

namespace casegraph::ingest {
namespace {

// Throughput measurement (run with --gtest_also_run_disabled_tests): 100k CSV rows through
// a 3-entity mapping, and 300k FtM lines.
TEST_F(ImporterTest, DISABLED_Throughput) {
  const int n = 100000;
  {
    std::ofstream csv(dir_ / "rows.csv");
    csv << "id,name,company,share,date\n";
    for (int i = 0; i < n; ++i) {
      csv << i << ",Person " << i << ",C" << (i % 20000) << "," << (i % 100) << ".5,2020-01-"
          << (10 + i % 18) << "\n";
    }
    std::ofstream m(dir_ / "rows.yml");
    m << "bench:\n  query:\n    csv_url: rows.csv\n    entities:\n"
         "      p: {schema: Person, keys: [id], properties: {name: {column: name}}}\n"
         "      c: {schema: Company, keys: [company], properties: {name: {column: company}}}\n"
         "      o:\n        schema: Ownership\n        keys: [id, company]\n"
         "        properties: {owner: {entity: p}, asset: {entity: c}, percentage: {column: share},"
         " startDate: {column: date}}\n";
  }
  ImportOptions o;
  o.path = (dir_ / "rows.yml").string();
  auto r = ImportMappingFile(*store_, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::printf("mapping: %lld rows, %lld links in %.2f s: %.0f rows/s, %.0f links/s\n",
              (long long)r->counts.records, (long long)r->counts.links, r->seconds,
              r->rows_per_second, r->counts.links / r->seconds);
  std::string path = (dir_ / "export.ftm.json").string();
  {
    std::ofstream out(path);
    ASSERT_TRUE(store_
                    ->ForEachEntity(model::Clearances::All(),
                                    [&](const model::Entity& e) { out << WriteFtmJson(e) << "\n"; })
                    .ok());
  }
  store_.reset();
  store_ = std::move(store::CaseStore::Create((dir_ / "case2.cg").string()).value());
  o.path = path;
  r = ImportFtmFile(*store_, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::printf("ftm: %lld lines, %lld links in %.2f s: %.0f lines/s, %.0f links/s\n",
              (long long)r->counts.records, (long long)r->counts.links, r->seconds,
              r->rows_per_second, r->counts.links / r->seconds);
  // Reader alone (no store).
  auto t0 = std::chrono::steady_clock::now();
  auto reader = FtmJsonReader::Open(path, store_->schema());
  FtmRecord rec;
  long lines = 0;
  while ((*reader)->Next(&rec)) ++lines;
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("ftm reader alone: %ld lines in %.2f s: %.0f lines/s, %.0f MB/s\n", lines, s,
              lines / s, (*reader)->bytes_total() / 1e6 / s);
}

}  // namespace
}  // namespace casegraph::ingest
