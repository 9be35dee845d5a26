// Property value cleaning by FtM type (see types.h). Hand-written scanners, no regular
// expressions: this runs for every value of multi-million-row imports. Country names come
// from ICU's locale display names (en, de, fr, es, ru and more) plus the alias table in
// country_aliases.inc; phone calling codes from calling_codes.inc.
#include "model/types.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "common/text.h"

namespace casegraph::model {
namespace {

// ---------------------------------------------------------------- small helpers

inline bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
inline bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
inline char Upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}

Status ParseFail(std::string message) {
  return Status(StatusCode::kParseError, std::move(message));
}

std::string Quote(std::string_view s) {
  std::string out = "'";
  out.append(s.substr(0, 80));
  if (s.size() > 80) out += "...";
  out += "'";
  return out;
}

// Reads exactly n digits at s[pos]; returns -1 if they are not all digits.
int ReadDigits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!IsDigit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// ---------------------------------------------------------------- dates

bool IsLeap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void CivilFromDays(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

// A parsed date of some precision. precision: 1 year, 2 month, 3 day, 4 date-time.
struct DateParts {
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int precision = 0;
  int offset_minutes = 0;  // time-zone offset east of UTC, applied when normalising
};

// Validates ranges; on failure returns the reason.
std::optional<std::string> CheckDate(const DateParts& d) {
  if (d.year < 1 || d.year > 9999) return "year out of range";
  if (d.precision >= 2 && (d.month < 1 || d.month > 12)) {
    return "month " + std::to_string(d.month) + " does not exist";
  }
  if (d.precision >= 3 && (d.day < 1 || d.day > DaysInMonth(d.year, d.month))) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "day %d does not exist in %04d-%02d (it has %d days)", d.day,
                  d.year, d.month, DaysInMonth(d.year, d.month));
    return std::string(buf);
  }
  if (d.precision >= 4 && (d.hour > 23 || d.minute > 59 || d.second > 60)) {
    return "time of day out of range";
  }
  return std::nullopt;
}

std::string FormatDate(DateParts d) {
  char buf[32];
  if (d.precision == 1) {
    std::snprintf(buf, sizeof buf, "%04d", d.year);
  } else if (d.precision == 2) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
  } else if (d.precision == 3) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  } else {
    if (d.second == 60) d.second = 59;  // leap second: clamp
    if (d.offset_minutes != 0) {
      std::int64_t t = DaysFromCivil(d.year, d.month, d.day) * 86400 + d.hour * 3600 +
                       d.minute * 60 + d.second - static_cast<std::int64_t>(d.offset_minutes) * 60;
      std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
      std::int64_t secs = t - days * 86400;
      CivilFromDays(days, d.year, d.month, d.day);
      d.hour = static_cast<int>(secs / 3600);
      d.minute = static_cast<int>(secs / 60 % 60);
      d.second = static_cast<int>(secs % 60);
    }
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", d.year, d.month, d.day, d.hour,
                  d.minute, d.second);
  }
  return buf;
}

