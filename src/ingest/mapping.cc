// FtM mapping files: YAML parsing and validation (with yaml-cpp marks for line/column),
// and the record mapper that reproduces followthemoney/mapping/{query,entity,property}.py:
// ids are sha1(key_prefix=dataset, key_literal, sorted non-empty key values), entity
// properties refer to other entity mappings of the same query, country properties are
// mapped first (their value helps phone parsing), `required` skips an entity.
#include "ingest/mapping.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/text.h"
#include "model/types.h"

namespace casegraph::ingest {
namespace {

namespace fs = std::filesystem;

class Parser {
 public:
  Parser(const std::string& path, const model::Schema& schema) : path_(path), schema_(schema) {}

  Mapping Parse(const std::string& text) {
    Mapping mapping;
    mapping.path = path_;
    mapping.text = text;
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      throw Error(StatusCode::kParseError, "bad YAML: " + e.msg,
                  SourceLocation{path_, e.mark.line + 1, e.mark.column + 1});
    }
    if (!root.IsMap()) {
      throw Error(StatusCode::kParseError,
                  "a mapping file is a map of dataset names to {queries: [...]}", Loc(root));
    }
    for (const auto& kv : root) {
      DatasetMapping ds;
      ds.name = Scalar(kv.first, "dataset name");
      const YAML::Node& meta = kv.second;
      if (!meta.IsMap()) {
        throw Error(StatusCode::kParseError, "dataset '" + ds.name + "' must be a map", Loc(meta));
      }
      ds.label = OptScalar(meta, "label");
      for (const char* key : {"queries", "query"}) {
        YAML::Node q = meta[key];
        if (!q) continue;
        if (q.IsSequence()) {
          for (const auto& item : q) ds.queries.push_back(ParseQuery(item, ds));
        } else {
          ds.queries.push_back(ParseQuery(q, ds));
        }
      }
      if (ds.queries.empty()) {
        throw Error(StatusCode::kParseError, "dataset '" + ds.name + "' has no queries", Loc(meta));
      }
      mapping.datasets.push_back(std::move(ds));
    }
    if (mapping.datasets.empty()) {
      throw Error(StatusCode::kParseError, "mapping file defines no dataset",
                  SourceLocation{path_, 1, 1});
    }
    return mapping;
  }

 private:
  SourceLocation Loc(const YAML::Node& node) const {
    YAML::Mark m = node.Mark();
    if (m.is_null()) return SourceLocation{path_, 0, 0};
    return SourceLocation{path_, m.line + 1, m.column + 1};
  }

  std::string Scalar(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) {
      throw Error(StatusCode::kParseError, what + " must be a single value", Loc(node));
    }
    return node.Scalar();
  }

  std::string OptScalar(const YAML::Node& map, const char* key) const {
    YAML::Node n = map[key];
    if (!n || n.IsNull()) return "";
    return Scalar(n, std::string("'") + key + "'");
  }

  // Scalar or list of scalars (banal's ensure_list).
  std::vector<std::string> List(const YAML::Node& map, const char* key) const {
    std::vector<std::string> out;
    YAML::Node n = map[key];
    if (!n || n.IsNull()) return out;
    if (n.IsSequence()) {
      for (const auto& item : n) out.push_back(Scalar(item, std::string("'") + key + "' item"));
    } else {
      out.push_back(Scalar(n, std::string("'") + key + "'"));
    }
    return out;
  }

