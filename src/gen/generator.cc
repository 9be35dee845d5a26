// The synthetic investigation generator (see generator.h and docs/generator.md).
//
// Every entity's attributes come from its own random stream, Rng::For(seed, kind, index),
// so any entity can be regenerated from its index without storing it; links are drawn
// from a sequential stream. Planted patterns are decided up front (a few dozen entities)
// and written as ordinary rows. Everything is streamed; only the ground truth and the
// in-register duplicate rows are held in memory (small).
#include "gen/generator.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <climits>
#include <cmath>
#include <filesystem>
#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "common/hash.h"
#include "gen/csv_writer.h"
#include "gen/mapping.h"
#include "gen/names.h"
#include "gen/random.h"

namespace casegraph::gen {

std::string FtmEntityId(std::string_view key_prefix, std::string_view key_literal,
                        std::vector<std::string> key_values) {
  std::sort(key_values.begin(), key_values.end());
  Digest digest(Digest::Kind::kSha1);
  digest.Update(key_prefix);
  digest.Update(key_literal);
  bool has_value = false;
  for (const std::string& v : key_values) {
    if (v.empty()) continue;
    digest.Update(v);
    has_value = true;
  }
  if (!has_value) return "";
  return digest.HexDigest();
}

namespace {

// Salts for the per-entity random streams.
enum Salt : std::uint64_t {
  kSaltAddress = 1,
  kSaltPerson,
  kSaltCompany,
  kSaltAccount,
  kSaltEvent,
  kSaltDuplicate,
  kSaltPlan,
  kSaltLinks,
};

constexpr int kAgentAddresses = 6;  // registered-agent addresses shared by offshore companies
constexpr double kSmurfThreshold = 10000.0;

std::string Key(char prefix, std::int64_t n) {
  char buf[24];
  buf[0] = prefix;
  auto res = std::to_chars(buf + 1, buf + sizeof buf, n);
  std::string digits(buf + 1, res.ptr);
  std::string out(1, prefix);
  if (digits.size() < 8) out.append(8 - digits.size(), '0');
  return out + digits;
}
std::string Key2(const char* prefix, std::int64_t n) {
  std::string k = Key('x', n);
  return std::string(prefix) + k.substr(1);
}

std::string PersonKey(std::int64_t i) {
  return Key('P', i);
}
std::string CompanyKey(std::int64_t i) {
  return Key('C', i);
}
std::string AddressKey(std::int64_t i) {
  return Key2("AD", i);
}
std::string PersonAccountKey(std::int64_t i) {
  return Key2("AP", i);
}
std::string CompanyAccountKey(std::int64_t i) {
  return Key2("AC", i);
}

// Days since 1970-01-01 -> civil date (H. Hinnant's algorithm).
struct Ymd {
  int y, m, d;
};
Ymd CivilFromDays(std::int64_t z) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  auto doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  auto y = static_cast<int>(yoe) + static_cast<int>(era * 400);
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), static_cast<int>(m), static_cast<int>(d)};
}
std::int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  auto yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
void Two(std::string& s, int v) {
  s.push_back(static_cast<char>('0' + v / 10));
  s.push_back(static_cast<char>('0' + v % 10));
}
std::string IsoDate(std::int64_t days) {
  Ymd c = CivilFromDays(days);
  std::string s = std::to_string(c.y);
  s.push_back('-');
  Two(s, c.m);
  s.push_back('-');
  Two(s, c.d);
  return s;
}
std::string DottedDate(std::int64_t days) {  // dd.mm.yyyy
  Ymd c = CivilFromDays(days);
  std::string s;
  Two(s, c.d);
  s.push_back('.');
  Two(s, c.m);
  s.push_back('.');
  return s + std::to_string(c.y);
}
// seconds since epoch -> "2019-03-04T10:00:00"
std::string IsoDateTime(std::int64_t secs) {
  std::string s = IsoDate(secs / 86400);
  std::int64_t r = secs % 86400;
  s.push_back('T');
  Two(s, static_cast<int>(r / 3600));
  s.push_back(':');
  Two(s, static_cast<int>(r / 60 % 60));
  s.push_back(':');
  Two(s, static_cast<int>(r % 60));
  return s;
}

const std::int64_t kDay2015 = DaysFromCivil(2015, 1, 1);
const std::int64_t kDay2025End = DaysFromCivil(2025, 12, 31);

std::string Digits(Rng& rng, int n) {
  std::string s(static_cast<std::size_t>(n), '0');
  for (char& c : s) c = static_cast<char>('0' + rng.Below(10));
  return s;
}

// IBAN with valid ISO 13616 check digits over a numeric BBAN.
std::string MakeIban(const char* country, Rng& rng) {
  std::string bban = Digits(rng, 18);
  std::string rearranged = bban;
  for (const char* p = country; *p; ++p) rearranged += std::to_string(*p - 'A' + 10);
  rearranged += "00";
  int mod = 0;
  for (char c : rearranged) mod = (mod * 10 + (c - '0')) % 97;
  int check = 98 - mod;
  std::string out(country);
  Two(out, check);
  return out + bban;
}

const char* CurrencyFor(const char* code) {
  std::string_view c(code);
  if (c == "GB") return "GBP";
  if (c == "US" || c == "VG" || c == "KY" || c == "PA" || c == "SC") return "USD";
  if (c == "CH") return "CHF";
  if (c == "RU" || c == "KZ") return "RUB";
  if (c == "UA") return "UAH";
  if (c == "CN") return "CNY";
  if (c == "HK") return "HKD";
  if (c == "SG") return "SGD";
  if (c == "AE") return "AED";
  if (c == "TR") return "TRY";
  return "EUR";
}

std::string AsciiOnly(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && std::isalnum(u)) out.push_back(static_cast<char>(std::tolower(u)));
  }
  return out;
}

// ---- Random-access entity attributes ------------------------------------------------

struct AddressInfo {
  int country;
  std::string street, city, postal, full;
};

const char* const kAgentLines[kAgentAddresses] = {
    "Trident Chambers, Wickhams Cay 1",         "Craigmuir Chambers, Road Town",
    "Arch. Makariou III 195, Neocleous House",  "Ugland House, South Church Street",
    "Calle 50, Edificio Global Plaza, Piso 19", "Suite 7, Hunkins Waterfront Plaza, Main Street"};
const char* const kAgentCountry[kAgentAddresses] = {"VG", "VG", "CY", "KY", "PA", "VG"};
const char* const kAgentCity[kAgentAddresses] = {"Road Town",   "Road Town",   "Limassol",
                                                 "George Town", "Panama City", "Charlestown"};

int CountryIndexOf(const char* code) {
  for (int i = 0; i < CountryCount(); ++i) {
    if (std::string_view(CountryAt(i).code) == code) return i;
  }
  return 0;
}

AddressInfo MakeAddress(std::uint64_t seed, std::int64_t i) {
  AddressInfo a;
  Rng rng = Rng::For(seed, kSaltAddress, static_cast<std::uint64_t>(i));
  if (i < kAgentAddresses) {
    a.country = CountryIndexOf(kAgentCountry[i]);
    a.street = kAgentLines[i];
    a.city = kAgentCity[i];
    a.postal = i == 2 ? "3035" : "";
  } else {
    a.country = PickCountry(rng);
    a.street = MakeStreet(rng, a.country);
    a.city = MakeCity(rng, a.country);
    a.postal = Digits(rng, 5);
  }
  a.full = a.street + ", " + (a.postal.empty() ? "" : a.postal + " ") + a.city + ", " +
           CountryAt(a.country).name;
  return a;
}

