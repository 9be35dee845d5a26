// Fellegi-Sunter scoring: comparators, levels, default m/u, term-frequency adjustment and
// explanations. See model.h. Method: Fellegi & Sunter (1969), "A Theory for Record
// Linkage"; term-frequency adjustment as in Splink (Linacre et al. 2022).
#include "resolve/model.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <optional>
#include <unordered_set>

#include "model/types.h"
#include "resolve/similarity.h"

namespace casegraph::resolve {
namespace {

struct PropRoute {
  const char* prop;
  ComparatorKind kind;
};
// Property -> comparator routing (FtM property names, plus a few common column names).
const std::unordered_map<std::string_view, ComparatorKind>& Routes() {
  // Keys view string literals: looked up without building a string.
  static const std::unordered_map<std::string_view, ComparatorKind> kRoutes = [] {
    std::unordered_map<std::string_view, ComparatorKind> r;
    for (const char* p : {"name", "alias", "previousName", "weakAlias", "firstName", "lastName",
                          "middleName", "fatherName", "secondName", "motherName"})
      r[p] = ComparatorKind::kName;
    for (const char* p : {"birthDate", "deathDate", "incorporationDate", "dissolutionDate", "dob",
                          "date", "startDate", "endDate", "buildDate"})
      r[p] = ComparatorKind::kDate;
    for (const char* p : {"idNumber",
                          "nationalId",
                          "taxNumber",
                          "registrationNumber",
                          "passportNumber",
                          "socialSecurityNumber",
                          "vatCode",
                          "leiCode",
                          "innCode",
                          "ogrnCode",
                          "okpoCode",
                          "dunsCode",
                          "swiftBic",
                          "bicCode",
                          "imoNumber",
                          "mmsi",
                          "callSign",
                          "iban",
                          "accountNumber",
                          "uniqueEntityId",
                          "npiCode",
                          "permId",
                          "isin",
                          "wikidataId",
                          "ssn",
                          "licenseNumber",
                          "serialNumber",
                          "registrationNumber"})
      r[p] = ComparatorKind::kIdentifier;
    r["email"] = ComparatorKind::kEmail;
    r["phone"] = ComparatorKind::kPhone;
    for (const char* p : {"country", "nationality", "jurisdiction", "citizenship", "mainCountry",
                          "birthCountry", "residency", "flag"})
      r[p] = ComparatorKind::kCountry;
    r["gender"] = ComparatorKind::kGender;
    for (const char* p : {"year", "amount", "price", "age", "amountEur", "amountUsd"})
      r[p] = ComparatorKind::kNumber;
    for (const char* p : {"sourceUrl", "notes", "publisher", "publisherUrl", "modifiedAt",
                          "createdAt", "retrievedAt", "topics", "program", "cluster", "id",
                          "recordId", "indexText", "proof", "sourceFile"})
      r[p] = ComparatorKind::kIgnore;
    return r;
  }();
  return kRoutes;
}

bool IsNamePart(std::string_view prop) {
  return prop == "firstName" || prop == "lastName" || prop == "middleName" ||
         prop == "fatherName" || prop == "secondName";
}

int NameLevel(double s) {
  if (s >= 0.98) return 0;
  if (s >= 0.92) return 1;
  if (s >= 0.85) return 2;
  if (s >= 0.72) return 3;
  if (s >= 0.60) return 4;
  if (s >= 0.45) return 5;
  return 6;
}

int TextLevel(double s) {
  if (s >= 0.95) return 0;
  if (s >= 0.80) return 1;
  if (s >= 0.60) return 2;
  if (s >= 0.40) return 3;
  if (s >= 0.20) return 4;
  return 5;
}

// Long text (descriptions, titles of offers and papers): either side has this many tokens.
constexpr size_t kLongTextTokens = 6;
constexpr int kLongTextLevelBase = 6;  // long-text levels follow the 6 short-text levels

constexpr int kCodeLevelBase = kLongTextLevelBase + 7;  // then "codes: same", "conflict"

int LongTextLevel(double s) {
  if (s >= 0.95) return kLongTextLevelBase + 0;
  if (s >= 0.80) return kLongTextLevelBase + 1;
  if (s >= 0.60) return kLongTextLevelBase + 2;
  if (s >= 0.40) return kLongTextLevelBase + 3;
  if (s >= 0.25) return kLongTextLevelBase + 4;
  if (s >= 0.12) return kLongTextLevelBase + 5;
  return kLongTextLevelBase + 6;
}

std::string Fmt(const char* fmt, double v) {
  char buf[64];
  snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// Weighted token overlap (Dice over inverse-document-frequency weights), tolerating small
// typos in tokens of 5+ letters.
// Inverse document frequency of a text token: log((n + 1) / (df + 1)) + 0.1; 1 without
// statistics or in fewer than 20 documents.
double TokenIdf(const std::string& t, const TermStats* terms) {
  if (!terms || terms->documents() < 20) return 1.0;
  double n = static_cast<double>(terms->documents());
  double df = terms->DocumentFrequency(t);
  return std::log((n + 1) / (df + 1)) + 0.1;
}

// `idf_a` / `idf_b`: the tokens' TokenIdf under `terms` computed in advance (AttachIdf),
// or nullptr to look them up.
double TextSimilarity(const std::vector<std::string>& a, const std::vector<std::string>& b,
                      const TermStats* terms, const double* idf_a = nullptr,
                      const double* idf_b = nullptr) {
  if (a.empty() || b.empty()) return 0;
  auto best_match = [](const std::string& t, const std::vector<std::string>& other) {
    double best = 0;
    for (const auto& o : other) {
      if (o == t) return 1.0;
      if (t.size() >= 5 && o.size() >= 5 && t[0] == o[0]) {
        double s = EditSimilarity(t, o);
        if (s >= 0.8) best = std::max(best, s);
      }
    }
    return best;
  };
  double num = 0, den = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    double w = idf_a ? idf_a[k] : TokenIdf(a[k], terms);
    den += w;
    num += w * best_match(a[k], b);
  }
  for (size_t k = 0; k < b.size(); ++k) {
    double w = idf_b ? idf_b[k] : TokenIdf(b[k], terms);
    den += w;
    num += w * best_match(b[k], a);
  }
  return den > 0 ? num / den : 0;
}

// Soft TF-IDF cosine of two token sets: each token weighs idf^2, so a shared model code
// seen in two records out of thousands outweighs many shared common words; tokens of 5+
// letters match with small typos (Cohen, Ravikumar & Fienberg 2003, "soft TF-IDF").
double SoftTfIdfCosine(const std::vector<std::string>& a, const std::vector<std::string>& b,
                       const TermStats* terms, const double* idf_a = nullptr,
                       const double* idf_b = nullptr) {
  if (a.empty() || b.empty()) return 0;
  auto best_match = [](const std::string& t, const std::vector<std::string>& other) {
    double best = 0;
    for (const auto& o : other) {
      if (o == t) return 1.0;
      if (t.size() >= 5 && o.size() >= 5 && t[0] == o[0] &&
          std::max(t.size(), o.size()) - std::min(t.size(), o.size()) <= 1) {
        double s = EditSimilarity(t, o);
        if (s >= 0.8) best = std::max(best, s);
      }
    }
    return best;
  };
  double na = 0, nb = 0, num = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    double w = idf_a ? idf_a[k] : TokenIdf(a[k], terms);
    w *= w;
    na += w;
    num += w * best_match(a[k], b);
  }
  for (size_t k = 0; k < b.size(); ++k) {
    double w = idf_b ? idf_b[k] : TokenIdf(b[k], terms);
    w *= w;
    nb += w;
    num += w * best_match(b[k], a);
  }
  // Symmetrised: the shared weight counted from both sides, over the geometric mean norm.
  return na > 0 && nb > 0 ? std::min(1.0, 0.5 * num / std::sqrt(na * nb)) : 0;
}

std::vector<std::string> UniqueTokens(std::vector<std::string> tokens) {
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  return tokens;
}

// Text tokens plus joined alphanumeric codes ("PS-LX350H" also gives "pslx350h").
std::vector<std::string> TextFeatureTokens(const std::string& raw) {
  std::vector<std::string> tokens = TextTokens(raw);
  std::string chunk;
  auto flush = [&]() {
    std::string code;
    bool digit = false, alpha = false;
    for (char c : chunk) {
      unsigned char u = static_cast<unsigned char>(c);
      if (std::isalnum(u) && u < 128) {
        code.push_back(static_cast<char>(std::tolower(u)));
        digit |= std::isdigit(u) != 0;
        alpha |= std::isalpha(u) != 0;
      }
    }
    if (digit && alpha && code.size() >= 4) tokens.push_back(code);
    chunk.clear();
  };
  for (char c : raw) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '/' || c == ',' || c == '(' || c == ')')
      flush();
    else
      chunk.push_back(c);
  }
  flush();
  return UniqueTokens(std::move(tokens));
}

