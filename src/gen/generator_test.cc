// Tests for the synthetic investigation generator: determinism, scale, well-formed CSV,
// a mapping that parses and only names existing columns, FtM ids, and that the planted
// patterns (cycle, shell chain, smurfing, duplicates) really are in the data.
#include "gen/generator.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "ingest/importer.h"
#include "model/clearance.h"
#include "store/case_store.h"

namespace casegraph::gen {
namespace {

namespace fs = std::filesystem;
using Row = std::vector<std::string>;

struct Table {
  Row header;
  std::vector<Row> rows;
  int Col(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
  }
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Strict RFC 4180 reader: fails the test on unterminated quotes or stray quotes.
Table ReadCsv(const fs::path& p) {
  std::string text = ReadFile(p);
  Table t;
  Row row;
  std::string field;
  bool quoted = false, in_quotes = false, first = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      EXPECT_TRUE(field.empty() && !quoted) << p << ": stray quote at byte " << i;
      in_quotes = quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      quoted = false;
    } else if (c == '\n') {
      row.push_back(field);
      field.clear();
      quoted = false;
      if (first) {
        t.header = row;
        first = false;
      } else {
        t.rows.push_back(row);
      }
      row.clear();
    } else {
      EXPECT_NE(c, '\r') << p;
      field.push_back(c);
    }
  }
  EXPECT_FALSE(in_quotes) << p << ": unterminated quoted field";
  EXPECT_TRUE(row.empty() && field.empty()) << p << ": last line not terminated";
  return t;
}

bool ValidUtf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (n < 0 || i + n >= s.size() + (n == 0 ? 1 : 0)) return false;
    for (int k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += n + 1;
  }
  return true;
}

fs::path TempDir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("cg_gen_test_" + std::to_string(::getpid())) / name;
  fs::remove_all(p);
  return p;
}

GenerateSummary MustGenerate(std::int64_t scale, std::uint64_t seed, const fs::path& dir,
                             std::optional<std::string> key_prefix = std::nullopt) {
  GenerateOptions opt;
  opt.scale = scale;
  opt.seed = seed;
  opt.out_dir = dir.string();
  opt.key_prefix = key_prefix;
  auto result = Generate(opt);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? *result : GenerateSummary{};
}

// Links as the mapping defines them, counted independently from the files.
std::int64_t CountLinks(const fs::path& dir) {
  auto rows = [&](const char* f) {
    return static_cast<std::int64_t>(ReadCsv(dir / f).rows.size());
  };
  return rows("persons.csv") + rows("companies.csv") + rows("directorships.csv") +
         rows("ownerships.csv") + rows("person_ownerships.csv") + rows("event_participants.csv") +
         rows("payments.csv") + rows("deposits.csv");
}

class GeneratedCase : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(TempDir("shared_5000"));
    summary_ = new GenerateSummary(MustGenerate(5000, 42, *dir_));
    truth_ = new nlohmann::json(nlohmann::json::parse(ReadFile(*dir_ / "ground_truth.json")));
  }
  static void TearDownTestSuite() {
    fs::remove_all(dir_->parent_path());
    delete dir_;
    delete summary_;
    delete truth_;
  }
  static fs::path* dir_;
  static GenerateSummary* summary_;
  static nlohmann::json* truth_;
};
fs::path* GeneratedCase::dir_ = nullptr;
GenerateSummary* GeneratedCase::summary_ = nullptr;
nlohmann::json* GeneratedCase::truth_ = nullptr;

TEST(FtmEntityIdTest, MatchesPythonHashlib) {
  // python3 -c "import hashlib; print(hashlib.sha1(b'person'+b'P00000001').hexdigest())"
  EXPECT_EQ(FtmEntityId("", "person", {"P00000001"}), "d1c3df445b8a4090859a297496251000ae27fffb");
  // ... hashlib.sha1(b'casegraph_synthetic'+b'company'+b'C00000042').hexdigest()
  EXPECT_EQ(FtmEntityId("casegraph_synthetic", "company", {"C00000042"}),
            "4f327bbae350a6a94061e84c5e5ee729513e78ff");
  // Keys are hashed in sorted order, empty ones skipped: hashlib.sha1(b'link'+b'a'+b'b').
  EXPECT_EQ(FtmEntityId("", "link", {"b", "", "a"}), "bded9cfd380fb495f20497b3e22e7753d104e5db");
  EXPECT_EQ(FtmEntityId("", "link", {"", ""}), "");
}

