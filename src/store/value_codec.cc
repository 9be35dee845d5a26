// Encoder and decoder of the entities.vals BLOB (format described in value_codec.h).
#include "store/value_codec.h"

#include "casegraph/status.h"

namespace casegraph::store {
namespace {

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

namespace {

constexpr std::uint8_t kFormat1 = 1;
constexpr std::uint8_t kFormat2 = 2;
// Format 2 flags.
constexpr std::uint8_t kSameProp = 1;
constexpr std::uint8_t kSameSid = 2;
constexpr std::uint8_t kSameRecord = 4;
constexpr std::uint8_t kSameSeen = 8;
constexpr std::uint8_t kHasGrading = 16;
constexpr std::uint8_t kHasLabel = 32;
constexpr std::uint8_t kHexId = 64;

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool IsHexId(std::string_view v) {
  if (v.size() != 40) return false;
  for (char c : v) {
    if (HexDigit(c) < 0) return false;
  }
  return true;
}

}  // namespace

void EncodeValues(const std::vector<StoredValue>& values, std::string* out) {
  out->clear();
  std::size_t estimate = 8;
  for (const auto& v : values) estimate += v.value.size() + v.prop.size() + 8;
  out->reserve(estimate);
  out->push_back(static_cast<char>(kFormat2));
  PutVarint(values.size(), out);
  const StoredValue* prev = nullptr;
  for (const auto& v : values) {
    std::uint8_t flags = 0;
    if (prev != nullptr) {
      if (v.prop == prev->prop) flags |= kSameProp;
      if (v.sid == prev->sid) flags |= kSameSid;
      if (v.record_key == prev->record_key) flags |= kSameRecord;
      if (v.first_seen == prev->first_seen && v.last_seen == prev->last_seen) flags |= kSameSeen;
    }
    if (v.grading.graded()) flags |= kHasGrading;
    if (!v.label.empty()) flags |= kHasLabel;
    if (IsHexId(v.value)) flags |= kHexId;
    out->push_back(static_cast<char>(flags));
    if (!(flags & kSameProp)) PutStr(v.prop, out);
    if (flags & kHexId) {
      for (std::size_t i = 0; i < 40; i += 2) {
        out->push_back(static_cast<char>(HexDigit(v.value[i]) << 4 | HexDigit(v.value[i + 1])));
      }
    } else {
      PutStr(v.value, out);
    }
    if (!(flags & kSameSid)) PutVarint(static_cast<std::uint64_t>(v.sid), out);
    if (!(flags & kSameRecord)) PutStr(v.record_key, out);
    if (!(flags & kSameSeen)) {
      PutSigned(v.first_seen, out);
      PutSigned(v.last_seen - v.first_seen, out);
    }
    if (flags & kHasGrading) {
      out->push_back(v.grading.reliability);
      out->push_back(static_cast<char>(v.grading.credibility));
    }
    if (flags & kHasLabel) PutStr(v.label, out);
    prev = &v;
  }
}

std::vector<StoredValue> DecodeValues(std::string_view blob) {
  std::vector<StoredValue> values;
  if (blob.empty()) return values;
  Reader r(blob);
  const std::uint8_t format = r.Byte();
  if (format != kFormat1 && format != kFormat2) r.Fail();
  std::uint64_t n = r.Varint();
  if (n > blob.size()) r.Fail();
  values.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    StoredValue v;
    if (format == kFormat1) {
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
      continue;
    }
    const std::uint8_t flags = r.Byte();
    const StoredValue* prev = values.empty() ? nullptr : &values.back();
    constexpr std::uint8_t kSame = kSameProp | kSameSid | kSameRecord | kSameSeen;
    if (prev == nullptr && (flags & kSame) != 0) r.Fail();
    v.prop = (flags & kSameProp) ? prev->prop : r.Str();
    if (flags & kHexId) {
      static constexpr char kHex[] = "0123456789abcdef";
      v.value.resize(40);
      for (std::size_t k = 0; k < 20; ++k) {
        const std::uint8_t b = r.Byte();
        v.value[2 * k] = kHex[b >> 4];
        v.value[2 * k + 1] = kHex[b & 15];
      }
    } else {
      v.value = r.Str();
    }
    v.sid = (flags & kSameSid) ? prev->sid : static_cast<std::int64_t>(r.Varint());
    v.record_key = (flags & kSameRecord) ? prev->record_key : r.Str();
    if (flags & kSameSeen) {
      v.first_seen = prev->first_seen;
      v.last_seen = prev->last_seen;
    } else {
      v.first_seen = r.Signed();
      v.last_seen = v.first_seen + r.Signed();
    }
    if (flags & kHasGrading) {
      v.grading.reliability = static_cast<char>(r.Byte());
      v.grading.credibility = r.Byte();
    }
    if (flags & kHasLabel) v.label = r.Str();
    values.push_back(std::move(v));
  }
  if (!r.AtEnd()) r.Fail();
  return values;
}

}  // namespace casegraph::store
