// FtM JSON lines reader (simdjson On-Demand over a padded line buffer; nlohmann only on
// the error path to locate the column of invalid JSON) and the deterministic writer.
#include "ingest/ftm_json.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/text.h"
#include "model/types.h"

namespace casegraph::ingest {

namespace {

std::int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool Digits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        if (c < 0x20) {
          static const char* kHex = "0123456789abcdef";
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

model::Grading ParseGradingText(std::string_view g) {
  model::Grading out;
  for (char c : g) {
    if (c >= 'A' && c <= 'F') out.reliability = c;
    if (c >= '1' && c <= '6') out.credibility = static_cast<std::uint8_t>(c - '0');
  }
  return out;
}

long ColumnOf(std::string_view line, std::string_view needle) {
  std::size_t pos = line.find(needle);
  return pos == std::string_view::npos ? 1 : static_cast<long>(pos + 1);
}

}  // namespace

std::optional<std::int64_t> ParseIsoTime(std::string_view s) {
  int y, mo = 1, d = 1, h = 0, mi = 0, se = 0;
  if (!Digits(s, 0, 4, &y)) return std::nullopt;
  std::size_t pos = 4;
  if (pos < s.size()) {
    if (s[pos] != '-' || !Digits(s, pos + 1, 2, &mo)) return std::nullopt;
    pos += 3;
  }
  if (pos < s.size()) {
    if (s[pos] != '-' || !Digits(s, pos + 1, 2, &d)) return std::nullopt;
    pos += 3;
  }
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    if (!Digits(s, pos + 1, 2, &h) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, &mi)) {
      return std::nullopt;
    }
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!Digits(s, pos + 1, 2, &se)) return std::nullopt;
      pos += 3;
    }
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    }
  }
  std::int64_t offset = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh, om = 0;
      if (!Digits(s, pos + 1, 2, &oh)) return std::nullopt;
      std::size_t p2 = pos + 3;
      if (p2 < s.size() && s[p2] == ':') ++p2;
      Digits(s, p2, 2, &om);
      offset = (s[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
      pos = s.size();
    }
  }
  if (pos != s.size()) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  return DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
}

std::string FormatIsoTime(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

struct FtmJsonReader::Impl {
  simdjson::dom::parser parser;
};

FtmJsonReader::FtmJsonReader(std::string name, const model::Schema& schema,
                             const FtmReadOptions& options)
    : name_(std::move(name)), schema_(schema), options_(options), impl_(std::make_unique<Impl>()) {
  if (options_.buffer_size < 4096) options_.buffer_size = 4096;
}

FtmJsonReader::~FtmJsonReader() {
  if (file_ != nullptr) std::fclose(file_);
}

Result<std::unique_ptr<FtmJsonReader>> FtmJsonReader::Open(const std::string& path,
                                                           const model::Schema& schema,
                                                           const FtmReadOptions& options) {
  std::unique_ptr<FtmJsonReader> r(new FtmJsonReader(path, schema, options));
  r->file_ = std::fopen(path.c_str(), "rb");
  if (r->file_ == nullptr) {
    int err = errno;
    return Status(err == ENOENT ? StatusCode::kNotFound : StatusCode::kIoError,
                  "cannot open " + path + ": " + std::strerror(err), SourceLocation{path});
  }
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  r->total_ = ec ? 0 : size;
  r->buf_.resize(r->options_.buffer_size + simdjson::SIMDJSON_PADDING);
  return r;
}

Result<std::unique_ptr<FtmJsonReader>> FtmJsonReader::FromString(std::string data,
                                                                 const std::string& name,
                                                                 const model::Schema& schema,
                                                                 const FtmReadOptions& options) {
  std::unique_ptr<FtmJsonReader> r(new FtmJsonReader(name, schema, options));
  r->total_ = data.size();
  r->buf_.assign(data.begin(), data.end());
  r->end_ = data.size();
  r->buf_.resize(data.size() + simdjson::SIMDJSON_PADDING);
  r->eof_ = true;
  return r;
}

bool FtmJsonReader::Refill() {
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    buf_offset_ += begin_;
    begin_ = 0;
  }
  if (eof_) return true;
  std::size_t usable = buf_.size() - simdjson::SIMDJSON_PADDING;
  if (end_ == usable) {
    if (usable >= options_.max_line_bytes) {
      status_ =
          Status(StatusCode::kParseError, "line too long", SourceLocation{name_, line_ + 1, 1});
      return false;
    }
    buf_.resize(std::min(usable * 2, options_.max_line_bytes) + simdjson::SIMDJSON_PADDING);
    usable = buf_.size() - simdjson::SIMDJSON_PADDING;
  }
  std::size_t n = std::fread(buf_.data() + end_, 1, usable - end_, file_);
  if (n == 0) {
    if (std::ferror(file_)) {
      status_ = Status(StatusCode::kIoError, "read error on " + name_, SourceLocation{name_});
      return false;
    }
    eof_ = true;
  }
  end_ += n;
  return true;
}

