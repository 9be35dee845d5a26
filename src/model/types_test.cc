// Tests for model/types.h: cleaning of every property type with good and bad inputs,
// date arithmetic, country normalisation, IBAN check digits, and a throughput check.
#include "model/types.h"

#include <gtest/gtest.h>

#include <chrono>

namespace casegraph::model {
namespace {

std::string Ok(PropertyType t, std::string_view raw, const CleanOptions& o = {}) {
  auto r = CleanValue(t, raw, o);
  EXPECT_TRUE(r.ok()) << "'" << raw << "': " << r.status().ToString();
  return r.ok() ? *r : std::string("<error>");
}

std::string Bad(PropertyType t, std::string_view raw, const CleanOptions& o = {}) {
  auto r = CleanValue(t, raw, o);
  EXPECT_FALSE(r.ok()) << "'" << raw << "' cleaned to '" << (r.ok() ? *r : "") << "'";
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  return r.status().message();
}

TEST(CleanDate, IsoPartialAndFull) {
  EXPECT_EQ(Ok(PropertyType::kDate, "2019"), "2019");
  EXPECT_EQ(Ok(PropertyType::kDate, " 2019-03 "), "2019-03");
  EXPECT_EQ(Ok(PropertyType::kDate, "2019-03-05"), "2019-03-05");
  EXPECT_EQ(Ok(PropertyType::kDate, "20190305"), "2019-03-05");
  EXPECT_EQ(Ok(PropertyType::kDate, "2020-02-29"), "2020-02-29");
  EXPECT_EQ(Ok(PropertyType::kDate, "2019-03-05T10:20:30"), "2019-03-05T10:20:30");
  EXPECT_EQ(Ok(PropertyType::kDate, "2019-03-05T10:20:30Z"), "2019-03-05T10:20:30");
  EXPECT_EQ(Ok(PropertyType::kDate, "2019-03-05 10:20:30.123Z"), "2019-03-05T10:20:30");
  EXPECT_EQ(Ok(PropertyType::kDate, "2019-03-05T10:20"), "2019-03-05T10:20:00");
  // Offsets are normalised to UTC, across a day boundary too.
  EXPECT_EQ(Ok(PropertyType::kDate, "2019-03-05T10:20:30+02:00"), "2019-03-05T08:20:30");
  EXPECT_EQ(Ok(PropertyType::kDate, "2019-03-05T23:30:00-0130"), "2019-03-06T01:00:00");
  EXPECT_EQ(Ok(PropertyType::kDate, "2019-01-01T00:30:00+01"), "2018-12-31T23:30:00");
  EXPECT_EQ(Ok(PropertyType::kDate, ""), "");
}

TEST(CleanDate, RejectsImpossibleAndGarbage) {
  std::string why = Bad(PropertyType::kDate, "2019-02-30");
  EXPECT_NE(why.find("impossible date '2019-02-30'"), std::string::npos) << why;
  EXPECT_NE(why.find("28 days"), std::string::npos) << why;
  Bad(PropertyType::kDate, "2019-02-29");  // not a leap year
  Bad(PropertyType::kDate, "1900-02-29");
  Bad(PropertyType::kDate, "2019-13");
  Bad(PropertyType::kDate, "2019-00-10");
  Bad(PropertyType::kDate, "2019-04-31");
  Bad(PropertyType::kDate, "2019-03-05T24:00:00");
  Bad(PropertyType::kDate, "2019-03-05T10:61");
  Bad(PropertyType::kDate, "yesterday");
  Bad(PropertyType::kDate, "05.03.2019");  // needs a format
  Bad(PropertyType::kDate, "2019-3-5");
  Bad(PropertyType::kDate, "2019-03-05Tnoon");
  why = Bad(PropertyType::kDate, "31/31/2020");
  EXPECT_NE(why.find("unparseable date '31/31/2020'"), std::string::npos) << why;
}

TEST(CleanDate, CustomFormats) {
  CleanOptions o;
  const std::vector<std::string> formats = {"%d.%m.%Y", "%m/%d/%Y", "%d %b %Y", "%Y/%m",
                                            "%d.%m.%y %H:%M"};
  o.date_formats = formats;
  EXPECT_EQ(Ok(PropertyType::kDate, "05.03.2019", o), "2019-03-05");
  EXPECT_EQ(Ok(PropertyType::kDate, "5.3.2019", o), "2019-03-05");
  EXPECT_EQ(Ok(PropertyType::kDate, "03/05/2019", o), "2019-03-05");
  EXPECT_EQ(Ok(PropertyType::kDate, "5 Sep 2019", o), "2019-09-05");
  EXPECT_EQ(Ok(PropertyType::kDate, "17 september 2001", o), "2001-09-17");
  EXPECT_EQ(Ok(PropertyType::kDate, "2019/07", o), "2019-07");
  EXPECT_EQ(Ok(PropertyType::kDate, "01.02.99 13:45", o), "1999-02-01T13:45:00");
  EXPECT_EQ(Ok(PropertyType::kDate, "2019-03-05", o), "2019-03-05");  // ISO still works
  std::string why = Bad(PropertyType::kDate, "30.02.2019", o);
  EXPECT_NE(why.find("impossible"), std::string::npos) << why;
  why = Bad(PropertyType::kDate, "31/31/2020", o);
  EXPECT_NE(why.find("%m/%d/%Y"), std::string::npos) << why;
}

TEST(DateToUnix, PartialDatesStartOfPeriod) {
  EXPECT_EQ(DateToUnix("1970"), 0);
  EXPECT_EQ(DateToUnix("1970-01-02"), 86400);
  EXPECT_EQ(DateToUnix("2019-03-05"), 1551744000);
  EXPECT_EQ(DateToUnix("2019-03"), 1551398400);
  EXPECT_EQ(DateToUnix("2019"), 1546300800);
  EXPECT_EQ(DateToUnix("2019-03-05T10:20:30Z"), 1551781230);
  EXPECT_EQ(DateToUnix("2019-03-05T12:20:30+02:00"), 1551781230);
  EXPECT_EQ(DateToUnix("1969-12-31"), -86400);
  EXPECT_FALSE(DateToUnix("2019-02-30").has_value());
  EXPECT_FALSE(DateToUnix("nonsense").has_value());
}

TEST(UnixToIso, RoundTrips) {
  EXPECT_EQ(UnixToIso(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(UnixToIso(1551781230), "2019-03-05T10:20:30Z");
  EXPECT_EQ(UnixToIso(-1), "1969-12-31T23:59:59Z");
  for (std::int64_t t : {951782400LL, 4102444799LL, -2208988800LL}) {
    EXPECT_EQ(DateToUnix(UnixToIso(t)), t);
  }
}

TEST(CleanNumber, PlainAndGrouped) {
  EXPECT_EQ(Ok(PropertyType::kNumber, "42"), "42");
  // Plain decimals are kept exactly as written (FtM round trip without loss).
  EXPECT_EQ(Ok(PropertyType::kNumber, "-42.50"), "-42.50");
  EXPECT_EQ(Ok(PropertyType::kNumber, "1000.50"), "1000.50");
  EXPECT_EQ(Ok(PropertyType::kNumber, "1,234.56"), "1234.56");
  EXPECT_EQ(Ok(PropertyType::kNumber, "1.234,56"), "1234.56");
  EXPECT_EQ(Ok(PropertyType::kNumber, "1,234,567"), "1234567");
  EXPECT_EQ(Ok(PropertyType::kNumber, "1.234.567"), "1234567");
  EXPECT_EQ(Ok(PropertyType::kNumber, "1,234"), "1234");
  EXPECT_EQ(Ok(PropertyType::kNumber, "12,5"), "12.5");
  EXPECT_EQ(Ok(PropertyType::kNumber, "1 234 567,89"), "1234567.89");
  EXPECT_EQ(Ok(PropertyType::kNumber, "1'234.50"), "1234.5");
  EXPECT_EQ(Ok(PropertyType::kNumber,
               "1\xC2\xA0"
               "234"),
            "1234");
  EXPECT_EQ(Ok(PropertyType::kNumber, "0.000"), "0.000");
  EXPECT_EQ(Ok(PropertyType::kNumber, "007"), "007");
  EXPECT_EQ(Ok(PropertyType::kNumber, "0,000"), "0");
  EXPECT_EQ(Ok(PropertyType::kNumber, ".5"), "0.5");
  EXPECT_EQ(Ok(PropertyType::kNumber, "+3"), "3");
  EXPECT_EQ(Ok(PropertyType::kNumber, "1.5E+06"), "1500000");
  EXPECT_EQ(Ok(PropertyType::kNumber, "2.5e-3"), "0.0025");
  EXPECT_EQ(Ok(PropertyType::kNumber, "25%"), "25");
  EXPECT_EQ(Ok(PropertyType::kNumber, "(1,000.00)"), "-1000");
}

TEST(CleanNumber, CurrenciesStripped) {
  EXPECT_EQ(Ok(PropertyType::kNumber, "$1,234.56"), "1234.56");
  EXPECT_EQ(Ok(PropertyType::kNumber, "EUR 1.234,50"), "1234.5");
  EXPECT_EQ(Ok(PropertyType::kNumber, "1234.5 USD"), "1234.5");
  EXPECT_EQ(Ok(PropertyType::kNumber, "€ 99"), "99");
  EXPECT_EQ(Ok(PropertyType::kNumber, "99 €"), "99");
  EXPECT_EQ(Ok(PropertyType::kNumber, "£5"), "5");
  EXPECT_EQ(Ok(PropertyType::kNumber, "-$5.00"), "-5");
  EXPECT_EQ(Ok(PropertyType::kNumber, "US$ 10"), "10");
  EXPECT_EQ(Ok(PropertyType::kNumber, "1 000 ₽"), "1000");
}

TEST(CleanNumber, Rejects) {
  Bad(PropertyType::kNumber, "abc");
  Bad(PropertyType::kNumber, "12abc34");
  Bad(PropertyType::kNumber, "1.2.3,4,5");
  Bad(PropertyType::kNumber, "1e");
  Bad(PropertyType::kNumber, "$");
  Bad(PropertyType::kNumber, "--5");
  Bad(PropertyType::kNumber, "5,");
  std::string why = Bad(PropertyType::kNumber, "ten");
  EXPECT_NE(why.find("unparseable number 'ten'"), std::string::npos);
}

TEST(NormalizeCountry, CodesNamesAndVariants) {
  EXPECT_EQ(NormalizeCountry("DE"), "de");
  EXPECT_EQ(NormalizeCountry("de"), "de");
  EXPECT_EQ(NormalizeCountry("DEU"), "de");
  EXPECT_EQ(NormalizeCountry("GBR"), "gb");
  EXPECT_EQ(NormalizeCountry("Germany"), "de");
  EXPECT_EQ(NormalizeCountry("Deutschland"), "de");
  EXPECT_EQ(NormalizeCountry("Allemagne"), "de");
  EXPECT_EQ(NormalizeCountry("Alemania"), "de");
  EXPECT_EQ(NormalizeCountry("Германия"), "de");
  EXPECT_EQ(NormalizeCountry("UK"), "gb");
  EXPECT_EQ(NormalizeCountry("United Kingdom"), "gb");
  EXPECT_EQ(NormalizeCountry("USA"), "us");
  EXPECT_EQ(NormalizeCountry("United States"), "us");
  EXPECT_EQ(NormalizeCountry("Vereinigte Staaten"), "us");
  EXPECT_EQ(NormalizeCountry("Russia"), "ru");
  EXPECT_EQ(NormalizeCountry("Russian Federation"), "ru");
  EXPECT_EQ(NormalizeCountry("Россия"), "ru");
  EXPECT_EQ(NormalizeCountry("Russie"), "ru");
  EXPECT_EQ(NormalizeCountry("  switzerland "), "ch");
  EXPECT_EQ(NormalizeCountry("Schweiz"), "ch");
  EXPECT_EQ(NormalizeCountry("Suisse"), "ch");
  EXPECT_EQ(NormalizeCountry("Österreich"), "at");
  EXPECT_EQ(NormalizeCountry("Côte d'Ivoire"), "ci");
  EXPECT_EQ(NormalizeCountry("España"), "es");
  EXPECT_EQ(NormalizeCountry("British Virgin Islands"), "vg");
  EXPECT_EQ(NormalizeCountry("Kosovo"), "xk");
  EXPECT_EQ(NormalizeCountry("Soviet Union"), "suhh");
  EXPECT_EQ(NormalizeCountry("zz"), "zz");
  EXPECT_EQ(NormalizeCountry("gb-eng"), "gb-eng");
  EXPECT_FALSE(NormalizeCountry("Atlantis").has_value());
  EXPECT_FALSE(NormalizeCountry("QQ").has_value());
  EXPECT_FALSE(NormalizeCountry("").has_value());
  EXPECT_EQ(Ok(PropertyType::kCountry, "Deutschland"), "de");
  std::string why = Bad(PropertyType::kCountry, "Narnia");
  EXPECT_NE(why.find("unknown country 'Narnia'"), std::string::npos);
}

TEST(CleanEmail, ValidatesAndLowerCasesDomain) {
  EXPECT_EQ(Ok(PropertyType::kEmail, " John.Doe@Example.COM "), "John.Doe@example.com");
  EXPECT_EQ(Ok(PropertyType::kEmail, "mailto:a@b.org"), "a@b.org");
  EXPECT_EQ(Ok(PropertyType::kEmail, "<x+tag@mail.co.uk>"), "x+tag@mail.co.uk");
  Bad(PropertyType::kEmail, "no-at-sign");
  Bad(PropertyType::kEmail, "@example.com");
  Bad(PropertyType::kEmail, "user@");
  Bad(PropertyType::kEmail, "user@localhost");
  Bad(PropertyType::kEmail, "us er@example.com");
  Bad(PropertyType::kEmail, "user@exa_mple.com");
  Bad(PropertyType::kEmail, "user@example..com");
}

TEST(CleanPhone, StripsFormattingAndAddsCallingCode) {
  EXPECT_EQ(Ok(PropertyType::kPhone, "+49 30 123456"), "+4930123456");
  EXPECT_EQ(Ok(PropertyType::kPhone, "+49 (0)30-123 456"), "+49030123456");
  EXPECT_EQ(Ok(PropertyType::kPhone, "0049 30 123456"), "+4930123456");
  EXPECT_EQ(Ok(PropertyType::kPhone, "tel:+1-202-555-0143"), "+12025550143");
  EXPECT_EQ(Ok(PropertyType::kPhone, "030 123456"), "030123456");  // no default country
  CleanOptions de;
  de.default_country = "de";
  EXPECT_EQ(Ok(PropertyType::kPhone, "030 123456", de), "+4930123456");
  EXPECT_EQ(Ok(PropertyType::kPhone, "+44 20 7946 0958", de), "+442079460958");
  CleanOptions it;
  it.default_country = "it";
  EXPECT_EQ(Ok(PropertyType::kPhone, "06 1234 5678", it), "+390612345678");
  EXPECT_EQ(Ok(PropertyType::kPhone, "+1 202 555 0143 ext 12"), "+12025550143");
  Bad(PropertyType::kPhone, "call me");
  Bad(PropertyType::kPhone, "12");
  Bad(PropertyType::kPhone, "+49 30 12#34");
}

TEST(CleanIban, CheckDigits) {
  EXPECT_EQ(Ok(PropertyType::kIban, "de89 3704 0044 0532 0130 00"), "DE89370400440532013000");
  EXPECT_EQ(Ok(PropertyType::kIban, "GB82 WEST 1234 5698 7654 32"), "GB82WEST12345698765432");
  EXPECT_EQ(Ok(PropertyType::kIban, "IBAN NL91ABNA0417164300"), "NL91ABNA0417164300");
  EXPECT_TRUE(IbanValid("DE89370400440532013000"));
  EXPECT_TRUE(IbanValid("FR1420041010050500013M02606"));
  EXPECT_FALSE(IbanValid("DE88370400440532013000"));  // wrong check digits
  EXPECT_FALSE(IbanValid("DE89 3704"));
  EXPECT_FALSE(IbanValid("1234567890123456"));
  std::string why = Bad(PropertyType::kIban, "DE89 3704 0044 0532 0130 01");
  EXPECT_NE(why.find("check digits"), std::string::npos);
  Bad(PropertyType::kIban, "DE89-3704-0044-0532-0130-0!");
}

TEST(CleanValue, NamesIdentifiersEntitiesUrls) {
  EXPECT_EQ(Ok(PropertyType::kName, "  John   \t Smith "), "John Smith");
  EXPECT_EQ(Ok(PropertyType::kName, "Анна\xC2\xA0Иванова"), "Анна Иванова");
  EXPECT_EQ(Ok(PropertyType::kIdentifier, " HRB 12345 "), "HRB 12345");
  EXPECT_EQ(Ok(PropertyType::kEntity, " abc123 "), "abc123");
  EXPECT_EQ(Ok(PropertyType::kString, "  keep  inner  "), "keep  inner");
  EXPECT_EQ(Ok(PropertyType::kText, "\nline1\nline2\n"), "line1\nline2");
  EXPECT_EQ(Ok(PropertyType::kUrl, "HTTPS://Example.COM/Path?Q=1"), "https://example.com/Path?Q=1");
  EXPECT_EQ(Ok(PropertyType::kUrl, "www.example.org/x"), "http://www.example.org/x");
  Bad(PropertyType::kUrl, "not a url");
  Bad(PropertyType::kUrl, "localhost");
  Bad(PropertyType::kUrl, "http:///path");
}

TEST(CleanValue, GenderAndLanguage) {
  EXPECT_EQ(Ok(PropertyType::kGender, "M"), "male");
  EXPECT_EQ(Ok(PropertyType::kGender, "Female"), "female");
  EXPECT_EQ(Ok(PropertyType::kGender, "weiblich"), "female");
  EXPECT_EQ(Ok(PropertyType::kGender, "divers"), "other");
  Bad(PropertyType::kGender, "unknownish");
  EXPECT_EQ(Ok(PropertyType::kLanguage, "en"), "eng");
  EXPECT_EQ(Ok(PropertyType::kLanguage, "German"), "deu");
  EXPECT_EQ(Ok(PropertyType::kLanguage, "rus"), "rus");
  EXPECT_EQ(Ok(PropertyType::kLanguage, "ger"), "deu");
  Bad(PropertyType::kLanguage, "Klingonish");
}

TEST(CleanValue, Throughput) {
  // Not a benchmark, a guard against accidental slowness (regex, locale, allocation storms).
  std::vector<std::pair<PropertyType, std::string>> inputs = {
      {PropertyType::kDate, "2019-03-05"},     {PropertyType::kNumber, "1,234.56"},
      {PropertyType::kCountry, "Germany"},     {PropertyType::kCountry, "DE"},
      {PropertyType::kPhone, "+49 30 123456"}, {PropertyType::kName, "John  Smith"},
      {PropertyType::kEmail, "a@example.com"}, {PropertyType::kIban, "DE89370400440532013000"}};
  (void)CleanValue(PropertyType::kCountry, "warm-up");
  const int kRounds = 50000;
  auto start = std::chrono::steady_clock::now();
  std::size_t total = 0;
  for (int i = 0; i < kRounds; ++i) {
    for (const auto& [t, v] : inputs) total += CleanValue(t, v)->size();
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double per_sec = kRounds * inputs.size() / secs;
  std::printf("CleanValue: %.1f M values/s (%zu bytes)\n", per_sec / 1e6, total);
  EXPECT_GT(per_sec, 1e6);
}

}  // namespace
}  // namespace casegraph::model
