// Loading, extending and resolving the FtM-compatible schema (see schema.h): YAML parsing
// with yaml-cpp, inheritance resolution, validation with origin and line, and the cached
// built-in schema compiled into the binary from schema/ftm.yml.
#include "model/schema.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <mutex>
#include <set>

#include <fmt/format.h>

extern const char kBuiltinSchemaYaml[];
extern const std::size_t kBuiltinSchemaYaml_size;

namespace casegraph::model {
namespace {

constexpr const char* kBuiltinOrigin = "schema/ftm.yml";

struct TypeName {
  PropertyType type;
  const char* name;
};
constexpr TypeName kTypeNames[] = {
    {PropertyType::kString, "string"},
    {PropertyType::kText, "text"},
    {PropertyType::kName, "name"},
    {PropertyType::kDate, "date"},
    {PropertyType::kNumber, "number"},
    {PropertyType::kCountry, "country"},
    {PropertyType::kEmail, "email"},
    {PropertyType::kPhone, "phone"},
    {PropertyType::kIban, "iban"},
    {PropertyType::kIdentifier, "identifier"},
    {PropertyType::kAddress, "address"},
    {PropertyType::kUrl, "url"},
    {PropertyType::kEntity, "entity"},
    {PropertyType::kLanguage, "language"},
    {PropertyType::kGender, "gender"},
    {PropertyType::kTopic, "topic"},
    {PropertyType::kChecksum, "checksum"},
    {PropertyType::kMimetype, "mimetype"},
    {PropertyType::kIp, "ip"},
    {PropertyType::kJson, "json"},
    {PropertyType::kHtml, "html"},
};

SourceLocation Loc(const std::string& origin, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return SourceLocation{origin, mark.line >= 0 ? mark.line + 1 : 0,
                        mark.column >= 0 ? mark.column + 1 : 0};
}

[[noreturn]] void Fail(const SourceLocation& where, const std::string& message) {
  throw Error(StatusCode::kSchemaError, message, where);
}

std::vector<std::string> StringList(const YAML::Node& node, const std::string& origin,
                                    const std::string& what) {
  std::vector<std::string> out;
  if (!node || node.IsNull()) return out;
  if (node.IsScalar()) {
    out.push_back(node.as<std::string>());
    return out;
  }
  if (!node.IsSequence()) Fail(Loc(origin, node), what + " must be a list of names");
  for (const auto& item : node) {
    if (!item.IsScalar()) Fail(Loc(origin, item), what + " must be a list of names");
    out.push_back(item.as<std::string>());
  }
  return out;
}

bool Bool(const YAML::Node& node, const std::string& origin, const std::string& what) {
  if (!node || node.IsNull()) return false;
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    Fail(Loc(origin, node), what + " must be true or false");
  }
  return value;
}

void AppendUnique(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const auto& s : from) {
    if (std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
  }
}

const std::set<std::string>& KnownSchemaKeys() {
  static const std::set<std::string> keys = {"extends",  "abstract", "matchable",   "required",
                                             "featured", "temporal", "edge",        "properties",
                                             "label",    "plural",   "description", "caption"};
  return keys;
}

}  // namespace

const char* PropertyTypeName(PropertyType t) {
  for (const auto& tn : kTypeNames) {
    if (tn.type == t) return tn.name;
  }
  return "string";
}

std::optional<PropertyType> ParsePropertyType(std::string_view name) {
  for (const auto& tn : kTypeNames) {
    if (name == tn.name) return tn.type;
  }
  return std::nullopt;
}

