// Cleaning and validation of property values by FtM property type: partial dates,
// country names to ISO codes, numbers and amounts, emails, phones, IBANs (check
// digits), identifiers, URLs, names. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casegraph/status.h"
#include "model/schema.h"

namespace casegraph::model {

struct CleanOptions {
  // Extra input date formats to try (strptime-like: "%d.%m.%Y", "%m/%d/%Y"), from a mapping.
  // A view: the caller keeps the strings alive while cleaning (mappings hold them, so the
  // importer does not copy them for every value).
  std::span<const std::string> date_formats;
  // Default country for phone numbers without an international prefix (ISO code, lower case).
  std::string default_country;
};

// Cleans `raw` as a value of type `type`. Returns the canonical string, or a kParseError
// Status with the reason ("unparseable date '31/31/2020'", "impossible date '2019-02-30':
// day 30 does not exist in 2019-02 (it has 28 days)"). Whitespace is trimmed; an empty
// value yields an empty string (caller skips it). No regular expressions; about 2 M
// mixed values/s on one core. The rules per type:
//  - date: ISO 8601 "YYYY", "YYYY-MM", "YYYY-MM-DD", "YYYYMMDD", date-times
//    "YYYY-MM-DD[T ]HH[:MM[:SS[.fff]]]" with optional "Z" or "+HH[:MM]" offset (converted
//    to UTC, output "YYYY-MM-DDTHH:MM:SS"); then each of options.date_formats in order
//    (%Y %y %m %d %e %H %M %S %b %B and literals; precision follows the fields present).
//    Impossible dates (2019-02-30, month 13, hour 24) are errors.
//  - number: a value that is already a plain decimal ("1000.50", "-3", "007") is kept
//    exactly as written, so FtM data round-trips unchanged. Otherwise currency symbols ($ € £ ¥
//    ₽
//    ...) and 3-letter codes ("EUR 5", "5 USD") at either end, a trailing '%' and grouping
//    spaces/apostrophes/underscores are dropped;
//    "(5)" is -5. Separators: with both ',' and '.', the last one is the decimal point
//    ("1,234.56" and "1.234,56" -> 1234.56); a single ',' followed by exactly three digits
//    groups thousands ("1,234" -> 1234), otherwise it is a decimal comma ("12,5" -> 12.5);
//    a single '.' is a decimal point; repeated ones group ("1.234.567"). Exponents are
//    expanded exactly ("1.5E+06" -> 1500000). Output of such a rewrite: plain decimal, no
//    leading zeros, no trailing fractional zeros ("1'234.50" -> "1234.5").
//  - country: see NormalizeCountry; unknown names are errors.
//  - email: optional "mailto:" and <...> removed; local@domain with a dotted domain;
//    the domain is lower-cased, the local part kept.
//  - phone: spaces, dashes, dots, brackets, slashes and "tel:" dropped, "00" becomes '+',
//    an extension ("ext 12", "x12") is cut off; letters are errors. Without '+', if
//    options.default_country is set its calling code is prefixed and one national trunk
//    '0' dropped (except it/sm/va): "030 123456" + de -> "+4930123456"; else digits only.
//  - iban: "IBAN" prefix, spaces, dashes removed, upper-cased; must pass IbanValid.
//  - url: no whitespace; scheme and host lower-cased; "www.x.org" gets "http://".
//  - name: whitespace (incl. Unicode spaces) collapsed to single spaces.
//  - gender: male/female/other from common English/German/French/Spanish words and
//    abbreviations (m, f, w, d, x...); others are errors.
//  - language: ISO 639-1/-2/-3 codes or English/German/French/Spanish/Russian names to
//    ISO 639-3 ("en", "English" -> "eng") as FtM stores them.
//  - entity, identifier, string, text, address and the rest: trimmed only.
Result<std::string> CleanValue(PropertyType type, std::string_view raw,
                               const CleanOptions& options = {});

// Dates: parses a cleaned or raw partial date into a unix time (start of the period, UTC).
std::optional<std::int64_t> DateToUnix(std::string_view date);
// Unix seconds to "YYYY-MM-DDTHH:MM:SSZ".
std::string UnixToIso(std::int64_t seconds);

// Country: alpha-2 or alpha-3 code, or a name in English, German, French, Spanish, Russian
// and other common languages (from ICU's locale data) or a variant ("UK", "USA",
// "Russia", "Deutschland", "Côte d'Ivoire") → FtM code ("gb", "us", "ru", "de", "ci"), or
// nullopt. Also FtM's own codes ("zz", "eu", "xk", "suhh", "gb-eng"...). Case, accents
// and punctuation are ignored. The table is built once on first use (~0.1 s).
std::optional<std::string> NormalizeCountry(std::string_view raw);

// IBAN validity (mod-97 check digits) on a string without spaces.
bool IbanValid(std::string_view iban);

}  // namespace casegraph::model
