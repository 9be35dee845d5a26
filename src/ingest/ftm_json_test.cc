// Tests for the FtM JSON lines reader and writer: provenance fields, ignored extras,
// newer-FtM properties, errors with line/column, deterministic output and the
// write -> read -> write fixed point (also through the "casegraph" extension).
#include "ingest/ftm_json.h"

#include <gtest/gtest.h>

namespace casegraph::ingest {
namespace {

const std::string kFixtures = std::string(CASEGRAPH_SOURCE_DIR) + "/tests/fixtures/ingest/";

const model::Schema& TheSchema() {
  static auto schema = *model::Schema::BuiltIn();
  return *schema;
}

std::vector<FtmRecord> ReadAll(const std::string& path) {
  auto r = FtmJsonReader::Open(path, TheSchema());
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  std::vector<FtmRecord> out;
  FtmRecord rec;
  while ((*r)->Next(&rec)) {
    rec.raw = {};
    out.push_back(rec);
  }
  EXPECT_TRUE((*r)->status().ok()) << (*r)->status().ToString();
  return out;
}

TEST(FtmJson, ReadsProvenanceAndKeepsNewerProperties) {
  auto recs = ReadAll(kFixtures + "small.ftm.json");
  ASSERT_EQ(recs.size(), 3u);
  const FtmRecord& p = recs[0];
  ASSERT_TRUE(p.error.ok()) << p.error.ToString();
  EXPECT_EQ(p.line, 1);
  EXPECT_EQ(p.entity.id, "p1");
  EXPECT_EQ(p.entity.schema, "Person");
  EXPECT_EQ(p.datasets, (std::vector<std::string>{"reg_a", "reg_b"}));
  EXPECT_EQ(p.first_seen, 1609556645);  // 2021-01-02T03:04:05Z
  EXPECT_EQ(FormatIsoTime(p.last_seen), "2023-06-07T08:09:10");
  EXPECT_EQ(p.entity.First("birthDate"), "1970-02-03");
  ASSERT_EQ(p.entity.values.size(), 3u);
  EXPECT_EQ(p.entity.values[0].prov.dataset, "reg_a,reg_b");
  EXPECT_EQ(p.entity.values[0].prov.first_seen, 1609556645);

  const FtmRecord& c = recs[1];
  EXPECT_EQ(c.unknown_properties, (std::vector<std::string>{"fancyNewProperty"}));
  EXPECT_EQ(c.entity.First("fancyNewProperty"), "from FtM 9");
  EXPECT_EQ(recs[2].line, 4);  // the blank line 3 is skipped but counted
  EXPECT_EQ(recs[2].entity.First("startDate"), "2019-03");
}

TEST(FtmJson, InvalidJsonGivesLineAndColumn) {
  auto recs = ReadAll(kFixtures + "bad_json.ftm.json");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_TRUE(recs[0].error.ok());
  const Status& e = recs[1].error;
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.code(), StatusCode::kParseError);
  EXPECT_EQ(e.where().line, 2);
  EXPECT_EQ(e.where().column, 33);  // the token after "Person" where ',' or '}' was due
  EXPECT_NE(e.message().find("invalid JSON"), std::string::npos) << e.ToString();
}

TEST(FtmJson, UnknownSchemaAndBadValues) {
  auto recs = ReadAll(kFixtures + "unknown_schema.ftm.json");
  ASSERT_EQ(recs.size(), 2u);
  ASSERT_FALSE(recs[1].error.ok());
  EXPECT_EQ(recs[1].error.code(), StatusCode::kSchemaError);
  EXPECT_EQ(recs[1].error.where().line, 2);
  EXPECT_EQ(recs[1].error.where().column, 24);
  EXPECT_NE(recs[1].error.message().find("unknown schema 'Persn'"), std::string::npos);

  recs = ReadAll(kFixtures + "bad_date.ftm.json");
  ASSERT_EQ(recs.size(), 3u);
  ASSERT_FALSE(recs[1].error.ok());
  EXPECT_EQ(recs[1].error.where().line, 2);
  EXPECT_NE(recs[1].error.message().find("birthDate"), std::string::npos);
  EXPECT_NE(recs[1].error.message().find("unparseable date"), std::string::npos)
      << recs[1].error.ToString();
  EXPECT_TRUE(recs[2].error.ok());
}

TEST(FtmJson, InvalidUtf8IsALineError) {
  std::string data =
      "{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\"name\": [\"A\xff\"]}}\n";
  auto r = FtmJsonReader::FromString(data, "mem.json", TheSchema());
  ASSERT_TRUE(r.ok());
  FtmRecord rec;
  ASSERT_TRUE((*r)->Next(&rec));
  ASSERT_FALSE(rec.error.ok());
  EXPECT_EQ(rec.error.where().column, 59);
  EXPECT_NE(rec.error.message().find("invalid UTF-8"), std::string::npos);
}

TEST(FtmJson, WriterIsDeterministicAndRoundTrips) {
  model::Entity e;
  e.id = "o1";
  e.schema = "Ownership";
  e.Add("percentage", "50");
  e.Add("owner", "p1");
  e.Add("asset", "c1");
  e.Add("owner", "p1");  // duplicate dropped
  e.Add("summary", "line \"one\"\nline two \xC3\xA9");
  for (auto& v : e.values) {
    v.prov.dataset = "reg";
    v.prov.first_seen = 1609556645;
    v.prov.last_seen = 1686125350;
  }
  std::string line = WriteFtmJson(e);
  EXPECT_EQ(
      line,
      "{\"id\": \"o1\", \"schema\": \"Ownership\", \"properties\": {\"asset\": [\"c1\"], "
      "\"owner\": [\"p1\"], \"percentage\": [\"50\"], \"summary\": [\"line \\\"one\\\"\\nline "
      "two \xC3\xA9\"]}, \"datasets\": [\"reg\"], \"first_seen\": \"2021-01-02T03:04:05\", "
      "\"last_seen\": \"2023-06-07T08:09:10\"}");
  auto r = FtmJsonReader::FromString(line + "\n", "mem.json", TheSchema());
  ASSERT_TRUE(r.ok());
  FtmRecord rec;
  ASSERT_TRUE((*r)->Next(&rec));
  ASSERT_TRUE(rec.error.ok()) << rec.error.ToString();
  EXPECT_EQ(WriteFtmJson(rec.entity), line);
}

TEST(FtmJson, ExtendedFormRestoresLabelsGradingAndProvenance) {
  model::Entity e;
  e.id = "p9";
  e.schema = "Person";
  e.label = "secret";
  e.Add("name", "Anna");
  e.Add("birthDate", "1970");
  e.values[0].grading = model::Grading{'B', 2};
  e.values[0].label = "eyes-only";
  e.values[0].prov = {"reg", "people.csv", "line 2", 0, 1609556645, 1686125350};
  e.values[1].prov = {"other", "x.csv", "line 9", 0, 1600000000, 1600000000};
  FtmWriteOptions opt;
  opt.extended = true;
  std::string line = WriteFtmJson(e, opt);
  auto r = FtmJsonReader::FromString(line, "mem.json", TheSchema());
  FtmRecord rec;
  ASSERT_TRUE((*r)->Next(&rec));
  ASSERT_TRUE(rec.error.ok()) << rec.error.ToString();
  EXPECT_EQ(rec.entity.label, "secret");
  ASSERT_EQ(rec.entity.values.size(), 2u);
  EXPECT_EQ(rec.entity.values[0], e.values[0]);
  EXPECT_EQ(rec.entity.values[1], e.values[1]);
  EXPECT_EQ(WriteFtmJson(rec.entity, opt), line);
}

TEST(FtmJson, IsoTimes) {
  EXPECT_EQ(ParseIsoTime("1970-01-01T00:00:00"), 0);
  EXPECT_EQ(ParseIsoTime("2021-01-02T03:04:05.123Z"), 1609556645);
  EXPECT_EQ(ParseIsoTime("2021-01-02T05:04:05+02:00"), 1609556645);
  EXPECT_EQ(ParseIsoTime("2021-01-02"), 1609545600);
  EXPECT_FALSE(ParseIsoTime("yesterday").has_value());
}

}  // namespace
}  // namespace casegraph::ingest
