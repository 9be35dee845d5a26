// Normalisation for entity resolution: Unicode folding, script detection, transliteration
// to Latin (ICU transliterators, cached per thread), name analysis into parts (titles
// dropped, legal forms canonicalised, initials and particles marked), a phonetic
// "skeleton" that absorbs transliteration variants, and normalisers for identifiers,
// phones, emails, IBANs and (partial) dates.
//
// All functions are pure and thread-safe (ICU transliterators are cached per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casegraph::resolve {

// Writing system of a token, from the Unicode script property of its letters.
enum class Script : std::uint8_t {
  kUnknown,
  kLatin,
  kCyrillic,
  kGreek,
  kArabic,
  kHebrew,
  kHan,
  kHangul,
  kKana,
  kDevanagari,
  kThai,
  kArmenian,
  kGeorgian,
  kOther
};
const char* ScriptName(Script script);
// The dominant script of a UTF-8 string (most letters); kUnknown without letters.
Script DetectScript(std::string_view utf8);
// Scripts whose characters are syllables or words: edit distances are compared natively.
bool IsSyllabicScript(Script script);

// NFKC, case folding and removal of combining marks ("Erdoğan" -> "erdogan",
// "Straße" -> "strasse"). Non-Latin letters are kept (folded).
std::string FoldText(std::string_view utf8);

// Transliterates any script to lower-case ASCII Latin ("Олаф Шольц" -> "olaf sholts",
// "习近平" -> "xijinping": runs of Han are joined into one word). Characters with no
// transliteration (e.g. Khmer with this ICU) are kept folded.
std::string ToLatin(std::string_view utf8);

// A transliteration-tolerant phonetic key of an ASCII token: sch/sh, ph/f, w/v, y/i, c/k,
// z/ts/s, kh/h, th/t, doubled letters collapsed ("scholz" and "sholts" -> "shols").
std::string Skeleton(std::string_view ascii_token);

// Kind of a name: drives title removal, legal forms and how missing parts weigh.
enum class NameKind : std::uint8_t { kPerson, kOrganization, kOther };
// Maps an FtM schema name to a NameKind ("Person" -> kPerson, "Company" -> kOrganization).
NameKind NameKindForSchema(std::string_view schema);

enum class PartKind : std::uint8_t {
  kWord,       // an ordinary name part
  kInitial,    // a single letter ("W." in "William W. Frost")
  kParticle,   // al, bin, de, van, the, of, and ...
  kLegalForm,  // a canonical legal form ("gmbh", "llc", "jsc" ...)
  kNumber,     // digits, number words and roman numerals converted to digits
};

struct NamePart {
  std::string latin;      // lower-case ASCII transliteration, [a-z0-9] only
  std::string skeleton;   // Skeleton(latin)
  std::u32string native;  // folded original characters (for same-script comparison;
                          // empty for Latin parts, which compare by `latin`)
  Script script = Script::kUnknown;
  PartKind kind = PartKind::kWord;
};

// A name split into parts, in their original order.
struct AnalyzedName {
  std::vector<NamePart> parts;
  std::vector<std::string> legal_forms;  // canonical forms found (also kept as parts)
  NameKind kind = NameKind::kOther;
  // Lower-case ASCII form of the meaningful parts joined by spaces, for display/blocking.
  std::string Key() const;
};

// Analyses a raw name: NFKC + folding, "Last, First" handled by order-free comparison,
// punctuation split, dotted initialisms joined ("J.P." -> "jp", "o.O.O." -> "ooo"), titles
// and honorifics dropped (persons), legal forms canonicalised via the legal-form table,
// number words ("three", "forty 4") turned into digits, tokens transliterated. Results are
// memoised per thread (names repeat across records).
AnalyzedName AnalyzeName(std::string_view raw, NameKind kind);

// Canonical legal form for a sequence of lower-case ASCII tokens, or "" ("aktiengesellschaft"
// -> "ag"; {"limited","liability","company"} -> "llc"). `consumed` receives the number of
// tokens matched starting at `tokens[start]`.
std::string MatchLegalForm(const std::vector<std::string>& tokens, size_t start, size_t* consumed);

// ---- Non-name values ----------------------------------------------------------------

// Identifier: upper-case alphanumerics only ("de 123-45" -> "DE12345").
std::string NormalizeIdentifier(std::string_view raw);
// Email: trimmed and lower-cased; "" if not an email.
std::string NormalizeEmail(std::string_view raw);
// Phone: digits only, leading "00" -> "", keeps the last 10 digits so that national and
// international spellings agree ("+49 (30) 1234-567" and "030 1234567" -> "301234567").
std::string NormalizePhone(std::string_view raw);
// IBAN: compact upper-case; nullopt when the ISO 13616 mod-97 check fails.
std::optional<std::string> NormalizeIban(std::string_view raw);

// A date that may be partial: year, year-month or full date. 0 means unknown.
struct PartialDate {
  int year = 0, month = 0, day = 0;
  bool valid() const { return year != 0; }
  std::string ToString() const;  // "1971", "1971-06", "1971-06-24"
};
// Parses ISO dates ("1971-06-24", "1971-06", "1971"), compact "19710624", and
// "24.06.1971" / "24/06/1971" (day first). Invalid -> !valid().
PartialDate ParseDate(std::string_view raw);

// Lower-case ASCII word tokens of free text (transliterated), for generic string fields.
std::vector<std::string> TextTokens(std::string_view raw);

}  // namespace casegraph::resolve
