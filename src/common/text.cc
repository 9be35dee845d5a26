// Unicode text helpers (see text.h): UTF-8 validation, search folding via ICU
// transliteration with a pure-ASCII fast path, tokenising, trimming.
#include "common/text.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <unordered_map>

namespace casegraph {
namespace {

inline bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Length in bytes of a Unicode space sequence starting at s[i] (0 if none). Covers ASCII
// whitespace, U+00A0, U+1680, U+2000..U+200B, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
std::size_t SpaceLength(std::string_view s, std::size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return IsAsciiSpace(c) ? 1 : 0;
  std::size_t n = s.size() - i;
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  if (c == 0xC2 && n >= 2 && b(1) == 0xA0) return 2;
  if (c == 0xE1 && n >= 3 && b(1) == 0x9A && b(2) == 0x80) return 3;
  if (c == 0xE2 && n >= 3 && b(1) == 0x80 &&
      (b(2) <= 0x8B || b(2) == 0xA8 || b(2) == 0xA9 || b(2) == 0xAF)) {
    return 3;
  }
  if (c == 0xE2 && n >= 3 && b(1) == 0x81 && b(2) == 0x9F) return 3;
  if (c == 0xE3 && n >= 3 && b(1) == 0x80 && b(2) == 0x80) return 3;
  if (c == 0xEF && n >= 3 && b(1) == 0xBB && b(2) == 0xBF) return 3;
  return 0;
}

// Appends the ASCII fold of pure-ASCII text: lower-case alnum, everything else a single
// separating space. `out` never starts with or gets two consecutive spaces.
void FoldAsciiInto(std::string_view s, std::string& out) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c + 32));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(ch);
    } else if (!out.empty() && out.back() != ' ') {
      out.push_back(' ');
    }
  }
}

// One transliterator per thread and id (creation is slow; use is not thread-safe).
icu::Transliterator* ThreadTransliterator(bool latin_ascii) {
  thread_local std::unique_ptr<icu::Transliterator> cache[2];
  thread_local bool failed[2] = {false, false};
  const int k = latin_ascii ? 1 : 0;
  if (!cache[k] && !failed[k]) {
    UErrorCode status = U_ZERO_ERROR;
    cache[k].reset(icu::Transliterator::createInstance(latin_ascii ? "Latin-ASCII" : "Any-Latin",
                                                       UTRANS_FORWARD, status));
    if (U_FAILURE(status)) {
      cache[k].reset();
      failed[k] = true;
    }
  }
  return cache[k].get();
}

// Latin letters (Latin-1 Supplement, Extended-A/-B, IPA up to U+024F, and Latin Extended
// Additional U+1E00..U+1EFF for Vietnamese and pinyin tone marks) fold one code point at a
// time through tables computed once with ICU's Latin-ASCII. That avoids the transliterator
// for accented Latin names, and replaces its slow Latin-ASCII step after Any-Latin.
constexpr char32_t kLatinTableEnd = 0x250;
constexpr char32_t kLatinExtBegin = 0x1E00;
constexpr char32_t kLatinExtEnd = 0x1F00;

struct LatinTables {
  std::array<std::string, kLatinTableEnd> low;
  std::array<std::string, kLatinExtEnd - kLatinExtBegin> ext;
};

const LatinTables& Latin() {
  static const LatinTables tables = [] {
    LatinTables t;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> translit(
        icu::Transliterator::createInstance("Latin-ASCII", UTRANS_FORWARD, status));
    auto fold = [&](char32_t cp) {
      icu::UnicodeString u(static_cast<UChar32>(cp));
      if (translit != nullptr && U_SUCCESS(status)) translit->transliterate(u);
      u.toLower();
      std::string out;
      u.toUTF8String(out);
      return out;  // may still hold non-ASCII; FoldAsciiInto turns that into a separator
    };
    for (char32_t cp = 0x80; cp < kLatinTableEnd; ++cp) t.low[cp] = fold(cp);
    for (char32_t cp = kLatinExtBegin; cp < kLatinExtEnd; ++cp) {
      t.ext[cp - kLatinExtBegin] = fold(cp);
    }
    return t;
  }();
  return tables;
}

// The ASCII folding of one Latin code point, or nullptr if it is not in the tables.
const std::string* LatinFold(char32_t cp) {
  if (cp < kLatinTableEnd) return &Latin().low[cp];
  if (cp >= kLatinExtBegin && cp < kLatinExtEnd) return &Latin().ext[cp - kLatinExtBegin];
  return nullptr;
}