double ParseNumber(const std::string& raw, bool* ok) {
  std::string s;
  for (char c : raw)
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-') s.push_back(c);
  *ok = !s.empty() && std::any_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  if (!*ok) return 0;
  try {
    return std::stod(s);
  } catch (...) {
    *ok = false;
    return 0;
  }
}

int DateLevel(const PartialDate& a, const PartialDate& b) {
  bool full = a.day && b.day;
  if (full && a.year == b.year && a.month == b.month && a.day == b.day) return 0;
  if (!full) {
    bool agree = a.year == b.year && (!a.month || !b.month || a.month == b.month);
    if (agree) return 1;
  }
  if (full) {
    if (a.year == b.year && a.month == b.day && a.day == b.month) return 2;
    // one digit wrong in YYYYMMDD (years are 4 digits: ParseDate keeps 1000..2999)
    auto digit_diff = [](int x, int y, int width) {
      int d = 0;
      for (int k = 0; k < width; ++k, x /= 10, y /= 10) d += x % 10 != y % 10;
      return d;
    };
    int diff = digit_diff(a.year, b.year, 4) + digit_diff(a.month, b.month, 2) +
               digit_diff(a.day, b.day, 2);
    if (diff == 1) return 2;
    if (a.year == b.year ||
        (std::abs(a.year - b.year) == 1 && a.month == b.month && a.day == b.day))
      return 3;
  }
  if (std::abs(a.year - b.year) <= 1) return 3;
  return 4;
}

// Two different e-mail addresses that may be one mailbox: the same local part at another
// provider, or the whole address within a typo or two (edit similarity >= 0.8) with the
// same digits. Numbers in an address tell accounts apart: "emma.wilson68@x" and
// "emma.wilson49@y" are two people named Emma Wilson, not one person.
bool SimilarEmails(const std::string& x, const std::string& y) {
  size_t ax = x.find('@'), ay = y.find('@');
  std::string_view lx = std::string_view(x).substr(0, ax), ly = std::string_view(y).substr(0, ay);
  if (lx == ly) return lx.size() >= 3;
  // The same digits in the same order (no allocation: scoring calls this for most pairs).
  size_t i = 0, j = 0;
  for (;;) {
    while (i < x.size() && (x[i] < '0' || x[i] > '9')) ++i;
    while (j < y.size() && (y[j] < '0' || y[j] > '9')) ++j;
    if (i == x.size() || j == y.size()) break;
    if (x[i++] != y[j++]) return false;
  }
  if (i != x.size() || j != y.size()) return false;
  // The edit distance is at least the difference in length.
  const size_t longer = std::max(x.size(), y.size()), shorter = std::min(x.size(), y.size());
  if (5 * (longer - shorter) > longer) return false;
  return EditSimilarity(x, y) >= 0.8;
}

// The script of a name's first word.
Script MainScript(const PreparedRecord::Name& n) {
  for (const auto& p : n.analyzed.parts)
    if (p.kind == PartKind::kWord && p.script != Script::kUnknown) return p.script;
  return Script::kUnknown;
}

// Scripts whose transcription of a foreign name drops or changes sounds.
bool LossyScript(Script s) {
  return s == Script::kHan || s == Script::kHangul || s == Script::kKana || s == Script::kArabic ||
         s == Script::kHebrew || s == Script::kThai || s == Script::kDevanagari;
}