Status Schema::AddYaml(const std::string& yaml_text, const std::string& origin) {
  if (finalized_) {
    return Status(StatusCode::kInternal, "Schema::AddYaml called after Finalize()");
  }
  return CatchAsStatus([&] {
    YAML::Node root;
    try {
      root = YAML::Load(yaml_text);
    } catch (const YAML::ParserException& e) {
      throw Error(StatusCode::kParseError, "bad YAML: " + e.msg,
                  SourceLocation{origin, e.mark.line + 1, e.mark.column + 1});
    }
    if (!root || root.IsNull()) return;  // an empty file adds nothing
    if (!root.IsMap()) Fail(Loc(origin, root), "a schema file is a mapping of schema names");
    std::set<std::string> seen_here;
    for (const auto& entry : root) {
      const std::string name = entry.first.as<std::string>();
      const YAML::Node& body = entry.second;
      const SourceLocation where = Loc(origin, entry.first);
      if (!seen_here.insert(name).second) Fail(where, "duplicate schema '" + name + "'");
      if (name.empty() || !(name[0] >= 'A' && name[0] <= 'Z')) {
        Fail(where, "schema name '" + name + "' must start with an upper-case letter");
      }
      if (body && !body.IsNull() && !body.IsMap()) {
        Fail(where, "schema '" + name + "' must be a mapping");
      }
      for (const auto& kv : body) {
        const std::string key = kv.first.as<std::string>();
        if (KnownSchemaKeys().count(key) == 0) {
          Fail(Loc(origin, kv.first), "schema '" + name + "': unknown key '" + key + "'");
        }
      }
      auto existing = schemata_.find(name);
      const bool extending = existing != schemata_.end();
      SchemaDef& def = extending ? existing->second : schemata_[name];
      if (!extending) {
        def.name = name;
        locations_[name] = where;
        def.extends = StringList(body["extends"], origin, name + ".extends");
        def.abstract = Bool(body["abstract"], origin, name + ".abstract");
        def.matchable = Bool(body["matchable"], origin, name + ".matchable");
        if (const auto temporal = body["temporal"]; temporal && !temporal.IsNull()) {
          if (!temporal.IsMap()) Fail(Loc(origin, temporal), name + ".temporal must be a mapping");
          def.temporal_start = StringList(temporal["start"], origin, name + ".temporal.start");
          def.temporal_end = StringList(temporal["end"], origin, name + ".temporal.end");
        }
        if (const auto edge = body["edge"]; edge && !edge.IsNull()) {
          if (!edge.IsMap()) Fail(Loc(origin, edge), name + ".edge must be a mapping");
          EdgeDef e;
          if (!edge["source"] || !edge["target"]) {
            Fail(Loc(origin, edge), name + ".edge needs source and target");
          }
          e.source = edge["source"].as<std::string>();
          e.target = edge["target"].as<std::string>();
          e.label = edge["label"] ? edge["label"].as<std::string>() : std::string();
          e.directed =
              edge["directed"] ? Bool(edge["directed"], origin, name + ".edge.directed") : true;
          def.edge = std::move(e);
        }
      } else {
        // An extension of an existing schema may only add properties (and name more
        // required/featured ones); it cannot re-parent or re-type the schema.
        for (const char* key : {"extends", "abstract", "matchable", "edge", "temporal"}) {
          if (body[key]) {
            Fail(Loc(origin, body[key]),
                 fmt::format("schema '{}' already exists; an extension may only add "
                             "properties, not change '{}'",
                             name, key));
          }
        }
      }
      AppendUnique(def.required, StringList(body["required"], origin, name + ".required"));
      AppendUnique(def.featured, StringList(body["featured"], origin, name + ".featured"));

      const YAML::Node props = body["properties"];
      if (!props || props.IsNull()) continue;
      if (!props.IsMap()) Fail(Loc(origin, props), name + ".properties must be a mapping");
      for (const auto& p : props) {
        const std::string pname = p.first.as<std::string>();
        const SourceLocation ploc = Loc(origin, p.first);
        if (def.own_properties.count(pname) > 0) {
          Fail(ploc, fmt::format("duplicate property '{}.{}' (first declared at {})", name, pname,
                                 locations_[name + "." + pname].ToString()));
        }
        PropertyDef prop;
        prop.name = pname;
        prop.defined_in = name;
        const YAML::Node& pb = p.second;
        std::string type_name = "string";
        if (pb && pb.IsScalar()) {
          type_name = pb.as<std::string>();  // shorthand: "name: string"
        } else if (pb && pb.IsMap()) {
          if (pb["type"]) type_name = pb["type"].as<std::string>();
          if (pb["range"]) prop.range = pb["range"].as<std::string>();
          if (pb["reverse"]) prop.reverse = pb["reverse"].as<std::string>();
        } else if (pb && !pb.IsNull()) {
          Fail(ploc, fmt::format("property '{}.{}' must be a mapping", name, pname));
        }
        auto type = ParsePropertyType(type_name);
        if (!type) {
          Fail(pb && pb.IsMap() && pb["type"] ? Loc(origin, pb["type"]) : ploc,
               fmt::format("property '{}.{}' has unknown type '{}'", name, pname, type_name));
        }
        prop.type = *type;
        if (prop.type == PropertyType::kEntity && prop.range.empty()) {
          Fail(ploc, fmt::format("entity property '{}.{}' needs a range", name, pname));
        }
        if (prop.type != PropertyType::kEntity && !prop.range.empty()) {
          Fail(ploc,
               fmt::format("property '{}.{}' has a range but type '{}'", name, pname, type_name));
        }
        locations_[name + "." + pname] = ploc;
        def.own_properties.emplace(pname, std::move(prop));
      }
    }
  });
}