struct Sizes {
  std::int64_t persons, companies, addresses, events;
  std::int64_t directorships, ownerships, person_ownerships;
};

Sizes SizesFor(std::int64_t scale) {
  Sizes s;
  s.persons = std::max<std::int64_t>(40, scale * 8 / 100);
  s.companies = std::max<std::int64_t>(25, scale * 6 / 100);
  s.addresses = kAgentAddresses + std::max<std::int64_t>(20, scale * 3 / 100);
  s.events = std::max<std::int64_t>(8, scale * 35 / 1000);
  s.directorships = s.companies * 13 / 10;
  s.ownerships = s.companies / 2;
  s.person_ownerships = s.companies * 8 / 10;
  return s;
}

std::int64_t PickAddressFor(Rng& rng, const Sizes& z) {
  auto n = static_cast<std::uint64_t>(z.addresses - kAgentAddresses);
  return kAgentAddresses + static_cast<std::int64_t>(Scatter(rng.Skewed(n, 1.4), n, 7));
}

struct PersonInfo {
  PersonName name;
  std::string gender, birth_date, nationality, email, phone, passport;
  std::int64_t birth_days;
  std::int64_t address;
  int country;
};

const char* EmailDomain(Rng& rng, Culture c) {
  static const char* kGeneric[] = {"gmail.com", "outlook.com", "yahoo.com", "protonmail.com",
                                   "icloud.com"};
  switch (c) {
    case Culture::kGerman:
      return rng.Chance(0.5) ? "web.de" : "gmx.de";
    case Culture::kRussian:
      return rng.Chance(0.5) ? "mail.ru" : "yandex.ru";
    case Culture::kChinese:
      return rng.Chance(0.5) ? "qq.com" : "163.com";
    default:
      return rng.Pick(kGeneric);
  }
}

std::string MakePhone(Rng& rng, int country) {
  std::string p = "+";
  p += CountryAt(country).dial;
  p += " " + std::to_string(rng.Range(20, 99)) + " " + Digits(rng, 7);
  return p;
}

// Another way to write the same phone number: national, 00-prefixed, or without spaces.
std::string PhoneVariant(const std::string& phone, Rng& rng) {
  std::string digits;
  for (char c : phone) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  auto sp = phone.find(' ');
  std::string cc = phone.substr(1, sp - 1);
  std::string national = digits.substr(cc.size());
  switch (rng.Below(3)) {
    case 0:
      return "00" + digits;
    case 1:
      return "0" + national.substr(0, 2) + "/" + national.substr(2);
    default:
      return "+" + digits;
  }
}

PersonInfo MakePerson(std::uint64_t seed, std::int64_t i, const Sizes& z) {
  PersonInfo p;
  Rng rng = Rng::For(seed, kSaltPerson, static_cast<std::uint64_t>(i));
  p.address = PickAddressFor(rng, z);
  int addr_country = MakeAddress(seed, p.address).country;
  p.country = rng.Chance(0.8) ? addr_country : PickCountry(rng);
  bool female = rng.Chance(0.45);
  p.name = MakePersonName(rng, CountryAt(p.country).culture, female);
  p.gender = female ? "female" : "male";
  p.nationality = CountryAt(p.country).code;
  p.birth_days = DaysFromCivil(1940, 1, 1) + rng.Range(0, 62 * 365);
  p.birth_date = IsoDate(p.birth_days);
  if (rng.Chance(0.7)) {
    std::string local = AsciiOnly(p.name.first_name);
    std::string last = AsciiOnly(p.name.last_name);
    if (local.empty()) local = "info";
    if (!last.empty()) local += (rng.Chance(0.5) ? "." : "_") + last;
    if (rng.Chance(0.4)) local += std::to_string(rng.Range(1, 99));
    p.email = local + "@" + EmailDomain(rng, p.name.culture);
  }
  if (rng.Chance(0.8)) p.phone = MakePhone(rng, p.country);
  if (rng.Chance(0.4)) {
    p.passport = std::string(1, static_cast<char>('A' + rng.Below(26))) +
                 static_cast<char>('A' + rng.Below(26)) + Digits(rng, 7);
  }
  return p;
}

enum class CompanyRole { kNone, kShell, kTarget, kCycle, kSmurfHub };

struct CompanyInfo {
  CompanyName name;
  std::string registration, incorporation, email, phone, sector;
  std::int64_t incorporation_days;
  std::int64_t address;
};

std::string RegistrationNumber(Rng& rng, const char* code) {
  std::string_view c(code);
  if (c == "DE") return (rng.Chance(0.8) ? "HRB " : "HRA ") + Digits(rng, 6);
  if (c == "GB" || c == "IE" || c == "CY" || c == "MT")
    return std::string(c == "CY" ? "HE" : "") + Digits(rng, 8);
  if (c == "RU") return Digits(rng, 13);  // OGRN
  if (c == "CN") return "91" + Digits(rng, 16);
  if (c == "VG") return Digits(rng, 7);
  return Digits(rng, 9);
}

// Another way to write the same registration number.
std::string RegistrationVariant(const std::string& reg, Rng& rng) {
  std::string compact;
  for (char c : reg) {
    if (c != ' ') compact.push_back(c);
  }
  if (compact != reg) return compact;
  if (reg.size() > 4 && rng.Chance(0.5)) return reg.substr(0, 3) + "-" + reg.substr(3);
  return reg;
}

CompanyInfo MakeCompany(std::uint64_t seed, std::int64_t i, const Sizes& z, CompanyRole role) {
  CompanyInfo c;
  Rng rng = Rng::For(seed, kSaltCompany, static_cast<std::uint64_t>(i));
  bool offshore = role == CompanyRole::kShell || (role == CompanyRole::kNone && rng.Chance(0.15));
  int country = offshore ? PickOffshore(rng) : PickCountry(rng);
  if (role == CompanyRole::kTarget || role == CompanyRole::kSmurfHub) {
    country = CountryIndexOf(rng.Chance(0.5) ? "DE" : "GB");
  }
  c.name = MakeCompanyName(rng, country, static_cast<std::uint64_t>(i));
  c.registration = RegistrationNumber(rng, CountryAt(country).code);
  c.incorporation_days = DaysFromCivil(1990, 1, 1) + rng.Range(0, 34 * 365);
  if (role == CompanyRole::kShell) c.incorporation_days = kDay2015 - rng.Range(30, 900);
  c.incorporation = IsoDate(c.incorporation_days);
  if (offshore && rng.Chance(0.8)) {
    c.address = static_cast<std::int64_t>(rng.Below(kAgentAddresses));  // registered agent
    // Formation agents answer the phone for all their companies: a generic value.
    c.phone = "+1 284 494 " + std::to_string(4100 + c.address);
  } else {
    c.address = PickAddressFor(rng, z);
    if (rng.Chance(0.7)) c.phone = MakePhone(rng, country);
  }
  static const char* kSectors[] = {"trade",        "real estate", "consulting", "shipping",
                                   "construction", "energy",      "finance",    "retail",
                                   "technology",   "logistics"};
  c.sector = rng.Pick(kSectors);
  if (rng.Chance(0.5)) {
    std::string base = AsciiOnly(c.name.name).substr(0, 12);
    if (base.empty()) base = "company" + std::to_string(i);
    c.email = "info@" + base + ".com";
  }
  return c;
}

// ---- Ground truth ---------------------------------------------------------------

void JsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