// The letters of an e-mail's local part ("monika.klein68@x" -> "monikaklein").
std::string LocalLetters(const std::string& email) {
  std::string l;
  for (char c : std::string_view(email).substr(0, email.find('@')))
    if (c >= 'a' && c <= 'z') l.push_back(c);
  return l;
}

// Whether the letters of a local part are spelt from the record's name parts (a part
// or its initial at a time, at most two letters left over): such an address repeats the
// name and is no evidence beyond it.
// Whether `s` is a subsequence of `t` ("yldz" of "yildiz": letters dropped by ASCII folding).
bool Subsequence(std::string_view s, std::string_view t) {
  size_t i = 0;
  for (char c : t)
    if (i < s.size() && s[i] == c) ++i;
  return i == s.size();
}

// Whether the letters of a local part are spelt from the record's name: a subsequence of
// its parts in written or reversed order ("monikaklein", "mklein", "alaryldz" for "Alar
// Yıldız"). Such an address repeats the name and is no evidence beyond it.
bool NameDerived(const std::string& letters, const PreparedRecord& r) {
  if (letters.empty()) return false;
  for (const auto& n : r.names) {
    std::string fwd, rev;
    for (const auto& p : n.analyzed.parts) fwd += p.latin;
    for (auto it = n.analyzed.parts.rbegin(); it != n.analyzed.parts.rend(); ++it) rev += it->latin;
    if (Subsequence(letters, fwd) || Subsequence(letters, rev)) return true;
  }
  return false;
}