// ISO 8601 subset: YYYY, YYYY-MM, YYYY-MM-DD, YYYYMMDD, and date-times
// YYYY-MM-DD[T ]HH[:MM[:SS[.fff]]][Z|+HH[:MM]|-HH[:MM]]. Returns false if the shape does
// not match (ranges are checked separately).
bool ParseIso(std::string_view s, DateParts& d) {
  const std::size_t n = s.size();
  if (n < 4 || (d.year = ReadDigits(s, 0, 4)) < 0) return false;
  d.precision = 1;
  if (n == 4) return true;
  if (n == 8) {  // YYYYMMDD
    d.month = ReadDigits(s, 4, 2);
    d.day = ReadDigits(s, 6, 2);
    d.precision = 3;
    return d.month >= 0 && d.day >= 0;
  }
  if (s[4] != '-' || (d.month = ReadDigits(s, 5, 2)) < 0) return false;
  d.precision = 2;
  if (n == 7) return true;
  if (s[7] != '-' || (d.day = ReadDigits(s, 8, 2)) < 0) return false;
  d.precision = 3;
  if (n == 10) return true;
  if (s[10] != 'T' && s[10] != ' ' && s[10] != 't') return false;
  if ((d.hour = ReadDigits(s, 11, 2)) < 0) return false;
  d.precision = 4;
  std::size_t pos = 13;
  if (pos < n && s[pos] == ':') {
    if ((d.minute = ReadDigits(s, pos + 1, 2)) < 0) return false;
    pos += 3;
    if (pos < n && s[pos] == ':') {
      if ((d.second = ReadDigits(s, pos + 1, 2)) < 0) return false;
      pos += 3;
      if (pos < n && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        if (pos >= n || !IsDigit(s[pos])) return false;
        while (pos < n && IsDigit(s[pos])) ++pos;  // fraction dropped
      }
    }
  }
  if (pos == n) return true;
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == n) return true;
  if (s[pos] == '+' || s[pos] == '-') {
    int sign = s[pos] == '+' ? 1 : -1;
    int oh = ReadDigits(s, pos + 1, 2);
    if (oh < 0 || oh > 18) return false;
    pos += 3;
    int om = 0;
    if (pos < n && s[pos] == ':') ++pos;
    if (pos < n) {
      om = ReadDigits(s, pos, 2);
      if (om < 0 || om > 59) return false;
      pos += 2;
    }
    d.offset_minutes = sign * (oh * 60 + om);
    return pos == n;
  }
  return false;
}

constexpr std::array<const char*, 12> kMonthNames = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

// Matches an English month name or its 3-letter abbreviation ("Sep" and "Sept" too).
int ReadMonthName(std::string_view s, std::size_t& pos) {
  std::size_t end = pos;
  while (end < s.size() && IsAlpha(s[end])) ++end;
  std::string word;
  for (std::size_t i = pos; i < end; ++i) word.push_back(Lower(s[i]));
  if (word.size() < 3) return -1;
  for (std::size_t m = 0; m < kMonthNames.size(); ++m) {
    std::string_view full = kMonthNames[m];
    if (word == full || word == full.substr(0, 3) || (m == 8 && word == "sept")) {
      pos = end;
      return static_cast<int>(m) + 1;
    }
  }
  return -1;
}

// strptime-like matching of a whole string against one format. Supported: %Y (4 digits),
// %y (2 digits, 1950..2049 window), %m, %d, %e (1 or 2 digits), %H, %M, %S, %b/%B/%h (English
// month names), %% and literal characters (a space matches one or more spaces).
bool ParseWithFormat(std::string_view s, std::string_view fmt, DateParts& d) {
  d = DateParts{};
  bool has_year = false, has_month = false, has_day = false, has_time = false;
  std::size_t pos = 0;
  auto read_num = [&](int min_digits, int max_digits, int& out) {
    int v = 0, k = 0;
    while (k < max_digits && pos < s.size() && IsDigit(s[pos])) {
      v = v * 10 + (s[pos] - '0');
      ++pos;
      ++k;
    }
    if (k < min_digits) return false;
    out = v;
    return true;
  };
  for (std::size_t i = 0; i < fmt.size(); ++i) {
    char f = fmt[i];
    if (f != '%') {
      if (f == ' ') {
        if (pos >= s.size() || s[pos] != ' ') return false;
        while (pos < s.size() && s[pos] == ' ') ++pos;
        continue;
      }
      if (pos >= s.size() || Lower(s[pos]) != Lower(f)) return false;
      ++pos;
      continue;
    }
    if (++i >= fmt.size()) return false;
    switch (fmt[i]) {
      case 'Y':
        if (!read_num(4, 4, d.year)) return false;
        has_year = true;
        break;
      case 'y': {
        int y;
        if (!read_num(2, 2, y)) return false;
        d.year = y < 50 ? 2000 + y : 1900 + y;
        has_year = true;
        break;
      }
      case 'm':
        if (!read_num(1, 2, d.month)) return false;
        has_month = true;
        break;
      case 'd':
      case 'e':
        if (!read_num(1, 2, d.day)) return false;
        has_day = true;
        break;
      case 'H':
        if (!read_num(1, 2, d.hour)) return false;
        has_time = true;
        break;
      case 'M':
        if (!read_num(1, 2, d.minute)) return false;
        has_time = true;
        break;
      case 'S':
        if (!read_num(1, 2, d.second)) return false;
        has_time = true;
        break;
      case 'b':
      case 'B':
      case 'h':
        if ((d.month = ReadMonthName(s, pos)) < 0) return false;
        has_month = true;
        break;
      case '%':
        if (pos >= s.size() || s[pos] != '%') return false;
        ++pos;
        break;
      default:
        return false;  // unsupported directive
    }
  }
  if (pos != s.size() || !has_year) return false;
  d.precision = has_time && has_day ? 4 : has_day && has_month ? 3 : has_month ? 2 : 1;
  return true;
}

