// Tests for common/text.h: UTF-8 validation, search folding across scripts, tokenising,
// whitespace handling.
#include "common/text.h"

#include <gtest/gtest.h>

#include <thread>

namespace casegraph {
namespace {

TEST(ValidateUtf8, AcceptsWellFormed) {
  EXPECT_TRUE(ValidateUtf8(""));
  EXPECT_TRUE(ValidateUtf8("plain ascii text that is longer than eight bytes"));
  EXPECT_TRUE(ValidateUtf8("Müller Владимир 習近平 😀"));
  EXPECT_TRUE(ValidateUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(ValidateUtf8, ReportsOffsetOfFirstBadByte) {
  std::size_t off = 99;
  EXPECT_FALSE(
      ValidateUtf8("abc\xFF"
                   "def",
                   &off));
  EXPECT_EQ(off, 3u);
  EXPECT_FALSE(ValidateUtf8("0123456789ü\xC3", &off));  // truncated at end
  EXPECT_EQ(off, 12u);
  EXPECT_FALSE(ValidateUtf8("ab\xC0\x80", &off));  // overlong NUL
  EXPECT_EQ(off, 2u);
  EXPECT_FALSE(ValidateUtf8("\xED\xA0\x80", &off));  // surrogate U+D800
  EXPECT_EQ(off, 0u);
  EXPECT_FALSE(ValidateUtf8("x\xF4\x90\x80\x80", &off));  // > U+10FFFF
  EXPECT_EQ(off, 1u);
  EXPECT_FALSE(
      ValidateUtf8("xy\xE2\x82"
                   "a",
                   &off));  // bad continuation
  EXPECT_EQ(off, 2u);
  EXPECT_FALSE(ValidateUtf8("abc\x80"));  // stray continuation, null offset pointer ok
}

TEST(FoldForSearch, AsciiFastPath) {
  EXPECT_EQ(FoldForSearch("  O'Brien-Smith,   Ltd.  "), "o brien smith ltd");
  EXPECT_EQ(FoldForSearch("ACME  Holdings\tGmbH"), "acme holdings gmbh");
  EXPECT_EQ(FoldForSearch("...!!"), "");
  EXPECT_EQ(FoldForSearch(""), "");
}

TEST(FoldForSearch, LatinDiacritics) {
  EXPECT_EQ(FoldForSearch("Jürgen Müller"), "jurgen muller");
  EXPECT_EQ(FoldForSearch("Straße"), "strasse");
  EXPECT_EQ(FoldForSearch("ŁÓDŹ  Société Générale"), "lodz societe generale");
}

TEST(FoldForSearch, LatinTablePathMatchesIcu) {
  // Latin-only input uses the precomputed table; mixed input goes through ICU. Both must
  // give the same folding for the same Latin letters.
  EXPECT_EQ(FoldForSearch("Æsir Øresund Ðorđe Čapek Ǆ"), "aesir oresund dorde capek dz");
  EXPECT_EQ(FoldForSearch("Æsir Øresund Ðorđe Čapek Ǆ Ж"), "aesir oresund dorde capek dz z");
  EXPECT_EQ(FoldForSearch("José-María  Ñúñez"), "jose maria nunez");
}

TEST(FoldForSearch, Cyrillic) {
  EXPECT_EQ(FoldForSearch("Владимир Путин"), "vladimir putin");
  EXPECT_EQ(FoldForSearch("ООО «Газпром»"), "ooo gazprom");
}

TEST(FoldForSearch, Greek) {
  EXPECT_EQ(FoldForSearch("Αλέξης Τσίπρας"), "alexes tsipras");
}

TEST(FoldForSearch, Chinese) {
  EXPECT_EQ(FoldForSearch("习近平"), "xi jin ping");
}

TEST(FoldForSearch, Arabic) {
  std::string folded = FoldForSearch("محمد");
  EXPECT_FALSE(folded.empty());
  for (char c : folded) EXPECT_TRUE(c == ' ' || (c >= 'a' && c <= 'z')) << folded;
  EXPECT_EQ(folded.substr(0, 1), "m");
}

TEST(FoldForSearch, InvalidUtf8DoesNotCrash) {
  std::string folded = FoldForSearch(
      "ab\xFF"
      "cd ü");
  EXPECT_EQ(folded, "ab cd u");
}

TEST(FoldForSearch, ThreadsEachGetATransliterator) {
  std::vector<std::thread> threads;
  std::vector<std::string> results(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&results, t] {
      for (int i = 0; i < 50; ++i) results[t] = FoldForSearch("Владимир Müller");
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : results) EXPECT_EQ(r, "vladimir muller");
}

TEST(Tokenize, SplitsOnSpaces) {
  EXPECT_EQ(Tokenize("vladimir  putin "), (std::vector<std::string>{"vladimir", "putin"}));
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_TRUE(Tokenize("   ").empty());
}

TEST(CollapseWhitespace, CollapsesAsciiAndUnicodeSpaces) {
  EXPECT_EQ(CollapseWhitespace("  a \t\n b  "), "a b");
  EXPECT_EQ(CollapseWhitespace("a\xC2\xA0\xC2\xA0"
                               "b\xE3\x80\x80"
                               "c"),
            "a b c");
  EXPECT_EQ(CollapseWhitespace("Müller  Straße"), "Müller Straße");
  EXPECT_EQ(CollapseWhitespace(""), "");
}

TEST(Trim, TrimsBothEnds) {
  EXPECT_EQ(Trim("  x y  "), "x y");
  EXPECT_EQ(Trim("\xEF\xBB\xBFid1\xC2\xA0"), "id1");
  EXPECT_EQ(Trim("\t\r\n"), "");
  EXPECT_EQ(Trim("ü"), "ü");
  EXPECT_EQ(TrimView(" abc "), "abc");
}

}  // namespace
}  // namespace casegraph