// Accumulates ground_truth.json text; ids computed with the FtM rule.
class Truth {
 public:
  explicit Truth(std::string key_prefix) : prefix_(std::move(key_prefix)) {}
  std::string Id(std::string_view literal, const std::string& key) const {
    return FtmEntityId(prefix_, literal, {key});
  }
  // {"id": ..., "file": ..., "key": ..., <extra>}
  std::string Record(std::string_view literal, std::string_view file, const std::string& key,
                     std::string_view extra = {}) const {
    std::string o = "{\"id\": ";
    JsonString(o, Id(literal, key));
    o += ", \"file\": ";
    JsonString(o, file);
    o += ", \"key\": ";
    JsonString(o, key);
    if (!extra.empty()) {
      o += ", ";
      o += extra;
    }
    o += "}";
    return o;
  }

 private:
  std::string prefix_;
};

std::string Field(std::string_view name, std::string_view value) {
  std::string o;
  JsonString(o, name);
  o += ": ";
  JsonString(o, value);
  return o;
}
std::string NumField(std::string_view name, double value) {
  std::string o;
  JsonString(o, name);
  char buf[64];
  std::snprintf(buf, sizeof buf, ": %.6g", value);
  return o + buf;
}
std::string Array(const std::vector<std::string>& items, std::string_view indent) {
  if (items.empty()) return "[]";
  std::string o = "[\n";
  for (std::size_t i = 0; i < items.size(); ++i) {
    o += indent;
    o += "  ";
    o += items[i];
    o += i + 1 < items.size() ? ",\n" : "\n";
  }
  o += indent;
  o += "]";
  return o;
}

// ---- The plan of planted patterns ---------------------------------------------

struct CyclePlan {
  std::vector<std::int64_t> companies;
};
struct ChainPlan {
  std::int64_t owner;                // person index (beneficial owner)
  std::int64_t nominee;              // person index (nominee director of the shells)
  std::vector<std::int64_t> shells;  // company indices, owner's side first
  std::int64_t target;               // company index
  std::vector<double> percentages;   // owner->shell0, shell0->shell1, ..., last->target
};
struct SmurfPlan {
  std::int64_t hub;
  std::vector<std::int64_t> payers;  // person indices
};

struct Plan {
  std::vector<CyclePlan> cycles;
  std::vector<ChainPlan> chains;
  std::vector<SmurfPlan> smurfs;
  std::unordered_map<std::int64_t, CompanyRole> company_roles;
  std::unordered_set<std::int64_t> forced_duplicate_persons;
};

Plan MakePlan(std::uint64_t seed, std::int64_t scale, const Sizes& z) {
  Plan plan;
  Rng rng = Rng::For(seed, kSaltPlan, 0);
  std::int64_t instances = 1 + scale / 500000;
  std::unordered_set<std::int64_t> used_persons;
  auto take_company = [&](CompanyRole role) {
    for (;;) {
      auto c = static_cast<std::int64_t>(rng.Below(static_cast<std::uint64_t>(z.companies)));
      if (plan.company_roles.emplace(c, role).second) return c;
    }
  };
  auto take_person = [&]() {
    for (;;) {
      auto p = static_cast<std::int64_t>(rng.Below(static_cast<std::uint64_t>(z.persons)));
      if (used_persons.insert(p).second) return p;
    }
  };
  for (std::int64_t k = 0; k < instances; ++k) {
    CyclePlan cycle;
    auto len = 3 + static_cast<int>(rng.Below(3));
    for (int j = 0; j < len; ++j) cycle.companies.push_back(take_company(CompanyRole::kCycle));
    plan.cycles.push_back(std::move(cycle));

    ChainPlan chain;
    chain.owner = take_person();
    chain.nominee = take_person();
    auto depth = 3 + static_cast<int>(rng.Below(2));
    // Shares chosen so the product stays above 25%: each hop at least 0.72^(1/...)...
    double product = 1.0;
    for (int j = 0; j <= depth; ++j) {
      double pct = j == 0 ? 100.0 : static_cast<double>(rng.Range(70, 100));
      if (j == depth) pct = static_cast<double>(rng.Range(51, 90));
      product *= pct / 100.0;
      chain.percentages.push_back(pct);
    }
    for (int j = 0; j < depth; ++j) chain.shells.push_back(take_company(CompanyRole::kShell));
    chain.target = take_company(CompanyRole::kTarget);
    plan.forced_duplicate_persons.insert(chain.owner);
    plan.chains.push_back(std::move(chain));
    (void)product;

    SmurfPlan smurf;
    smurf.hub = take_company(CompanyRole::kSmurfHub);
    auto payers = 20 + static_cast<int>(rng.Below(16));
    payers =
        static_cast<int>(std::min<std::int64_t>(payers, std::max<std::int64_t>(12, scale / 20)));
    for (int j = 0; j < payers; ++j) smurf.payers.push_back(take_person());
    plan.smurfs.push_back(std::move(smurf));
  }
  return plan;
}

// ---- The generator -------------------------------------------------------------

// Writes planted rows at random positions among `bulk` ordinary rows, so that the order
// of a file does not give the planted patterns away.
class Interleave {
 public:
  Interleave(Rng& rng, std::int64_t bulk) : rng_(rng), bulk_(bulk) {}
  void Add(std::function<void()> write) {
    auto pos = static_cast<std::int64_t>(rng_.Below(static_cast<std::uint64_t>(bulk_ + 1)));
    items_.push_back({pos, static_cast<std::int64_t>(items_.size()), std::move(write)});
  }
  // Call before ordinary row j; writes the planted rows placed there.
  void Before(std::int64_t j) {
    if (!sorted_) {
      std::sort(items_.begin(), items_.end(), [](const Item& a, const Item& b) {
        return a.pos != b.pos ? a.pos < b.pos : a.seq < b.seq;
      });
      sorted_ = true;
    }
    while (next_ < items_.size() && items_[next_].pos <= j) items_[next_++].write();
  }
  void Finish() { Before(INT64_MAX); }

 private:
  struct Item {
    std::int64_t pos, seq;
    std::function<void()> write;
  };
  Rng& rng_;
  std::int64_t bulk_;
  std::vector<Item> items_;
  std::size_t next_ = 0;
  bool sorted_ = false;
};

class Generator {
 public:
  Generator(const GenerateOptions& options)
      : opt_(options),
        seed_(options.seed),
        z_(SizesFor(std::max<std::int64_t>(options.scale, 200))),
        scale_(std::max<std::int64_t>(options.scale, 200)),
        truth_(options.key_prefix.value_or(options.dataset)),
        plan_(MakePlan(seed_, scale_, z_)),
        links_rng_(Rng::For(seed_, kSaltLinks, 0)) {}

  GenerateSummary Run();

 private:
  std::unique_ptr<CsvWriter> Open(const std::string& name,
                                  std::initializer_list<std::string_view> header) {
    files_.push_back(name);
    return std::make_unique<CsvWriter>((std::filesystem::path(opt_.out_dir) / name).string(),
                                       header);
  }
  void Done(const std::string& name, CsvWriter& w) {
    w.Close();
    summary_.rows_per_file[name] = w.rows();
    summary_.bytes += w.bytes();
  }
  void Progress() {
    if (!opt_.progress) return;
    if (++progress_tick_ % 65536 != 0) return;
    opt_.progress(std::min(0.99, static_cast<double>(links_) / static_cast<double>(scale_)));
  }
  CompanyRole RoleOf(std::int64_t c) const {
    auto it = plan_.company_roles.find(c);
    return it == plan_.company_roles.end() ? CompanyRole::kNone : it->second;
  }

  void WriteAddresses();
  void WritePersons();
  void WriteCompanies();
  void WriteAccounts();
  void WriteDirectorships();
  void WriteOwnerships();
  void WriteEvents();
  void WritePayments();
  void WriteTruth();