TEST(GenerateTest, RejectsBadOptions) {
  GenerateOptions opt;
  opt.scale = 0;
  opt.out_dir = "/tmp/x";
  EXPECT_EQ(Generate(opt).status().code(), StatusCode::kInvalidArgument);
  opt.scale = 100;
  opt.out_dir = "";
  EXPECT_EQ(Generate(opt).status().code(), StatusCode::kInvalidArgument);
  opt.out_dir = "/proc/definitely/not/writable";
  EXPECT_EQ(Generate(opt).status().code(), StatusCode::kIoError);
}

TEST(GenerateTest, SameSeedSameBytesDifferentSeedDiffers) {
  fs::path a = TempDir("det_a"), b = TempDir("det_b"), c = TempDir("det_c");
  GenerateSummary sa = MustGenerate(3000, 7, a);
  MustGenerate(3000, 7, b);
  MustGenerate(3000, 8, c);
  ASSERT_FALSE(sa.files.empty());
  int differing = 0;
  for (const std::string& f : sa.files) {
    EXPECT_EQ(ReadFile(a / f), ReadFile(b / f)) << f << " differs between two runs with one seed";
    if (ReadFile(a / f) != ReadFile(c / f)) ++differing;
  }
  EXPECT_GE(differing, 10) << "another seed should change nearly every file";
  fs::remove_all(a.parent_path());
}

TEST(GenerateTest, LinkCountFollowsScale) {
  for (std::int64_t scale : {300, 1000, 100000}) {
    fs::path dir = TempDir("scale_" + std::to_string(scale));
    int progress_calls = 0;
    double last = -1;
    GenerateOptions opt;
    opt.scale = scale;
    opt.seed = 3;
    opt.out_dir = dir.string();
    opt.progress = [&](double f) {
      EXPECT_GE(f, last);
      last = f;
      ++progress_calls;
    };
    auto result = Generate(opt);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    std::int64_t counted = CountLinks(dir);
    EXPECT_EQ(counted, result->links);
    EXPECT_NEAR(static_cast<double>(counted), static_cast<double>(scale), 0.1 * scale) << scale;
    EXPECT_GE(progress_calls, 2);
    EXPECT_EQ(last, 1.0);
    fs::remove_all(dir);
  }
}

TEST_F(GeneratedCase, CsvFilesAreWellFormed) {
  int csvs = 0;
  for (const std::string& f : summary_->files) {
    if (fs::path(f).extension() != ".csv") continue;
    ++csvs;
    std::string text = ReadFile(*dir_ / f);
    EXPECT_TRUE(ValidUtf8(text)) << f;
    Table t = ReadCsv(*dir_ / f);
    ASSERT_FALSE(t.header.empty()) << f;
    EXPECT_EQ(static_cast<std::int64_t>(t.rows.size()), summary_->rows_per_file.at(f)) << f;
    std::set<std::string> keys;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      ASSERT_EQ(t.rows[r].size(), t.header.size()) << f << " data row " << r + 1;
      if (f != "event_participants.csv") {
        EXPECT_TRUE(keys.insert(t.rows[r][0]).second) << f << ": duplicate key " << t.rows[r][0];
      }
      EXPECT_FALSE(t.rows[r][0].empty()) << f;
    }
  }
  EXPECT_EQ(csvs, 13);
}