bool FtmJsonReader::Next(FtmRecord* record) {
  for (;;) {
    if (!status_.ok()) return false;
    const char* b = buf_.data();
    const void* nl = begin_ < end_ ? std::memchr(b + begin_, '\n', end_ - begin_) : nullptr;
    if (nl == nullptr && !eof_) {
      if (!Refill()) return false;
      continue;
    }
    if (begin_ >= end_ && eof_) {
      consumed_ = buf_offset_ + end_;
      return false;
    }
    std::size_t stop = nl ? static_cast<const char*>(nl) - b : end_;
    std::string_view line(b + begin_, stop - begin_);
    begin_ = nl ? stop + 1 : end_;
    consumed_ = buf_offset_ + begin_;
    ++line_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_ == 1 && line.size() >= 3 && std::memcmp(line.data(), "\xEF\xBB\xBF", 3) == 0) {
      line.remove_prefix(3);
    }
    if (TrimView(line).empty()) continue;
    ParseLine(line, record);
    return true;
  }
}

void FtmJsonReader::ParseLine(std::string_view line, FtmRecord* rec) {
  rec->line = line_;
  rec->raw = line;
  rec->entity = model::Entity();
  rec->datasets.clear();
  rec->first_seen = rec->last_seen = 0;
  rec->unknown_properties.clear();
  rec->error = Status::Ok();
  auto fail = [&](StatusCode code, const std::string& msg, long column) {
    rec->error = Status(code, msg, SourceLocation{name_, line_, column});
  };

  std::size_t bad = 0;
  if (!ValidateUtf8(line, &bad)) {
    fail(StatusCode::kParseError, "invalid UTF-8", static_cast<long>(bad + 1));
    return;
  }

  std::vector<std::pair<std::string, std::vector<std::string>>> props;
  std::string first_seen, last_seen;
  bool has_id = false, has_schema = false;
  struct ExtValue {
    std::vector<std::string> f;
  };
  std::vector<ExtValue> ext_values;
  bool has_ext_values = false;
  try {
    using namespace simdjson;
    // DOM parsing dispatches at run time to the best kernel for this CPU (On-Demand would
    // be compiled for the build's baseline ISA). The line is followed by readable buffer
    // bytes (SIMDJSON_PADDING are reserved), so it is parsed in place.
    dom::element doc = impl_->parser.parse(line.data(), line.size(), false);
    if (!doc.is_object()) {
      fail(StatusCode::kParseError, "expected a JSON object per line", 1);
      return;
    }
    auto read_string_array = [](dom::element v, std::vector<std::string>* out) {
      auto one = [&](dom::element e) {
        switch (e.type()) {
          case dom::element_type::STRING:
            out->emplace_back(std::string_view(e.get_string()));
            break;
          case dom::element_type::INT64:
          case dom::element_type::UINT64:
          case dom::element_type::DOUBLE:
          case dom::element_type::BOOL:
            out->emplace_back(simdjson::minify(e));
            break;
          default:
            break;  // null, nested: nothing FtM would write
        }
      };
      if (v.is_array()) {
        for (dom::element item : dom::array(v)) one(item);
      } else {
        one(v);
      }
    };
    for (auto [key, v] : dom::object(doc)) {
      if (key == "id") {
        if (v.is_string()) {
          rec->entity.id = std::string(std::string_view(v.get_string()));
          has_id = true;
        }
      } else if (key == "schema") {
        if (v.is_string()) {
          rec->entity.schema = std::string(std::string_view(v.get_string()));
          has_schema = true;
        }
      } else if (key == "properties") {
        if (!v.is_object()) {
          fail(StatusCode::kParseError, "\"properties\" must be an object",
               ColumnOf(line, "\"properties\""));
          return;
        }
        for (auto [pname, pv] : dom::object(v)) {
          std::vector<std::string> values;
          read_string_array(pv, &values);
          props.emplace_back(std::string(pname), std::move(values));
        }
      } else if (key == "datasets") {
        read_string_array(v, &rec->datasets);
      } else if (key == "first_seen") {
        if (v.is_string()) first_seen = std::string_view(v.get_string());
      } else if (key == "last_seen") {
        if (v.is_string()) last_seen = std::string_view(v.get_string());
      } else if (key == "casegraph" && v.is_object()) {
        for (auto [ek, ev_el] : dom::object(v)) {
          if (ek == "label" && ev_el.is_string()) {
            rec->entity.label = std::string(std::string_view(ev_el.get_string()));
          } else if (ek == "values" && ev_el.is_array()) {
            has_ext_values = true;
            for (dom::element item : dom::array(ev_el)) {
              ExtValue ev;
              read_string_array(item, &ev.f);
              ext_values.push_back(std::move(ev));
            }
          }
        }
      }
      // caption, referents, target, last_change...: ignored.
    }
  } catch (const simdjson::simdjson_error& e) {
    long column = 1;
    std::string reason = e.what();
    try {
      nlohmann::json parsed = nlohmann::json::parse(line);
      (void)parsed;
    } catch (const nlohmann::json::parse_error& pe) {
      // nlohmann reports the byte after the offending token; point at the token's start.
      std::size_t pos = pe.byte == 0 ? 0 : std::min<std::size_t>(pe.byte - 1, line.size() - 1);
      if (!line.empty() && line[pos] == '"' && pos > 0) {
        std::size_t q = pos;
        while (q > 0) {
          --q;
          if (line[q] == '"' && (q == 0 || line[q - 1] != '\\')) break;
        }
        pos = q;
      } else {
        while (pos > 0 && (std::isalnum(static_cast<unsigned char>(line[pos - 1])) ||
                           line[pos - 1] == '.' || line[pos - 1] == '-')) {
          --pos;
        }
      }
      column = static_cast<long>(pos + 1);
      reason = pe.what();
      auto at = reason.find("parse error at ");
      if (at != std::string::npos) {
        auto colon = reason.find(": ", at);
        if (colon != std::string::npos) reason = reason.substr(colon + 2);
      }
    } catch (...) {
    }
    fail(StatusCode::kParseError, "invalid JSON: " + reason, column);
    return;
  }
  if (!has_schema) {
    fail(StatusCode::kParseError, "entity has no \"schema\"", 1);
    return;
  }
  if (!has_id || rec->entity.id.empty()) {
    fail(StatusCode::kParseError, "entity has no \"id\"", 1);
    return;
  }
  const model::SchemaDef* def = schema_.Find(rec->entity.schema);
  if (def == nullptr) {
    fail(StatusCode::kSchemaError, "unknown schema '" + rec->entity.schema + "'",
         ColumnOf(line, "\"" + rec->entity.schema + "\""));
    return;
  }
  if (!first_seen.empty()) {
    auto t = ParseIsoTime(first_seen);
    if (!t) {
      fail(StatusCode::kParseError, "unparseable first_seen '" + first_seen + "'",
           ColumnOf(line, first_seen));
      return;
    }
    rec->first_seen = *t;
  }
  if (!last_seen.empty()) {
    auto t = ParseIsoTime(last_seen);
    if (!t) {
      fail(StatusCode::kParseError, "unparseable last_seen '" + last_seen + "'",
           ColumnOf(line, last_seen));
      return;
    }
    rec->last_seen = *t;
  }
  std::sort(rec->datasets.begin(), rec->datasets.end());
  rec->datasets.erase(std::unique(rec->datasets.begin(), rec->datasets.end()), rec->datasets.end());
  std::string dataset;
  for (const auto& d : rec->datasets) {
    if (!dataset.empty()) dataset += ',';
    dataset += d;
  }

  std::set<std::string> unknown;
  auto add_value = [&](const std::string& prop, const std::string& raw, model::Value* out) {
    const model::PropertyDef* pd = schema_.FindProperty(rec->entity.schema, prop);
    out->prop = prop;
    if (pd == nullptr) {
      unknown.insert(prop);
      out->value = raw;  // kept as text
      return true;
    }
    if (!options_.clean_values) {
      out->value = raw;
      return true;
    }
    auto cleaned = model::CleanValue(pd->type, raw);
    if (!cleaned.ok()) {
      fail(StatusCode::kParseError, "property '" + prop + "': " + cleaned.status().message(),
           ColumnOf(line, raw));
      return false;
    }
    out->value = std::move(*cleaned);
    return true;
  };

  if (has_ext_values) {
    // Lossless restore of a casegraph export: [prop, value, dataset, source_file,
    // record_key, first_seen, last_seen, grading, label].
    for (auto& ev : ext_values) {
      ev.f.resize(9);
      model::Value value;
      if (!add_value(ev.f[0], ev.f[1], &value)) return;
      if (value.value.empty()) continue;
      value.prov.dataset = ev.f[2];
      value.prov.source_file = ev.f[3];
      value.prov.record_key = ev.f[4];
      if (!ev.f[5].empty()) value.prov.first_seen = ParseIsoTime(ev.f[5]).value_or(0);
      if (!ev.f[6].empty()) value.prov.last_seen = ParseIsoTime(ev.f[6]).value_or(0);
      value.grading = ParseGradingText(ev.f[7]);
      value.label = ev.f[8];
      rec->entity.values.push_back(std::move(value));
    }
  } else {
    for (auto& [prop, values] : props) {
      for (const auto& raw : values) {
        model::Value value;
        if (!add_value(prop, raw, &value)) return;
        if (value.value.empty()) continue;
        value.prov.dataset = dataset;
        value.prov.first_seen = rec->first_seen;
        value.prov.last_seen = rec->last_seen;
        rec->entity.values.push_back(std::move(value));
      }
    }
  }
  rec->unknown_properties.assign(unknown.begin(), unknown.end());
}