  const GenerateOptions& opt_;
  std::uint64_t seed_;
  Sizes z_;
  std::int64_t scale_;
  Truth truth_;
  Plan plan_;
  Rng links_rng_;
  GenerateSummary summary_;
  std::vector<std::string> files_;
  std::int64_t links_ = 0;
  std::int64_t entities_ = 0;
  std::int64_t progress_tick_ = 0;
  std::int64_t next_directorship_ = 0;
  std::int64_t next_ownership_ = 0;
  std::int64_t next_payment_ = 0;
  std::int64_t next_event_ = 0;

  // Ground-truth fragments.
  std::vector<std::string> dup_persons_, dup_companies_, cycles_, chains_, smurfs_, meetings_;
};

void Generator::WriteAddresses() {
  auto w =
      Open("addresses.csv", {"address_id", "full", "street", "city", "postal_code", "country"});
  for (std::int64_t i = 0; i < z_.addresses; ++i) {
    AddressInfo a = MakeAddress(seed_, i);
    w->Field(AddressKey(i)).Field(a.full).Field(a.street).Field(a.city).Field(a.postal);
    w->Field(CountryAt(a.country).code).EndRow();
  }
  entities_ += z_.addresses;
  Done("addresses.csv", *w);
}

void Generator::WritePersons() {
  auto w =
      Open("persons.csv", {"person_id", "name", "first_name", "last_name", "gender", "birth_date",
                           "nationality", "email", "phone", "passport_number", "address_id"});
  auto kyc = Open("kyc_persons.csv", {"kyc_id", "full_name", "birth_date", "nationality", "phone",
                                      "email", "passport_number", "address"});
  struct Pending {
    std::string key;
    PersonInfo info;
    std::string name;
  };
  std::vector<Pending> in_register;  // duplicates inside persons.csv, written at the end
  std::int64_t next_kyc = 0;
  std::int64_t next_extra = z_.persons;
  for (std::int64_t i = 0; i < z_.persons; ++i) {
    PersonInfo p = MakePerson(seed_, i, z_);
    w->Field(PersonKey(i)).Field(p.name.full).Field(p.name.first_name).Field(p.name.last_name);
    w->Field(p.gender).Field(p.birth_date).Field(p.nationality).Field(p.email).Field(p.phone);
    w->Field(p.passport).Field(AddressKey(p.address)).EndRow();
    ++links_;  // addressEntity
    Progress();

    Rng drng = Rng::For(seed_, kSaltDuplicate, static_cast<std::uint64_t>(i));
    bool forced = plan_.forced_duplicate_persons.count(i) > 0;
    if (!forced && !drng.Chance(0.06)) continue;
    int copies = forced ? 3 : (drng.Chance(0.3) ? 2 : 1);
    std::vector<std::string> records;
    records.push_back(
        truth_.Record(kPersonLiteral, "persons.csv", PersonKey(i),
                      Field("variant", "original") + ", " + Field("name", p.name.full)));
    for (int c = 0; c < copies; ++c) {
      PersonVariantKind kind;
      std::string name = PersonVariant(p.name, drng, &kind);
      std::string extra = Field("variant", PersonVariantName(kind)) + ", " + Field("name", name);
      if (!forced && drng.Chance(0.25)) {
        std::string key = PersonKey(next_extra++);
        records.push_back(truth_.Record(kPersonLiteral, "persons.csv", key, extra));
        in_register.push_back({key, p, name});
        continue;
      }
      std::string key = Key('K', next_kyc++);
      records.push_back(truth_.Record(kKycPersonLiteral, "kyc_persons.csv", key, extra));
      kyc->Field(key).Field(name);
      kyc->Field(drng.Chance(0.9) ? DottedDate(p.birth_days) : "");
      kyc->Field(drng.Chance(0.6) ? CountryAt(p.country).name : CountryAt(p.country).code);
      kyc->Field(p.phone.empty() ? "" : PhoneVariant(p.phone, drng));
      kyc->Field(drng.Chance(0.5) ? AsciiUpper(p.email) : "");
      kyc->Field(drng.Chance(0.5) ? p.passport : "");
      kyc->Field(drng.Chance(0.5) ? MakeAddress(seed_, p.address).full : "");
      kyc->EndRow();
    }
    dup_persons_.push_back("{\"records\": " + Array(records, "      ") + "}");
  }
  for (Pending& d : in_register) {
    Rng drng = Rng::For(seed_, kSaltDuplicate, 0x100000000ULL + dup_persons_.size());
    PersonInfo& p = d.info;
    w->Field(d.key).Field(d.name).Field("").Field("").Field(p.gender);
    w->Field(drng.Chance(0.8) ? p.birth_date : "").Field(p.nationality);
    w->Field(drng.Chance(0.5) ? p.email : "")
        .Field(p.phone.empty() ? "" : PhoneVariant(p.phone, drng));
    w->Field("")
        .Field(AddressKey(drng.Chance(0.7) ? p.address : PickAddressFor(drng, z_)))
        .EndRow();
    ++links_;
  }
  entities_ += w->rows() + kyc->rows();
  Done("persons.csv", *w);
  Done("kyc_persons.csv", *kyc);
}

void Generator::WriteCompanies() {
  auto w = Open("companies.csv",
                {"company_id", "name", "legal_form", "jurisdiction", "registration_number",
                 "incorporation_date", "address_id", "email", "phone", "sector"});
  auto kyc = Open("kyc_companies.csv", {"kyc_id", "name", "jurisdiction", "registration_number",
                                        "incorporation_date", "address"});
  std::int64_t next_kyc = 0;
  for (std::int64_t i = 0; i < z_.companies; ++i) {
    CompanyRole role = RoleOf(i);
    CompanyInfo c = MakeCompany(seed_, i, z_, role);
    const Country& country = CountryAt(c.name.country);
    w->Field(CompanyKey(i)).Field(c.name.name).Field(c.name.legal_form).Field(country.code);
    w->Field(c.registration).Field(c.incorporation).Field(AddressKey(c.address)).Field(c.email);
    w->Field(c.phone).Field(c.sector).EndRow();
    ++links_;
    Progress();

    Rng drng = Rng::For(seed_, kSaltDuplicate, 0x200000000ULL + static_cast<std::uint64_t>(i));
    bool forced = role == CompanyRole::kTarget;
    if (!forced && !drng.Chance(0.05)) continue;
    std::vector<std::string> records;
    records.push_back(
        truth_.Record(kCompanyLiteral, "companies.csv", CompanyKey(i),
                      Field("variant", "original") + ", " + Field("name", c.name.name)));
    int copies = drng.Chance(0.25) ? 2 : 1;
    for (int k = 0; k < copies; ++k) {
      CompanyVariantKind kind;
      std::string name = CompanyVariant(c.name, drng, &kind);
      std::string key = Key2("KC", next_kyc++);
      records.push_back(
          truth_.Record(kKycCompanyLiteral, "kyc_companies.csv", key,
                        Field("variant", CompanyVariantName(kind)) + ", " + Field("name", name)));
      kyc->Field(key).Field(name).Field(drng.Chance(0.5) ? country.name : country.code);
      kyc->Field(drng.Chance(0.8) ? RegistrationVariant(c.registration, drng) : "");
      kyc->Field(drng.Chance(0.8) ? DottedDate(c.incorporation_days) : "");
      kyc->Field(drng.Chance(0.6) ? MakeAddress(seed_, c.address).full : "").EndRow();
    }
    dup_companies_.push_back("{\"records\": " + Array(records, "      ") + "}");
  }
  entities_ += w->rows() + kyc->rows();
  Done("companies.csv", *w);
  Done("kyc_companies.csv", *kyc);
}

