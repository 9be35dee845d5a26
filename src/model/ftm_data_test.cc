// Data-driven check against real FtM data (../shared/data/ftm/party_donations_de): every
// entity's schema and properties are known to the built-in schema, and every value is
// already clean by our rules (cleaning it again returns it unchanged).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "model/schema.h"
#include "model/types.h"

namespace casegraph::model {
namespace {

TEST(FtmData, PartyDonationsValuesAreKnownAndStableUnderCleaning) {
  const std::string path =
      std::string(CASEGRAPH_SHARED_DIR) + "/data/ftm/party_donations_de/entities.ftm.json";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << "reference data not found at " << path;
  auto schema = Schema::BuiltIn();
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  std::string line;
  int entities = 0, values = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    const std::string sname = j.at("schema").get<std::string>();
    ASSERT_NE((*schema)->Find(sname), nullptr) << sname;
    ++entities;
    for (const auto& [prop, vals] : j.at("properties").items()) {
      const PropertyDef* def = (*schema)->FindProperty(sname, prop);
      ASSERT_NE(def, nullptr) << sname << "." << prop;
      for (const auto& v : vals) {
        const std::string raw = v.get<std::string>();
        auto cleaned = CleanValue(def->type, raw);
        ASSERT_TRUE(cleaned.ok()) << sname << "." << prop << ": " << cleaned.status().ToString();
        if (def->type != PropertyType::kName) {
          EXPECT_EQ(*cleaned, raw) << sname << "." << prop;
        }
        ++values;
      }
    }
  }
  EXPECT_EQ(entities, 475);
  EXPECT_GT(values, 1000);
}

}  // namespace
}  // namespace casegraph::model
