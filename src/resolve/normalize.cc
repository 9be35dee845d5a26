// Normalisation for entity resolution: ICU folding and transliteration, name analysis
// (titles, legal forms, initials, particles, numbers), skeleton keys, identifier/date
// normalisers. The legal-form, title and particle tables are data at the top of the file.
#include "resolve/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace casegraph::resolve {
namespace {

// ---- Tables ---------------------------------------------------------------------------

// Legal forms: canonical form, then spellings as space-separated lower-case ASCII tokens
// (after transliteration and dotted-initialism joining, so "S.A." is "sa", "ООО" is "ooo",
// "有限公司" is "youxiangongsi", "株式会社" is "zhushihuishe").
struct LegalFormRow {
  const char* canonical;
  std::vector<const char*> spellings;
};
const std::vector<LegalFormRow>& LegalFormTable() {
  static const std::vector<LegalFormRow> kTable = {
      {"llc",
       {"llc", "l l c", "limited liability company", "ooo", "tov", "sp z oo",
        "obshchestvo s ogranichennoy otvetstvennostyu", "spolka z oo",
        "spolka z ograniczona odpowiedzialnoscia", "youxianzerengongsi"}},
      {"ltd",
       {"ltd", "limited", "youxiangongsi", "yugenkaisha", "youxianhuishe", "ltda", "limitada",
        "yuhanhoesa"}},
      {"gmbh", {"gmbh", "gesellschaft mit beschrankter haftung", "ges m b h", "gesmbh"}},
      {"ag", {"ag", "aktiengesellschaft", "aktiengeselschaft"}},
      {"sa", {"sa", "societe anonyme", "sociedad anonima", "sociedade anonima", "s a"}},
      {"sarl", {"sarl", "societe a responsabilite limitee"}},
      {"srl",
       {"srl", "societa a responsabilita limitata", "societatea cu raspundere limitata",
        "sociedad de responsabilidad limitada"}},
      {"inc", {"inc", "incorporated"}},
      {"corp", {"corp", "corporation"}},
      {"co", {"co", "company", "compagnie", "cie", "gongsi"}},
      {"plc", {"plc", "public limited company", "p l c"}},
      {"jsc",
       {"jsc", "joint stock company", "ao", "aktsionernoe obshchestvo", "ojsc",
        "open joint stock company", "oao", "otkrytoe aktsionernoe obshchestvo", "pjsc",
        "public joint stock company", "pao", "cjsc", "closed joint stock company", "zao", "ad",
        "gufenyouxiangongsi", "gufengongsi"}},
      {"kk",
       {"kk", "kabushiki kaisha", "kabushikigaisha", "kabushiki gaisha", "zhushihuishe",
        "jusighoesa", "jusikhoesa"}},
      {"bv", {"bv", "besloten vennootschap"}},
      {"nv", {"nv", "naamloze vennootschap"}},
      {"lp", {"lp", "limited partnership"}},
      {"llp", {"llp", "limited liability partnership"}},
      {"ab", {"ab", "aktiebolag"}},
      {"as", {"as", "aksjeselskap", "aktieselskab"}},
      {"spa", {"spa", "societa per azioni"}},
      {"sas", {"sas", "societe par actions simplifiee"}},
      {"sl", {"sl", "sociedad limitada"}},
      {"sro", {"sro", "spolecnost s rucenim omezenym"}},
      {"kft", {"kft"}},
      {"oy", {"oy", "oyj"}},
      {"bhd", {"bhd", "sdn bhd", "berhad", "sendirian berhad"}},
      {"pte", {"pte"}},
      {"pty", {"pty"}},
      {"cv", {"cv", "de cv"}},
      {"kg", {"kg", "kommanditgesellschaft", "gmbh co kg"}},
      {"se", {"se", "societas europaea"}},
      {"ip", {"ip", "individualnyy predprinimatel"}},
      {"group", {"group", "holding", "holdings"}},
  };
  return kTable;
}

// Titles and honorifics dropped from person names.
const std::unordered_set<std::string>& Titles() {
  static const std::unordered_set<std::string> kTitles = {
      "mr",         "mrs",       "ms",        "miss",       "mx",         "dr",       "prof",
      "professor",  "sir",       "dame",      "lord",       "lady",       "herr",     "frau",
      "monsieur",   "madame",    "mme",       "mlle",       "senor",      "senora",   "sr",
      "sra",        "president", "prasident", "presidente", "prezident",  "senator",  "sen",
      "gen",        "general",   "col",       "colonel",    "capt",       "captain",  "maj",
      "major",      "lt",        "hon",       "honorable",  "honourable", "rev",      "reverend",
      "excellency", "he",        "sheikh",    "shaikh",     "sheik",      "gospodin", "gospozha",
      "jr",         "sr",        "phd",       "md",         "esq",        "mp"};
  return kTitles;
}

// Particles: weak name parts (articles, patronymic and nobiliary particles, connectors).
const std::unordered_set<std::string>& Particles() {
  static const std::unordered_set<std::string> kParticles = {
      "al",    "el",  "bin", "ben", "ibn", "bint", "binti", "de",  "da",  "di", "del", "dela",
      "della", "des", "du",  "dos", "van", "von",  "der",   "den", "ter", "la", "le",  "y",
      "e",     "the", "of",  "and", "und", "et",   "for",   "in",  "zu",  "na", "a"};
  return kParticles;
}

const std::unordered_map<std::string, int>& NumberWords() {
  static const std::unordered_map<std::string, int> kWords = {
      {"zero", 0},     {"one", 1},      {"two", 2},        {"three", 3},     {"four", 4},
      {"five", 5},     {"six", 6},      {"seven", 7},      {"eight", 8},     {"nine", 9},
      {"ten", 10},     {"eleven", 11},  {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14},
      {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},
      {"twenty", 20},  {"thirty", 30},  {"forty", 40},     {"fourty", 40},   {"fifty", 50},
      {"sixty", 60},   {"seventy", 70}, {"eighty", 80},    {"ninety", 90},   {"first", 1},
      {"second", 2},   {"third", 3},    {"1st", 1},        {"2nd", 2},       {"3rd", 3},
      {"4th", 4},      {"5th", 5}};
  return kWords;
}

const std::unordered_map<std::string, int>& RomanNumerals() {
  static const std::unordered_map<std::string, int> kRoman = {
      {"ii", 2},   {"iii", 3},   {"iv", 4},     {"v", 5},    {"vi", 6},    {"vii", 7},  {"viii", 8},
      {"ix", 9},   {"x", 10},    {"xi", 11},    {"xii", 12}, {"xiii", 13}, {"xiv", 14}, {"xv", 15},
      {"xvi", 16}, {"xvii", 17}, {"xviii", 18}, {"xix", 19}, {"xx", 20}};
  return kRoman;
}

// Abbreviations expanded before comparison.
const std::unordered_map<std::string, std::vector<std::string>>& Abbreviations() {
  static const std::unordered_map<std::string, std::vector<std::string>> kAbbrev = {
      {"intl", {"international"}},   {"int", {"international"}},    {"us", {"united", "states"}},
      {"usa", {"united", "states"}}, {"uk", {"united", "kingdom"}}, {"dept", {"department"}},
      {"natl", {"national"}},        {"mfg", {"manufacturing"}},    {"bros", {"brothers"}},
      {"assn", {"association"}}};
  return kAbbrev;
}

// CJK legal-form suffixes written without spaces; split off before tokenising.
const std::array<const char*, 8> kCjkLegalForms = {"股份有限公司", "有限责任公司", "有限公司",
                                                   "株式会社",     "有限会社",     "주식회사",
                                                   "유한회사",     "合同会社"};

// ---- ICU helpers ----------------------------------------------------------------------

const icu::Normalizer2* NfkcCasefold() {
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* norm = icu::Normalizer2::getNFKCCasefoldInstance(status);
  return norm;
}
const icu::Normalizer2* Nfd() {
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* norm = icu::Normalizer2::getNFDInstance(status);
  return norm;
}

// Creating a transliterator parses rules and takes milliseconds: cache one per thread.
icu::Transliterator* CachedTransliterator(const std::string& id) {
  thread_local std::unordered_map<std::string, std::unique_ptr<icu::Transliterator>> cache;
  auto it = cache.find(id);
  if (it != cache.end()) return it->second.get();
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      icu::UnicodeString::fromUTF8(id), UTRANS_FORWARD, status));
  if (U_FAILURE(status)) t.reset();
  auto* raw = t.get();
  cache.emplace(id, std::move(t));
  return raw;
}

