// Cleaning and validation of property values by FtM property type: partial dates,
// country names to ISO codes, numbers and amounts, emails, phones, IBANs (check
// digits), identifiers, URLs, names. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "casegraph/status.h"
#include "model/schema.h"

namespace casegraph::model {

struct CleanOptions {
  // Extra input date formats to try (strptime-like: "%d.%m.%Y", "%m/%d/%Y"), from a mapping.
  std::vector<std::string> date_formats;
  // Default country for phone numbers without an international prefix (ISO code, lower case).
  std::string default_country;
};

// Cleans `raw` as a value of type `type`. Returns the canonical string (dates as
// "YYYY", "YYYY-MM", "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS"; countries as lower-case
// ISO 3166-1 alpha-2 codes like FtM ("de", "gb", plus FtM's "zz", "suhh"...); numbers
// as plain decimals; IBANs upper case without spaces; emails lower-case domain...), or a
// kParseError/kSchemaError Status with the reason ("unparseable date '31/31/2020'").
// Whitespace is trimmed; an empty value yields an empty string (caller skips it).
Result<std::string> CleanValue(PropertyType type, std::string_view raw, const CleanOptions& options = {});

// Dates: parses a cleaned or raw partial date into a unix time (start of the period, UTC).
std::optional<std::int64_t> DateToUnix(std::string_view date);
// Unix seconds to "YYYY-MM-DDTHH:MM:SSZ".
std::string UnixToIso(std::int64_t seconds);

// Country: name, alpha-2 or alpha-3 code in many languages → FtM code, or nullopt.
std::optional<std::string> NormalizeCountry(std::string_view raw);

// IBAN validity (mod-97 check digits) on a string without spaces.
bool IbanValid(std::string_view iban);

}  // namespace casegraph::model