Result<std::string> CleanDate(std::string_view s, const CleanOptions& options) {
  DateParts d;
  if (ParseIso(s, d)) {
    if (auto why = CheckDate(d)) return ParseFail("impossible date " + Quote(s) + ": " + *why);
    return FormatDate(d);
  }
  std::optional<std::string> first_reason;
  for (const auto& f : options.date_formats) {
    if (!ParseWithFormat(s, f, d)) continue;
    if (auto why = CheckDate(d)) {
      if (!first_reason) first_reason = *why + " (format " + f + ")";
      continue;
    }
    return FormatDate(d);
  }
  if (first_reason) return ParseFail("impossible date " + Quote(s) + ": " + *first_reason);
  std::string msg = "unparseable date " + Quote(s) + " (expected ISO 8601 like 2019-03-05";
  for (const auto& f : options.date_formats) msg += " or " + f;
  return ParseFail(msg + ")");
}

// ---------------------------------------------------------------- numbers

// Strips currency signs and ISO-4217-looking codes at either end, e.g. "EUR 1.234,50",
// "$1,234", "1 234 ₽", "1234.5 USD".
std::string_view StripCurrency(std::string_view s) {
  static constexpr std::array<std::string_view, 14> kSymbols = {"$",
                                                                "\xE2\x82\xAC" /*€*/,
                                                                "\xC2\xA3" /*£*/,
                                                                "\xC2\xA5" /*¥*/,
                                                                "\xE2\x82\xBD" /*₽*/,
                                                                "\xE2\x82\xB9" /*₹*/,
                                                                "\xE2\x82\xA3" /*₣*/,
                                                                "\xE2\x82\xB4" /*₴*/,
                                                                "\xE2\x82\xA9" /*₩*/,
                                                                "\xE2\x82\xBA" /*₺*/,
                                                                "\xE2\x82\xBF" /*₿*/,
                                                                "\xE2\x82\xAA" /*₪*/,
                                                                "\xE2\x82\xA6" /*₦*/,
                                                                "\xEF\xBF\xA5" /*￥*/};
  bool changed = true;
  while (changed && !s.empty()) {
    changed = false;
    s = TrimView(s);
    for (auto sym : kSymbols) {
      if (s.size() >= sym.size() && s.substr(0, sym.size()) == sym) {
        s.remove_prefix(sym.size());
        changed = true;
      } else if (s.size() >= sym.size() && s.substr(s.size() - sym.size()) == sym) {
        s.remove_suffix(sym.size());
        changed = true;
      }
    }
    // Three ASCII letters at the start or end (optionally "US$"-like prefixes handled by
    // the symbol pass above once the letters are gone).
    if (s.size() > 3 && IsAlpha(s[0]) && IsAlpha(s[1]) && IsAlpha(s[2]) && !IsAlpha(s[3])) {
      s.remove_prefix(3);
      changed = true;
    } else if (s.size() > 3 && IsAlpha(s[s.size() - 1]) && IsAlpha(s[s.size() - 2]) &&
               IsAlpha(s[s.size() - 3]) && !IsAlpha(s[s.size() - 4])) {
      s.remove_suffix(3);
      changed = true;
    } else if (s.size() > 2 && s[0] == 'U' && s[1] == 'S' && s[2] == '$') {
      s.remove_prefix(2);
      changed = true;
    }
  }
  return s;
}