// Whether two text properties of one record largely repeat each other: half the tokens
// of the shorter one occur in the other (token vectors are sorted and unique).
bool Redundant(const PreparedRecord::Values& x, const PreparedRecord::Values& y) {
  if (x.tokens.empty() || y.tokens.empty()) return false;
  const auto& tx = x.tokens[0];
  const auto& ty = y.tokens[0];
  size_t common = 0;
  for (size_t i = 0, j = 0; i < tx.size() && j < ty.size();) {
    if (tx[i] == ty[j]) {
      ++common;
      ++i;
      ++j;
    } else if (tx[i] < ty[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return 2 * common >= std::min(tx.size(), ty.size());
}

}  // namespace

const char* ComparatorName(ComparatorKind kind) {
  switch (kind) {
    case ComparatorKind::kName:
      return "name";
    case ComparatorKind::kDate:
      return "date";
    case ComparatorKind::kIdentifier:
      return "identifier";
    case ComparatorKind::kEmail:
      return "email";
    case ComparatorKind::kPhone:
      return "phone";
    case ComparatorKind::kCountry:
      return "country";
    case ComparatorKind::kGender:
      return "gender";
    case ComparatorKind::kNumber:
      return "number";
    case ComparatorKind::kText:
      return "text";
    case ComparatorKind::kIgnore:
      return "ignore";
  }
  return "?";
}

ComparatorKind ComparatorForProperty(std::string_view prop) {
  auto it = Routes().find(prop);
  return it == Routes().end() ? ComparatorKind::kText : it->second;
}

ModelParams DefaultParams() {
  ModelParams p;
  p.levels.resize(kComparatorCount);
  p.levels[static_cast<int>(ComparatorKind::kName)] = {
      {"exact (>= 0.98)", 0.55, 0.001}, {"very close (>= 0.92)", 0.18, 0.001},
      {"close (>= 0.85)", 0.12, 0.003}, {"similar (>= 0.72)", 0.08, 0.01},
      {"weak (>= 0.60)", 0.04, 0.04},   {"poor (>= 0.45)", 0.02, 0.08},
      {"different", 0.002, 0.8555}};
  p.levels[static_cast<int>(ComparatorKind::kDate)] = {
      {"exact", 0.80, 0.001},
      {"partial, consistent", 0.06, 0.01},
      {"swapped day/month or one digit", 0.08, 0.001},
      {"same year or off by one", 0.03, 0.04},
      {"different", 0.01, 0.9587}};
  p.levels[static_cast<int>(ComparatorKind::kIdentifier)] = {
      {"exact", 0.85, 0.00005}, {"one edit apart", 0.07, 0.0005}, {"conflict", 0.08, 0.9995}};
  p.levels[static_cast<int>(ComparatorKind::kEmail)] = {
      {"exact", 0.60, 0.0001}, {"similar", 0.20, 0.002}, {"different", 0.20, 0.9979}};
  p.levels[static_cast<int>(ComparatorKind::kPhone)] = {{"exact", 0.60, 0.0001},
                                                        {"different", 0.40, 0.9999}};
  p.levels[static_cast<int>(ComparatorKind::kCountry)] = {{"same", 0.92, 0.10},
                                                          {"different", 0.08, 0.90}};
  p.levels[static_cast<int>(ComparatorKind::kGender)] = {{"same", 0.97, 0.50},
                                                         {"different", 0.03, 0.50}};
  p.levels[static_cast<int>(ComparatorKind::kNumber)] = {
      {"exact", 0.80, 0.05}, {"within 10%", 0.12, 0.10}, {"different", 0.08, 0.85}};
  p.levels[static_cast<int>(ComparatorKind::kText)] = {
      {"same (>= 0.95)", 0.50, 0.005},
      {"very similar (>= 0.80)", 0.20, 0.01},
      {"similar (>= 0.60)", 0.12, 0.03},
      {"some overlap (>= 0.40)", 0.08, 0.08},
      {"little overlap (>= 0.20)", 0.05, 0.20},
      {"different", 0.05, 0.68},
      // Long text (either side >= 6 tokens), soft TF-IDF cosine, also across properties.
      // Free text of one thing is rarely written alike twice: disagreement weighs little.
      {"long text: identical (>= 0.95)", 0.20, 0.0002},
      {"long text: same (>= 0.80)", 0.20, 0.0005},
      {"long text: very similar (>= 0.60)", 0.25, 0.001},
      {"long text: similar (>= 0.40)", 0.20, 0.004},
      {"long text: related (>= 0.25)", 0.12, 0.015},
      {"long text: little overlap (>= 0.12)", 0.08, 0.08},
      {"long text: different", 0.05, 0.90},
      // Rare alphanumeric codes in the text (model and part numbers). A near miss between
      // two codes of one family is a conflict, like two different identifiers.
      {"codes: same", 0.60, 0.0005},
      {"codes: conflict", 0.02, 0.5}};
  return p;
}

std::string MatchResult::ToText() const {
  std::string out = Fmt("match probability %.3f", probability) +
                    (match    ? " (match)"
                     : review ? " (review)"
                              : " (no match)") +
                    Fmt(", log2 odds %.2f\n", log2_odds);
  for (const auto& e : explanation) {
    out += "  " + e.property + ": '" + e.left + "' vs '" + e.right + "' - " + e.level_label +
           Fmt(" %+.2f", e.weight);
    if (!e.detail.empty()) out += " [" + e.detail + "]";
    out += "\n";
  }
  return out;
}

// ---- Preparation ---------------------------------------------------------------------

PreparedRecord Prepare(const model::Entity& entity) {
  PreparedRecord r;
  r.id = entity.id;
  r.schema = entity.schema;
  r.name_kind = NameKindForSchema(entity.schema);
  std::string first, middle, last;

  for (const auto& v : entity.values) {
    if (v.value.empty()) continue;
    ComparatorKind kind = ComparatorForProperty(v.prop);
    if (kind == ComparatorKind::kIgnore) continue;
    if (kind == ComparatorKind::kName) {
      if (v.prop == "firstName") {
        first += (first.empty() ? "" : " ") + v.value;
      } else if (v.prop == "lastName") {
        last += (last.empty() ? "" : " ") + v.value;
      } else if (IsNamePart(v.prop)) {
        middle += (middle.empty() ? "" : " ") + v.value;
      } else {
        r.names.push_back({v.value, AnalyzeName(v.value, r.name_kind), ""});
      }
      continue;
    }
    // A record has a handful of properties: found by a linear search.
    size_t index = 0;
    while (index < r.props.size() && r.props[index].prop != v.prop) ++index;
    if (index == r.props.size()) {
      r.props.push_back({});
      r.props.back().prop = v.prop;
      r.props.back().kind = kind;
    }
    auto& pv = r.props[index];
    switch (kind) {
      case ComparatorKind::kDate: {
        PartialDate d = ParseDate(v.value);
        if (d.valid()) {
          pv.dates.push_back(d);
          pv.norm.push_back(d.ToString());
        }
        break;
      }
      case ComparatorKind::kIdentifier: {
        std::string n;
        if (v.prop == "iban") {
          auto iban = NormalizeIban(v.value);
          n = iban ? *iban : NormalizeIdentifier(v.value);
        } else {
          n = NormalizeIdentifier(v.value);
        }
        if (!n.empty()) pv.norm.push_back(n);
        break;
      }
      case ComparatorKind::kEmail: {
        std::string n = NormalizeEmail(v.value);
        if (!n.empty()) pv.norm.push_back(n);
        break;
      }
      case ComparatorKind::kPhone: {
        std::string n = NormalizePhone(v.value);
        if (n.size() >= 5) pv.norm.push_back(n);
        break;
      }
      case ComparatorKind::kCountry: {
        // "Ukraine", "UKR" and "UA" are one country.
        auto code = model::NormalizeCountry(v.value);
        pv.norm.push_back(code ? *code : FoldText(v.value));
        break;
      }
      case ComparatorKind::kGender:
        pv.norm.push_back(FoldText(v.value));
        break;
      case ComparatorKind::kNumber: {
        bool ok = false;
        double x = ParseNumber(v.value, &ok);
        if (ok) {
          pv.numbers.push_back(x);
          pv.norm.push_back(v.value);
        }
        break;
      }
      default: {
        auto tokens = TextFeatureTokens(v.value);
        if (!tokens.empty()) {
          pv.tokens.push_back(std::move(tokens));
          pv.norm.push_back(v.value);
        }
        break;
      }
    }
  }
  std::string composite = first;
  for (const std::string* part : {&middle, &last})
    if (!part->empty()) composite += (composite.empty() ? "" : " ") + *part;
  if (!composite.empty()) {
    NameKind kind = r.name_kind == NameKind::kOther ? NameKind::kPerson : r.name_kind;
    r.names.push_back({composite, AnalyzeName(composite, kind), ""});
  }
  for (auto& n : r.names) {
    std::vector<std::string> parts;
    for (const auto& p : n.analyzed.parts)
      if (p.kind == PartKind::kWord || p.kind == PartKind::kNumber) parts.push_back(p.latin);
    std::sort(parts.begin(), parts.end());
    for (const auto& p : parts) n.key += (n.key.empty() ? "" : " ") + p;
  }
  // Drop properties left without usable values.
  r.props.erase(std::remove_if(r.props.begin(), r.props.end(),
                               [](const PreparedRecord::Values& v) { return v.norm.empty(); }),
                r.props.end());
  size_t text_values = 0;
  for (size_t k = 0; k < r.props.size(); ++k) {
    text_values += r.props[k].tokens.size();
    if (!r.props[k].tokens.empty()) r.single_text = static_cast<int>(k);
  }
  if (text_values != 1) {
    r.single_text = -1;
    for (const auto& pv : r.props)
      for (const auto& toks : pv.tokens)
        r.text_tokens.insert(r.text_tokens.end(), toks.begin(), toks.end());
    r.text_tokens = UniqueTokens(std::move(r.text_tokens));
  }
  for (const auto& t : r.AllText()) {
    int digits = 0, letters = 0;
    for (char c : t) {
      digits += c >= '0' && c <= '9';
      letters += c >= 'a' && c <= 'z';
    }
    if (t.size() >= 5 && digits >= 2 && letters >= 1) r.codes.push_back(t);
  }
  return r;
}

// ---- Corpus statistics ----------------------------------------------------------------

namespace {
// The value keys of one record counted by CorpusStats, hashed (sorted, unique): "name:"
// + name key, prop + ":" + folded text, comparator + ":" + value, "emaillocal:" + local.
void ValueKeyHashes(const PreparedRecord& record, std::vector<uint64_t>& out) {
  const size_t start = out.size();
  for (const auto& n : record.names) out.push_back(KeyHash().Add("name:").Add(n.key).Value());
  for (const auto& pv : record.props) {
    if (pv.kind == ComparatorKind::kText) {
      for (const auto& raw : pv.norm)
        out.push_back(KeyHash().Add(pv.prop).Add(":").Add(FoldText(raw)).Value());
    } else {
      std::string_view kind = ComparatorName(pv.kind);
      for (const auto& v : pv.norm) {
        out.push_back(KeyHash().Add(kind).Add(":").Add(v).Value());
        if (pv.kind == ComparatorKind::kEmail)
          out.push_back(
              KeyHash().Add("emaillocal:").Add(std::string_view(v).substr(0, v.find('@'))).Value());
      }
    }
  }
  std::sort(out.begin() + start, out.end());
  out.erase(std::unique(out.begin() + start, out.end()), out.end());
}

// Appends the hashes of a document's distinct tokens.
template <typename Tokens>
void AppendDistinct(const Tokens& tokens, std::vector<uint64_t>& out) {
  const size_t start = out.size();
  for (const auto& t : tokens) out.push_back(HashKey(t));
  std::sort(out.begin() + start, out.end());
  out.erase(std::unique(out.begin() + start, out.end()), out.end());
}

// Hashes of one batch of records for CorpusStats: value keys, name tokens, pooled text
// tokens and text tokens per property, with their document counts.
struct StatsHashes {
  std::vector<uint64_t> values, names, all_text;
  size_t all_text_docs = 0;
  std::unordered_map<std::string, std::pair<std::vector<uint64_t>, size_t>> text;
  void Add(const PreparedRecord& r) {
    ValueKeyHashes(r, values);
    const size_t start = names.size();
    for (const auto& n : r.names)
      for (const auto& p : n.analyzed.parts) names.push_back(HashKey(p.latin));
    std::sort(names.begin() + start, names.end());
    names.erase(std::unique(names.begin() + start, names.end()), names.end());
    if (!r.AllText().empty()) {
      AppendDistinct(r.AllText(), all_text);
      ++all_text_docs;
    }
    for (const auto& pv : r.props) {
      if (pv.kind != ComparatorKind::kText) continue;
      auto& [hashes, docs] = text[pv.prop];
      const size_t s = hashes.size();
      for (const auto& toks : pv.tokens)
        for (const auto& t : toks) hashes.push_back(HashKey(t));
      std::sort(hashes.begin() + s, hashes.end());
      hashes.erase(std::unique(hashes.begin() + s, hashes.end()), hashes.end());
      ++docs;
    }
  }
};
}  // namespace

void CorpusStats::Add(const PreparedRecord& record) {
  ++records_;
  StatsHashes h;
  h.Add(record);
  for (uint64_t v : h.values) value_counts_.Add(v);
  name_terms_.AddHashes(h.names, 1);
  if (h.all_text_docs) all_text_terms_.AddHashes(h.all_text, h.all_text_docs);
  for (auto& [prop, e] : h.text) text_terms_[prop].AddHashes(e.first, e.second);
}

void CorpusStats::AddAll(const std::vector<PreparedRecord>& records) {
  records_ += records.size();
  // Hashes per thread in parallel, then counted (sort + run lengths) per statistic.
  tbb::enumerable_thread_specific<StatsHashes> locals;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, records.size(), 4096),
                    [&](const tbb::blocked_range<size_t>& range) {
                      StatsHashes& h = locals.local();
                      for (size_t i = range.begin(); i < range.end(); ++i) h.Add(records[i]);
                    });
  StatsHashes all;
  for (auto& h : locals) {
    all.values.insert(all.values.end(), h.values.begin(), h.values.end());
    all.names.insert(all.names.end(), h.names.begin(), h.names.end());
    all.all_text.insert(all.all_text.end(), h.all_text.begin(), h.all_text.end());
    all.all_text_docs += h.all_text_docs;
    for (auto& [prop, e] : h.text) {
      auto& [hashes, docs] = all.text[prop];
      hashes.insert(hashes.end(), e.first.begin(), e.first.end());
      docs += e.second;
    }
    h = StatsHashes();
  }
  value_counts_.AddAll(all.values);
  name_terms_.AddHashes(all.names, records.size());
  all_text_terms_.AddHashes(all.all_text, all.all_text_docs);
  for (auto& [prop, e] : all.text) text_terms_[prop].AddHashes(e.first, e.second);
}