  static std::string ExpandVars(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '$' || i + 1 >= s.size()) {
        out += s[i];
        continue;
      }
      std::size_t start = i + 1, end;
      bool braced = s[start] == '{';
      if (braced) {
        end = s.find('}', start);
        if (end == std::string::npos) {
          out += s[i];
          continue;
        }
        ++start;
      } else {
        end = start;
        while (end < s.size() &&
               (std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '_')) {
          ++end;
        }
      }
      std::string var = s.substr(start, end - start);
      const char* value = var.empty() ? nullptr : std::getenv(var.c_str());
      if (value == nullptr) {
        out += s.substr(i, end - i + (braced ? 1 : 0));  // left as is, like os.path.expandvars
      } else {
        out += value;
      }
      i = end - (braced ? 0 : 1);
    }
    return out;
  }

  GradingMapping ParseGrading(const YAML::Node& map) const {
    GradingMapping g;
    YAML::Node n = map["grading"];
    if (!n) return g;
    if (!n.IsMap()) {
      throw Error(StatusCode::kParseError,
                  "'grading' must be a map {reliability: ..., credibility: ...}", Loc(n));
    }
    for (const auto& kv : n) {
      std::string key = Scalar(kv.first, "grading key");
      GradingSource* target = nullptr;
      if (key == "reliability") {
        target = &g.reliability;
      } else if (key == "credibility") {
        target = &g.credibility;
      } else {
        throw Error(StatusCode::kParseError,
                    "unknown grading key '" + key + "' (use reliability or credibility)",
                    Loc(kv.first));
      }
      if (kv.second.IsMap()) {
        target->column = OptScalar(kv.second, "column");
        if (target->column.empty()) {
          throw Error(StatusCode::kParseError, "grading source needs 'column' or a literal",
                      Loc(kv.second));
        }
      } else {
        target->literal = Scalar(kv.second, "grading value");
        std::string error = CheckGrading(key == "reliability", target->literal);
        if (!error.empty()) throw Error(StatusCode::kParseError, error, Loc(kv.second));
      }
    }
    return g;
  }

 public:
  static std::string CheckGrading(bool reliability, const std::string& v) {
    if (reliability) {
      if (v.size() == 1 && std::toupper(static_cast<unsigned char>(v[0])) >= 'A' &&
          std::toupper(static_cast<unsigned char>(v[0])) <= 'F') {
        return "";
      }
      return "source reliability must be A..F, not '" + v + "'";
    }
    if (v.size() == 1 && v[0] >= '1' && v[0] <= '6') return "";
    return "information credibility must be 1..6, not '" + v + "'";
  }

 private:
  QueryMapping ParseQuery(const YAML::Node& node, const DatasetMapping& ds) {
    QueryMapping q;
    q.where = Loc(node);
    if (!node.IsMap()) throw Error(StatusCode::kParseError, "a query must be a map", q.where);
    if (node["database"]) {
      throw Error(StatusCode::kInvalidArgument,
                  "SQL database sources are not supported; export the table to CSV and use "
                  "csv_url",
                  Loc(node["database"]));
    }
    for (const char* key : {"csv_url", "csv_urls"}) {
      YAML::Node urls = node[key];
      if (!urls) continue;
      std::vector<std::string> list = List(node, key);
      for (const std::string& raw : list) {
        std::string url = ExpandVars(raw);
        if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0 ||
            url.rfind("ftp://", 0) == 0) {
          throw Error(StatusCode::kInvalidArgument,
                      "remote csv_url '" + url +
                          "' is not supported: casegraph never downloads; fetch the file "
                          "yourself and point csv_url at the local copy",
                      Loc(urls));
        }
        if (url.rfind("file://", 0) == 0) url = url.substr(7);
        fs::path p(url);
        if (p.is_relative()) p = fs::path(path_).parent_path() / p;
        std::error_code ec;
        if (!fs::exists(p, ec)) {
          throw Error(StatusCode::kNotFound, "csv_url file not found: " + p.string(), Loc(urls));
        }
        q.csv_paths.push_back(p.lexically_normal().string());
      }
    }
    if (q.csv_paths.empty()) {
      throw Error(StatusCode::kParseError, "query has no csv_url / csv_urls", q.where);
    }
    std::sort(q.csv_paths.begin(), q.csv_paths.end());  // FtM keeps them in a set
    q.csv_paths.erase(std::unique(q.csv_paths.begin(), q.csv_paths.end()), q.csv_paths.end());
    for (const char* key : {"filters", "filters_not"}) {
      YAML::Node f = node[key];
      if (!f) continue;
      if (!f.IsMap())
        throw Error(StatusCode::kParseError, std::string(key) + " must be a map", Loc(f));
      auto& target = std::string(key) == "filters" ? q.filters : q.filters_not;
      for (const auto& kv : f) {
        target.emplace_back(Scalar(kv.first, "filter column"),
                            kv.second.IsNull() ? "" : Scalar(kv.second, "filter value"));
      }
    }
    q.grading = ParseGrading(node);
    q.label = OptScalar(node, "label");
    if (q.label.empty()) q.label = ds.label;

    YAML::Node entities = node["entities"];
    if (!entities || !entities.IsMap() || entities.size() == 0) {
      throw Error(StatusCode::kParseError, "query defines no entities (need 'entities: {...}')",
                  entities ? Loc(entities) : q.where);
    }
    std::vector<EntityMapping> parsed;
    for (const auto& kv : entities) {
      parsed.push_back(ParseEntity(Scalar(kv.first, "entity name"), kv.second, q, ds));
    }
    // Bind entity references: the referenced mapping exists and fits the property's range.
    for (auto& e : parsed) {
      for (auto& p : e.properties) {
        if (p.entity.empty()) continue;
        auto it = std::find_if(parsed.begin(), parsed.end(),
                               [&](const EntityMapping& o) { return o.name == p.entity; });
        if (it == parsed.end()) {
          throw Error(StatusCode::kSchemaError,
                      "no entity '" + p.entity + "' in this query for property '" + p.prop + "'",
                      p.where);
        }
        if (p.type != model::PropertyType::kEntity) {
          throw Error(StatusCode::kSchemaError,
                      "property '" + p.prop + "' is not an entity reference", p.where);
        }
        if (!p.range.empty() && !schema_.IsA(it->schema, p.range)) {
          throw Error(
              StatusCode::kSchemaError,
              "the entity [" + p.prop + "] must be a " + p.range + " (not " + it->schema + ")",
              p.where);
        }
      }
    }
    // Dependency order, as FtM's QueryMapping does.
    std::set<std::string> resolved;
    while (!parsed.empty()) {
      bool progressed = false;
      for (auto it = parsed.begin(); it != parsed.end(); ++it) {
        bool ready = std::all_of(it->dependencies.begin(), it->dependencies.end(),
                                 [&](const std::string& d) { return resolved.count(d) > 0; });
        if (ready) {
          resolved.insert(it->name);
          q.entities.push_back(std::move(*it));
          parsed.erase(it);
          progressed = true;
          break;
        }
      }
      if (!progressed) {
        throw Error(StatusCode::kSchemaError, "circular entity dependency detected",
                    parsed.front().where);
      }
    }
    std::set<std::string> refs;
    for (const auto& e : q.entities) {
      refs.insert(e.keys.begin(), e.keys.end());
      if (!e.id_column.empty()) refs.insert(e.id_column);
      for (const auto& p : e.properties) {
        refs.insert(p.columns.begin(), p.columns.end());
        refs.insert(p.template_refs.begin(), p.template_refs.end());
      }
      for (const auto* g : {&e.grading.reliability, &e.grading.credibility}) {
        if (!g->column.empty()) refs.insert(g->column);
      }
    }
    q.refs.assign(refs.begin(), refs.end());
    return q;
  }

  EntityMapping ParseEntity(const std::string& name, const YAML::Node& node, const QueryMapping& q,
                            const DatasetMapping& ds) {
    EntityMapping e;
    e.name = name;
    e.where = Loc(node);
    if (!node.IsMap()) {
      throw Error(StatusCode::kParseError, "entity '" + name + "' must be a map", e.where);
    }
    YAML::Node schema_node = node["schema"];
    if (!schema_node) {
      throw Error(StatusCode::kSchemaError, "entity '" + name + "' has no schema", e.where);
    }
    e.schema = Scalar(schema_node, "schema");
    const model::SchemaDef* def = schema_.Find(e.schema);
    if (def == nullptr) {
      throw Error(StatusCode::kSchemaError, "unknown schema '" + e.schema + "'", Loc(schema_node));
    }
    if (def->abstract) {
      throw Error(StatusCode::kSchemaError,
                  "schema '" + e.schema + "' is abstract; use a concrete schema", Loc(schema_node));
    }
    for (const char* key : {"key", "keys"}) {
      auto list = List(node, key);
      e.keys.insert(e.keys.end(), list.begin(), list.end());
    }
    e.key_literal = OptScalar(node, "key_literal");
    e.id_column = OptScalar(node, "id_column");
    if (e.keys.empty() && e.id_column.empty()) {
      throw Error(StatusCode::kSchemaError,
                  "entity '" + name + "' has no keys: give 'keys' (columns) or 'id_column'",
                  e.where);
    }
    if (!e.keys.empty() && !e.id_column.empty()) {
      throw Error(StatusCode::kSchemaError,
                  "entity '" + name + "': use only keys or id_column, not both", e.where);
    }
    auto seed = std::make_shared<Digest>(Digest::Kind::kSha1);
    seed->Update(ds.name);
    seed->Update(e.key_literal);
    e.seed = std::move(seed);
    e.grading = ParseGrading(node);
    if (e.grading.empty()) e.grading = q.grading;
    e.label = OptScalar(node, "label");
    if (e.label.empty()) e.label = q.label;

    YAML::Node props = node["properties"];
    if (props) {
      if (!props.IsMap()) {
        throw Error(StatusCode::kParseError, "'properties' must be a map", Loc(props));
      }
      for (const auto& kv : props) {
        e.properties.push_back(ParseProperty(e, kv.first, kv.second));
        if (!e.properties.back().entity.empty()) {
          e.dependencies.push_back(e.properties.back().entity);
        }
      }
    }
    return e;
  }

  PropertyMapping ParseProperty(const EntityMapping& e, const YAML::Node& key,
                                const YAML::Node& node) {
    PropertyMapping p;
    p.prop = Scalar(key, "property name");
    p.where = Loc(key);
    const model::PropertyDef* def = schema_.FindProperty(e.schema, p.prop);
    if (def == nullptr) {
      throw Error(StatusCode::kSchemaError,
                  "unknown property '" + p.prop + "' for schema " + e.schema, p.where);
    }
    p.type = def->type;
    p.range = def->range;
    if (!node.IsMap()) {
      throw Error(StatusCode::kParseError,
                  "property '" + p.prop + "' must be a map such as {column: NAME}", Loc(node));
    }
    for (const char* k : {"column", "columns"}) {
      auto l = List(node, k);
      p.columns.insert(p.columns.end(), l.begin(), l.end());
    }
    for (const char* k : {"literal", "literals"}) {
      auto l = List(node, k);
      p.literals.insert(p.literals.end(), l.begin(), l.end());
    }
    if (node["join"]) p.join = OptScalar(node, "join");
    if (node["split"]) p.split = OptScalar(node, "split");
    p.entity = OptScalar(node, "entity");
    if (node["template"]) {
      p.template_ = Trim(OptScalar(node, "template"));
      // FtM's FORMAT_PATTERN '{{([^(}})]*)}}'.
      const std::string& t = *p.template_;
      for (std::size_t pos = t.find("{{"); pos != std::string::npos; pos = t.find("{{", pos)) {
        std::size_t end = t.find("}}", pos + 2);
        if (end == std::string::npos) break;
        std::string ref = t.substr(pos + 2, end - pos - 2);
        if (ref.find_first_of("(}") == std::string::npos && ref.find(')') == std::string::npos) {
          p.template_refs.push_back(ref);
        }
        pos = end + 2;
      }
    }
    for (const char* k : {"format", "formats", "date_format", "date_formats"}) {
      auto l = List(node, k);
      p.date_formats.insert(p.date_formats.end(), l.begin(), l.end());
    }
    if (YAML::Node r = node["required"]) {
      std::string v = Scalar(r, "required");
      p.required = v == "true" || v == "True" || v == "yes" || v == "1";
    }
    p.label = OptScalar(node, "label");
    if (p.columns.empty() && p.literals.empty() && p.entity.empty() && !p.template_) {
      throw Error(StatusCode::kParseError,
                  "property '" + p.prop + "' needs column, columns, literal, entity or template",
                  Loc(node));
    }
    return p;
  }

  std::string path_;
  const model::Schema& schema_;
};

}  // namespace