Script ScriptOf(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  UScriptCode code = uscript_getScript(c, &status);
  switch (code) {
    case USCRIPT_LATIN:
      return Script::kLatin;
    case USCRIPT_CYRILLIC:
      return Script::kCyrillic;
    case USCRIPT_GREEK:
      return Script::kGreek;
    case USCRIPT_ARABIC:
      return Script::kArabic;
    case USCRIPT_HEBREW:
      return Script::kHebrew;
    case USCRIPT_HAN:
      return Script::kHan;
    case USCRIPT_HANGUL:
      return Script::kHangul;
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_KATAKANA_OR_HIRAGANA:
      return Script::kKana;
    case USCRIPT_DEVANAGARI:
      return Script::kDevanagari;
    case USCRIPT_THAI:
      return Script::kThai;
    case USCRIPT_ARMENIAN:
      return Script::kArmenian;
    case USCRIPT_GEORGIAN:
      return Script::kGeorgian;
    case USCRIPT_COMMON:
    case USCRIPT_INHERITED:
      return Script::kUnknown;
    default:
      return Script::kOther;
  }
}

const char* TransliteratorFor(Script script) {
  switch (script) {
    case Script::kCyrillic:
      return "Russian-Latin/BGN";
    case Script::kGreek:
      return "Greek-Latin/UNGEGN";
    case Script::kHan:
      return "Han-Latin/Names";
    default:
      return "Any-Latin";
  }
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c & 0x80) == 0; });
}

