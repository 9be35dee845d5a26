// Tests for model/schema.h: the built-in FtM schema (completeness against the reference
// listing, inheritance, edges), extensions, and validation errors with origin and line.
#include "model/schema.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "model/entity.h"

namespace casegraph::model {
namespace {

std::shared_ptr<const Schema> Builtin() {
  auto r = Schema::BuiltIn();
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : nullptr;
}

TEST(Schema, BuiltInHasEverySchemaNamedInIssue2) {
  auto schema = Builtin();
  ASSERT_NE(schema, nullptr);
  for (const char* name :
       {"Thing",          "LegalEntity", "Person",      "Organization", "Company",
        "PublicBody",     "Address",     "BankAccount", "Vehicle",      "Passport",
        "Identification", "Event",       "Sanction",    "Ownership",    "Directorship",
        "Employment",     "Membership",  "Family",      "Associate",    "Representation",
        "Payment",        "Debt",        "UnknownLink", "Call",         "Similar"}) {
    EXPECT_NE(schema->Find(name), nullptr) << name;
  }
  EXPECT_EQ(schema->Find("Nonsense"), nullptr);
}

TEST(Schema, BuiltInMatchesReferenceListing) {
  const std::string path = std::string(CASEGRAPH_SHARED_DIR) + "/reference/ftm_schema.txt";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << "reference listing not found at " << path;
  auto schema = Builtin();
  ASSERT_NE(schema, nullptr);
  std::string line, current;
  int schemata = 0, props = 0;
  while (std::getline(in, line)) {
    if (line.rfind("    props:", 0) == 0) {
      std::stringstream items(line.substr(10));
      std::string item;
      while (std::getline(items, item, ',')) {
        while (!item.empty() && item.front() == ' ') item.erase(0, 1);
        if (item.empty()) continue;
        std::string name = item.substr(0, item.find(':'));
        std::string type = item.substr(item.find(':') + 1);
        type = type.substr(0, type.find("->"));
        const PropertyDef* p = schema->FindProperty(current, name);
        ASSERT_NE(p, nullptr) << current << "." << name;
        EXPECT_STREQ(PropertyTypeName(p->type), type.c_str()) << current << "." << name;
        EXPECT_EQ(p->defined_in, current);
        ++props;
      }
    } else if (!line.empty()) {
      current = line.substr(0, line.find(':'));
      EXPECT_NE(schema->Find(current), nullptr) << current;
      ++schemata;
    }
  }
  EXPECT_EQ(schemata, 69);
  EXPECT_EQ(static_cast<int>(schema->schemata().size()), schemata);
  EXPECT_GT(props, 450);
}

TEST(Schema, OwnershipIsADirectedEdgeFromOwnerToAsset) {
  auto schema = Builtin();
  ASSERT_NE(schema, nullptr);
  ASSERT_TRUE(schema->IsEdge("Ownership"));
  const SchemaDef* own = schema->Find("Ownership");
  EXPECT_EQ(own->edge->source, "owner");
  EXPECT_EQ(own->edge->target, "asset");
  EXPECT_EQ(own->edge->label, "owns");
  EXPECT_TRUE(own->edge->directed);
  EXPECT_EQ(own->required, (std::vector<std::string>{"owner", "asset"}));
  const PropertyDef* owner = schema->FindProperty("Ownership", "owner");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->type, PropertyType::kEntity);
  EXPECT_EQ(owner->range, "LegalEntity");
  EXPECT_EQ(owner->reverse, "ownershipOwner");
  // Family and Associate are undirected; Person and Company are not edges.
  EXPECT_FALSE(schema->Find("Family")->edge->directed);
  EXPECT_EQ(schema->Find("Associate")->edge->label, "associated with");
  EXPECT_FALSE(schema->IsEdge("Person"));
  EXPECT_FALSE(schema->IsEdge("Unknown"));
  for (const char* edge : {"Directorship", "Employment", "Membership", "Family", "Associate",
                           "Representation", "Payment", "Debt", "UnknownLink"}) {
    EXPECT_TRUE(schema->IsEdge(edge)) << edge;
  }
}

TEST(Schema, InheritanceAndIsA) {
  auto schema = Builtin();
  ASSERT_NE(schema, nullptr);
  EXPECT_TRUE(schema->IsA("Person", "LegalEntity"));
  EXPECT_TRUE(schema->IsA("Person", "Thing"));
  EXPECT_TRUE(schema->IsA("Person", "Person"));
  EXPECT_TRUE(schema->IsA("Company", "Asset"));
  EXPECT_TRUE(schema->IsA("Company", "Value"));
  EXPECT_TRUE(schema->IsA("PublicBody", "Organization"));
  EXPECT_FALSE(schema->IsA("LegalEntity", "Person"));
  EXPECT_FALSE(schema->IsA("Person", "Company"));
  EXPECT_FALSE(schema->IsA("Nope", "Thing"));
  const SchemaDef* company = schema->Find("Company");
  EXPECT_EQ(company->ancestors.front(), "Organization");  // nearest first
  // Inherited properties: Person.name from Thing, Person.email from LegalEntity.
  const PropertyDef* name = schema->FindProperty("Person", "name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->type, PropertyType::kName);
  EXPECT_EQ(name->defined_in, "Thing");
  EXPECT_EQ(schema->FindProperty("Person", "email")->type, PropertyType::kEmail);
  EXPECT_EQ(schema->FindProperty("Payment", "amount")->defined_in, "Value");
  EXPECT_EQ(schema->FindProperty("Ownership", "startDate")->type, PropertyType::kDate);
  EXPECT_EQ(schema->FindProperty("Person", "percentage"), nullptr);
  EXPECT_TRUE(schema->Find("Thing")->abstract);
  EXPECT_TRUE(schema->Find("Person")->matchable);
  EXPECT_EQ(schema->Find("Person")->temporal_start, (std::vector<std::string>{"birthDate"}));
  // Reverse (stub) properties land on the range schema.
  const SchemaDef* legal = schema->Find("LegalEntity");
  ASSERT_EQ(legal->reverse_properties.count("ownershipOwner"), 1u);
  EXPECT_EQ(legal->reverse_properties.at("ownershipOwner").range, "Ownership");
}

TEST(Schema, BuiltInIsCached) {
  auto a = Schema::BuiltIn();
  auto b = Schema::BuiltIn();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->get(), b->get());
}

TEST(Schema, ExtensionAddsPropertyAndSchema) {
  auto r = Schema::WithExtensions({R"(
Person:
  properties:
    shoeSize: {type: number}
    favouriteBank: {type: entity, range: Organization, reverse: favouredBy}
CasinoVisit:
  extends: [Event]
  featured: [name, casino]
  properties:
    casino: {type: entity, range: Organization, reverse: casinoVisits}
    chips: number
)"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Schema& s = **r;
  ASSERT_NE(s.FindProperty("Person", "shoeSize"), nullptr);
  EXPECT_EQ(s.FindProperty("Person", "shoeSize")->type, PropertyType::kNumber);
  EXPECT_NE(s.FindProperty("Person", "name"), nullptr);  // still inherits
  EXPECT_EQ(s.FindProperty("CasinoVisit", "chips")->type, PropertyType::kNumber);
  EXPECT_TRUE(s.IsA("CasinoVisit", "Thing"));
  EXPECT_NE(s.FindProperty("CasinoVisit", "startDate"), nullptr);
  // The built-in schema is unchanged.
  EXPECT_EQ(Builtin()->FindProperty("Person", "shoeSize"), nullptr);
}

TEST(Schema, UnknownParentIsAnErrorWithLine) {
  auto r = Schema::WithExtensions({"# comment\nWidget:\n  extends: [Gadget]\n"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kSchemaError);
  EXPECT_NE(r.status().message().find("Gadget"), std::string::npos);
  EXPECT_EQ(r.status().where().file, "extension #1");
  EXPECT_EQ(r.status().where().line, 2);
}

TEST(Schema, BadTypeIsAnError) {
  auto r = Schema::WithExtensions({"Person:\n  properties:\n    x: {type: float}\n"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kSchemaError);
  EXPECT_NE(r.status().message().find("float"), std::string::npos);
  EXPECT_EQ(r.status().where().line, 3);
}

TEST(Schema, DuplicatePropertyIsAnError) {
  auto r = Schema::WithExtensions({"Person:\n  properties:\n    birthDate: {type: date}\n"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("duplicate property 'Person.birthDate'"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(r.status().where().line, 3);
}

TEST(Schema, OtherErrors) {
  // Unknown entity range.
  auto r =
      Schema::WithExtensions({"Person:\n  properties:\n    pet: {type: entity, range: Dog}\n"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Dog"), std::string::npos);
  // Edge naming a missing property.
  r = Schema::WithExtensions({"Knows:\n  extends: [Interest]\n  edge: {source: a, target: b}\n"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("edge source"), std::string::npos);
  // Inheritance cycle.
  r = Schema::WithExtensions({"A1:\n  extends: [B1]\nB1:\n  extends: [A1]\n"});
  ASSERT_FALSE(r.ok());
  // Malformed YAML is a parse error with a line.
  r = Schema::WithExtensions({"Person:\n  properties: [\n"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  EXPECT_GT(r.status().where().line, 0);
  // Changing an existing schema's parents is refused.
  r = Schema::WithExtensions({"Person:\n  extends: [Thing]\n"});
  ASSERT_FALSE(r.ok());
  // Duplicate schema in one file.
  r = Schema::WithExtensions({"Gizmo:\n  extends: [Thing]\nGizmo:\n  extends: [Thing]\n"});
  ASSERT_FALSE(r.ok());
}

TEST(PropertyType, NamesRoundTrip) {
  for (auto t : {PropertyType::kString, PropertyType::kDate, PropertyType::kEntity,
                 PropertyType::kHtml, PropertyType::kIban}) {
    EXPECT_EQ(ParsePropertyType(PropertyTypeName(t)), t);
  }
  EXPECT_FALSE(ParsePropertyType("float").has_value());
}

TEST(Entity, FirstAllAndGrading) {
  Entity e;
  e.id = "p1";
  e.schema = "Person";
  e.Add("name", "Ann");
  e.Add("alias", "A.");
  e.Add("name", "Anne");
  EXPECT_EQ(e.First("name"), "Ann");
  EXPECT_EQ(e.First("birthDate"), "");
  EXPECT_EQ(e.All("name"), (std::vector<std::string>{"Ann", "Anne"}));
  EXPECT_TRUE(e.All("x").empty());
  EXPECT_EQ((Grading{'B', 2}).ToString(), "B2");
  EXPECT_EQ((Grading{'B', 0}).ToString(), "B");
  EXPECT_EQ((Grading{0, 2}).ToString(), "2");
  EXPECT_EQ(Grading{}.ToString(), "");
  EXPECT_FALSE(Grading{}.graded());
}

}  // namespace
}  // namespace casegraph::model