TEST_F(GeneratedCase, MappingParsesAndNamesOnlyExistingColumns) {
  YAML::Node root = YAML::LoadFile((*dir_ / "mapping.yml").string());
  ASSERT_TRUE(root.IsMap());
  ASSERT_EQ(root.size(), 1u);
  YAML::Node dataset = root["casegraph_synthetic"];
  ASSERT_TRUE(dataset);
  std::set<std::string> files_mapped;
  std::map<std::string, std::pair<std::string, std::string>> kind_of_literal;  // literal -> schema
  for (const YAML::Node& query : dataset["queries"]) {
    std::string csv = query["csv_url"].as<std::string>();
    files_mapped.insert(csv);
    Table t = ReadCsv(*dir_ / csv);
    std::set<std::string> columns(t.header.begin(), t.header.end());
    YAML::Node entities = query["entities"];
    ASSERT_TRUE(entities.IsMap()) << csv;
    for (const auto& kv : entities) {
      std::string name = kv.first.as<std::string>();
      const YAML::Node& e = kv.second;
      std::string schema = e["schema"].as<std::string>();
      std::string literal = e["key_literal"].as<std::string>();
      ASSERT_TRUE(e["keys"].IsSequence()) << csv << " " << name;
      for (const YAML::Node& key : e["keys"]) {
        EXPECT_TRUE(columns.count(key.as<std::string>()))
            << csv << ": key " << key.as<std::string>();
      }
      // One key_literal always means one schema, so ids of one kind agree across queries.
      auto [it, inserted] = kind_of_literal.emplace(literal, std::make_pair(schema, csv));
      EXPECT_EQ(it->second.first, schema) << "key_literal " << literal << " in " << csv;
      if (!e["properties"]) continue;
      for (const auto& prop : e["properties"]) {
        const YAML::Node& pm = prop.second;
        if (pm["column"]) {
          EXPECT_TRUE(columns.count(pm["column"].as<std::string>()))
              << csv << ": " << prop.first.as<std::string>() << " -> "
              << pm["column"].as<std::string>();
        } else {
          ASSERT_TRUE(pm["entity"]) << csv << " " << prop.first.as<std::string>();
          EXPECT_TRUE(entities[pm["entity"].as<std::string>()]) << csv << ": unknown entity";
        }
      }
    }
  }
  for (const std::string& f : summary_->files) {
    if (fs::path(f).extension() == ".csv") EXPECT_TRUE(files_mapped.count(f)) << f << " not mapped";
  }
}

TEST_F(GeneratedCase, GroundTruthIdsFollowTheFtmRule) {
  const nlohmann::json& t = *truth_;
  ASSERT_EQ(t["id_rule"]["key_prefix"], "casegraph_synthetic");  // the dataset name by default
  const std::string prefix = t["id_rule"]["key_prefix"];
  const nlohmann::json& literals = t["id_rule"]["key_literals"];
  std::map<std::string, std::set<std::string>> keys_in_file;
  auto keys_of = [&](const std::string& file) -> const std::set<std::string>& {
    auto it = keys_in_file.find(file);
    if (it != keys_in_file.end()) return it->second;
    std::set<std::string> keys;
    for (const Row& r : ReadCsv(*dir_ / file).rows) keys.insert(r[0]);
    return keys_in_file[file] = std::move(keys);
  };
  int checked = 0;
  auto check = [&](const nlohmann::json& rec) {
    std::string file = rec["file"], key = rec["key"];
    EXPECT_EQ(rec["id"], FtmEntityId(prefix, literals[file].get<std::string>(), {key})) << key;
    EXPECT_TRUE(keys_of(file).count(key)) << key << " not in " << file;
    ++checked;
  };
  int transliterated = 0, clusters = 0;
  for (const char* kind : {"persons", "companies"}) {
    for (const auto& cluster : t["duplicates"][kind]) {
      ASSERT_GE(cluster["records"].size(), 2u);
      ++clusters;
      for (const auto& rec : cluster["records"]) {
        check(rec);
        if (rec["variant"] == "transliterated") ++transliterated;
      }
    }
  }
  for (const auto& chain : t["shell_chains"]) {
    check(chain["beneficial_owner"]);
    check(chain["target"]);
  }
  for (const auto& s : t["smurfing"]) check(s["hub"]);
  EXPECT_GT(clusters, 20);
  EXPECT_GT(transliterated, 3);
  EXPECT_GT(checked, 50);
  // An explicit (empty) key prefix changes the ids the way FtM's key_prefix does.
  fs::path dir = TempDir("unprefixed");
  MustGenerate(500, 42, dir, std::string());
  auto unprefixed = nlohmann::json::parse(ReadFile(dir / "ground_truth.json"));
  const auto& owner = unprefixed["shell_chains"][0]["beneficial_owner"];
  EXPECT_EQ(owner["id"], FtmEntityId("", "person", {owner["key"].get<std::string>()}));
}

