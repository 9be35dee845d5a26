// The compact binary encoding of an entity's property values as stored in the
// entities.vals BLOB: each value with its property, text, source id (interned
// dataset/source file/run), record key, first/last seen, grading and label.
//
// Format (all integers LEB128 varints, signed ones zig-zag encoded; str = varint
// length + bytes). Written: format 2; read: 1 and 2.
//   u8 format (=2), varint count, then per value:
//   u8 flags, [str prop], value, [varint sid], [str record_key],
//   [svarint first_seen, svarint (last_seen - first_seen)], [u8 reliability, u8 credibility],
//   [str label]
// where a bracketed field is present unless a flag says it equals the previous value's
// (prop, sid, record key, first/last seen) or is empty (grading, label), and `value` is a
// str, or 20 raw bytes when the value is 40 lower-case hex digits (an FtM id: entity
// references, ~half of a payment's bytes). Values of one record share their provenance,
// so most values cost a flag byte, a property name and the text itself.
// Format 1 (older cases): per value str prop, str value, varint sid, str record_key,
//   svarint first_seen, svarint (last_seen - first_seen), u8 reliability,
//   u8 credibility, str label.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/entity.h"

namespace casegraph::store {

// A value as stored: provenance reduced to a source id (see the sources table).
struct StoredValue {
  std::string prop;
  std::string value;
  std::int64_t sid = 0;
  std::string record_key;
  std::int64_t first_seen = 0;
  std::int64_t last_seen = 0;
  model::Grading grading;
  std::string label;
  bool operator==(const StoredValue&) const = default;
};

// Appends the encoding of `values` to `out` (cleared first).
void EncodeValues(const std::vector<StoredValue>& values, std::string* out);
// Decodes; throws Error(kCorruption) on malformed input.
std::vector<StoredValue> DecodeValues(std::string_view blob);

}  // namespace casegraph::store