Status Schema::Finalize() {
  if (finalized_) return Status::Ok();
  return CatchAsStatus([&] {
    auto where = [&](const std::string& key) {
      auto it = locations_.find(key);
      return it == locations_.end() ? SourceLocation{} : it->second;
    };
    // Parents exist.
    for (const auto& [name, def] : schemata_) {
      for (const auto& parent : def.extends) {
        if (schemata_.find(parent) == schemata_.end()) {
          Fail(where(name), fmt::format("schema '{}' extends unknown schema '{}'", name, parent));
        }
      }
    }
    // Ancestors, nearest first (breadth-first over parents), with cycle detection.
    for (auto& [name, def] : schemata_) {
      def.ancestors.clear();
      std::vector<std::string> frontier = def.extends;
      std::set<std::string> seen;
      while (!frontier.empty()) {
        std::vector<std::string> next;
        for (const auto& a : frontier) {
          if (a == name) Fail(where(name), fmt::format("schema '{}' inherits from itself", name));
          if (!seen.insert(a).second) continue;
          def.ancestors.push_back(a);
          const auto& parents = schemata_.find(a)->second.extends;
          next.insert(next.end(), parents.begin(), parents.end());
        }
        frontier = std::move(next);
      }
    }
    // Properties: own first, then ancestors nearest first (nearer declarations win).
    for (auto& [name, def] : schemata_) {
      def.properties.clear();
      for (const auto& [pname, prop] : def.own_properties) def.properties.emplace(pname, &prop);
      for (const auto& a : def.ancestors) {
        for (const auto& [pname, prop] : schemata_.find(a)->second.own_properties) {
          def.properties.emplace(pname, &prop);
        }
      }
    }
    // References: entity ranges, edge endpoints, temporal, required and featured names.
    for (auto& [name, def] : schemata_) {
      for (const auto& [pname, prop] : def.own_properties) {
        if (prop.type == PropertyType::kEntity && schemata_.find(prop.range) == schemata_.end()) {
          Fail(where(name + "." + pname),
               fmt::format("property '{}.{}' has unknown range '{}'", name, pname, prop.range));
        }
      }
      auto check = [&](const std::string& prop, const char* what) {
        if (def.properties.count(prop) == 0) {
          Fail(where(name),
               fmt::format("schema '{}': {} names unknown property '{}'", name, what, prop));
        }
      };
      if (def.edge) {
        check(def.edge->source, "edge source");
        check(def.edge->target, "edge target");
      }
      for (const auto& p : def.temporal_start) check(p, "temporal start");
      for (const auto& p : def.temporal_end) check(p, "temporal end");
      for (const auto& p : def.required) check(p, "required");
      for (const auto& p : def.featured) check(p, "featured");
    }
    // Reverse (stub) properties on the range schemata.
    for (auto& [name, def] : schemata_) def.reverse_properties.clear();
    for (const auto& [name, def] : schemata_) {
      for (const auto& [pname, prop] : def.own_properties) {
        if (prop.type != PropertyType::kEntity || prop.reverse.empty()) continue;
        PropertyDef stub;
        stub.name = prop.reverse;
        stub.type = PropertyType::kEntity;
        stub.range = name;
        stub.reverse = pname;
        stub.defined_in = prop.range;
        schemata_.find(prop.range)
            ->second.reverse_properties.emplace(prop.reverse, std::move(stub));
      }
    }
    finalized_ = true;
  });
}

const SchemaDef* Schema::Find(std::string_view name) const {
  auto it = schemata_.find(name);
  return it == schemata_.end() ? nullptr : &it->second;
}

const PropertyDef* Schema::FindProperty(std::string_view schema, std::string_view prop) const {
  const SchemaDef* def = Find(schema);
  if (def == nullptr) return nullptr;
  auto it = def->properties.find(std::string(prop));
  return it == def->properties.end() ? nullptr : it->second;
}

bool Schema::IsA(std::string_view schema, std::string_view ancestor) const {
  const SchemaDef* def = Find(schema);
  if (def == nullptr) return false;
  if (def->name == ancestor) return true;
  return std::find(def->ancestors.begin(), def->ancestors.end(), ancestor) != def->ancestors.end();
}

bool Schema::IsEdge(std::string_view schema) const {
  const SchemaDef* def = Find(schema);
  return def != nullptr && def->edge.has_value();
}

namespace {

Result<std::shared_ptr<const Schema>> Build(const std::vector<std::string>& extensions) {
  auto schema = std::make_shared<Schema>();
  Status st =
      schema->AddYaml(std::string(kBuiltinSchemaYaml, kBuiltinSchemaYaml_size), kBuiltinOrigin);
  if (!st.ok()) return st;
  for (std::size_t i = 0; i < extensions.size(); ++i) {
    st = schema->AddYaml(extensions[i], fmt::format("extension #{}", i + 1));
    if (!st.ok()) return st;
  }
  st = schema->Finalize();
  if (!st.ok()) return st;
  return std::shared_ptr<const Schema>(std::move(schema));
}

}  // namespace

Result<std::shared_ptr<const Schema>> Schema::BuiltIn() {
  // Function-local static: parsed once, initialisation is thread-safe (C++11 magic statics).
  static const Result<std::shared_ptr<const Schema>> builtin = Build({});
  return builtin;
}

Result<std::shared_ptr<const Schema>> Schema::WithExtensions(
    const std::vector<std::string>& yaml_texts) {
  return Build(yaml_texts);
}

}  // namespace casegraph::model