Result<Mapping> ParseMapping(const std::string& yaml_text, const std::string& path,
                             const model::Schema& schema) {
  Mapping out;
  Status s = CatchAsStatus([&] { out = Parser(path, schema).Parse(yaml_text); });
  if (!s.ok()) return s;
  return out;
}

Result<Mapping> LoadMapping(const std::string& path, const model::Schema& schema) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status(StatusCode::kNotFound, "cannot open mapping file " + path, SourceLocation{path});
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseMapping(ss.str(), path, schema);
}

std::string SanitizeText(std::string_view raw) {
  std::string_view t = TrimView(raw);
  bool ascii = true;
  bool unsafe = false;
  for (unsigned char c : t) {
    if (c >= 0x80) ascii = false;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) unsafe = true;
  }
  std::string s;
  if (ascii) {
    s.assign(t);
  } else {
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(err);
    icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(t.data(), static_cast<int32_t>(t.size())));
    if (U_SUCCESS(err)) {
      icu::UnicodeString n = nfkc->normalize(u, err);
      if (U_SUCCESS(err)) u = n;
    }
    // C1 control characters are unsafe too.
    icu::UnicodeString clean;
    for (int32_t i = 0; i < u.length(); ++i) {
      char16_t c = u.charAt(i);
      if (c >= 0x80 && c <= 0x9F) continue;
      clean.append(c);
    }
    clean.toUTF8String(s);
  }
  if (unsafe) {
    std::string kept;
    for (unsigned char c : s) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) continue;
      kept += static_cast<char>(c);
    }
    s.swap(kept);
  }
  if (!ascii || unsafe) return Trim(s);
  return s;
}