// True for a plain decimal such as "1000.50" or "-3": kept exactly as written, so that an
// FtM export round-trips without changing how a source wrote its numbers.
bool IsPlainDecimal(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++int_digits;
  if (int_digits == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++frac_digits;
    if (frac_digits == 0) return false;
  }
  return i == s.size();
}

Result<std::string> CleanNumber(std::string_view raw) {
  if (IsPlainDecimal(raw)) return std::string(raw);
  std::string_view s = StripCurrency(raw);
  bool negative = false;
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {  // accounting negative
    negative = true;
    s = TrimView(s.substr(1, s.size() - 2));
  }
  if (!s.empty() && s.back() == '%') s = TrimView(s.substr(0, s.size() - 1));
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = negative != (s.front() == '-');
    s = TrimView(s.substr(1));
    s = StripCurrency(s);  // "-$5"
  }
  if (s.empty()) return ParseFail("unparseable number " + Quote(raw));

  // Pass 1: find separators and the exponent.
  std::size_t n_comma = 0, n_dot = 0, last_comma = 0, last_dot = 0, exp_pos = s.size();
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ',') {
      ++n_comma;
      last_comma = i;
    } else if (c == '.') {
      ++n_dot;
      last_dot = i;
    } else if ((c == 'e' || c == 'E') && exp_pos == s.size()) {
      exp_pos = i;
    }
  }
  // Decide which character (if any) is the decimal separator.
  char decimal = 0;
  std::size_t decimal_pos = s.size();
  if (n_comma > 0 && n_dot > 0) {
    decimal = last_comma > last_dot ? ',' : '.';
    decimal_pos = std::max(last_comma, last_dot);
    if ((decimal == ',' ? n_comma : n_dot) > 1) {
      return ParseFail("unparseable number " + Quote(raw) + ": two decimal separators");
    }
  } else if (n_comma == 1 && last_comma + 1 == exp_pos) {
    return ParseFail("unparseable number " + Quote(raw) + ": nothing after the comma");
  } else if (n_comma == 1) {
    // "1,234" is a thousands separator (exactly 3 digits follow); "12,5" is a decimal comma.
    std::size_t digits_after = 0;
    for (std::size_t i = last_comma + 1; i < exp_pos && IsDigit(s[i]); ++i) ++digits_after;
    if (digits_after != 3 || last_comma + 4 != exp_pos) {
      decimal = ',';
      decimal_pos = last_comma;
    }
  } else if (n_dot == 1) {
    decimal = '.';
    decimal_pos = last_dot;
  }
  // Pass 2: collect digits; grouping characters (the other separator, spaces, ', _) skipped.
  std::string digits;
  digits.reserve(s.size());
  std::size_t int_digits = 0;
  bool seen_decimal = false;
  for (std::size_t i = 0; i < exp_pos;) {
    char c = s[i];
    if (IsDigit(c)) {
      digits.push_back(c);
      if (!seen_decimal) ++int_digits;
      ++i;
    } else if (i == decimal_pos) {
      seen_decimal = true;
      ++i;
    } else if (c == ',' || c == '.' || c == '\'' || c == '_' || c == ' ') {
      if (i == 0 || i + 1 >= exp_pos) return ParseFail("unparseable number " + Quote(raw));
      ++i;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      // Unicode spaces used for grouping: U+00A0, U+202F, U+2009.
      std::string_view rest = s.substr(i);
      if (rest.substr(0, 2) == "\xC2\xA0") {
        i += 2;
      } else if (rest.substr(0, 3) == "\xE2\x80\xAF" || rest.substr(0, 3) == "\xE2\x80\x89") {
        i += 3;
      } else {
        return ParseFail("unparseable number " + Quote(raw));
      }
    } else {
      return ParseFail("unparseable number " + Quote(raw));
    }
  }
  if (digits.empty()) return ParseFail("unparseable number " + Quote(raw));
  long exponent = 0;
  if (exp_pos < s.size()) {
    std::size_t i = exp_pos + 1;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
    if (i >= s.size()) return ParseFail("unparseable number " + Quote(raw));
    for (; i < s.size(); ++i) {
      if (!IsDigit(s[i]) || exponent > 1000) return ParseFail("unparseable number " + Quote(raw));
      exponent = exponent * 10 + (s[i] - '0');
    }
    if (exp_negative) exponent = -exponent;
  }
  // Place the decimal point: value = digits * 10^(int_digits - digits.size() + exponent).
  long point = static_cast<long>(int_digits) + exponent;
  std::string int_part, frac_part;
  if (point <= 0) {
    int_part = "0";
    frac_part = std::string(static_cast<std::size_t>(-point), '0') + digits;
  } else if (static_cast<std::size_t>(point) >= digits.size()) {
    int_part = digits + std::string(static_cast<std::size_t>(point) - digits.size(), '0');
  } else {
    int_part = digits.substr(0, static_cast<std::size_t>(point));
    frac_part = digits.substr(static_cast<std::size_t>(point));
  }
  std::size_t nz = int_part.find_first_not_of('0');
  int_part = nz == std::string::npos ? "0" : int_part.substr(nz);
  while (!frac_part.empty() && frac_part.back() == '0') frac_part.pop_back();
  std::string out;
  if (negative && !(int_part == "0" && frac_part.empty())) out.push_back('-');
  out += int_part;
  if (!frac_part.empty()) {
    out.push_back('.');
    out += frac_part;
  }
  return out;
}

