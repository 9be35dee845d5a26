// Tests for FtM mapping files: id derivation equal to followthemoney's, parsing of the
// property forms (column(s)+join, literal, entity, template, format, split), extensions
// (grading, label), and every validation error with its YAML line/column.
#include "ingest/mapping.h"

#include <gtest/gtest.h>

#include "common/hash.h"

namespace casegraph::ingest {
namespace {

const std::string kFixtures = std::string(CASEGRAPH_SOURCE_DIR) + "/tests/fixtures/ingest/";

std::shared_ptr<const model::Schema> TheSchema() {
  static auto schema = [] {
    auto s = model::Schema::BuiltIn();
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return *s;
  }();
  return schema;
}

// Expected ids computed independently with Python's hashlib, replicating
// followthemoney/mapping/entity.py (seed = sha1(key_prefix=dataset name); update(key_literal);
// then each non-empty key value in sorted byte order):
//   h = hashlib.sha1(b"demo_case"); h.update(b"person"); h.update(b"1"); h.hexdigest()
//   -> 60ae4269317c7a50e2665d5e8f2bea55aa198b66
//   ownership keys ["1", "C1"] with key_literal "own"
//   -> 10f6e698ff78e6a513cc3ff65411cb6f04f163bd
TEST(Mapping, EntityIdMatchesFollowTheMoney) {
  Digest seed(Digest::Kind::kSha1);
  seed.Update("demo_case");
  seed.Update("person");
  EXPECT_EQ(ComputeEntityId(seed, {"1"}), "60ae4269317c7a50e2665d5e8f2bea55aa198b66");
  Digest own(Digest::Kind::kSha1);
  own.Update("demo_case");
  own.Update("own");
  // Key order does not matter (FtM sorts), empty keys are skipped, all-empty gives no id.
  EXPECT_EQ(ComputeEntityId(own, {"C1", "1"}), "10f6e698ff78e6a513cc3ff65411cb6f04f163bd");
  EXPECT_EQ(ComputeEntityId(own, {"1", "", "C1"}), "10f6e698ff78e6a513cc3ff65411cb6f04f163bd");
  EXPECT_EQ(ComputeEntityId(own, {"", ""}), "");
}

TEST(Mapping, ParsesFixtureAndMapsARecord) {
  auto m = LoadMapping(kFixtures + "mapping.yml", *TheSchema());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->datasets.size(), 1u);
  const DatasetMapping& ds = m->datasets[0];
  EXPECT_EQ(ds.name, "demo_case");
  ASSERT_EQ(ds.queries.size(), 2u);
  const QueryMapping& q = ds.queries[0];
  ASSERT_EQ(q.csv_paths.size(), 1u);
  EXPECT_EQ(q.csv_paths[0], kFixtures + "people.csv");
  // Dependency order: ownership after person and company.
  ASSERT_EQ(q.entities.size(), 3u);
  EXPECT_EQ(q.entities[2].name, "ownership");