std::string_view RecordView::Raw(std::string_view column) const {
  auto it = columns->find(column);
  if (it == columns->end() || it->second < 0 ||
      static_cast<std::size_t>(it->second) >= fields->size()) {
    return {};
  }
  return (*fields)[it->second];
}

SourceLocation RecordView::Locate(std::string_view column) const {
  SourceLocation loc{file, line, 0};
  std::string_view v = column.empty() ? std::string_view() : Raw(column);
  const char* begin = raw_record.data();
  if (v.data() == nullptr || begin == nullptr || v.data() < begin ||
      v.data() > begin + raw_record.size()) {
    return loc;
  }
  std::size_t last_nl = std::string_view::npos;
  for (const char* p = begin; p < v.data(); ++p) {
    if (*p == '\n') {
      ++loc.line;
      last_nl = p - begin;
    }
  }
  std::size_t off = v.data() - begin;
  loc.column = static_cast<long>(last_nl == std::string_view::npos ? off + 1 : off - last_nl);
  return loc;
}

std::string RecordView::Get(std::string_view column) const {
  return SanitizeText(Raw(column));
}

std::string ComputeEntityId(const Digest& seed, std::vector<std::string> key_values) {
  // FtM: values = [key_bytes(record.get(k))]; for value in sorted(values): if len(value)...
  std::sort(key_values.begin(), key_values.end());
  Digest digest(seed);
  bool has_value = false;
  for (const auto& v : key_values) {
    if (v.empty()) continue;
    has_value = true;
    digest.Update(v);
  }
  if (!has_value) return "";
  return digest.HexDigest();
}