void CorpusStats::Finish() {}

double CorpusStats::Frequency(const std::string& key) const {
  if (records_ == 0) return 0;
  return static_cast<double>(Count(key)) / static_cast<double>(records_);
}

uint64_t CorpusStats::NextSerial() {
  static std::atomic<uint64_t> next{1};
  return next++;
}

void AttachIdf(std::vector<PreparedRecord>& records, const CorpusStats& stats) {
  tbb::parallel_for(size_t{0}, records.size(), [&](size_t i) {
    PreparedRecord& r = records[i];
    for (auto& pv : r.props) {
      if (pv.tokens.empty()) continue;
      const TermStats* terms = &stats.text_terms(pv.prop);
      pv.idf.resize(pv.tokens.size());
      for (size_t v = 0; v < pv.tokens.size(); ++v) {
        pv.idf[v].resize(pv.tokens[v].size());
        for (size_t k = 0; k < pv.tokens[v].size(); ++k)
          pv.idf[v][k] = TokenIdf(pv.tokens[v][k], terms);
      }
    }
    r.idf_stats = stats.serial();
  });
}

const TermStats& CorpusStats::text_terms(const std::string& prop) const {
  static const TermStats kEmpty;
  auto it = text_terms_.find(prop);
  return it == text_terms_.end() ? kEmpty : it->second;
}

// ---- Matching ---------------------------------------------------------------------------

Matcher::Matcher(ModelParams params, std::shared_ptr<const CorpusStats> stats)
    : params_(std::move(params)), stats_(std::move(stats)) {}