  std::vector<std::string_view> fields = {"1",  " Anna ",    "Schmidt", "03.02.1970", "Germany",
                                          "C1", "Acme GmbH", "50",      "b"};
  std::map<std::string, int, std::less<>> columns;
  const char* names[] = {"id",         "first_name",   "last_name", "birth_date", "country",
                         "company_id", "company_name", "share",     "reliability"};
  for (int i = 0; i < 9; ++i) columns[names[i]] = i;
  RecordView view;
  view.fields = &fields;
  view.columns = &columns;
  std::vector<std::string> skipped;
  auto out = MapRecord(q, view, &skipped);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(skipped.empty());
  std::map<std::string, model::Entity> by;
  for (auto& me : out) by[*me.mapping_name] = me.entity;
  const model::Entity& person = by["person"];
  EXPECT_EQ(person.id, "60ae4269317c7a50e2665d5e8f2bea55aa198b66");
  EXPECT_EQ(person.First("name"), "Anna Schmidt");
  EXPECT_EQ(person.First("birthDate"), "1970-02-03");
  EXPECT_EQ(person.First("nationality"), "de");
  ASSERT_FALSE(person.values.empty());
  EXPECT_EQ(person.values[0].grading.reliability, 'B');
  EXPECT_EQ(person.values[0].grading.credibility, 2);
  EXPECT_EQ(by["company"].label, "restricted");
  EXPECT_EQ(by["company"].id, "54466b3f3ee0782074c780d73295d04fc5224ec1");
  const model::Entity& own = by["ownership"];
  EXPECT_EQ(own.id, "10f6e698ff78e6a513cc3ff65411cb6f04f163bd");
  EXPECT_EQ(own.First("owner"), person.id);
  EXPECT_EQ(own.First("asset"), by["company"].id);
  EXPECT_EQ(own.First("summary"), "Anna holds 50%");
}

TEST(Mapping, SplitLiteralAndRequired) {
  const char* yaml = R"(
ds:
  query:
    csv_url: people.csv
    entities:
      p:
        schema: Person
        keys: [id]
        properties:
          alias: {column: aliases, split: ";"}
          topics: {literal: role.pep}
          email: {column: email, required: true}
)";
  auto m = ParseMapping(yaml, kFixtures + "inline.yml", *TheSchema());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const QueryMapping& q = m->datasets[0].queries[0];
  std::map<std::string, int, std::less<>> columns = {{"id", 0}, {"aliases", 1}, {"email", 2}};
  std::vector<std::string_view> fields = {"7", "Ann;Annie", "a@example.org"};
  RecordView view;
  view.fields = &fields;
  view.columns = &columns;
  auto out = MapRecord(q, view, nullptr);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].entity.All("alias"), (std::vector<std::string>{"Ann", "Annie"}));
  EXPECT_EQ(out[0].entity.First("topics"), "role.pep");
  fields[2] = "";
  std::vector<std::string> skipped;
  EXPECT_TRUE(MapRecord(q, view, &skipped).empty());
  EXPECT_EQ(skipped.size(), 1u);
}

struct BadMapping {
  const char* file;
  StatusCode code;
  long line;
  long column;
  const char* reason;
};

TEST(Mapping, ValidationErrorsCarryYamlLocation) {
  const BadMapping cases[] = {
      {"m_unknown_schema.yml", StatusCode::kSchemaError, 7, 17, "unknown schema 'Persn'"},
      {"m_unknown_prop.yml", StatusCode::kSchemaError, 10, 11,
       "unknown property 'birthdate' for schema Person"},
      {"m_no_keys.yml", StatusCode::kSchemaError, 7, 9, "has no keys"},
      {"m_bad_yaml.yml", StatusCode::kParseError, 8, 16, "bad YAML"},
      {"m_remote.yml", StatusCode::kInvalidArgument, 4, 14, "never downloads"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    auto m = LoadMapping(kFixtures + c.file, *TheSchema());
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status().code(), c.code) << m.status().ToString();
    EXPECT_EQ(m.status().where().file, kFixtures + c.file);
    EXPECT_EQ(m.status().where().line, c.line) << m.status().ToString();
    EXPECT_EQ(m.status().where().column, c.column) << m.status().ToString();
    EXPECT_NE(m.status().message().find(c.reason), std::string::npos) << m.status().ToString();
  }
}

TEST(Mapping, EntityReferenceMustFitRange) {
  const char* yaml = R"(
ds:
  query:
    csv_url: people.csv
    entities:
      addr:
        schema: Address
        keys: [id]
      own:
        schema: Ownership
        keys: [id]
        properties:
          owner: {entity: addr}
      loop_a:
        schema: Person
        keys: [id]
)";
  auto m = ParseMapping(yaml, kFixtures + "inline.yml", *TheSchema());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kSchemaError);
  EXPECT_NE(m.status().message().find("must be a LegalEntity"), std::string::npos)
      << m.status().ToString();
  EXPECT_EQ(m.status().where().line, 13);
}

TEST(Mapping, SanitizeTextNormalisesLikeFtm) {
  EXPECT_EQ(SanitizeText("  Anna \t"), "Anna");
  EXPECT_EQ(SanitizeText("a\x01"
                         "b"),
            "ab");
  EXPECT_EQ(SanitizeText("\xEF\xAC\x81le"), "file");  // U+FB01 ligature -> "fi" (NFKC)
}

}  // namespace
}  // namespace casegraph::ingest