std::string WriteFtmJson(const model::Entity& entity, const FtmWriteOptions& options) {
  std::string out;
  out.reserve(256);
  out += "{\"id\": ";
  AppendJsonString(&out, entity.id);
  out += ", \"schema\": ";
  AppendJsonString(&out, entity.schema);
  out += ", \"properties\": {";
  std::map<std::string, std::vector<const std::string*>> props;
  std::set<std::string> datasets;
  std::int64_t first = 0, last = 0;
  for (const auto& v : entity.values) {
    auto& list = props[v.prop];
    if (std::none_of(list.begin(), list.end(),
                     [&](const std::string* s) { return *s == v.value; })) {
      list.push_back(&v.value);
    }
    std::size_t start = 0;
    while (start <= v.prov.dataset.size() && !v.prov.dataset.empty()) {
      std::size_t comma = v.prov.dataset.find(',', start);
      std::string d = v.prov.dataset.substr(
          start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!d.empty()) datasets.insert(d);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (v.prov.first_seen != 0 && (first == 0 || v.prov.first_seen < first))
      first = v.prov.first_seen;
    if (v.prov.last_seen > last) last = v.prov.last_seen;
  }
  bool first_prop = true;
  for (const auto& [prop, values] : props) {
    if (!first_prop) out += ", ";
    first_prop = false;
    AppendJsonString(&out, prop);
    out += ": [";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out += ", ";
      AppendJsonString(&out, *values[i]);
    }
    out += "]";
  }
  out += "}";
  if (!datasets.empty()) {
    out += ", \"datasets\": [";
    bool f = true;
    for (const auto& d : datasets) {
      if (!f) out += ", ";
      f = false;
      AppendJsonString(&out, d);
    }
    out += "]";
  }
  if (first != 0) {
    out += ", \"first_seen\": ";
    AppendJsonString(&out, FormatIsoTime(first));
  }
  if (last != 0) {
    out += ", \"last_seen\": ";
    AppendJsonString(&out, FormatIsoTime(last));
  }
  if (options.extended) {
    out += ", \"casegraph\": {";
    if (!entity.label.empty()) {
      out += "\"label\": ";
      AppendJsonString(&out, entity.label);
      out += ", ";
    }
    out += "\"values\": [";
    for (std::size_t i = 0; i < entity.values.size(); ++i) {
      const auto& v = entity.values[i];
      if (i) out += ", ";
      out += "[";
      const std::string fields[] = {
          v.prop,
          v.value,
          v.prov.dataset,
          v.prov.source_file,
          v.prov.record_key,
          v.prov.first_seen ? FormatIsoTime(v.prov.first_seen) : std::string(),
          v.prov.last_seen ? FormatIsoTime(v.prov.last_seen) : std::string(),
          v.grading.ToString(),
          v.label};
      for (std::size_t k = 0; k < 9; ++k) {
        if (k) out += ", ";
        AppendJsonString(&out, fields[k]);
      }
      out += "]";
    }
    out += "]}";
  }
  out += "}";
  return out;
}

}  // namespace casegraph::ingest