std::vector<PropertyEvidence> Matcher::Evidence(const PreparedRecord& a, const PreparedRecord& b,
                                                bool explain) const {
  std::vector<PropertyEvidence> out;
  std::vector<const std::string*> values;
  Collect(a, b, explain, out, values);
  return out;
}

void Matcher::Collect(const PreparedRecord& a, const PreparedRecord& b, bool explain,
                      std::vector<PropertyEvidence>& out,
                      std::vector<const std::string*>& values) const {
  out.clear();
  values.clear();
  // The value behind each evidence for frequency weighting (names: the sorted key).
  auto push = [&](PropertyEvidence&& e, const std::string* value) {
    out.push_back(std::move(e));
    values.push_back(value);
  };
  // Names: the best-agreeing pair of names.
  if (!a.names.empty() && !b.names.empty()) {
    PropertyEvidence e;
    if (explain) e.property = "name";
    e.comparator = ComparatorKind::kName;
    double best = -1;
    const TermStats* terms = stats_ && stats_->records() >= 50 ? &stats_->name_terms() : nullptr;
    NameComparison best_c;
    const PreparedRecord::Name *best_a = nullptr, *best_b = nullptr;
    for (const auto& na : a.names) {
      for (const auto& nb : b.names) {
        NameComparison c = CompareNames(na.analyzed, nb.analyzed, terms, explain);
        if (c.score > best) {
          best = c.score;
          best_c = std::move(c);
          best_a = &na;
          best_b = &nb;
        }
      }
    }
    // Strings for the explanation only once, for the best-agreeing pair of names.
    if (explain) {
      e.left = best_a->raw;
      e.right = best_b->raw;
      e.detail = best_c.Describe();
    }
    e.similarity = best_c.score;
    e.level = NameLevel(best);
    // A name transcribed into a script that loses sounds (Han, Hangul, kana, abjads)
    // often reads back far from the original ("Schmidt" / "施密特" / "shimite"): across
    // such scripts a poor similarity is no evidence either way.
    if (e.level >= 5 && MainScript(*best_a) != MainScript(*best_b) &&
        (LossyScript(MainScript(*best_a)) || LossyScript(MainScript(*best_b)))) {
      e.level = -1;
      e.level_label = "different scripts: not comparable";
    }
    push(std::move(e), stats_ && best_c.score >= 0.98 ? &best_a->key : nullptr);
  }
  // Other properties: matched by property name; identifiers compare across all id kinds.
  bool has_ids_b = false;
  for (const auto& pb : b.props) has_ids_b |= pb.kind == ComparatorKind::kIdentifier;
  bool ids_done = false;
  struct LongText {
    PropertyEvidence evidence;
    const PreparedRecord::Values* a;
    const PreparedRecord::Values* b;
  };
  std::vector<LongText> long_evidence;
  for (const auto& pa : a.props) {
    if (pa.kind == ComparatorKind::kIdentifier) {
      if (ids_done || !has_ids_b) continue;
      ids_done = true;
      PropertyEvidence e;
      if (explain) e.property = "identifiers";
      e.comparator = ComparatorKind::kIdentifier;
      e.level = -1;
      const std::string* value = nullptr;
      // All identifiers of a against all of b, whatever their property.
      for (const auto& ia : a.props) {
        if (ia.kind != ComparatorKind::kIdentifier) continue;
        for (const auto& x : ia.norm)
          for (const auto& ib : b.props) {
            if (ib.kind != ComparatorKind::kIdentifier) continue;
            for (const auto& y : ib.norm)
              if (x == y) {
                value = &x;
                if (explain) e.left = e.right = x;
                if (stats_ && stats_->IsGeneric("identifier", x)) {
                  e.level_label = "generic value (shared by many records)";
                  continue;
                }
                e.level = 0;
              }
          }
      }
      if (e.level < 0) {
        // Only identifiers of the same property can conflict.
        for (const auto& pb : b.props) {
          if (pb.kind != ComparatorKind::kIdentifier) continue;
          for (const auto& pa2 : a.props) {
            if (pa2.prop != pb.prop) continue;
            for (const auto& x : pa2.norm)
              for (const auto& y : pb.norm) {
                int d = DamerauLevenshtein(std::string_view(x), std::string_view(y));
                int lvl = (d <= 1 && x.size() >= 5) ? 1 : 2;
                if (e.level < 0 || lvl < e.level) {
                  e.level = lvl;
                  value = &x;
                  if (explain) {
                    e.left = x;
                    e.right = y;
                  }
                }
              }
          }
        }
      }
      if (e.level >= 0 || !e.level_label.empty()) push(std::move(e), value);
      continue;
    }
    const PreparedRecord::Values* pb = nullptr;
    for (const auto& cand : b.props)
      if (cand.prop == pa.prop) pb = &cand;
    if (!pb) continue;
    PropertyEvidence e;
    if (explain) e.property = pa.prop;
    e.comparator = pa.kind;
    const std::string* value = nullptr;
    switch (pa.kind) {
      case ComparatorKind::kDate: {
        int best = 99;
        for (size_t i = 0; i < pa.dates.size(); ++i)
          for (size_t j = 0; j < pb->dates.size(); ++j) {
            int l = DateLevel(pa.dates[i], pb->dates[j]);
            if (l < best) {
              best = l;
              if (explain) {
                e.left = pa.norm[i];
                e.right = pb->norm[j];
              }
            }
          }
        e.level = best == 99 ? -1 : best;
        break;
      }
      case ComparatorKind::kEmail:
      case ComparatorKind::kPhone:
      case ComparatorKind::kCountry:
      case ComparatorKind::kGender: {
        int different = pa.kind == ComparatorKind::kEmail ? 2 : 1;
        e.level = different;
        value = &pa.norm[0];
        if (explain) {
          e.left = pa.norm[0];
          e.right = pb->norm[0];
        }
        for (const auto& x : pa.norm)
          for (const auto& y : pb->norm) {
            if (x == y) {
              if ((pa.kind == ComparatorKind::kEmail || pa.kind == ComparatorKind::kPhone) &&
                  stats_ && stats_->IsGeneric(ComparatorName(pa.kind), x)) {
                e.level = -1;
                e.level_label = "generic value (shared by many records)";
              } else {
                e.level = 0;
              }
              value = &x;
              if (explain) e.left = e.right = x;
            } else if (pa.kind == ComparatorKind::kEmail && e.level == 2 && SimilarEmails(x, y)) {
              // A typo in one address, or one mailbox name at two providers; not a
              // shared role name ("info@") and not two numbered accounts of one name.
              std::string_view local = std::string_view(x).substr(0, x.find('@'));
              // Two addresses each spelt from its owner's name are how two people of one
              // name get mail ("monika.klein@web.de", "monika_klein@web.de",
              // "paulmichael_fletcher@x" / "michael_fletcher@x"): no evidence beyond
              // the name, which is compared already.
              // (Same provider and the same letters under two differing names: a typo or
              // a separator in one address, kept.)
              std::string lx = LocalLetters(x), ly = LocalLetters(y);
              bool other_provider =
                  EditSimilarity(x.substr(x.find('@') + 1), y.substr(y.find('@') + 1)) < 0.8;
              bool exact_name =
                  !out.empty() && out[0].comparator == ComparatorKind::kName && out[0].level == 0;
              bool name_only = (other_provider || lx != ly || exact_name) && NameDerived(lx, a) &&
                               NameDerived(ly, b);
              if (!name_only && !(stats_ && stats_->IsGeneric("emaillocal", local))) {
                e.level = 1;
                value = &x;
                if (explain) {
                  e.left = x;
                  e.right = y;
                }
              }
            }
          }
        break;
      }
      case ComparatorKind::kNumber: {
        int best = 99;
        for (size_t i = 0; i < pa.numbers.size(); ++i)
          for (size_t j = 0; j < pb->numbers.size(); ++j) {
            double x = pa.numbers[i], y = pb->numbers[j];
            double rel = std::abs(x - y) / std::max({std::abs(x), std::abs(y), 1e-9});
            int l = rel < 1e-9 ? 0 : rel <= 0.10 ? 1 : 2;
            if (l < best) {
              best = l;
              if (explain) {
                e.left = pa.norm[i];
                e.right = pb->norm[j];
              }
            }
          }
        e.level = best == 99 ? -1 : best;
        break;
      }
      default: {
        const TermStats* terms = stats_ ? &stats_->text_terms(pa.prop) : nullptr;
        double best = -1;
        bool long_text = false;
        for (size_t i = 0; i < pa.tokens.size(); ++i)
          for (size_t j = 0; j < pb->tokens.size(); ++j) {
            bool is_long = std::max(pa.tokens[i].size(), pb->tokens[j].size()) >= kLongTextTokens;
            // Token weights attached in advance for these statistics (AttachIdf), if any.
            const double* ia =
                stats_ && a.idf_stats == stats_->serial() ? pa.idf[i].data() : nullptr;
            const double* ib =
                stats_ && b.idf_stats == stats_->serial() ? pb->idf[j].data() : nullptr;
            double s = is_long ? SoftTfIdfCosine(pa.tokens[i], pb->tokens[j], terms, ia, ib)
                               : TextSimilarity(pa.tokens[i], pb->tokens[j], terms, ia, ib);
            if (s > best) {
              best = s;
              long_text = is_long;
              value = &pa.norm[i];
              if (explain) {
                e.left = pa.norm[i];
                e.right = pb->norm[j];
              }
            }
          }
        if (best < 0) break;
        if (long_text && (a.AllText().size() > pa.tokens[0].size() ||
                          b.AllText().size() > pb->tokens[0].size())) {
          // Across properties: this property against all the other record's text (a
          // model code may sit in one offer's title and the other's description).
          const TermStats* all = stats_ ? &stats_->all_text_terms() : nullptr;
          for (const auto& ta : pa.tokens)
            best = std::max(best, SoftTfIdfCosine(ta, b.AllText(), all));
          for (const auto& tb : pb->tokens)
            best = std::max(best, SoftTfIdfCosine(a.AllText(), tb, all));
        }
        e.similarity = best;
        if (long_text) {
          e.level = LongTextLevel(best);
          long_evidence.push_back({std::move(e), &pa, pb});
          continue;
        }
        e.level = TextLevel(best);
        if (stats_ && e.level == 0 && stats_->IsGeneric(pa.prop, FoldText(*value))) {
          e.level = -1;
          e.level_label = "generic value (shared by many records)";
        }
        break;
      }
    }
    if (e.level >= 0 || !e.level_label.empty()) push(std::move(e), value);
  }
  if (!long_evidence.empty()) {
    // Long text properties that repeat each other inside one record (a title copied into
    // the description) are one piece of evidence: keep the best-agreeing of them;
    // independent ones (a paper's title and its authors) each count.
    std::stable_sort(long_evidence.begin(), long_evidence.end(),
                     [](const LongText& x, const LongText& y) {
                       return x.evidence.similarity > y.evidence.similarity;
                     });
    std::vector<const LongText*> kept;
    for (auto& lt : long_evidence) {
      bool redundant = false;
      for (const LongText* k : kept)
        redundant |= Redundant(*lt.a, *k->a) || Redundant(*lt.b, *k->b);
      if (redundant) continue;
      kept.push_back(&lt);
      push(std::move(lt.evidence), nullptr);
    }
  }
  if (!a.codes.empty() && !b.codes.empty()) {
    PropertyEvidence e = CompareCodes(a, b);
    if (e.level >= 0) push(std::move(e), nullptr);
  }
}

