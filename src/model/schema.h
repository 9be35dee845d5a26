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
  kString,
  kText,
  kName,
  kDate,
  kNumber,
  kCountry,
  kEmail,
  kPhone,
  kIban,
  kIdentifier,
  kAddress,
  kUrl,
  kEntity,
  kLanguage,
  kGender,
  kTopic,
  kChecksum,
  kMimetype,
  kIp,
  kJson,
  kHtml
};
const char* PropertyTypeName(PropertyType t);
std::optional<PropertyType> ParsePropertyType(std::string_view name);

struct PropertyDef {
  std::string name;  // "owner"
  PropertyType type = PropertyType::kString;
  std::string range;       // for kEntity: target schema name, e.g. "LegalEntity"
  std::string reverse;     // for kEntity: reverse property name on the range schema
  std::string defined_in;  // schema that declares it
};

struct EdgeDef {
  std::string source;  // property naming the source entity, e.g. "owner"
  std::string target;  // property naming the target entity, e.g. "asset"
  std::string label;   // "owns"
  bool directed = true;
};

struct SchemaDef {
  std::string name;
  std::vector<std::string> extends;  // direct parents
  bool abstract = false;
  bool matchable = false;
  std::vector<std::string> required;
  std::vector<std::string> featured;
  std::vector<std::string> temporal_start;  // properties giving the start date
  std::vector<std::string> temporal_end;
  std::optional<EdgeDef> edge;  // set for edge schemata (Ownership, Payment...)
  std::map<std::string, PropertyDef> own_properties;  // declared here
  // FtM "stub" properties: the reverse side of entity properties of other schemata whose
  // range is this schema (Person gets "ownershipOwner" from Ownership.owner). Keyed by the
  // reverse name; type kEntity, range = the declaring schema, reverse = the forward
  // property. For navigation only: values are never stored under these names.
  std::map<std::string, PropertyDef> reverse_properties;

  // Filled by Schema::Finalize():
  std::vector<std::string> ancestors;                    // all ancestors, nearest first
  std::map<std::string, const PropertyDef*> properties;  // own + inherited
};

class Schema {
 public:
  Schema() = default;
  // SchemaDefs point into each other (properties); a Schema is shared, never copied.
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  // The built-in FtM schema (schema/ftm.yml, embedded at build time).
  static Result<std::shared_ptr<const Schema>> BuiltIn();
  // Built-in plus extensions given as YAML texts (same format as schema/ftm.yml;
  // a schema that already exists gains the extra properties).
  static Result<std::shared_ptr<const Schema>> WithExtensions(
      const std::vector<std::string>& yaml_texts);

  const SchemaDef* Find(std::string_view name) const;
  // Property of a schema, including inherited ones; nullptr if unknown.
  const PropertyDef* FindProperty(std::string_view schema, std::string_view prop) const;
  // True if `schema` is `ancestor` or descends from it (IsA("Company", "LegalEntity")).
  bool IsA(std::string_view schema, std::string_view ancestor) const;
  bool IsEdge(std::string_view schema) const;
  const std::map<std::string, SchemaDef, std::less<>>& schemata() const { return schemata_; }

  // Loading API used by BuiltIn()/WithExtensions() and tests. AddYaml parses one YAML
  // text (origin names it in errors: "schema/ftm.yml:12: ..."); a schema already loaded
  // gains the new properties (and featured/required names); a property it already has is
  // a duplicate error. Finalize resolves inheritance and checks every reference (parents,
  // entity ranges, edge and temporal properties); call it once, after the last AddYaml.
  // Errors are kSchemaError (kParseError for malformed YAML) with origin and line.
  Status AddYaml(const std::string& yaml_text, const std::string& origin);
  Status Finalize();

 private:
  std::map<std::string, SchemaDef, std::less<>> schemata_;
  // Where each schema ("Person") and property ("Person.name") was declared, for errors.
  std::map<std::string, SourceLocation, std::less<>> locations_;
  bool finalized_ = false;
};

}  // namespace casegraph::model