void Generator::WriteAccounts() {
  auto w = Open("bank_accounts.csv", {"account_id", "iban", "bic", "bank_name", "currency",
                                      "opening_date", "holder_id"});
  auto row = [&](const std::string& key, const std::string& holder, std::uint64_t salt_index,
                 int country) {
    Rng rng = Rng::For(seed_, kSaltAccount, salt_index);
    const char* code = CountryAt(country).code;
    const char* bank = PickBankName(rng, country);
    std::string bic = AsciiUpper(AsciiOnly(bank)).substr(0, 4);
    while (bic.size() < 4) bic.push_back('X');
    bic += code;
    bic += "XX";
    w->Field(key).Field(MakeIban(code, rng)).Field(bic).Field(bank).Field(CurrencyFor(code));
    w->Field(IsoDate(DaysFromCivil(2005, 1, 1) + rng.Range(0, 10 * 365))).Field(holder).EndRow();
  };
  for (std::int64_t i = 0; i < z_.persons; ++i) {
    Rng prng = Rng::For(seed_, kSaltPerson, static_cast<std::uint64_t>(i));
    // Country of the person's address: cheap enough to recompute.
    std::int64_t addr = PickAddressFor(prng, z_);
    row(PersonAccountKey(i), PersonKey(i), static_cast<std::uint64_t>(i),
        MakeAddress(seed_, addr).country);
    Progress();
  }
  for (std::int64_t i = 0; i < z_.companies; ++i) {
    row(CompanyAccountKey(i), CompanyKey(i), 0x100000000ULL + static_cast<std::uint64_t>(i),
        (i * 7) % CountryCount());
    Progress();
  }
  entities_ += w->rows();
  Done("bank_accounts.csv", *w);
}

void Generator::WriteDirectorships() {
  auto w = Open("directorships.csv",
                {"directorship_id", "person_id", "company_id", "role", "start_date", "end_date"});
  Rng& rng = links_rng_;
  static const char* kRoles[] = {"Director",     "Managing Director", "Secretary", "CEO",
                                 "Board Member", "Geschäftsführer",   "Chairman"};
  auto write = [&](std::int64_t person, std::int64_t company, const char* role,
                   std::int64_t start) {
    std::string id = Key('D', next_directorship_++);
    w->Field(id).Field(PersonKey(person)).Field(CompanyKey(company)).Field(role);
    w->Field(IsoDate(start));
    w->Field(rng.Chance(0.15) ? IsoDate(start + rng.Range(200, 3000)) : "").EndRow();
    ++links_;
    Progress();
    return id;
  };
  // Shell companies share a nominee director.
  Interleave mix(rng, z_.directorships);
  for (ChainPlan& chain : plan_.chains) {
    for (std::int64_t s : chain.shells) {
      mix.Add([&write, &chain, s] { write(chain.nominee, s, "Nominee Director", kDay2015 - 10); });
    }
    mix.Add([&write, &chain] {
      write(chain.owner, chain.target, "Managing Director", kDay2015 - 400);
    });
  }
  auto np = static_cast<std::uint64_t>(z_.persons);
  for (std::int64_t j = 0; j < z_.directorships; ++j) {
    mix.Before(j);
    std::int64_t company =
        j < z_.companies
            ? j
            : static_cast<std::int64_t>(rng.Below(static_cast<std::uint64_t>(z_.companies)));
    if (RoleOf(company) == CompanyRole::kShell) continue;
    auto person = static_cast<std::int64_t>(Scatter(rng.Skewed(np, 2.2), np, seed_));
    write(person, company, rng.Pick(kRoles), DaysFromCivil(2000, 1, 1) + rng.Range(0, 25 * 365));
  }
  mix.Finish();
  entities_ += w->rows();
  Done("directorships.csv", *w);
}

void Generator::WriteOwnerships() {
  auto w = Open("ownerships.csv",
                {"ownership_id", "owner_id", "company_id", "percentage", "start_date"});
  auto wp = Open("person_ownerships.csv",
                 {"ownership_id", "owner_id", "company_id", "percentage", "start_date"});
  Rng& rng = links_rng_;
  auto pct_text = [](double pct) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", pct);
    std::string s(buf);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
  };
  auto write = [&](CsvWriter& out, const std::string& owner, std::int64_t company, double pct,
                   std::int64_t start) {
    std::string id = Key('O', next_ownership_++);
    out.Field(id).Field(owner).Field(CompanyKey(company)).Field(pct_text(pct));
    out.Field(IsoDate(start)).EndRow();
    ++links_;
    Progress();
    return id;
  };
  // Planted chains: rows placed among the ordinary ones; ids collected for the truth.
  Interleave mix_company(rng, z_.ownerships), mix_person(rng, z_.person_ownerships);
  struct ChainOut {
    std::vector<std::string> ids;
    std::string decoy_id;
    std::int64_t decoy = 0;
    double decoy_pct = 0;
  };
  std::vector<ChainOut> outs(plan_.chains.size());
  for (std::size_t k = 0; k < plan_.chains.size(); ++k) {
    ChainPlan& chain = plan_.chains[k];
    ChainOut& out = outs[k];
    out.ids.resize(chain.shells.size() + 1);
    std::int64_t start = kDay2015 + 30;
    mix_person.Add([&, start] {
      out.ids[0] = write(*wp, PersonKey(chain.owner), chain.shells[0], chain.percentages[0], start);
    });
    for (std::size_t j = 0; j < chain.shells.size(); ++j) {
      std::int64_t next = j + 1 < chain.shells.size() ? chain.shells[j + 1] : chain.target;
      mix_company.Add([&, j, next, start] {
        out.ids[j + 1] =
            write(*w, CompanyKey(chain.shells[j]), next, chain.percentages[j + 1], start);
      });
    }
    // A decoy minority holder of the target, below the threshold.
    out.decoy = static_cast<std::int64_t>(rng.Below(static_cast<std::uint64_t>(z_.persons)));
    out.decoy_pct = std::min(100.0 - chain.percentages.back(), 10.0);
    mix_person.Add([&, start] {
      out.decoy_id = write(*wp, PersonKey(out.decoy), chain.target, out.decoy_pct, start);
    });
  }
  auto nc = static_cast<std::uint64_t>(z_.companies);
  auto np = static_cast<std::uint64_t>(z_.persons);
  auto random_pct = [&]() {
    if (rng.Chance(0.4)) return 100.0;
    return static_cast<double>(rng.Range(100, 9500)) / 100.0;
  };
  for (std::int64_t j = 0; j < z_.ownerships; ++j) {
    mix_company.Before(j);
    // Holding companies own many; cross-holdings and loops arise naturally.
    auto owner = static_cast<std::int64_t>(Scatter(rng.Skewed(nc, 2.5), nc, seed_ + 1));
    auto asset = static_cast<std::int64_t>(rng.Below(nc));
    if (owner == asset || RoleOf(asset) == CompanyRole::kShell ||
        RoleOf(asset) == CompanyRole::kTarget) {
      continue;
    }
    write(*w, CompanyKey(owner), asset, random_pct(),
          DaysFromCivil(2005, 1, 1) + rng.Range(0, 20 * 365));
  }
  for (std::int64_t j = 0; j < z_.person_ownerships; ++j) {
    mix_person.Before(j);
    auto company =
        static_cast<std::int64_t>(Scatter(static_cast<std::uint64_t>(j) % nc, nc, seed_ + 2));
    if (RoleOf(company) == CompanyRole::kShell || RoleOf(company) == CompanyRole::kTarget) continue;
    auto person = static_cast<std::int64_t>(Scatter(rng.Skewed(np, 1.8), np, seed_ + 3));
    write(*wp, PersonKey(person), company, random_pct(),
          DaysFromCivil(2005, 1, 1) + rng.Range(0, 20 * 365));
  }
  mix_company.Finish();
  mix_person.Finish();
  for (std::size_t k = 0; k < plan_.chains.size(); ++k) {
    ChainPlan& chain = plan_.chains[k];
    const std::vector<std::string>& ids = outs[k].ids;
    std::int64_t decoy = outs[k].decoy;
    double decoy_pct = outs[k].decoy_pct;
    const std::string& decoy_id = outs[k].decoy_id;
    std::vector<std::string> keys;
    keys.push_back(PersonKey(chain.owner));
    double effective = chain.percentages[0] / 100.0;
    for (std::size_t j = 0; j < chain.shells.size(); ++j) {
      effective *= chain.percentages[j + 1] / 100.0;
      keys.push_back(CompanyKey(chain.shells[j]));
    }
    keys.push_back(CompanyKey(chain.target));

    std::vector<std::string> quoted_ids, quoted_entities, quoted_keys, pcts;
    for (std::size_t j = 0; j < keys.size(); ++j) {
      std::string s;
      JsonString(s, keys[j]);
      quoted_keys.push_back(s);
      s.clear();
      JsonString(s, truth_.Id(j == 0 ? kPersonLiteral : kCompanyLiteral, keys[j]));
      quoted_entities.push_back(s);
    }
    std::vector<std::string> quoted_links, quoted_link_keys;
    for (std::size_t j = 0; j < ids.size(); ++j) {
      std::string s;
      JsonString(s, truth_.Id(kOwnershipLiteral, ids[j]));
      quoted_links.push_back(s);
      s.clear();
      JsonString(s, ids[j]);
      quoted_link_keys.push_back(s);
      pcts.push_back(pct_text(chain.percentages[j]));
    }
    std::string o = "{";
    o += "\"beneficial_owner\": " +
         truth_.Record(kPersonLiteral, "persons.csv", PersonKey(chain.owner));
    o += ",\n      \"target\": " +
         truth_.Record(kCompanyLiteral, "companies.csv", CompanyKey(chain.target));
    o += ",\n      \"nominee_director\": " +
         truth_.Record(kPersonLiteral, "persons.csv", PersonKey(chain.nominee));
    o += ",\n      \"entities\": " + Array(quoted_entities, "      ");
    o += ",\n      \"entity_keys\": " + Array(quoted_keys, "      ");
    o += ",\n      \"links\": " + Array(quoted_links, "      ");
    o += ",\n      \"link_keys\": " + Array(quoted_link_keys, "      ");
    o += ",\n      \"percentages\": " + Array(pcts, "      ");
    o += ",\n      " + NumField("effective_share", effective);
    o += ",\n      \"decoy_owner\": " + truth_.Record(kPersonLiteral, "persons.csv",
                                                      PersonKey(decoy),
                                                      NumField("percentage", decoy_pct));
    o += ",\n      \"decoy_link\": " +
         truth_.Record(kOwnershipLiteral, "person_ownerships.csv", decoy_id);
    o += "}";
    chains_.push_back(o);
  }
  entities_ += w->rows() + wp->rows();
  Done("ownerships.csv", *w);
  Done("person_ownerships.csv", *wp);
}