TEST_F(GeneratedCase, PlantedCycleIsACycleInPayments) {
  Table p = ReadCsv(*dir_ / "payments.csv");
  std::map<std::string, const Row*> by_id;
  for (const Row& r : p.rows) by_id[r[0]] = &r;
  int payer = p.Col("payer_id"), ben = p.Col("beneficiary_id"), amount = p.Col("amount"),
      date = p.Col("date");
  ASSERT_FALSE((*truth_)["cycles"].empty());
  for (const auto& cycle : (*truth_)["cycles"]) {
    const auto& links = cycle["link_keys"];
    ASSERT_GE(links.size(), 3u);
    std::set<std::string> companies;
    double first_amount = 0;
    for (std::size_t i = 0; i < links.size(); ++i) {
      const Row* a = by_id.at(links[i].get<std::string>());
      const Row* b = by_id.at(links[(i + 1) % links.size()].get<std::string>());
      EXPECT_EQ((*a)[ben], (*b)[payer]) << "hop " << i << " does not continue the cycle";
      EXPECT_EQ((*a)[payer], cycle["entity_keys"][i]);
      companies.insert((*a)[payer]);
      double amt = std::stod((*a)[amount]);
      if (i == 0) first_amount = amt;
      EXPECT_NEAR(amt, first_amount, 0.15 * first_amount) << "amounts should be similar";
      if (i + 1 < links.size()) EXPECT_LE((*a)[date], (*b)[date]) << "hops go forward in time";
    }
    EXPECT_EQ(companies.size(), links.size()) << "a simple cycle";
    EXPECT_LE(cycle["window_days"].get<double>(), 20);
  }
}

TEST_F(GeneratedCase, PlantedShellChainReachesTheBeneficialOwner) {
  std::map<std::string, Row> own;
  for (const char* f : {"ownerships.csv", "person_ownerships.csv"}) {
    for (Row& r : ReadCsv(*dir_ / f).rows) own[r[0]] = r;
  }
  for (const auto& chain : (*truth_)["shell_chains"]) {
    const auto& links = chain["link_keys"];
    const auto& keys = chain["entity_keys"];
    ASSERT_EQ(keys.size(), links.size() + 1);
    double product = 1;
    for (std::size_t i = 0; i < links.size(); ++i) {
      const Row& r = own.at(links[i].get<std::string>());
      EXPECT_EQ(r[1], keys[i]);      // owner
      EXPECT_EQ(r[2], keys[i + 1]);  // asset
      product *= std::stod(r[3]) / 100.0;
    }
    EXPECT_EQ(keys[0], chain["beneficial_owner"]["key"]);
    EXPECT_EQ(keys.back(), chain["target"]["key"]);
    EXPECT_GT(product, 0.25);
    EXPECT_NEAR(product, chain["effective_share"].get<double>(), 1e-4);
    EXPECT_LT(chain["decoy_owner"]["percentage"].get<double>(), 25.0);
  }
}

TEST_F(GeneratedCase, PlantedSmurfingIsFanInUnderTheThreshold) {
  Table d = ReadCsv(*dir_ / "deposits.csv");
  std::map<std::string, const Row*> by_id;
  for (const Row& r : d.rows) by_id[r[0]] = &r;
  for (const auto& s : (*truth_)["smurfing"]) {
    double threshold = s["threshold"];
    std::set<std::string> payers;
    for (const auto& key : s["link_keys"]) {
      const Row& r = *by_id.at(key.get<std::string>());
      EXPECT_EQ(r[d.Col("beneficiary_id")], s["hub"]["key"]);
      EXPECT_EQ(r[d.Col("beneficiary_account_id")], s["hub_account"]["key"]);
      double amt = std::stod(r[d.Col("amount")]);
      EXPECT_LT(amt, threshold);
      EXPECT_GE(amt, 0.9 * threshold);
      EXPECT_GE(r[d.Col("date")], s["window_start"].get<std::string>());
      EXPECT_LE(r[d.Col("date")], s["window_end"].get<std::string>());
      payers.insert(r[d.Col("payer_id")]);
    }
    EXPECT_GE(payers.size(), 12u);
    EXPECT_EQ(payers.size(), s["link_keys"].size()) << "distinct senders";
  }
}