PropertyEvidence Matcher::CompareCodes(const PreparedRecord& a, const PreparedRecord& b) const {
  PropertyEvidence e;
  e.property = "codes";
  e.comparator = ComparatorKind::kText;
  const TermStats* terms = stats_ ? &stats_->all_text_terms() : nullptr;
  // Only rare codes count: "1080p" or "120hz" are specifications shared by many offers.
  auto rare = [&](const std::string& c) {
    if (!terms || terms->documents() < 20) return true;
    return terms->DocumentFrequency(c) <= std::max<double>(4, 0.002 * terms->documents());
  };
  const std::string *near_a = nullptr, *near_b = nullptr;
  for (const auto& x : a.codes) {
    if (!rare(x)) continue;
    for (const auto& y : b.codes) {
      if (!rare(y)) continue;
      const std::string& s = x.size() <= y.size() ? x : y;
      const std::string& l = x.size() <= y.size() ? y : x;
      if (l.compare(0, s.size(), s) == 0) {  // equal, or a suffix added ("fs105" / "fs105na")
        e.level = kCodeLevelBase;
        e.left = x;
        e.right = y;
        e.similarity = 1;
        return e;
      }
      if (!near_a && x[0] == y[0] && x[1] == y[1] && EditSimilarity(x, y) >= 0.6) {
        near_a = &x;
        near_b = &y;
      }
    }
  }
  if (near_a) {
    e.level = kCodeLevelBase + 1;
    e.left = *near_a;
    e.right = *near_b;
    e.similarity = EditSimilarity(*near_a, *near_b);
  }
  return e;
}