// ---------------------------------------------------------------- countries

struct CountryAlias {
  const char* name;
  const char* code;
};
#include "model/country_aliases.inc"

struct CallingCode {
  const char* country;
  const char* code;
};
#include "model/calling_codes.inc"

struct CountryTables {
  std::unordered_set<std::string> codes;              // valid FtM codes
  std::unordered_map<std::string, std::string> keys;  // folded name/code -> code
};

const CountryTables& Countries() {
  static const CountryTables tables = [] {
    CountryTables t;
    auto add = [&t](const std::string& key, const std::string& code) {
      std::string folded = FoldForSearch(key);
      if (!folded.empty()) t.keys.emplace(std::move(folded), code);
    };
    // Codes first so they win over any colliding name.
    const char* const* iso = icu::Locale::getISOCountries();
    std::vector<std::string> alpha2;
    for (; *iso != nullptr; ++iso) {
      std::string code = *iso;
      for (char& c : code) c = Lower(c);
      alpha2.push_back(code);
      t.codes.insert(code);
      add(code, code);
    }
    for (const auto& code : alpha2) {
      icu::Locale loc("", code.c_str());
      std::string a3 = loc.getISO3Country();
      if (!a3.empty()) add(a3, code);
    }
    for (const auto& alias : kCountryAliases) {
      t.codes.insert(alias.code);
      add(alias.name, alias.code);
    }
    // Names in the languages investigators meet most; English first wins on collisions.
    static constexpr const char* kLanguages[] = {"en", "de", "fr", "es", "ru", "it", "pt", "nl",
                                                 "pl", "uk", "tr", "ar", "zh", "sv", "cs"};
    for (const char* lang : kLanguages) {
      icu::Locale display(lang);
      for (const auto& code : alpha2) {
        icu::UnicodeString name;
        icu::Locale("", code.c_str()).getDisplayCountry(display, name);
        std::string utf8;
        name.toUTF8String(utf8);
        if (!utf8.empty() && utf8 != code) add(utf8, code);
      }
    }
    return t;
  }();
  return tables;
}

const std::unordered_map<std::string, std::string>& CallingCodes() {
  static const std::unordered_map<std::string, std::string> table = [] {
    std::unordered_map<std::string, std::string> m;
    for (const auto& cc : kCallingCodes) m.emplace(cc.country, cc.code);
    return m;
  }();
  return table;
}

// ---------------------------------------------------------------- other types