bool PassesFilters(const QueryMapping& query, const RecordView& record) {
  for (const auto& [column, value] : query.filters) {
    auto it = record.columns->find(column);
    if (it == record.columns->end()) return false;  // FtM: None != value
    if (record.Raw(column) != value) return false;
  }
  for (const auto& [column, value] : query.filters_not) {
    auto it = record.columns->find(column);
    if (it == record.columns->end()) continue;
    if (record.Raw(column) == value) return false;
  }
  return true;
}

namespace {

[[noreturn]] void ValueError(const std::string& message, const RecordView& record,
                             std::string_view column) {
  throw Error(StatusCode::kParseError, message, record.Locate(column));
}

char ReadGrading(const GradingSource& src, const RecordView& record, bool reliability) {
  std::string v = src.column.empty() ? src.literal : record.Get(src.column);
  if (v.empty()) return 0;
  std::string error = Parser::CheckGrading(reliability, v);
  if (!error.empty()) ValueError(error + " in column '" + src.column + "'", record, src.column);
  return reliability ? static_cast<char>(std::toupper(static_cast<unsigned char>(v[0])))
                     : static_cast<char>(v[0] - '0');
}

}  // namespace

std::vector<MappedEntity> MapRecord(const QueryMapping& query, const RecordView& record,
                                    std::vector<std::string>* skipped) {
  std::vector<MappedEntity> out;
  out.reserve(query.entities.size());
  for (const EntityMapping& em : query.entities) {
    model::Entity entity;
    entity.values.reserve(em.properties.size());
    entity.schema = em.schema;
    entity.label = em.label;
    model::Grading grading;
    grading.reliability = ReadGrading(em.grading.reliability, record, true);
    grading.credibility =
        static_cast<std::uint8_t>(ReadGrading(em.grading.credibility, record, false));
    model::CleanOptions clean_options;
    bool has_props = false;
    // Country properties first: their value is the default country for phones.
    for (int pass = 0; pass < 2; ++pass) {
      for (const PropertyMapping& pm : em.properties) {
        bool is_country = pm.type == model::PropertyType::kCountry;
        if ((pass == 0) != is_country) continue;
        std::vector<std::string> values;
        if (!pm.entity.empty()) {
          // The id of the entity mapped earlier from this record under that name.
          for (const MappedEntity& earlier : out) {
            if (*earlier.mapping_name == pm.entity) {
              values.push_back(earlier.entity.id);
              break;
            }
          }
        } else {
          std::vector<std::pair<std::string_view, std::string>> raw;  // (column, value)
          if (pm.template_) {
            std::string v = *pm.template_;
            for (const auto& ref : pm.template_refs) {
              std::string needle = "{{" + ref + "}}";
              std::string repl = record.Get(ref);
              for (std::size_t pos = v.find(needle); pos != std::string::npos;
                   pos = v.find(needle, pos + repl.size())) {
                v.replace(pos, needle.size(), repl);
              }
            }
            raw.emplace_back("", Trim(v));
          } else {
            for (const auto& l : pm.literals) raw.emplace_back("", l);
            for (const auto& c : pm.columns) raw.emplace_back(c, record.Get(c));
          }
          clean_options.date_formats = pm.date_formats;
          for (auto& [column, v] : raw) {
            if (v.empty()) continue;
            auto cleaned = model::CleanValue(pm.type, v, clean_options);
            if (!cleaned.ok()) {
              std::string where =
                  column.empty() ? "literal" : "column '" + std::string(column) + "'";
              ValueError(
                  em.name + "." + pm.prop + " (" + where + "): " + cleaned.status().message(),
                  record, column);
            }
            if (!cleaned->empty()) values.push_back(std::move(*cleaned));
          }
          if (pm.join) {
            std::string joined;
            for (std::size_t i = 0; i < values.size(); ++i) {
              if (i) joined += *pm.join;
              joined += values[i];
            }
            values.assign(1, joined);
            if (joined.empty()) values.clear();
          }
          if (pm.split && !pm.split->empty()) {
            std::vector<std::string> parts;
            for (const auto& v : values) {
              std::size_t start = 0;
              for (;;) {
                std::size_t pos = v.find(*pm.split, start);
                std::string part =
                    v.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
                parts.push_back(part);
                if (pos == std::string::npos) break;
                start = pos + pm.split->size();
              }
            }
            values.swap(parts);
          }
        }
        const std::size_t first_of_prop = entity.values.size();
        for (auto& v : values) {
          // Skip empty and repeated values (a property has a handful of values at most).
          if (v.empty() || std::any_of(entity.values.begin() + first_of_prop, entity.values.end(),
                                       [&](const model::Value& had) { return had.value == v; }))
            continue;
          model::Value value;
          value.prop = pm.prop;
          value.value = std::move(v);
          value.grading = grading;
          value.label = pm.label;
          entity.values.push_back(std::move(value));
          has_props = true;
        }
        if (is_country && clean_options.default_country.empty()) {
          for (const auto& v : entity.values) {
            if (v.prop == pm.prop) {
              clean_options.default_country = v.value;
              break;
            }
          }
        }
      }
    }
    (void)has_props;
    // Id last, as FtM does.
    if (!em.id_column.empty()) {
      entity.id = record.Get(em.id_column);
    } else {
      std::vector<std::string> keys;
      keys.reserve(em.keys.size());
      for (const auto& k : em.keys) keys.push_back(record.Get(k));
      entity.id = ComputeEntityId(*em.seed, std::move(keys));
    }
    if (entity.id.empty()) {
      if (skipped) skipped->push_back(em.name + ": no id (empty key columns)");
      continue;
    }
    bool missing_required = false;
    for (const PropertyMapping& pm : em.properties) {
      if (!pm.required) continue;
      bool has = std::any_of(entity.values.begin(), entity.values.end(),
                             [&](const model::Value& v) { return v.prop == pm.prop; });
      if (!has) missing_required = true;
    }
    if (missing_required) {
      if (skipped) skipped->push_back(em.name + ": required property empty");
      continue;
    }
    out.push_back(MappedEntity{&em.name, std::move(entity)});
  }
  return out;
}

}  // namespace casegraph::ingest