double Matcher::Weight(const PropertyEvidence& e, const std::string* value, bool namesakes) const {
  if (e.level < 0) return 0;
  const int kind = static_cast<int>(e.comparator);
  const auto& levels = params_.levels[kind];
  if (e.level >= static_cast<int>(levels.size())) return 0;
  const Level& l = levels[e.level];
  // Fitted, between records of one exact name: agreement is weighed against how often
  // namesakes agree so (ModelParams::namesake_u), since the name already explains part
  // of it (a German name and German nationality, a name-spelt e-mail address).
  double floor_u = 0;
  if (namesakes && kind < static_cast<int>(params_.namesake_u.size()) &&
      e.level < static_cast<int>(params_.namesake_u[kind].size()) && l.m > l.u)
    floor_u = params_.namesake_u[kind][e.level];

  if (stats_ && params_.corpus_records > 0 && e.level == 0 && value) {
    // Fitted to the corpus: exact agreement on a value weighs log2(m / tf(value)), the
    // frequency of the value among the other records (a name shared by 20 of 17k records
    // says far less than one seen twice).
    const char* key_kind = nullptr;
    switch (e.comparator) {
      case ComparatorKind::kName:
      case ComparatorKind::kIdentifier:
      case ComparatorKind::kEmail:
      case ComparatorKind::kPhone:
      case ComparatorKind::kCountry:
        key_kind = ComparatorName(e.comparator);
        break;
      default:
        break;
    }
    if (key_kind) {
      double n = static_cast<double>(std::max<size_t>(stats_->records(), 2));
      double others = std::max<double>(1, static_cast<double>(stats_->Count(key_kind, *value)) - 1);
      double u = std::max(std::min(1.0, others / n), floor_u);
      return std::log2(l.m / u);
    }
  }
  if (floor_u > 0) return std::log2(l.m / std::max(l.u, floor_u));
  double w = std::log2(l.m / l.u);
  // Term-frequency adjustment of exact name agreement: log2(u / tf(value)).
  if (stats_ && e.comparator == ComparatorKind::kName && e.level == 0 && value &&
      stats_->records() >= 100) {
    // Rare names weigh more: log2(u / tf), capped.
    double count = std::max<double>(1, stats_->Count("name", *value));
    double tf = count / static_cast<double>(stats_->records());
    double adj =
        std::clamp(std::log2(l.u / tf), -params_.max_tf_adjust_bits, params_.max_tf_adjust_bits);
    w += adj;
  }
  // Term-frequency adjustment of country agreement: sharing the corpus' most common
  // nationality says less than sharing a rare one.
  if (stats_ && e.comparator == ComparatorKind::kCountry && e.level == 0 && value &&
      stats_->records() >= 100) {
    double tf = std::max(static_cast<double>(stats_->Count("country", *value)), 1.0) /
                static_cast<double>(stats_->records());
    w += std::clamp(std::log2(l.u / tf), -params_.max_tf_adjust_bits, params_.max_tf_adjust_bits);
  }
  return w;
}

MatchResult Matcher::Score(const PreparedRecord& a, const PreparedRecord& b) const {
  MatchResult r;
  std::vector<const std::string*> values;
  Collect(a, b, true, r.explanation, values);
  double odds = params_.prior_log2_odds;
  bool namesakes = false;
  for (const auto& e : r.explanation)
    namesakes |= e.comparator == ComparatorKind::kName && e.level == 0;
  for (size_t k = 0; k < r.explanation.size(); ++k) {
    auto& e = r.explanation[k];
    e.weight = Weight(e, values[k], namesakes && e.comparator != ComparatorKind::kName);
    if (e.level >= 0) {
      const auto& levels = params_.levels[static_cast<int>(e.comparator)];
      if (e.level < static_cast<int>(levels.size())) e.level_label = levels[e.level].label;
    }
    odds += e.weight;
  }
  r.log2_odds = odds;
  r.probability = 1.0 / (1.0 + std::exp2(-odds));
  r.match = r.probability >= params_.match_threshold;
  r.review = !r.match && r.probability >= params_.review_threshold;
  return r;
}

double Matcher::Log2Odds(const PreparedRecord& a, const PreparedRecord& b,
                         double* similarity_sum) const {
  // The same sum as Score, without the explanation's strings; buffers kept per thread.
  thread_local std::vector<PropertyEvidence> evidence;
  thread_local std::vector<const std::string*> values;
  Collect(a, b, false, evidence, values);
  double odds = params_.prior_log2_odds, sim = 0;
  bool namesakes = false;
  for (const auto& e : evidence) namesakes |= e.comparator == ComparatorKind::kName && e.level == 0;
  for (size_t k = 0; k < evidence.size(); ++k) {
    const auto& e = evidence[k];
    odds += Weight(e, values[k], namesakes && e.comparator != ComparatorKind::kName);
    sim += e.similarity;
  }
  if (similarity_sum) *similarity_sum = sim;
  return odds;
}

double Matcher::Probability(const PreparedRecord& a, const PreparedRecord& b) const {
  return 1.0 / (1.0 + std::exp2(-Log2Odds(a, b)));
}

}  // namespace casegraph::resolve