// ASCII lower case without the C library's locale lookup (called for every character).
char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string ToUtf8(const icu::UnicodeString& u) {
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::u32string ToU32(std::string_view utf8) {
  std::u32string out;
  int32_t i = 0, n = static_cast<int32_t>(utf8.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(utf8.data(), i, n, c);
    if (c >= 0) out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

std::string FromU32(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    char buf[4];
    int32_t len = 0;
    UBool error = false;
    U8_APPEND(buf, len, 4, static_cast<UChar32>(c), error);
    if (!error) out.append(buf, len);
  }
  return out;
}

// Lower-case ASCII, keeping [a-z0-9] and turning anything else into a space.
std::string AsciiWords(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(AsciiLower(c));
    } else if (c == '\'' || c == '`') {
      // apostrophes vanish: "o'neil" -> "oneil", "shol'ts" -> "sholts"
    } else {
      out.push_back(' ');
    }
  }
  return out;
}

std::vector<std::string> SplitSpaces(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

bool IsApostrophe(char32_t c) {
  return c == U'\'' || c == U'\u2019' || c == U'\u2018' || c == U'\u02BC' || c == U'`' ||
         c == U'\u02BB';
}

// "j.p." / "o.o.o." / "a/s" / "n.a." : single letters (or pairs) separated by dots or
// slashes, joined into one token.
bool IsDottedInitialism(const std::u32string& chunk) {
  int letters_run = 0, groups = 0, seps = 0;
  for (char32_t c : chunk) {
    if (c == U'.' || c == U'/') {
      if (letters_run == 0 || letters_run > 2) return false;
      letters_run = 0;
      ++seps;
      ++groups;
    } else if (u_isalpha(static_cast<UChar32>(c))) {
      ++letters_run;
    } else {
      return false;
    }
  }
  if (letters_run > 2) return false;
  if (letters_run > 0) ++groups;
  return seps >= 1 && groups >= 2;
}

}  // namespace