Result<std::string> CleanEmail(std::string_view s) {
  if (s.size() > 7 && (s.substr(0, 7) == "mailto:" || s.substr(0, 7) == "MAILTO:")) {
    s.remove_prefix(7);
  }
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
  std::size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) {
    return ParseFail("invalid email " + Quote(s) + ": expected local@domain");
  }
  std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
  for (char c : local) {
    auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || c == '@' || c == '<' || c == '>' || c == ',' || c == ';' || c == '"') {
      return ParseFail("invalid email " + Quote(s) + ": bad character in local part");
    }
  }
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return ParseFail("invalid email " + Quote(s) + ": domain needs a dot-separated host name");
  }
  std::string out(local);
  out.push_back('@');
  for (char c : domain) {
    auto u = static_cast<unsigned char>(c);
    if (!(IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || u >= 0x80)) {
      return ParseFail("invalid email " + Quote(s) + ": bad character in domain");
    }
    out.push_back(Lower(c));
  }
  return out;
}

Result<std::string> CleanPhone(std::string_view s, const CleanOptions& options) {
  std::string digits;
  digits.reserve(s.size());
  bool plus = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '\t') {
      continue;
    } else if (IsAlpha(c)) {
      // "ext", "x", "tel:" prefixes: an extension ends the number; a scheme is skipped.
      std::string_view rest = s.substr(i);
      if (digits.empty() && (rest.substr(0, 4) == "tel:" || rest.substr(0, 4) == "TEL:")) {
        i += 3;
        continue;
      }
      if (!digits.empty() && (Lower(c) == 'x' || Lower(c) == 'e')) break;
      return ParseFail("invalid phone number " + Quote(s) + ": letters are not allowed");
    } else if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < s.size() &&
               static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      ++i;  // no-break space
    } else {
      return ParseFail("invalid phone number " + Quote(s));
    }
  }
  if (!plus && digits.size() > 2 && digits[0] == '0' && digits[1] == '0') {
    plus = true;  // 00 international prefix
    digits.erase(0, 2);
  }
  if (digits.size() < 3 || digits.size() > 17) {
    return ParseFail("invalid phone number " + Quote(s) + ": " + std::to_string(digits.size()) +
                     " digits");
  }
  if (plus) return "+" + digits;
  if (!options.default_country.empty()) {
    auto it = CallingCodes().find(options.default_country);
    if (it != CallingCodes().end()) {
      // Drop the national trunk prefix 0 (kept in Italy, San Marino and the Vatican).
      const std::string& cc = options.default_country;
      if (digits[0] == '0' && cc != "it" && cc != "sm" && cc != "va") digits.erase(0, 1);
      return "+" + it->second + digits;
    }
  }
  return digits;
}

Result<std::string> CleanIban(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  if (s.size() > 4 && (s.substr(0, 4) == "IBAN" || s.substr(0, 4) == "iban")) s.remove_prefix(4);
  for (char c : s) {
    if (c == ' ' || c == '-' || c == '.' || c == ':') continue;
    if (!IsAlpha(c) && !IsDigit(c)) return ParseFail("invalid IBAN " + Quote(s));
    out.push_back(Upper(c));
  }
  if (!IbanValid(out)) {
    return ParseFail("invalid IBAN " + Quote(s) + ": wrong length or check digits");
  }
  return out;
}

Result<std::string> CleanUrl(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= ' ') {
      return ParseFail("invalid URL " + Quote(s) + ": contains whitespace");
    }
  }
  std::string out;
  std::size_t scheme_end = s.find("://");
  std::string_view rest;
  if (scheme_end == std::string_view::npos) {
    if (s.substr(0, 7) == "mailto:") return std::string(s);
    out = "http://";
    rest = s;
  } else {
    for (std::size_t i = 0; i < scheme_end; ++i) {
      if (!IsAlpha(s[i]) && !IsDigit(s[i]) && s[i] != '+' && s[i] != '-' && s[i] != '.') {
        return ParseFail("invalid URL " + Quote(s) + ": bad scheme");
      }
      out.push_back(Lower(s[i]));
    }
    if (out.empty()) return ParseFail("invalid URL " + Quote(s) + ": empty scheme");
    out += "://";
    rest = s.substr(scheme_end + 3);
  }
  std::size_t host_end = rest.find_first_of("/?#");
  if (host_end == std::string_view::npos) host_end = rest.size();
  if (host_end == 0) return ParseFail("invalid URL " + Quote(s) + ": no host");
  std::string_view host = rest.substr(0, host_end);
  if (scheme_end == std::string_view::npos && host.find('.') == std::string_view::npos) {
    return ParseFail("invalid URL " + Quote(s) + ": no scheme and no domain");
  }
  for (char c : host) out.push_back(Lower(c));
  out.append(rest.substr(host_end));
  return out;
}

