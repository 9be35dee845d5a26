// The FollowTheMoney-compatible schema: schemata (Person, Company, Ownership...), their
// inheritance, properties and property types, and edge definitions. Loaded from YAML
// (the built-in schema/ftm.yml is compiled into the binary; users may add their own
// schemata and properties from further YAML files). Immutable after Finalize(); safe to
// share between threads for reading.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casegraph/status.h"

namespace casegraph::model {

// FtM property types. kString is FtM's "string"; kText is long free text.
enum class PropertyType {
  kString, kText, kName, kDate, kNumber, kCountry, kEmail, kPhone, kIban, kIdentifier,
  kAddress, kUrl, kEntity, kLanguage, kGender, kTopic, kChecksum, kMimetype, kIp, kJson,
  kHtml
};
const char* PropertyTypeName(PropertyType t);
std::optional<PropertyType> ParsePropertyType(std::string_view name);

struct PropertyDef {
  std::string name;            // "owner"
  PropertyType type = PropertyType::kString;
  std::string range;           // for kEntity: target schema name, e.g. "LegalEntity"
  std::string reverse;         // for kEntity: reverse property name on the range schema
  std::string defined_in;      // schema that declares it
};

struct EdgeDef {
  std::string source;  // property naming the source entity, e.g. "owner"
  std::string target;  // property naming the target entity, e.g. "asset"
  std::string label;   // "owns"
  bool directed = true;
};

struct SchemaDef {
  std::string name;
  std::vector<std::string> extends;      // direct parents
  bool abstract = false;
  bool matchable = false;
  std::vector<std::string> required;
  std::vector<std::string> featured;
  std::vector<std::string> temporal_start;  // properties giving the start date
  std::vector<std::string> temporal_end;
  std::optional<EdgeDef> edge;              // set for edge schemata (Ownership, Payment...)
  std::map<std::string, PropertyDef> own_properties;  // declared here

  // Filled by Schema::Finalize():
  std::vector<std::string> ancestors;                 // all ancestors, nearest first
  std::map<std::string, const PropertyDef*> properties;  // own + inherited
};

class Schema {
 public:
  // The built-in FtM schema (schema/ftm.yml, embedded at build time).
  static Result<std::shared_ptr<const Schema>> BuiltIn();
  // Built-in plus extensions given as YAML texts (same format as schema/ftm.yml;
  // a schema that already exists gains the extra properties).
  static Result<std::shared_ptr<const Schema>> WithExtensions(const std::vector<std::string>& yaml_texts);

  const SchemaDef* Find(std::string_view name) const;
  // Property of a schema, including inherited ones; nullptr if unknown.
  const PropertyDef* FindProperty(std::string_view schema, std::string_view prop) const;
  // True if `schema` is `ancestor` or descends from it (IsA("Company", "LegalEntity")).
  bool IsA(std::string_view schema, std::string_view ancestor) const;
  bool IsEdge(std::string_view schema) const;
  const std::map<std::string, SchemaDef, std::less<>>& schemata() const { return schemata_; }

  // Loading API used by BuiltIn()/WithExtensions() and tests.
  Status AddYaml(const std::string& yaml_text, const std::string& origin);
  Status Finalize();

 private:
  std::map<std::string, SchemaDef, std::less<>> schemata_;
};

}  // namespace casegraph::model