// ---- Scripts and folding --------------------------------------------------------------

const char* ScriptName(Script script) {
  switch (script) {
    case Script::kUnknown:
      return "unknown";
    case Script::kLatin:
      return "Latin";
    case Script::kCyrillic:
      return "Cyrillic";
    case Script::kGreek:
      return "Greek";
    case Script::kArabic:
      return "Arabic";
    case Script::kHebrew:
      return "Hebrew";
    case Script::kHan:
      return "Han";
    case Script::kHangul:
      return "Hangul";
    case Script::kKana:
      return "Kana";
    case Script::kDevanagari:
      return "Devanagari";
    case Script::kThai:
      return "Thai";
    case Script::kArmenian:
      return "Armenian";
    case Script::kGeorgian:
      return "Georgian";
    case Script::kOther:
      return "other";
  }
  return "unknown";
}

Script DetectScript(std::string_view utf8) {
  std::array<int, 16> counts{};
  int32_t i = 0, n = static_cast<int32_t>(utf8.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(utf8.data(), i, n, c);
    if (c < 0 || !u_isalpha(c)) continue;
    counts[static_cast<int>(ScriptOf(c))]++;
  }
  int best = 0;
  for (int s = 1; s < 16; ++s)
    if (counts[s] > counts[best]) best = s;
  return counts[best] == 0 ? Script::kUnknown : static_cast<Script>(best);
}

bool IsSyllabicScript(Script script) {
  return script == Script::kHan || script == Script::kHangul || script == Script::kKana;
}

std::string FoldText(std::string_view utf8) {
  if (IsAscii(utf8)) {
    std::string out(utf8);
    for (char& c : out) c = AsciiLower(c);
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString folded = NfkcCasefold()->normalize(u, status);
  icu::UnicodeString decomposed = Nfd()->normalize(folded, status);
  if (U_FAILURE(status)) return std::string(utf8);
  icu::UnicodeString out;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    out.append(c);
  }
  UErrorCode status2 = U_ZERO_ERROR;
  icu::UnicodeString composed = NfkcCasefold()->normalize(out, status2);
  return ToUtf8(U_FAILURE(status2) ? out : composed);
}

namespace {
std::string ToLatinUncached(std::string_view utf8);
}  // namespace

// ICU transliteration is slow and name words repeat: short words are memoised per thread
// (cleared at 65k entries).
std::string ToLatin(std::string_view utf8) {
  if (IsAscii(utf8)) {
    std::string out(utf8);
    for (char& c : out) c = AsciiLower(c);
    return out;
  }
  if (utf8.size() > 64) return ToLatinUncached(utf8);
  thread_local std::unordered_map<std::string, std::string> cache;
  std::string key(utf8);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  std::string out = ToLatinUncached(utf8);
  if (cache.size() >= 65536) cache.clear();
  cache.emplace(std::move(key), out);
  return out;
}

namespace {
std::string ToLatinUncached(std::string_view utf8) {
  // Split into script runs; Common/Inherited characters join the current run.
  std::string result;
  std::string run;
  Script run_script = Script::kUnknown;
  auto flush = [&]() {
    if (run.empty()) return;
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(run);
    if (run_script != Script::kLatin && run_script != Script::kUnknown) {
      if (auto* t = CachedTransliterator(TransliteratorFor(run_script))) t->transliterate(u);
    }
    if (auto* t = CachedTransliterator("Any-Latin; Latin-ASCII; Lower")) t->transliterate(u);
    std::string out = ToUtf8(u);
    if (run_script == Script::kHan) {
      // Pinyin syllables of one Han word belong together: "xi jin ping" -> "xijinping".
      out.erase(std::remove(out.begin(), out.end(), ' '), out.end());
    }
    result += out;
    run.clear();
  };
  int32_t i = 0, n = static_cast<int32_t>(utf8.size());
  while (i < n) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(utf8.data(), i, n, c);
    if (c < 0) continue;
    Script s = ScriptOf(c);
    if (u_isspace(c) && run_script == Script::kHan) {
      flush();
      result.push_back(' ');
      continue;
    }
    if (s != Script::kUnknown && s != run_script) {
      flush();
      run_script = s;
    }
    run.append(utf8.substr(start, i - start));
  }
  flush();
  return result;
}
}  // namespace