Result<std::string> CleanGender(std::string_view s) {
  std::string key = FoldForSearch(s);
  static const std::unordered_map<std::string, std::string> kGenders = {
      {"male", "male"},       {"m", "male"},         {"man", "male"},
      {"men", "male"},        {"mr", "male"},        {"maennlich", "male"},
      {"mannlich", "male"},   {"masculin", "male"},  {"masculino", "male"},
      {"homme", "male"},      {"hombre", "male"},    {"muzhskoi", "male"},
      {"h", "male"},          {"female", "female"},  {"f", "female"},
      {"woman", "female"},    {"women", "female"},   {"w", "female"},
      {"weiblich", "female"}, {"feminin", "female"}, {"femenino", "female"},
      {"femme", "female"},    {"mujer", "female"},   {"zhenskii", "female"},
      {"mrs", "female"},      {"ms", "female"},      {"other", "other"},
      {"o", "other"},         {"x", "other"},        {"d", "other"},
      {"divers", "other"},    {"diverse", "other"},  {"non binary", "other"},
      {"nonbinary", "other"}, {"autre", "other"},    {"otro", "other"}};
  auto it = kGenders.find(key);
  if (it == kGenders.end()) {
    return ParseFail("unknown gender " + Quote(s) + ": expected male, female or other");
  }
  return it->second;
}

Result<std::string> CleanLanguage(std::string_view s) {
  // FtM uses ISO 639-3 ("eng", "deu", "rus"). Accepts 639-1/639-2/639-3 codes and names.
  static const std::unordered_map<std::string, std::string> table = [] {
    std::unordered_map<std::string, std::string> m;
    const char* const* langs = icu::Locale::getISOLanguages();
    std::vector<std::string> codes;
    for (; *langs != nullptr; ++langs) codes.emplace_back(*langs);
    for (const auto& c : codes) {
      std::string iso3 = icu::Locale(c.c_str()).getISO3Language();
      if (iso3.empty()) continue;
      m.emplace(c, iso3);
      m.emplace(iso3, iso3);
    }
    for (const char* lang : {"en", "de", "fr", "es", "ru"}) {
      for (const auto& c : codes) {
        icu::Locale loc(c.c_str());
        std::string iso3 = loc.getISO3Language();
        if (iso3.empty()) continue;
        icu::UnicodeString name;
        loc.getDisplayLanguage(icu::Locale(lang), name);
        std::string utf8;
        name.toUTF8String(utf8);
        std::string key = FoldForSearch(utf8);
        if (!key.empty() && key != c) m.emplace(key, iso3);
      }
    }
    // Bibliographic 639-2/B codes.
    for (auto [b, t] : std::initializer_list<std::pair<const char*, const char*>>{{"ger", "deu"},
                                                                                  {"fre", "fra"},
                                                                                  {"chi", "zho"},
                                                                                  {"dut", "nld"},
                                                                                  {"gre", "ell"},
                                                                                  {"per", "fas"},
                                                                                  {"cze", "ces"},
                                                                                  {"rum", "ron"},
                                                                                  {"alb", "sqi"},
                                                                                  {"arm", "hye"},
                                                                                  {"geo", "kat"},
                                                                                  {"ice", "isl"},
                                                                                  {"mac", "mkd"},
                                                                                  {"may", "msa"},
                                                                                  {"slo", "slk"},
                                                                                  {"wel", "cym"},
                                                                                  {"baq", "eus"},
                                                                                  {"bur", "mya"},
                                                                                  {"tib", "bod"}}) {
      m.emplace(b, t);
    }
    return m;
  }();
  std::string key = FoldForSearch(s);
  auto it = table.find(key);
  if (it == table.end()) return ParseFail("unknown language " + Quote(s));
  return it->second;
}

}  // namespace

// ---------------------------------------------------------------- public API