void Generator::WriteEvents() {
  auto we = Open("events.csv",
                 {"event_id", "kind", "name", "location", "city", "country", "start", "end"});
  auto wp = Open("event_participants.csv", {"event_id", "person_id", "role"});
  Rng& rng = links_rng_;
  static const char* kHotels[] = {"Grand Hotel",  "Hotel Central", "Marriott",     "Hilton",
                                  "Four Seasons", "Radisson Blu",  "Ritz-Carlton", "Hyatt Regency"};
  static const char* kVenues[] = {"office", "restaurant", "lounge", "conference room"};
  struct EventRow {
    std::string key, kind, name, location, city, country;
    std::int64_t start, end;
  };
  auto write_event = [&](const EventRow& e) {
    we->Field(e.key).Field(e.kind).Field(e.name).Field(e.location).Field(e.city).Field(e.country);
    we->Field(IsoDateTime(e.start)).Field(IsoDateTime(e.end)).EndRow();
  };
  auto participate = [&](const std::string& event, std::int64_t person, const char* role) {
    wp->Field(event).Field(PersonKey(person)).Field(role).EndRow();
    ++links_;
    Progress();
  };
  auto random_event = [&](Rng& r) {
    EventRow e;
    e.key = Key('E', next_event_++);
    AddressInfo a = MakeAddress(seed_, PickAddressFor(r, z_));
    e.city = a.city;
    e.country = CountryAt(a.country).code;
    std::int64_t day = kDay2015 + r.Range(0, kDay2025End - kDay2015);
    auto kind = r.Below(3);
    if (kind == 0) {
      e.kind = "stay";
      std::string hotel = std::string(r.Pick(kHotels)) + " " + a.city;
      e.name = "Stay at " + hotel;
      e.location = hotel + ", " + a.full;
      e.start = day * 86400 + 14 * 3600 + r.Range(0, 8) * 3600;
      e.end = (day + r.Range(1, 7)) * 86400 + 11 * 3600;
    } else if (kind == 1) {
      e.kind = "trip";
      AddressInfo from = MakeAddress(seed_, PickAddressFor(r, z_));
      e.name = "Flight " + from.city + " - " + a.city;
      e.location = a.city + " airport, " + CountryAt(a.country).name;
      e.start = day * 86400 + r.Range(6, 20) * 3600;
      e.end = e.start + r.Range(1, 12) * 3600;
    } else {
      e.kind = "meeting";
      e.name = std::string("Meeting at ") + r.Pick(kVenues) + ", " + a.city;
      e.location = a.full;
      e.start = day * 86400 + r.Range(8, 19) * 3600;
      e.end = e.start + r.Range(1, 3) * 3600;
    }
    return e;
  };
  // Planted co-occurrence: the beneficial owner and the nominee director stay at the same
  // hotel on overlapping nights and meet there, two years after the chain was set up.
  Interleave mix(rng, z_.events);
  for (ChainPlan& chain : plan_.chains) {
    std::int64_t day = kDay2015 + 700 + static_cast<std::int64_t>(rng.Below(1500));
    mix.Add([&, day] {
      std::string hotel = "Hotel Splendid Limassol";
      std::string full = "Georgiou A' 4, 4047 Limassol, Cyprus";
      EventRow a{Key('E', next_event_++),
                 "stay",
                 "Stay at " + hotel,
                 hotel + ", " + full,
                 "Limassol",
                 "CY",
                 day * 86400 + 15 * 3600,
                 (day + 3) * 86400 + 11 * 3600};
      EventRow b{Key('E', next_event_++),
                 "stay",
                 "Stay at " + hotel,
                 hotel + ", " + full,
                 "Limassol",
                 "CY",
                 (day + 1) * 86400 + 18 * 3600,
                 (day + 2) * 86400 + 10 * 3600};
      EventRow m{Key('E', next_event_++),
                 "meeting",
                 "Meeting at lounge, Limassol",
                 hotel + ", " + full,
                 "Limassol",
                 "CY",
                 (day + 1) * 86400 + 20 * 3600,
                 (day + 1) * 86400 + 22 * 3600};
      for (const EventRow* e : {&a, &b, &m}) write_event(*e);
      participate(a.key, chain.owner, "guest");
      participate(b.key, chain.nominee, "guest");
      participate(m.key, chain.owner, "attendee");
      participate(m.key, chain.nominee, "attendee");
      std::string o =
          "{\"persons\": [" + truth_.Record(kPersonLiteral, "persons.csv", PersonKey(chain.owner)) +
          ", " + truth_.Record(kPersonLiteral, "persons.csv", PersonKey(chain.nominee)) + "],\n";
      o += "      \"events\": [" + truth_.Record(kEventLiteral, "events.csv", a.key) + ", " +
           truth_.Record(kEventLiteral, "events.csv", b.key) + ", " +
           truth_.Record(kEventLiteral, "events.csv", m.key) + "],\n      ";
      o += Field("place", hotel + ", " + full) + ", " + Field("start", IsoDateTime(b.start)) +
           ", " + Field("end", IsoDateTime(b.end)) + "}";
      meetings_.push_back(o);
    });
  }
  auto np = static_cast<std::uint64_t>(z_.persons);
  for (std::int64_t i = 0; i < z_.events; ++i) {
    mix.Before(i);
    Rng er = Rng::For(seed_, kSaltEvent, static_cast<std::uint64_t>(i));
    EventRow e = random_event(er);
    write_event(e);
    auto n = 1 + er.Below(5);
    std::int64_t seen[6];
    for (std::uint64_t k = 0; k < n; ++k) {
      auto person = static_cast<std::int64_t>(Scatter(er.Skewed(np, 1.8), np, seed_ + 4));
      bool dup = false;
      for (std::uint64_t q = 0; q < k; ++q) dup = dup || seen[q] == person;
      seen[k] = person;
      if (dup) continue;
      participate(e.key, person,
                  e.kind == "trip"   ? "passenger"
                  : e.kind == "stay" ? "guest"
                                     : "attendee");
    }
  }
  mix.Finish();
  entities_ += we->rows();
  Done("events.csv", *we);
  Done("event_participants.csv", *wp);
}

