// Name material for the generator: person names from several cultures (with Cyrillic,
// Chinese and Arabic renderings and alternative romanisations where they exist),
// company names with legal forms per jurisdiction, streets and cities, and the
// "dirty duplicate" variants entity resolution must see through (typos, swapped name
// parts, transliterations, legal-form spellings, other formats).
// All functions are pure given the Rng passed in; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "gen/random.h"

namespace casegraph::gen {

enum class Culture { kGerman, kEnglish, kRussian, kChinese, kArabic, kSpanish, kFrench, kTurkish };

struct PersonName {
  Culture culture = Culture::kEnglish;
  bool female = false;
  int first = 0;    // indices into the culture's tables
  int first2 = -1;  // second given-name syllable (Chinese) or middle name; -1 = none
  int last = 0;
  std::string first_name;  // Latin, as a register would write it
  std::string last_name;
  std::string full;  // "First Last"; Chinese "Last First"
};

struct Country {
  const char* code;  // ISO 3166-1 alpha-2, upper case
  const char* name;  // English name
  const char* dial;  // calling code without "+"
  Culture culture;
  bool offshore;
};

// The country table; CountryAt(i) for i in [0, CountryCount()).
int CountryCount();
const Country& CountryAt(int i);
// A country drawn with realistic weights (onshore mostly).
int PickCountry(Rng& rng);
// An offshore jurisdiction (VG, KY, SC, PA, CY, MT, AE, ...).
int PickOffshore(Rng& rng);

PersonName MakePersonName(Rng& rng, Culture culture, bool female);

enum class PersonVariantKind { kTypo, kSwapped, kTransliterated, kInitial, kCase, kAltSpelling };
const char* PersonVariantName(PersonVariantKind kind);
// A differently written name of the same person; `kind` says which change was made.
std::string PersonVariant(const PersonName& name, Rng& rng, PersonVariantKind* kind);

struct CompanyName {
  std::string name;        // full name as registered, with legal form
  std::string legal_form;  // "GmbH", "Ltd", "ООО", ...
  int country = 0;
  std::uint64_t words = 0;  // what the name was built from (for variants)
};
CompanyName MakeCompanyName(Rng& rng, int country, std::uint64_t unique);

enum class CompanyVariantKind { kTypo, kLegalForm, kCase, kTransliterated };
const char* CompanyVariantName(CompanyVariantKind kind);
std::string CompanyVariant(const CompanyName& name, Rng& rng, CompanyVariantKind* kind);

// A street line and a city for an address in `country`.
std::string MakeStreet(Rng& rng, int country);
std::string MakeCity(Rng& rng, int country);
const char* PickBankName(Rng& rng, int country);

// Introduces one typo (delete, swap, substitute, double) into an ASCII letter of `s`.
std::string Typo(std::string_view s, Rng& rng);
// ASCII lower case of `s` (UTF-8 bytes above 0x7f unchanged).
std::string AsciiLower(std::string_view s);
std::string AsciiUpper(std::string_view s);

}  // namespace casegraph::gen