TEST_F(GeneratedCase, DuplicatesIncludeOtherScripts) {
  bool cyrillic = false, han = false;
  for (const auto& cluster : (*truth_)["duplicates"]["persons"]) {
    for (const auto& rec : cluster["records"]) {
      std::string name = rec["name"];
      for (std::size_t i = 0; i + 1 < name.size(); ++i) {
        auto c = static_cast<unsigned char>(name[i]);
        if (c == 0xd0 || c == 0xd1) cyrillic = true;
        if (c >= 0xe4 && c <= 0xe9) han = true;
      }
    }
  }
  EXPECT_TRUE(cyrillic);
  EXPECT_TRUE(han);
  // The beneficial owner always has duplicates, so resolution matters for the chain.
  std::set<std::string> dup_keys;
  for (const auto& cluster : (*truth_)["duplicates"]["persons"]) {
    dup_keys.insert(cluster["records"][0]["key"].get<std::string>());
  }
  for (const auto& chain : (*truth_)["shell_chains"]) {
    EXPECT_TRUE(dup_keys.count(chain["beneficial_owner"]["key"].get<std::string>()));
  }
}

// End to end: the importer reads mapping.yml unchanged, and the ids it creates are the
// ones ground_truth.json names.
TEST(GenerateImportTest, MappingImportsIntoACaseWithTheGroundTruthIds) {
  fs::path dir = TempDir("e2e");
  GenerateSummary summary = MustGenerate(2000, 11, dir);
  fs::path case_path = dir / "case.cgcase";
  auto store = store::CaseStore::Create(case_path.string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ingest::ImportOptions opt;
  opt.path = (dir / "mapping.yml").string();
  auto imported = ingest::ImportMappingFile(**store, opt);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->counts.rejected, 0);
  auto all = model::Clearances::All();
  auto counts = (*store)->CountEntitiesBySchema(all);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  auto& c = *counts;
  auto rows = [&](const char* f) { return summary.rows_per_file.at(f); };
  EXPECT_EQ(c["Person"], rows("persons.csv") + rows("kyc_persons.csv"));
  EXPECT_EQ(c["Company"], rows("companies.csv") + rows("kyc_companies.csv"));
  EXPECT_EQ(c["Address"], rows("addresses.csv"));
  EXPECT_EQ(c["BankAccount"], rows("bank_accounts.csv"));
  EXPECT_EQ(c["Payment"], rows("payments.csv") + rows("deposits.csv"));
  EXPECT_EQ(c["Ownership"], rows("ownerships.csv") + rows("person_ownerships.csv"));
  EXPECT_EQ(c["Directorship"], rows("directorships.csv"));
  EXPECT_EQ(c["Event"], rows("events.csv"));
  auto links = (*store)->CountLinksByType(all);
  ASSERT_TRUE(links.ok()) << links.status().ToString();
  std::int64_t total_links = 0;
  std::string types;
  for (const auto& [type, n] : *links) {
    total_links += n;
    types += type + "=" + std::to_string(n) + " ";
  }
  EXPECT_EQ(total_links, summary.links) << types;
  auto truth = nlohmann::json::parse(ReadFile(dir / "ground_truth.json"));
  for (const auto& chain : truth["shell_chains"]) {
    auto owner = (*store)->GetEntity(chain["beneficial_owner"]["id"].get<std::string>(), all);
    ASSERT_TRUE(owner.ok() && owner->has_value()) << "beneficial owner id not in the case";
    EXPECT_EQ((*owner)->schema, "Person");
    for (const auto& link : chain["links"]) {
      auto e = (*store)->GetEntity(link.get<std::string>(), all);
      ASSERT_TRUE(e.ok() && e->has_value());
      EXPECT_EQ((*e)->schema, "Ownership");
    }
  }
  for (const auto& cycle : truth["cycles"]) {
    for (const auto& link : cycle["links"]) {
      auto e = (*store)->GetEntity(link.get<std::string>(), all);
      ASSERT_TRUE(e.ok() && e->has_value()) << "cycle payment id not in the case";
      EXPECT_EQ((*e)->schema, "Payment");
    }
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace casegraph::gen