// Decodes one UTF-8 sequence at s[i] (assumed valid-ish); returns the code point and
// advances i, or returns 0xFFFFFFFF and advances by one byte on malformed input.
char32_t DecodeUtf8(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (len == 1 || i + len > s.size()) {
    ++i;
    return c < 0x80 ? c : 0xFFFFFFFF;
  }
  char32_t cp = c & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFFFFFF;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += len;
  return cp;
}

// Folds text whose code points are all in the Latin tables; false if another appears
// (`out` then holds a partial result the caller discards).
bool FoldLatinInto(std::string_view s, std::string& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      FoldAsciiInto(s.substr(i, 1), out);
      ++i;
      continue;
    }
    char32_t cp = DecodeUtf8(s, i);
    if (cp == 0xFFFFFFFF) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      continue;
    }
    const std::string* folded = LatinFold(cp);
    if (folded == nullptr) return false;
    FoldAsciiInto(*folded, out);
  }
  return true;
}

// Per-thread memo of ICU folds: names repeat a lot across records, and the ICU path costs
// about 10 us per call. Bounded; cleared when full.
std::string FoldWithIcu(std::string_view s) {
  thread_local std::unordered_map<std::string, std::string> memo;
  constexpr std::size_t kMemoLimit = 1 << 16;
  std::string key(s);
  if (auto it = memo.find(key); it != memo.end()) return it->second;
  // Any-Latin, then our Latin tables; ICU's Latin-ASCII only for what the tables lack.
  // fromUTF8 replaces invalid sequences with U+FFFD, which folds to a separator.
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  if (icu::Transliterator* any_latin = ThreadTransliterator(false)) any_latin->transliterate(u);
  std::string latin;
  u.toUTF8String(latin);
  std::string out;
  if (!FoldLatinInto(latin, out)) {
    out.clear();
    if (icu::Transliterator* to_ascii = ThreadTransliterator(true)) to_ascii->transliterate(u);
    latin.clear();
    u.toUTF8String(latin);
    // Whatever is still non-ASCII (rare symbols) becomes a separator.
    FoldAsciiInto(latin, out);
  }
  if (memo.size() >= kMemoLimit) memo.clear();
  memo.emplace(std::move(key), out);
  return out;
}

}  // namespace

bool ValidateUtf8(std::string_view s, std::size_t* bad_offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  auto fail = [&](std::size_t at) {
    if (bad_offset != nullptr) *bad_offset = at;
    return false;
  };
  while (i < n) {
    // Fast skip over ASCII, 8 bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // > U+10FFFF
    } else {
      return fail(i);
    }
    if (i + len > n) return fail(i);
    if (p[i + 1] < lo || p[i + 1] > hi) return fail(i);
    for (std::size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return fail(i);
    }
    i += len;
  }
  return true;
}

std::string FoldForSearch(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool ascii = true;
  for (char ch : s) {
    if (static_cast<unsigned char>(ch) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    FoldAsciiInto(s, out);
  } else if (!FoldLatinInto(s, out)) {
    out = FoldWithIcu(s);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> Tokenize(std::string_view folded) {
  std::vector<std::string> tokens;
  std::size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && IsAsciiSpace(static_cast<unsigned char>(folded[i]))) ++i;
    std::size_t start = i;
    while (i < folded.size() && !IsAsciiSpace(static_cast<unsigned char>(folded[i]))) ++i;
    if (i > start) tokens.emplace_back(folded.substr(start, i - start));
  }
  return tokens;
}

std::string CollapseWhitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t sp = SpaceLength(s, i);
    if (sp > 0) {
      pending_space = !out.empty();
      i += sp;
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

std::string_view TrimView(std::string_view s) {
  std::size_t begin = 0;
  while (begin < s.size()) {
    std::size_t sp = SpaceLength(s, begin);
    if (sp == 0) break;
    begin += sp;
  }
  std::size_t end = s.size();
  while (end > begin) {
    auto c = static_cast<unsigned char>(s[end - 1]);
    if (IsAsciiSpace(c)) {
      --end;
    } else if (end - begin >= 2 && SpaceLength(s, end - 2) == 2) {
      end -= 2;
    } else if (end - begin >= 3 && SpaceLength(s, end - 3) == 3) {
      end -= 3;
    } else {
      break;
    }
  }
  return s.substr(begin, end - begin);
}

std::string Trim(std::string_view s) {
  return std::string(TrimView(s));
}

}  // namespace casegraph
