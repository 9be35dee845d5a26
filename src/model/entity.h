// The in-memory form of an FtM entity as it flows from import to the store: an id, a
// schema name, and property values, each value carrying its provenance, an optional
// grading and an optional security label. Plain structs; not thread-safe to mutate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace casegraph::model {

// Intelligence grading of one value: source reliability 'A'..'F' and information
// credibility 1..6 (the Admiralty / NATO system). 0 means "not graded".
struct Grading {
  char reliability = 0;
  std::uint8_t credibility = 0;
  bool graded() const { return reliability != 0 || credibility != 0; }
  std::string ToString() const;  // "B2", "B", "2" or ""
  bool operator==(const Grading&) const = default;
};

// Where a value came from.
struct Provenance {
  std::string dataset;          // dataset name given at import (--dataset), e.g. "company_register"
  std::string source_file;      // file the record came from (path as given)
  std::string record_key;       // the record inside the file: "line 12" or a source key
  std::int64_t run_id = 0;      // import run that (last) wrote it
  std::int64_t first_seen = 0;  // unix seconds; 0 = unknown
  std::int64_t last_seen = 0;   // unix seconds; 0 = unknown
  bool operator==(const Provenance&) const = default;
};

struct Value {
  std::string prop;   // FtM property name, e.g. "name", "birthDate", "owner"
  std::string value;  // cleaned value (dates ISO, countries ISO lower-case codes, ...)
  Provenance prov;
  Grading grading;
  std::string label;  // security label; "" = unrestricted
  bool operator==(const Value&) const = default;
};

struct Entity {
  std::string id;      // FtM id, kept as given
  std::string schema;  // FtM schema name, e.g. "Person", "Ownership"
  std::string label;   // security label of the whole entity; "" = unrestricted
  std::vector<Value> values;

  // First value of prop, or "" if absent.
  const std::string& First(const std::string& prop) const;
  // All values of prop.
  std::vector<std::string> All(const std::string& prop) const;
  void Add(std::string prop, std::string value) {
    values.push_back(Value{std::move(prop), std::move(value), {}, {}, {}});
  }
};

}  // namespace casegraph::model