void Generator::WritePayments() {
  const char* header_list[] = {
      "payment_id", "payer_id", "payer_account_id", "beneficiary_id", "beneficiary_account_id",
      "date",       "amount",   "currency",         "purpose"};
  (void)header_list;
  auto wc =
      Open("payments.csv", {"payment_id", "payer_id", "payer_account_id", "beneficiary_id",
                            "beneficiary_account_id", "date", "amount", "currency", "purpose"});
  auto wd =
      Open("deposits.csv", {"payment_id", "payer_id", "payer_account_id", "beneficiary_id",
                            "beneficiary_account_id", "date", "amount", "currency", "purpose"});
  Rng& rng = links_rng_;
  static const char* kPurposes[] = {
      "Invoice",  "Consulting services", "Loan repayment",  "Goods delivery", "Service fee",
      "Dividend", "Commission",          "Advance payment", "Rent",           "Licence fee"};
  static const char* kDepositPurposes[] = {"Cash deposit", "Purchase", "Subscription",
                                           "Private loan", "Gift",     "Membership fee"};
  static const char* kCurrencies[] = {"EUR", "EUR", "EUR", "EUR", "USD", "USD",
                                      "USD", "GBP", "CHF", "RUB", "CNY", "AED"};
  auto write = [&](CsvWriter& w, bool person_payer, std::int64_t payer, std::int64_t beneficiary,
                   std::int64_t day, double amount, const char* currency,
                   const std::string& purpose) {
    std::string id = Key('T', next_payment_++);
    w.Field(id).Field(person_payer ? PersonKey(payer) : CompanyKey(payer));
    w.Field(person_payer ? PersonAccountKey(payer) : CompanyAccountKey(payer));
    w.Field(CompanyKey(beneficiary)).Field(CompanyAccountKey(beneficiary));
    w.Field(IsoDate(day)).Money(amount).Field(currency).Field(purpose).EndRow();
    // One link: the store makes edge entities links; their payerAccount and
    // beneficiaryAccount references stay properties of the link (a link has no links).
    ++links_;
    Progress();
    return id;
  };
  auto quoted = [](const std::string& s) {
    std::string o;
    JsonString(o, s);
    return o;
  };

  // Ordinary payments fill the link budget. Planted ones are mixed in.
  std::int64_t planted_links = 0;
  for (const CyclePlan& c : plan_.cycles)
    planted_links += static_cast<std::int64_t>(c.companies.size());
  for (const SmurfPlan& p : plan_.smurfs)
    planted_links += static_cast<std::int64_t>(p.payers.size());
  std::int64_t remaining = std::max<std::int64_t>(10, scale_ - links_ - planted_links);
  Interleave mix(rng, remaining);
  std::vector<std::function<void()>> compose;  // ground-truth text, once ids are known

  // Planted round-tripping cycles: A -> B -> ... -> A within days, a fee taken at each hop.
  for (CyclePlan& cycle : plan_.cycles) {
    auto ids = std::make_shared<std::vector<std::string>>(cycle.companies.size());
    std::int64_t day = kDay2015 + rng.Range(100, kDay2025End - kDay2015 - 60);
    double amount = std::round(rng.LogNormal(std::log(400000.0), 0.6));
    std::vector<std::string> entities, entity_keys, links, link_keys, amounts, dates;
    std::int64_t first_day = day;
    for (std::size_t j = 0; j < cycle.companies.size(); ++j) {
      std::int64_t from = cycle.companies[j];
      std::int64_t to = cycle.companies[(j + 1) % cycle.companies.size()];
      mix.Add([&write, &wc, ids, j, from, to, day, amount] {
        (*ids)[j] = write(*wc, false, from, to, day, amount, "EUR",
                          j == 0 ? "Consulting services" : "Goods delivery");
      });
      entities.push_back(quoted(truth_.Id(kCompanyLiteral, CompanyKey(from))));
      entity_keys.push_back(quoted(CompanyKey(from)));
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", amount);
      amounts.push_back(buf);
      dates.push_back(quoted(IsoDate(day)));
      day += rng.Range(1, 4);
      amount = std::round(amount * (0.97 + 0.025 * rng.Uniform()) * 100.0) / 100.0;
    }
    compose.push_back([=, this] {
      std::vector<std::string> links, link_keys;
      for (const std::string& id : *ids) {
        links.push_back(quoted(truth_.Id(kPaymentLiteral, id)));
        link_keys.push_back(quoted(id));
      }
      std::string o = "{\"entities\": " + Array(entities, "      ");
      o += ",\n      \"entity_keys\": " + Array(entity_keys, "      ");
      o += ",\n      \"links\": " + Array(links, "      ");
      o += ",\n      \"link_keys\": " + Array(link_keys, "      ");
      o += ",\n      \"amounts\": " + Array(amounts, "      ");
      o += ",\n      \"dates\": " + Array(dates, "      ");
      o += ",\n      " + Field("currency", "EUR") + ", " + Field("file", "payments.csv") + ", " +
           NumField("window_days", static_cast<double>(day - first_day)) + "}";
      cycles_.push_back(o);
    });
  }
  // Planted smurfing: many deposits just under the threshold into one account within 72 h.
  for (SmurfPlan& smurf : plan_.smurfs) {
    std::int64_t day = kDay2015 + rng.Range(100, kDay2025End - kDay2015 - 10);
    std::vector<std::string> payers, payer_keys;
    auto ids = std::make_shared<std::vector<std::string>>(smurf.payers.size());
    for (std::size_t j = 0; j < smurf.payers.size(); ++j) {
      std::int64_t payer = smurf.payers[j];
      double amount = static_cast<double>(rng.Range(900000, 999000)) / 100.0;
      std::int64_t when = day + rng.Range(0, 2);
      std::int64_t hub = smurf.hub;
      mix.Add([&write, &wd, ids, j, payer, hub, when, amount] {
        (*ids)[j] = write(*wd, true, payer, hub, when, amount, "EUR", "Cash deposit");
      });
      payers.push_back(quoted(truth_.Id(kPersonLiteral, PersonKey(payer))));
      payer_keys.push_back(quoted(PersonKey(payer)));
    }
    std::int64_t hub = smurf.hub;
    compose.push_back([=, this] {
      std::vector<std::string> links, link_keys;
      for (const std::string& id : *ids) {
        links.push_back(quoted(truth_.Id(kPaymentLiteral, id)));
        link_keys.push_back(quoted(id));
      }
      std::string o =
          "{\"hub\": " + truth_.Record(kCompanyLiteral, "companies.csv", CompanyKey(hub));
      o += ",\n      \"hub_account\": " +
           truth_.Record(kAccountLiteral, "bank_accounts.csv", CompanyAccountKey(hub));
      o += ",\n      \"links\": " + Array(links, "      ");
      o += ",\n      \"link_keys\": " + Array(link_keys, "      ");
      o += ",\n      \"payers\": " + Array(payers, "      ");
      o += ",\n      \"payer_keys\": " + Array(payer_keys, "      ");
      o += ",\n      " + NumField("threshold", kSmurfThreshold) + ", " + Field("currency", "EUR") +
           ", " + Field("file", "deposits.csv") + ", " + Field("window_start", IsoDate(day)) +
           ", " + Field("window_end", IsoDate(day + 2)) + "}";
      smurfs_.push_back(o);
    });
  }
  auto nc = static_cast<std::uint64_t>(z_.companies);
  auto np = static_cast<std::uint64_t>(z_.persons);
  for (std::int64_t j = 0; j < remaining; ++j) {
    mix.Before(j);
    std::int64_t day = kDay2015 + rng.Range(0, kDay2025End - kDay2015);
    const char* currency = rng.Pick(kCurrencies);
    auto beneficiary = static_cast<std::int64_t>(Scatter(rng.Skewed(nc, 2.2), nc, seed_ + 5));
    if (rng.Chance(0.25)) {
      auto payer = static_cast<std::int64_t>(Scatter(rng.Skewed(np, 1.6), np, seed_ + 6));
      double amount = std::max(1.0, rng.LogNormal(std::log(250.0), 1.2));
      if (amount >= 9000 && amount < kSmurfThreshold)
        amount *= 0.5;  // keep the planted pattern crisp
      write(*wd, true, payer, beneficiary, day, amount, currency, rng.Pick(kDepositPurposes));
      continue;
    }
    auto payer = static_cast<std::int64_t>(Scatter(rng.Skewed(nc, 2.2), nc, seed_ + 7));
    if (payer == beneficiary) payer = (payer + 1) % static_cast<std::int64_t>(nc);
    double amount = std::max(10.0, rng.LogNormal(std::log(12000.0), 1.5));
    std::string purpose = rng.Pick(kPurposes);
    if (purpose == "Invoice")
      purpose +=
          " " + std::to_string(CivilFromDays(day).y) + "-" + std::to_string(rng.Range(100, 9999));
    write(*wc, false, payer, beneficiary, day, amount, currency, purpose);
  }
  mix.Finish();
  for (auto& c : compose) c();
  entities_ += wc->rows() + wd->rows();
  Done("payments.csv", *wc);
  Done("deposits.csv", *wd);
}