Result<std::string> CleanValue(PropertyType type, std::string_view raw,
                               const CleanOptions& options) {
  std::string_view s = TrimView(raw);
  if (s.empty()) return std::string();
  switch (type) {
    case PropertyType::kDate:
      return CleanDate(s, options);
    case PropertyType::kNumber:
      return CleanNumber(s);
    case PropertyType::kCountry: {
      if (auto code = NormalizeCountry(s)) return *code;
      return ParseFail("unknown country " + Quote(s));
    }
    case PropertyType::kEmail:
      return CleanEmail(s);
    case PropertyType::kPhone:
      return CleanPhone(s, options);
    case PropertyType::kIban:
      return CleanIban(s);
    case PropertyType::kUrl:
      return CleanUrl(s);
    case PropertyType::kName:
      return CollapseWhitespace(s);
    case PropertyType::kGender:
      return CleanGender(s);
    case PropertyType::kLanguage:
      return CleanLanguage(s);
    case PropertyType::kEntity:
    case PropertyType::kIdentifier:
    case PropertyType::kString:
    case PropertyType::kText:
    case PropertyType::kAddress:
    case PropertyType::kTopic:
    case PropertyType::kChecksum:
    case PropertyType::kMimetype:
    case PropertyType::kIp:
    case PropertyType::kJson:
    case PropertyType::kHtml:
      return std::string(s);
  }
  return std::string(s);
}

std::optional<std::int64_t> DateToUnix(std::string_view date) {
  DateParts d;
  std::string_view s = TrimView(date);
  if (!ParseIso(s, d) || CheckDate(d)) return std::nullopt;
  std::int64_t t =
      DaysFromCivil(d.year, static_cast<unsigned>(d.month), static_cast<unsigned>(d.day)) * 86400;
  if (d.precision >= 4) {
    t += d.hour * 3600 + d.minute * 60 + std::min(d.second, 59) -
         static_cast<std::int64_t>(d.offset_minutes) * 60;
  }
  return t;
}

std::string UnixToIso(std::int64_t seconds) {
  std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  std::int64_t secs = seconds - days * 86400;
  int y, m, d;
  CivilFromDays(days, y, m, d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf;
}

std::optional<std::string> NormalizeCountry(std::string_view raw) {
  std::string_view s = TrimView(raw);
  if (s.empty()) return std::nullopt;
  const CountryTables& t = Countries();
  // Fast path: a two- or three-letter code.
  if (s.size() <= 3) {
    std::string key;
    for (char c : s) key.push_back(Lower(c));
    auto it = t.keys.find(key);
    if (it != t.keys.end()) return it->second;
  }
  // FtM's own codes with a dash ("gb-eng", "ua-dpr") and anything else: fold and look up.
  std::string lower;
  for (char c : s) lower.push_back(Lower(c));
  if (t.codes.count(lower) > 0) return lower;
  auto it = t.keys.find(FoldForSearch(s));
  if (it != t.keys.end()) return it->second;
  return std::nullopt;
}

bool IbanValid(std::string_view iban) {
  if (iban.size() < 15 || iban.size() > 34) return false;
  if (!IsAlpha(iban[0]) || !IsAlpha(iban[1]) || !IsDigit(iban[2]) || !IsDigit(iban[3])) {
    return false;
  }
  // mod 97 over the rearranged string (first four characters moved to the end, letters
  // as two-digit numbers A=10..Z=35), computed incrementally.
  unsigned remainder = 0;
  auto feed = [&remainder](char c) {
    if (IsDigit(c)) {
      remainder = (remainder * 10 + static_cast<unsigned>(c - '0')) % 97;
    } else if (IsAlpha(c)) {
      unsigned v = static_cast<unsigned>(Upper(c) - 'A') + 10;
      remainder = (remainder * 100 + v) % 97;
    } else {
      return false;
    }
    return true;
  };
  for (std::size_t i = 4; i < iban.size(); ++i) {
    if (!feed(iban[i])) return false;
  }
  for (std::size_t i = 0; i < 4; ++i) {
    if (!feed(iban[i])) return false;
  }
  return remainder == 1;
}

}  // namespace casegraph::model
