// Encoder and decoder of the entities.vals BLOB (format described in value_codec.h).
#include "store/value_codec.h"

#include "casegraph/status.h"

namespace casegraph::store {
namespace {

constexpr std::uint8_t kFormat = 1;

void PutVarint(std::uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutSigned(std::int64_t v, std::string* out) {
  PutVarint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63), out);
}

void PutStr(std::string_view s, std::string* out) {
  PutVarint(s.size(), out);
  out->append(s);
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  std::uint64_t Varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) Fail();
      auto b = static_cast<std::uint8_t>(data_[pos_++]);
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    Fail();
  }
  std::int64_t Signed() {
    std::uint64_t u = Varint();
    return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  std::uint8_t Byte() {
    if (pos_ >= data_.size()) Fail();
    return static_cast<std::uint8_t>(data_[pos_++]);
  }
  std::string Str() {
    std::uint64_t n = Varint();
    if (n > data_.size() - pos_) Fail();
    std::string s(data_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  bool AtEnd() const { return pos_ == data_.size(); }
  [[noreturn]] void Fail() const {
    throw Error(StatusCode::kCorruption, "malformed entity value record in the case file");
  }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

}  // namespace

void EncodeValues(const std::vector<StoredValue>& values, std::string* out) {
  out->clear();
  out->push_back(static_cast<char>(kFormat));
  PutVarint(values.size(), out);
  for (const auto& v : values) {
    PutStr(v.prop, out);
    PutStr(v.value, out);
    PutVarint(static_cast<std::uint64_t>(v.sid), out);
    PutStr(v.record_key, out);
    PutSigned(v.first_seen, out);
    PutSigned(v.last_seen - v.first_seen, out);
    out->push_back(v.grading.reliability);
    out->push_back(static_cast<char>(v.grading.credibility));
    PutStr(v.label, out);
  }
}

std::vector<StoredValue> DecodeValues(std::string_view blob) {
  std::vector<StoredValue> values;
  if (blob.empty()) return values;
  Reader r(blob);
  if (r.Byte() != kFormat) r.Fail();
  std::uint64_t n = r.Varint();
  if (n > blob.size()) r.Fail();
  values.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    StoredValue v;
    v.prop = r.Str();
    v.value = r.Str();
    v.sid = static_cast<std::int64_t>(r.Varint());
    v.record_key = r.Str();
    v.first_seen = r.Signed();
    v.last_seen = v.first_seen + r.Signed();
    v.grading.reliability = static_cast<char>(r.Byte());
    v.grading.credibility = r.Byte();
    v.label = r.Str();
    values.push_back(std::move(v));
  }
  if (!r.AtEnd()) r.Fail();
  return values;
}

}  // namespace casegraph::store