void Generator::WriteTruth() {
  std::string o = "{\n";
  o += "  \"generator\": {" + NumField("scale", static_cast<double>(opt_.scale)) + ", " +
       Field("seed", std::to_string(seed_)) + ", \"version\": 1},\n";
  o += "  " + Field("dataset", opt_.dataset) + ",\n";
  o +=
      "  \"id_rule\": {" + Field("key_prefix", opt_.key_prefix.value_or(opt_.dataset)) + ", " +
      Field("description",
            "sha1(key_prefix + key_literal + sorted non-empty key values).hexdigest(), as "
            "followthemoney's EntityMapping.compute_key; `ftm map --no-sign` and casegraph "
            "import use the dataset name as key_prefix") +
      ", \"key_literals\": {" + Field("persons.csv", kPersonLiteral) + ", " +
      Field("companies.csv", kCompanyLiteral) + ", " + Field("kyc_persons.csv", kKycPersonLiteral) +
      ", " + Field("kyc_companies.csv", kKycCompanyLiteral) + ", " +
      Field("addresses.csv", kAddressLiteral) + ", " + Field("bank_accounts.csv", kAccountLiteral) +
      ", " + Field("payments.csv", kPaymentLiteral) + ", " +
      Field("deposits.csv", kPaymentLiteral) + ", " + Field("ownerships.csv", kOwnershipLiteral) +
      ", " + Field("person_ownerships.csv", kOwnershipLiteral) + ", " +
      Field("directorships.csv", kDirectorshipLiteral) + ", " + Field("events.csv", kEventLiteral) +
      "}},\n";
  o += "  \"cycles\": " + Array(cycles_, "  ") + ",\n";
  o += "  \"shell_chains\": " + Array(chains_, "  ") + ",\n";
  o += "  \"smurfing\": " + Array(smurfs_, "  ") + ",\n";
  o += "  \"cooccurrences\": " + Array(meetings_, "  ") + ",\n";
  std::vector<std::string> agents;
  for (int i = 0; i < kAgentAddresses; ++i) {
    agents.push_back(truth_.Record(kAddressLiteral, "addresses.csv", AddressKey(i)));
  }
  o += "  \"generic_values\": {\"addresses\": " + Array(agents, "    ") + "},\n";
  o += "  \"duplicates\": {\n    \"persons\": " + Array(dup_persons_, "    ") + ",\n";
  o += "    \"companies\": " + Array(dup_companies_, "    ") + "\n  }\n}\n";
  WriteTextFile((std::filesystem::path(opt_.out_dir) / "ground_truth.json").string(), o);
  files_.push_back("ground_truth.json");
  summary_.bytes += static_cast<std::int64_t>(o.size());
}

GenerateSummary Generator::Run() {
  auto t0 = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::create_directories(opt_.out_dir, ec);
  if (ec) throw Error(StatusCode::kIoError, "cannot create " + opt_.out_dir + ": " + ec.message());
  if (opt_.progress) opt_.progress(0.0);
  WriteAddresses();
  WritePersons();
  WriteCompanies();
  WriteAccounts();
  WriteDirectorships();
  WriteOwnerships();
  WriteEvents();
  WritePayments();
  std::string mapping = MappingYaml(opt_.dataset);
  WriteTextFile((std::filesystem::path(opt_.out_dir) / "mapping.yml").string(), mapping);
  files_.push_back("mapping.yml");
  summary_.bytes += static_cast<std::int64_t>(mapping.size());
  WriteTruth();
  summary_.links = links_;
  summary_.entities = entities_;
  summary_.files = files_;
  summary_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (opt_.progress) opt_.progress(1.0);
  return summary_;
}

}  // namespace

Result<GenerateSummary> Generate(const GenerateOptions& options) {
  if (options.scale < 1) return Status(StatusCode::kInvalidArgument, "--scale must be at least 1");
  if (options.out_dir.empty())
    return Status(StatusCode::kInvalidArgument, "an output folder is required");
  if (options.dataset.empty()) return Status(StatusCode::kInvalidArgument, "dataset name is empty");
  GenerateSummary summary;
  Status st = CatchAsStatus([&] {
    Generator gen(options);
    summary = gen.Run();
  });
  if (!st.ok()) return st;
  return summary;
}

}  // namespace casegraph::gen