std::string Skeleton(std::string_view in) {
  std::string s(in);
  auto replace_all = [&](std::string_view from, std::string_view to) {
    size_t pos = 0;
    while ((pos = s.find(from, pos)) != std::string::npos) {
      s.replace(pos, from.size(), to);
      pos += to.size();
    }
  };
  if (!s.empty() && s[0] == 'x') s[0] = 's';  // pinyin x ~ sh / s
  if (s.size() >= 2 && s.back() == 'j' && std::strchr("aeiou", s[s.size() - 2]))
    s.back() = 'i';  // Sergej ~ Sergey
  replace_all("tsch", "ch");
  replace_all("sch", "s");
  replace_all("sh", "s");
  replace_all("ph", "f");
  replace_all("ck", "k");
  replace_all("kh", "h");
  replace_all("gh", "g");
  replace_all("th", "t");
  replace_all("dh", "d");
  replace_all("ou", "u");
  replace_all("oo", "u");
  replace_all("ee", "i");
  replace_all("tz", "s");
  replace_all("ts", "s");
  replace_all("dj", "j");
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    switch (c) {
      case 'z':
        c = 's';
        break;
      case 'w':
        c = 'v';
        break;
      case 'y':
        c = 'i';
        break;
      case 'q':
        c = 'k';
        break;
      case 'c':
        c = (i + 1 < s.size() && s[i + 1] == 'h') ? 'c' : 'k';
        break;
      case 'x':
        out.push_back('k');
        c = 's';
        break;
      default:
        break;
    }
    if (!out.empty() && out.back() == c) continue;  // collapse doubled letters
    out.push_back(c);
  }
  return out;
}

NameKind NameKindForSchema(std::string_view schema) {
  if (schema == "Person") return NameKind::kPerson;
  if (schema == "Company" || schema == "Organization" || schema == "LegalEntity" ||
      schema == "PublicBody")
    return NameKind::kOrganization;
  return NameKind::kOther;
}

std::string MatchLegalForm(const std::vector<std::string>& tokens, size_t start, size_t* consumed) {
  // Index: spelling tokens -> canonical, longest match first.
  struct Entry {
    std::vector<std::string> tokens;
    std::string canonical;
  };
  static const std::vector<Entry> kEntries = [] {
    std::vector<Entry> entries;
    for (const auto& row : LegalFormTable())
      for (const char* sp : row.spellings) entries.push_back({SplitSpaces(sp), row.canonical});
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.tokens.size() > b.tokens.size(); });
    return entries;
  }();
  for (const auto& e : kEntries) {
    if (start + e.tokens.size() > tokens.size()) continue;
    bool ok = true;
    for (size_t k = 0; k < e.tokens.size() && ok; ++k) ok = tokens[start + k] == e.tokens[k];
    if (!ok) continue;
    if (consumed) *consumed = e.tokens.size();
    return e.canonical;
  }
  if (consumed) *consumed = 0;
  return "";
}

std::string AnalyzedName::Key() const {
  std::string out;
  for (const auto& p : parts) {
    if (p.kind == PartKind::kLegalForm || p.kind == PartKind::kParticle) continue;
    if (!out.empty()) out.push_back(' ');
    out += p.latin;
  }
  return out;
}

namespace {
AnalyzedName AnalyzeNameUncached(std::string_view raw, NameKind kind);
}  // namespace

