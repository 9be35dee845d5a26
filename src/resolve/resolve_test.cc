// Unit tests for entity resolution: transliteration per script, folding, legal forms,
// titles, initials, identifier/date normalisers, similarity primitives, name comparison
// across orders and scripts, the explanation, blocking and clustering.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "resolve/blocking.h"
#include "resolve/cluster.h"
#include "resolve/name_match.h"
#include "resolve/normalize.h"
#include "resolve/resolver.h"
#include "resolve/similarity.h"

namespace casegraph::resolve {
namespace {

model::Entity Person(const std::string& id, const std::string& name) {
  model::Entity e;
  e.id = id;
  e.schema = "Person";
  e.Add("name", name);
  return e;
}

double NameScore(const std::string& a, const std::string& b, NameKind kind = NameKind::kPerson) {
  return CompareNames(AnalyzeName(a, kind), AnalyzeName(b, kind)).score;
}

TEST(NormalizeTest, FoldsCaseAndDiacritics) {
  EXPECT_EQ(FoldText("Erdoğan"), "erdogan");
  EXPECT_EQ(FoldText("Straße"), "strasse");
  EXPECT_EQ(FoldText("ＡＢＣ"), "abc");  // NFKC: full-width letters
  EXPECT_EQ(FoldText("François"), "francois");
}

TEST(NormalizeTest, DetectsScripts) {
  EXPECT_EQ(DetectScript("Olaf Scholz"), Script::kLatin);
  EXPECT_EQ(DetectScript("Олаф Шольц"), Script::kCyrillic);
  EXPECT_EQ(DetectScript("Κυριάκος"), Script::kGreek);
  EXPECT_EQ(DetectScript("محمد"), Script::kArabic);
  EXPECT_EQ(DetectScript("בנימין"), Script::kHebrew);
  EXPECT_EQ(DetectScript("习近平"), Script::kHan);
  EXPECT_EQ(DetectScript("김정은"), Script::kHangul);
  EXPECT_EQ(DetectScript("ガスプロム"), Script::kKana);
  EXPECT_EQ(DetectScript("नरेन्द्र"), Script::kDevanagari);
  EXPECT_EQ(DetectScript("วชิราลงกรณ"), Script::kThai);
  EXPECT_EQ(DetectScript("123"), Script::kUnknown);
}

TEST(NormalizeTest, TransliteratesEachScript) {
  EXPECT_EQ(ToLatin("Олаф Шольц"), "olaf shol'ts");
  EXPECT_EQ(ToLatin("Κυριάκος Μητσοτάκης"), "kyriakos mitsotakis");
  EXPECT_EQ(ToLatin("习近平"), "xijinping");
  EXPECT_EQ(ToLatin("김정은"), "gimjeong-eun");
  EXPECT_EQ(ToLatin("ガスプロム"), "gasupuromu");
  EXPECT_EQ(ToLatin("नरेन्द्र मोदी"), "narendra modi");
  EXPECT_EQ(ToLatin("בנימין"), "bnymyn");
  EXPECT_EQ(ToLatin("محمد"), "mhmd");
  EXPECT_FALSE(ToLatin("วชิราลงกรณ").empty());
  EXPECT_EQ(ToLatin("วชิราลงกรณ").find_first_not_of("abcdefghijklmnopqrstuvwxyz '"),
            std::string::npos);
}

TEST(NormalizeTest, LegalFormsAcrossLanguagesAndScripts) {
  auto form = [](const std::string& name) {
    auto n = AnalyzeName(name, NameKind::kOrganization);
    return n.legal_forms.empty() ? std::string() : n.legal_forms.back();
  };
  EXPECT_EQ(form("Siemens Aktiengesellschaft"), "ag");
  EXPECT_EQ(form("Siemens AG"), "ag");
  EXPECT_EQ(form("Acme Gesellschaft mit beschränkter Haftung"), "gmbh");
  EXPECT_EQ(form("Acme GmbH"), "gmbh");
  EXPECT_EQ(form("Vodafone Limited"), "ltd");
  EXPECT_EQ(form("Vodafone Ltd."), "ltd");
  EXPECT_EQ(form("Stripe Limited Liability Company"), "llc");
  EXPECT_EQ(form("Goldman Sachs L.L.C."), "llc");
  EXPECT_EQ(form("ООО Ромашка"), "llc");
  EXPECT_EQ(form("Oboronnye Initsiativy o.O.O."), "llc");
  EXPECT_EQ(form("АО Газпром"), "jsc");
  EXPECT_EQ(form("OAO Gazprom"), "jsc");
  EXPECT_EQ(form("Open Joint Stock Company Gazprom"), "jsc");
  EXPECT_EQ(form("Banco Santander S.A."), "sa");
  EXPECT_EQ(form("华为技术有限公司"), "ltd");
  EXPECT_EQ(form("トヨタ自動車株式会社"), "kk");
  EXPECT_EQ(form("FABERLIC EUROPE Sp. z o.o."), "llc");
}

TEST(NormalizeTest, TitlesInitialsAndNumbers) {
  auto p = AnalyzeName("Mr. Recep Tayyip Erdoğan", NameKind::kPerson);
  ASSERT_EQ(p.parts.size(), 3u);
  EXPECT_EQ(p.parts[0].latin, "recep");
  auto w = AnalyzeName("William W. Frost", NameKind::kPerson);
  ASSERT_EQ(w.parts.size(), 3u);
  EXPECT_EQ(w.parts[1].kind, PartKind::kInitial);
  auto jp = AnalyzeName("J.P. Morgan & Co.", NameKind::kOrganization);
  EXPECT_EQ(jp.parts[0].latin, "jp");
  EXPECT_EQ(jp.parts[1].latin, "morgan");
  EXPECT_EQ(jp.parts[2].latin, "and");
  auto b = AnalyzeName("Brigade Forty 4", NameKind::kOrganization);
  EXPECT_EQ(b.parts.back().latin, "44");
  auto k = AnalyzeName("KKR Fund XII L.P.", NameKind::kOrganization);
  EXPECT_EQ(k.parts[2].latin, "12");
}

TEST(NormalizeTest, Skeleton) {
  EXPECT_EQ(Skeleton("scholz"), Skeleton("sholts"));
  EXPECT_EQ(Skeleton("wladimir"), Skeleton("vladimir"));
  EXPECT_EQ(Skeleton("sergej"), Skeleton("sergey"));
}

TEST(NormalizeTest, IdentifiersPhonesEmailsIbansDates) {
  EXPECT_EQ(NormalizeIdentifier("de 123-45/6"), "DE123456");
  EXPECT_EQ(NormalizeEmail(" Olaf.Scholz@Example.ORG "), "olaf.scholz@example.org");
  EXPECT_EQ(NormalizeEmail("not an email"), "");
  EXPECT_EQ(NormalizePhone("+49 (30) 1234-5678"), NormalizePhone("030 12345678"));
  ASSERT_TRUE(NormalizeIban("GB82 WEST 1234 5698 7654 32").has_value());
  EXPECT_EQ(*NormalizeIban("GB82 WEST 1234 5698 7654 32"), "GB82WEST12345698765432");
  EXPECT_FALSE(NormalizeIban("GB83 WEST 1234 5698 7654 32").has_value());  // bad check digits
  EXPECT_EQ(ParseDate("1971-06-24").ToString(), "1971-06-24");
  EXPECT_EQ(ParseDate("19710624").ToString(), "1971-06-24");
  EXPECT_EQ(ParseDate("24.06.1971").ToString(), "1971-06-24");
  EXPECT_EQ(ParseDate("1971-06").ToString(), "1971-06");
  EXPECT_EQ(ParseDate("1971").ToString(), "1971");
  EXPECT_FALSE(ParseDate("1971-13-40").valid());
}

TEST(SimilarityTest, Primitives) {
  EXPECT_EQ(DamerauLevenshtein(std::string_view("appel"), std::string_view("apple")), 1);
  EXPECT_EQ(Levenshtein("kitten", "sitting"), 3);
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.9611, 1e-3);
  EXPECT_NEAR(Jaro("dixon", "dicksonx"), 0.7667, 1e-3);
  EXPECT_DOUBLE_EQ(EditSimilarity(std::u32string(U"путин"), std::u32string(U"пулин")), 0.8);
}

// The optimal-string-alignment distance with its shortcuts (common prefix and suffix
// removed, rows on the stack) against the plain dynamic programme, on random strings over
// a small alphabet (many repeats and transpositions) and lengths around the stack limit.
TEST(SimilarityTest, DamerauLevenshteinMatchesPlainDp) {
  auto plain = [](const std::string& a, const std::string& b) {
    const size_t n = a.size(), m = b.size();
    std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
    for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
    for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
    for (size_t i = 1; i <= n; ++i)
      for (size_t j = 1; j <= m; ++j) {
        d[i][j] = std::min(
            {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    return d[n][m];
  };
  std::mt19937 rng(11);
  for (int t = 0; t < 20000; ++t) {
    // Mostly short strings; every 100th around the 64-character word of the bit-parallel
    // algorithm (60..70 characters).
    auto random = [&] {
      size_t len = t % 100 == 0 ? 60 + rng() % 11 : rng() % 10;
      std::string s(len, 'a');
      for (char& c : s) c = static_cast<char>('a' + rng() % 3);
      return s;
    };
    std::string a = random(), b = random();
    ASSERT_EQ(DamerauLevenshtein(std::string_view(a), std::string_view(b)), plain(a, b))
        << a << " / " << b;
  }
}

TEST(NameMatchTest, OrderCommasAndScripts) {
  EXPECT_GE(NameScore("Olaf Scholz", "SCHOLZ, Olaf"), 0.98);
  EXPECT_GE(NameScore("Olaf Scholz", "Олаф Шольц"), 0.85);
  EXPECT_GE(NameScore("Vladimir Putin", "Владимир Путин"), 0.9);
  EXPECT_GE(NameScore("Kyriakos Mitsotakis", "Κυριάκος Μητσοτάκης"), 0.9);
  EXPECT_GE(NameScore("Xi Jinping", "习近平"), 0.7);
  EXPECT_LT(NameScore("Olaf Scholz", "Angela Merkel"), 0.3);
  EXPECT_LT(NameScore("习近朋", "习近平"), 0.72);  // one Han syllable differs
}

TEST(NameMatchTest, InitialsMissingPartsAndConflicts) {
  EXPECT_GE(NameScore("Thomas A. Lindeman", "Thomas Lindemann"), 0.8);
  EXPECT_LT(NameScore("Frost, William G.", "William W Frost"), 0.9);
  EXPECT_GE(NameScore("Boris Johnson", "Alexandre Boris de Pfeffel Johnson"), 0.72);
  EXPECT_LT(NameScore("WALIJAN", "WALIJAN ABDUL GHAFOOR HAQQANI"), 0.72);
  EXPECT_LT(NameScore("TARIQ ANWAR EL SAYED MOHAMED", "TARIQ ANWAR EL SAYED AHMED"), 0.85);
  EXPECT_GE(NameScore("PolPot", "Pol Pot"), 0.9);
  EXPECT_GE(NameScore("Nikolai Plat Ono Vich Patrushev", "Nikolai Platonovich Patrushev"), 0.9);
}

TEST(NameMatchTest, Organisations) {
  auto org = [](const std::string& a, const std::string& b) {
    return NameScore(a, b, NameKind::kOrganization);
  };
  EXPECT_GE(org("Siemens Aktiengesellschaft", "Siemens AG"), 0.98);
  EXPECT_GE(org("CRYSTALORD LIMITED", "CRYSTALORD LTD"), 0.98);
  EXPECT_GE(org("OAO Gazprom", "Open Joint Stock Company Gazprom"), 0.98);
  EXPECT_GE(org("Procter & Gamble Co.", "Procter and Gamble Co."), 0.98);
  EXPECT_LT(org("Saudi Arabian Gas Company", "Saudi Arabian Oil Company"), 0.72);
  EXPECT_LT(org("Volkswagen Aktiengesellschaft", "Siemens Aktiengesellschaft"), 0.5);
}

TEST(CompareTest, ExplanationIsReadable) {
  model::Entity a = Person("a", "Olaf Scholz"), b = Person("b", "SCHOLZ, Olaf");
  a.Add("birthDate", "1958-06-14");
  b.Add("birthDate", "1958-06-14");
  a.Add("nationality", "de");
  b.Add("nationality", "de");
  MatchResult r = Compare(a, b);
  EXPECT_TRUE(r.match);
  EXPECT_GT(r.probability, 0.99);
  ASSERT_EQ(r.explanation.size(), 3u);
  EXPECT_EQ(r.explanation[0].property, "name");
  EXPECT_EQ(r.explanation[0].left, "Olaf Scholz");
  EXPECT_EQ(r.explanation[0].right, "SCHOLZ, Olaf");
  EXPECT_EQ(r.explanation[0].level_label, "exact (>= 0.98)");
  EXPECT_GT(r.explanation[0].weight, 5);
  EXPECT_EQ(r.explanation[1].property, "birthDate");
  EXPECT_EQ(r.explanation[1].level_label, "exact");
  std::string text = r.ToText();
  EXPECT_NE(text.find("name: 'Olaf Scholz' vs 'SCHOLZ, Olaf'"), std::string::npos) << text;
  EXPECT_NE(text.find("birthDate"), std::string::npos);
}

TEST(CompareTest, ConflictingEvidenceWins) {
  model::Entity a = Person("a", "John Smith"), b = Person("b", "John Smith");
  a.Add("birthDate", "1970-01-01");
  b.Add("birthDate", "1985-07-23");
  a.Add("passportNumber", "X1234567");
  b.Add("passportNumber", "Y9876543");
  MatchResult r = Compare(a, b);
  EXPECT_FALSE(r.match);
  bool saw_conflict = false;
  for (const auto& e : r.explanation)
    if (e.property == "identifiers") {
      EXPECT_EQ(e.level_label, "conflict");
      EXPECT_LT(e.weight, -3);
      saw_conflict = true;
    }
  EXPECT_TRUE(saw_conflict);
  // Partial dates agree with full ones.
  model::Entity c = Person("c", "Olaf Scholz"), d = Person("d", "Olaf Scholz");
  c.Add("birthDate", "1958");
  d.Add("birthDate", "1958-06-14");
  MatchResult pd = Compare(c, d);
  EXPECT_TRUE(pd.match);
  EXPECT_EQ(pd.explanation[1].level_label, "partial, consistent");
}

TEST(CompareTest, CrossScriptPersons) {
  EXPECT_TRUE(Compare(Person("a", "Olaf Scholz"), Person("b", "Олаф Шольц")).match);
  EXPECT_TRUE(Compare(Person("a", "Olaf Scholz"), Person("b", "SCHOLZ, Olaf")).match);
  EXPECT_FALSE(Compare(Person("a", "Olaf Scholz"), Person("b", "Octavian Scholz")).match);
}

TEST(ClusterTest, UnionFindAndChainingGuard) {
  // 0-1 and 1-2 strong, but 0-2 clearly different: the chain must not merge all three.
  std::vector<Edge> edges = {{0, 1, 0.95}, {1, 2, 0.9}, {3, 4, 0.99}};
  auto score = [](uint32_t a, uint32_t b) {
    if ((a == 0 && b == 2) || (a == 2 && b == 0)) return 0.01;
    return 0.9;
  };
  auto clusters = ClusterEdges(6, edges, 0.5, true, 50, score);
  std::vector<std::vector<uint32_t>> sorted;
  for (auto c : clusters) {
    std::sort(c.begin(), c.end());
    sorted.push_back(c);
  }
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::vector<uint32_t>> want = {{0, 1}, {2}, {3, 4}, {5}};
  EXPECT_EQ(sorted, want);
  // Without the guard: plain connected components.
  auto plain = ClusterEdges(6, edges, 0.5, false, 50);
  EXPECT_EQ(plain.size(), 3u);
}

// How many blocking keys two records share.
size_t SharedKeys(const model::Entity& a, const model::Entity& b) {
  std::vector<uint64_t> ka = BlockingKeys(Prepare(a), nullptr),
                        kb = BlockingKeys(Prepare(b), nullptr), both;
  std::set_intersection(ka.begin(), ka.end(), kb.begin(), kb.end(), std::back_inserter(both));
  return both.size();
}

TEST(BlockingTest, CompanyNamesMeetThroughNgramMinHash) {
  auto company = [](const std::string& id, const std::string& name) {
    model::Entity e = Person(id, name);
    e.schema = "Company";
    return e;
  };
  // Words run together, and a typo in the only distinctive word: no name token in common.
  EXPECT_GT(SharedKeys(company("a", "Deutsche Bank AG"), company("b", "Deutschebank AG")), 0u);
  EXPECT_GT(SharedKeys(company("a", "Novatek Holdings"), company("b", "Novateck Holdings")), 0u);
  EXPECT_EQ(SharedKeys(company("a", "Deutsche Bank AG"), company("b", "Novatek Holdings")), 0u);
  // Persons get no n-gram keys (8 bands: 8 keys fewer for the same name).
  EXPECT_EQ(BlockingKeys(Prepare(Person("a", "Deutsche Bank")), nullptr).size() + 8,
            BlockingKeys(Prepare(company("a", "Deutsche Bank")), nullptr).size());
}

TEST(ClusterTest, TiedEdgesGiveTheSameClustersInAnyInputOrder) {
  // 0-1 and 1-2 tie; 0-2 is clearly different, so whichever tied edge is taken first wins
  // the middle record. The winner must not depend on the order the edges are listed in.
  std::vector<Edge> edges = {{1, 2, 0.9}, {0, 1, 0.9}, {4, 3, 0.9}};
  auto score = [](uint32_t a, uint32_t b) {
    return (std::min(a, b) == 0 && std::max(a, b) == 2) ? 0.01 : 0.9;
  };
  auto canonical = [](std::vector<std::vector<uint32_t>> clusters) {
    for (auto& c : clusters) std::sort(c.begin(), c.end());
    std::sort(clusters.begin(), clusters.end());
    return clusters;
  };
  auto first = canonical(ClusterEdges(5, edges, 0.5, true, 50, score));
  std::vector<std::vector<uint32_t>> want = {{0, 1}, {2}, {3, 4}};
  EXPECT_EQ(first, want);
  std::reverse(edges.begin(), edges.end());
  EXPECT_EQ(canonical(ClusterEdges(5, edges, 0.5, true, 50, score)), first);
  std::swap(edges[0], edges[1]);
  EXPECT_EQ(canonical(ClusterEdges(5, edges, 0.5, true, 50, score)), first);
}

TEST(DedupeTest, ClustersDuplicatesAcrossScripts) {
  std::vector<model::Entity> records = {
      Person("1", "Olaf Scholz"),   Person("2", "SCHOLZ, Olaf"),  Person("3", "Олаф Шольц"),
      Person("4", "Angela Merkel"), Person("5", "Angela Merkel"), Person("6", "Emmanuel Macron")};
  records[0].Add("birthDate", "1958-06-14");
  records[1].Add("birthDate", "1958-06-14");
  auto r = Dedupe(records);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::vector<uint32_t>> clusters = r->clusters;
  for (auto& c : clusters) std::sort(c.begin(), c.end());
  std::sort(clusters.begin(), clusters.end());
  std::vector<std::vector<uint32_t>> want = {{0, 1, 2}, {3, 4}, {5}};
  EXPECT_EQ(clusters, want);
  EXPECT_GT(r->stats.candidate_pairs, 0u);
  EXPECT_TRUE(r->explanations.empty());  // only on request

  // With explain: each kept pair carries the evidence Compare gives for it.
  ResolveOptions options;
  options.explain = true;
  auto e = Dedupe(records, options);
  ASSERT_TRUE(e.ok());
  ASSERT_FALSE(e->pairs.empty());
  ASSERT_EQ(e->explanations.size(), e->pairs.size());
  for (size_t k = 0; k < e->pairs.size(); ++k) {
    const ScoredPair& p = e->pairs[k];
    EXPECT_FALSE(e->explanations[k].empty());
    EXPECT_EQ(e->explanations[k].size(), Compare(records[p.a], records[p.b]).explanation.size());
  }
}

// Records with every kind of evidence the generator's persons carry, some of them
// duplicates with typos, for the scoring and statistics tests below.
std::vector<model::Entity> RichPersons() {
  struct Row {
    const char *name, *dob, *country, *email, *phone, *passport, *address;
  };
  const Row rows[] = {
      {"Monika Klein", "1971-06-24", "de", "monika.klein@web.de", "+49 30 1234567", "C01X00T47",
       "Hauptstrasse 12, 10115 Berlin"},
      {"Klein, Monika", "1971-06-24", "Germany", "monika.klein@web.de", "030 1234567", "",
       "Hauptstr. 12, 10115 Berlin, Germany"},
      {"Monika Klien", "1971-06-42", "de", "mklein@gmx.de", "", "C01X00T47", "Hauptstrasse 21"},
      {"Emma Wilson", "1985-02-03", "gb", "emma.wilson68@outlook.com", "+44 20 7946 0018", "",
       "221B Baker Street, London NW1 6XE"},
      {"Emma Wilson", "1985-03-02", "gb", "emma.wilson49@gmail.com", "", "123456789",
       "10 Downing Street, London SW1A 2AA"},
      {"Олаф Шольц", "1958-06-14", "de", "", "", "", ""},
      {"Olaf Scholz", "1958-06-14", "de", "olaf@bundestag.de", "", "", "Platz der Republik 1"},
      {"Chen Wei", "1990-11-30", "cn", "chen.wei@163.com", "+86 10 5555 1234", "E12345678",
       "1 Chang'an Avenue, Beijing"},
  };
  std::vector<model::Entity> out;
  int id = 0;
  for (const Row& r : rows) {
    model::Entity e = Person(std::to_string(id++), r.name);
    for (auto [prop, value] : {std::pair{"birthDate", r.dob},
                               {"nationality", r.country},
                               {"email", r.email},
                               {"phone", r.phone},
                               {"passportNumber", r.passport},
                               {"address", r.address}})
      if (*value) e.Add(prop, value);
    out.push_back(std::move(e));
  }
  return out;
}

// The fast path (Log2Odds: no explanation, token idf attached to the records) gives the
// very figure Score gives, with and without statistics and with a model fitted to them.
TEST(CompareTest, Log2OddsEqualsScore) {
  std::vector<PreparedRecord> prepared = PrepareAll(RichPersons());
  auto stats = std::make_shared<CorpusStats>();
  stats->AddAll(prepared);
  stats->Finish();
  std::vector<PreparedRecord> attached = prepared;
  AttachIdf(attached, *stats);
  ModelParams fitted = FitToCorpus(DefaultParams(), prepared, nullptr, stats);
  for (const Matcher& m : {Matcher(), Matcher(DefaultParams(), stats), Matcher(fitted, stats)}) {
    for (size_t i = 0; i < prepared.size(); ++i)
      for (size_t j = 0; j < prepared.size(); ++j) {
        MatchResult r = m.Score(prepared[i], prepared[j]);
        double sim = -1, similarity = 0;
        for (const auto& e : r.explanation) similarity += e.similarity;
        EXPECT_DOUBLE_EQ(m.Log2Odds(prepared[i], prepared[j], &sim), r.log2_odds) << i << "," << j;
        EXPECT_DOUBLE_EQ(m.Log2Odds(attached[i], attached[j]), r.log2_odds) << i << "," << j;
        EXPECT_DOUBLE_EQ(sim, similarity);
        EXPECT_DOUBLE_EQ(m.Probability(attached[i], attached[j]), r.probability);
      }
  }
}

// Statistics built in parallel (AddAll) count what Add of each record counts.
TEST(CorpusStatsTest, AddAllEqualsAdd) {
  std::vector<PreparedRecord> prepared = PrepareAll(RichPersons());
  CorpusStats serial, parallel;
  for (const auto& r : prepared) serial.Add(r);
  parallel.AddAll(prepared);
  EXPECT_EQ(serial.records(), parallel.records());
  for (const char* key : {"name:klein monika", "email:monika.klein@web.de", "country:de",
                          "country:gb", "emaillocal:monika.klein", "name:emma wilson"}) {
    EXPECT_EQ(serial.Count(key), parallel.Count(key)) << key;
    EXPECT_GT(serial.Count(key), 0u) << key;
  }
  EXPECT_EQ(parallel.Count("country:de"), 5u);  // "Germany" too
  EXPECT_EQ(parallel.Count("country", "de"), 5u);
  EXPECT_EQ(parallel.Count("name:nobody"), 0u);
  for (const char* token : {"monika", "emma", "olaf", "chen"})
    EXPECT_EQ(serial.name_terms().DocumentFrequency(token),
              parallel.name_terms().DocumentFrequency(token));
  EXPECT_EQ(parallel.name_terms().DocumentFrequency("wilson"), 2u);
  EXPECT_EQ(parallel.text_terms("address").DocumentFrequency("london"), 2u);
  EXPECT_EQ(parallel.all_text_terms().DocumentFrequency("berlin"), 2u);
  EXPECT_EQ(serial.all_text_terms().documents(), parallel.all_text_terms().documents());
}

TEST(HashCountsTest, CountsAcrossGrowth) {
  HashCounts counts;
  std::vector<uint64_t> hashes;
  for (uint64_t k = 1; k <= 5000; ++k)
    for (uint64_t c = 0; c < k % 3 + 1; ++c) hashes.push_back(HashKey(std::to_string(k)));
  for (uint64_t k = 1; k <= 100; ++k) counts.Add(HashKey(std::to_string(k)), 10);
  counts.AddAll(hashes);
  EXPECT_EQ(counts.size(), 5000u);
  for (uint64_t k = 1; k <= 5000; ++k)
    EXPECT_EQ(counts.Get(HashKey(std::to_string(k))), k % 3 + 1 + (k <= 100 ? 10 : 0)) << k;
  EXPECT_EQ(counts.Get(HashKey("5001")), 0u);
  EXPECT_EQ(KeyHash().Add("name:").Add("olaf scholz").Value(), HashKey("name:olaf scholz"));
}

TEST(DedupeTest, DedupePreparedEqualsDedupe) {
  std::vector<model::Entity> records = RichPersons();
  auto a = Dedupe(records);
  std::vector<PreparedRecord> prepared = PrepareAll(records);
  auto b = DedupePrepared(prepared);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->clusters, b->clusters);
  ASSERT_EQ(a->pairs.size(), b->pairs.size());
  for (size_t k = 0; k < a->pairs.size(); ++k) {
    EXPECT_EQ(a->pairs[k].a, b->pairs[k].a);
    EXPECT_EQ(a->pairs[k].b, b->pairs[k].b);
    EXPECT_EQ(a->pairs[k].probability, b->pairs[k].probability);
  }
  EXPECT_FALSE(a->pairs.empty());
}

TEST(LinkTest, OneToOne) {
  std::vector<model::Entity> left = {Person("a", "Olaf Scholz"), Person("b", "Angela Merkel")};
  std::vector<model::Entity> right = {Person("x", "Angela Merkel"), Person("y", "Scholz, Olaf"),
                                      Person("z", "Emmanuel Macron")};
  auto r = Link(left, right);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->matches.size(), 2u);
  for (const auto& m : r->matches) {
    if (m.a == 0) EXPECT_EQ(m.b, 1u);
    if (m.a == 1) EXPECT_EQ(m.b, 0u);
  }
}

TEST(BlockingTest, KeysShareAcrossOrderAndScript) {
  auto ka = BlockingKeys(Prepare(Person("a", "Olaf Scholz")), nullptr);
  auto kb = BlockingKeys(Prepare(Person("b", "Шольц Олаф")), nullptr);
  std::vector<uint64_t> common;
  std::set_intersection(ka.begin(), ka.end(), kb.begin(), kb.end(), std::back_inserter(common));
  EXPECT_FALSE(common.empty());
  auto pairs = CandidatePairs({ka, kb, BlockingKeys(Prepare(Person("c", "Xyz Qwv")), nullptr)}, 10);
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0], (uint64_t{0} << 32) | 1);
}

}  // namespace
}  // namespace casegraph::resolve