// Names repeat (a corpus of 1 M persons holds ~30k distinct names) and analysing one
// (ICU folding, transliteration) costs far more than copying the result: memoised per
// thread, cleared when it reaches 65k entries. The result depends on (raw, kind) only.
AnalyzedName AnalyzeName(std::string_view raw, NameKind kind) {
  thread_local std::unordered_map<std::string, AnalyzedName> cache;
  std::string key;
  key.reserve(raw.size() + 1);
  key.push_back(static_cast<char>('0' + static_cast<int>(kind)));
  key.append(raw);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  AnalyzedName name = AnalyzeNameUncached(raw, kind);
  if (cache.size() >= 65536) cache.clear();
  cache.emplace(std::move(key), name);
  return name;
}

namespace {
AnalyzedName AnalyzeNameUncached(std::string_view raw, NameKind kind) {
  AnalyzedName name;
  name.kind = kind;
  std::string folded = FoldText(raw);
  for (const char* form : kCjkLegalForms) {
    size_t pos = folded.find(form);
    if (pos != std::string::npos) folded.replace(pos, strlen(form), std::string(" ") + form + " ");
  }
  // Tokenise on the folded Unicode text: whitespace chunks; dotted initialisms joined;
  // other punctuation splits; apostrophes vanish; '&' becomes "and".
  std::vector<std::u32string> tokens;
  std::u32string text = ToU32(folded);
  std::u32string chunk;
  auto emit_chunk = [&]() {
    if (chunk.empty()) return;
    std::u32string cur;
    if (IsDottedInitialism(chunk)) {
      for (char32_t c : chunk)
        if (c != U'.' && c != U'/') cur.push_back(c);
      tokens.push_back(cur);
      chunk.clear();
      return;
    }
    for (char32_t c : chunk) {
      if (IsApostrophe(c)) continue;
      if (c == U'&') {
        if (!cur.empty()) tokens.push_back(cur);
        cur.clear();
        tokens.push_back(U"and");
        continue;
      }
      if (u_isalnum(static_cast<UChar32>(c)) ||
          u_charType(static_cast<UChar32>(c)) == U_COMBINING_SPACING_MARK ||
          u_charType(static_cast<UChar32>(c)) == U_NON_SPACING_MARK) {
        cur.push_back(c);
      } else {
        if (!cur.empty()) tokens.push_back(cur);
        cur.clear();
      }
    }
    if (!cur.empty()) tokens.push_back(cur);
    chunk.clear();
  };
  for (char32_t c : text) {
    if (u_isUWhiteSpace(static_cast<UChar32>(c)) || c == U',' || c == U';' || c == U'(' ||
        c == U')' || c == U'"' || c == U'\u00B7' || c == U'\u30FB' || c == U'\u201C' ||
        c == U'\u201D' || c == U'\u00AB' || c == U'\u00BB') {
      emit_chunk();
    } else {
      chunk.push_back(c);
    }
  }
  emit_chunk();

  // Transliterate each token; a token may become several ASCII words.
  struct Raw {
    std::string latin;
    std::u32string native;
    Script script;
  };
  std::vector<Raw> raws;
  for (const auto& tok : tokens) {
    std::string utf8 = FromU32(tok);
    Script script = DetectScript(utf8);
    std::string latin = AsciiWords(ToLatin(utf8));
    std::vector<std::string> words = SplitSpaces(latin);
    if (words.empty()) {
      if (script != Script::kUnknown) raws.push_back({"", tok, script});  // untransliterable
      continue;
    }
    if (script == Script::kLatin || script == Script::kUnknown) {
      for (auto& w : words) raws.push_back({w, ToU32(w), script});
    } else if (words.size() == 1) {
      raws.push_back({words[0], tok, script});
    } else {
      // e.g. Hangul "gimjeong-eun": keep as one word, the native token carries the shape.
      std::string joined;
      for (auto& w : words) joined += w;
      raws.push_back({joined, tok, script});
    }
  }

  // Expand abbreviations and drop titles (persons only, never the last part).
  std::vector<Raw> expanded;
  for (size_t i = 0; i < raws.size(); ++i) {
    const auto& r = raws[i];
    if (kind == NameKind::kPerson && Titles().count(r.latin) && raws.size() > 1) continue;
    // "JC" in a person's name: initials written together -> "j", "c".
    if (kind == NameKind::kPerson && r.script == Script::kLatin && r.latin.size() >= 2 &&
        r.latin.size() <= 3 && r.latin.find_first_of("aeiouy") == std::string::npos &&
        raws.size() > 1) {
      for (char c : r.latin)
        expanded.push_back({std::string(1, c), ToU32(std::string(1, c)), r.script});
      continue;
    }
    auto ab = Abbreviations().find(r.latin);
    if (kind != NameKind::kPerson && ab != Abbreviations().end()) {
      for (const auto& w : ab->second) expanded.push_back({w, ToU32(w), Script::kLatin});
      continue;
    }
    expanded.push_back(r);
  }
  if (expanded.empty()) expanded = raws;

  std::vector<std::string> latin_tokens;
  for (const auto& r : expanded) latin_tokens.push_back(r.latin);

  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < expanded.size();) {
    const Raw& r = expanded[i];
    NamePart part;
    part.latin = r.latin;
    part.native = r.native;
    part.script = r.script;
    size_t consumed = 1;
    if (kind != NameKind::kPerson) {
      size_t n = 0;
      std::string form = MatchLegalForm(latin_tokens, i, &n);
      // A legal form is never the whole name ("Company" alone stays a word).
      if (!form.empty() && n < expanded.size()) {
        part.latin = form;
        part.native = ToU32(form);
        part.script = Script::kLatin;
        part.kind = PartKind::kLegalForm;
        name.legal_forms.push_back(form);
        consumed = n;
      }
    }
    if (part.kind == PartKind::kWord) {
      auto nw = NumberWords().find(part.latin);
      auto rn = RomanNumerals().find(part.latin);
      bool digits = !part.latin.empty() &&
                    std::all_of(part.latin.begin(), part.latin.end(),
                                [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
      if (nw != NumberWords().end()) {
        part.latin = std::to_string(nw->second);
        part.kind = PartKind::kNumber;
      } else if (kind != NameKind::kPerson && rn != RomanNumerals().end() && i > 0) {
        part.latin = std::to_string(rn->second);
        part.kind = PartKind::kNumber;
      } else if (digits) {
        part.kind = PartKind::kNumber;
      } else if (Particles().count(part.latin) && expanded.size() > 1) {
        part.kind = PartKind::kParticle;
      } else if (part.latin.size() == 1 && !IsSyllabicScript(part.script)) {
        part.kind = PartKind::kInitial;
      }
      if (part.kind == PartKind::kNumber) part.native = ToU32(part.latin);
    }
    // "forty 4" -> "44"
    if (part.kind == PartKind::kNumber && !name.parts.empty() &&
        name.parts.back().kind == PartKind::kNumber && part.latin.size() == 1 &&
        name.parts.back().latin.size() == 2 && name.parts.back().latin[1] == '0') {
      name.parts.back().latin[1] = part.latin[0];
      name.parts.back().native = ToU32(name.parts.back().latin);
      name.parts.back().skeleton = name.parts.back().latin;
      i += consumed;
      continue;
    }
    part.skeleton = part.kind == PartKind::kNumber ? part.latin : Skeleton(part.latin);
    // Repeated parts ("Shoigu Shoigu Sergey") count once.
    std::string dedupe_key = part.latin.empty() ? FromU32(part.native) : part.latin;
    if (seen.insert(dedupe_key).second) name.parts.push_back(std::move(part));
    i += consumed;
  }
  // The native form is compared only between parts of one non-Latin script (and measures
  // a part without transliteration): not kept for Latin parts (memory, at 1 M records).
  for (auto& part : name.parts)
    if ((part.script == Script::kLatin || part.script == Script::kUnknown) && !part.latin.empty())
      std::u32string().swap(part.native);
  return name;
}
}  // namespace

// ---- Non-name values ------------------------------------------------------------------

std::string NormalizeIdentifier(std::string_view raw) {
  std::string latin = IsAscii(raw) ? std::string(raw) : ToLatin(raw);
  std::string out;
  for (char c : latin)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

std::string NormalizeEmail(std::string_view raw) {
  std::string out;
  for (char c : raw)
    if (!std::isspace(static_cast<unsigned char>(c)))
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  size_t at = out.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= out.size()) return "";
  return out;
}

std::string NormalizePhone(std::string_view raw) {
  std::string digits;
  for (char c : raw)
    if (std::isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
  while (!digits.empty() && digits[0] == '0') digits.erase(0, 1);
  if (digits.size() > 9) digits = digits.substr(digits.size() - 9);
  return digits;
}

std::optional<std::string> NormalizeIban(std::string_view raw) {
  std::string iban = NormalizeIdentifier(raw);
  if (iban.size() < 15 || iban.size() > 34) return std::nullopt;
  if (!std::isalpha(static_cast<unsigned char>(iban[0])) ||
      !std::isalpha(static_cast<unsigned char>(iban[1])))
    return std::nullopt;
  std::string rearranged = iban.substr(4) + iban.substr(0, 4);
  int remainder = 0;
  for (char c : rearranged) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else {
      int v = c - 'A' + 10;
      remainder = (remainder * 100 + v) % 97;
    }
  }
  if (remainder != 1) return std::nullopt;
  return iban;
}

std::string PartialDate::ToString() const {
  if (!valid()) return "";
  char buf[16];
  if (month == 0) {
    snprintf(buf, sizeof buf, "%04d", year);
  } else if (day == 0) {
    snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  } else {
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  }
  return buf;
}

PartialDate ParseDate(std::string_view raw) {
  std::vector<std::string> nums;
  std::string cur;
  for (char c : raw) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      cur.push_back(c);
    } else {
      if (!cur.empty()) nums.push_back(cur);
      cur.clear();
      if (c == 'T' || c == ' ') {
        if (nums.size() >= 3) break;  // ignore a time part
      }
    }
  }
  if (!cur.empty()) nums.push_back(cur);
  PartialDate d;
  auto valid_md = [](int m, int dd) { return m >= 0 && m <= 12 && dd >= 0 && dd <= 31; };
  if (nums.size() == 1 && nums[0].size() == 8) {
    d.year = std::stoi(nums[0].substr(0, 4));
    d.month = std::stoi(nums[0].substr(4, 2));
    d.day = std::stoi(nums[0].substr(6, 2));
  } else if (nums.size() == 1 && nums[0].size() == 6) {
    d.year = std::stoi(nums[0].substr(0, 4));
    d.month = std::stoi(nums[0].substr(4, 2));
  } else if (nums.size() == 1 && nums[0].size() == 4) {
    d.year = std::stoi(nums[0]);
  } else if (nums.size() >= 2 && nums[0].size() == 4) {
    d.year = std::stoi(nums[0]);
    d.month = std::stoi(nums[1]);
    if (nums.size() >= 3 && nums[2].size() <= 2) d.day = std::stoi(nums[2]);
  } else if (nums.size() >= 3 && nums[2].size() == 4) {
    d.day = std::stoi(nums[0]);
    d.month = std::stoi(nums[1]);
    d.year = std::stoi(nums[2]);
  } else if (nums.size() == 2 && nums[1].size() == 4) {
    d.month = std::stoi(nums[0]);
    d.year = std::stoi(nums[1]);
  }
  if (d.year < 1000 || d.year > 2999 || !valid_md(d.month, d.day)) return PartialDate{};
  if (d.month == 0) d.day = 0;
  return d;
}

std::vector<std::string> TextTokens(std::string_view raw) {
  std::string latin = IsAscii(raw) ? std::string(raw) : ToLatin(FoldText(raw));
  return SplitSpaces(AsciiWords(latin));
}

}  // namespace casegraph::resolve
