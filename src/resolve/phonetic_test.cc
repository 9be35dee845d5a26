// Unit tests for Double Metaphone (phonetic.h): published example names, each expectation
// traced through the algorithm's rules (the rule that decides is named beside it).
#include "resolve/phonetic.h"

#include <gtest/gtest.h>

namespace casegraph::resolve {
namespace {

PhoneticCodes Codes(const std::string& primary, const std::string& alternate) {
  return {primary, alternate};
}

TEST(DoubleMetaphoneTest, GermanicAndAnglicisedForms) {
  // Initial S before M: S / X; final TH: theta / T.
  EXPECT_EQ(DoubleMetaphone("Smith"), Codes("SM0", "XMT"));
  // Initial SCH before a consonant: X / S; DT: T.
  EXPECT_EQ(DoubleMetaphone("Schmidt"), Codes("XMT", "SMT"));
  EXPECT_EQ(DoubleMetaphone("Snider"), Codes("SNTR", "XNTR"));
  EXPECT_EQ(DoubleMetaphone("Schneider"), Codes("XNTR", "SNTR"));
  // "Wasserman" matches "Vasserman": initial W before a vowel is A / F.
  EXPECT_EQ(DoubleMetaphone("Wasserman"), Codes("ASRM", "FSRM"));
}

TEST(DoubleMetaphoneTest, SpecialCasesOfThePublishedRules) {
  // TH before OM: a plain T. P before S is kept (only PH, PP, PB are special), so the
  // code is TMPS; "TMSN" quoted for Thompson elsewhere is another algorithm's.
  EXPECT_EQ(DoubleMetaphone("Thompson"), Codes("TMPS", "TMPS"));
  EXPECT_EQ(DoubleMetaphone("Thompson", 0), Codes("TMPSN", "TMPSN"));
  EXPECT_EQ(DoubleMetaphone("Thomas"), Codes("TMS", "TMS"));
  // Spanish JOSE at the start of a word: H.
  EXPECT_EQ(DoubleMetaphone("Jose"), Codes("HS", "HS"));
  // Initial X is S; final R after IE (French "-ier") only in the alternate.
  EXPECT_EQ(DoubleMetaphone("Xavier"), Codes("SF", "SFR"));
  // CAESAR at the start: S.
  EXPECT_EQ(DoubleMetaphone("Caesar"), Codes("SSR", "SSR"));
  // B after UM at the end is silent.
  EXPECT_EQ(DoubleMetaphone("Dumb"), Codes("TM", "TM"));
  // Initial KN: K silent; GH after a vowel, with no B/H/D before and no -UGH: silent after I.
  EXPECT_EQ(DoubleMetaphone("Knight"), Codes("NT", "NT"));
  // CH after I before N is not one of the "kh" contexts (the rule's own example,
  // "but not tichner"): X / K. So TXNR / TKNR, not TKNR / XKNR.
  EXPECT_EQ(DoubleMetaphone("Tichner"), Codes("TXNR", "TKNR"));
  // Spanish -LL- before final -OS / -A: L only in the primary.
  EXPECT_EQ(DoubleMetaphone("Gallegos"), Codes("KLKS", "KKS"));
  EXPECT_EQ(DoubleMetaphone("Cabrillo"), Codes("KPRL", "KPR"));
  // CHAE after the start ("michael"): K / X.
  EXPECT_EQ(DoubleMetaphone("Michael"), Codes("MKL", "MXL"));
  // MC + CH: K; GH two letters after H: silent (Parker's rule).
  EXPECT_EQ(DoubleMetaphone("McHugh"), Codes("MK", "MK"));
  // -UGH after L: F.
  EXPECT_EQ(DoubleMetaphone("Laugh"), Codes("LF", "LF"));
  // Initial GHI: J; S in ISL silent.
  EXPECT_EQ(DoubleMetaphone("Ghislane"), Codes("JLN", "JLN"));
  // French -GIER: J; final -IER: R in the alternate only.
  EXPECT_EQ(DoubleMetaphone("Rogier"), Codes("RJ", "RJR"));
  // Final -EAUX: X silent.
  EXPECT_EQ(DoubleMetaphone("Breaux"), Codes("PR", "PR"));
  // Initial SUGAR: X / S.
  EXPECT_EQ(DoubleMetaphone("Sugar"), Codes("XKR", "SKR"));
  // Italian -CCIA: X; CC before HU ("bacchus"): K.
  EXPECT_EQ(DoubleMetaphone("Focaccia"), Codes("FKX", "FKX"));
  EXPECT_EQ(DoubleMetaphone("Bacchus"), Codes("PKS", "PKS"));
  // DGE: J.
  EXPECT_EQ(DoubleMetaphone("Edge"), Codes("AJ", "AJ"));
}

TEST(DoubleMetaphoneTest, SlavicForms) {
  // Initial CZ: S / X.
  EXPECT_EQ(DoubleMetaphone("Czerny"), Codes("SRN", "XRN"));
  // -WICZ: TS / FX (cut to four letters).
  EXPECT_EQ(DoubleMetaphone("Filipowicz"), Codes("FLPT", "FLPF"));
  EXPECT_EQ(DoubleMetaphone("Jankelowicz"), Codes("JNKL", "ANKL"));
  // Final W after a vowel: F in the alternate ("arnow" matches "arnoff").
  EXPECT_EQ(DoubleMetaphone("Arnow"), Codes("ARN", "ARNF"));
  // Pinyin ZH: J.
  EXPECT_EQ(DoubleMetaphone("Zhao"), Codes("J", "J"));
}

TEST(DoubleMetaphoneTest, InputHandling) {
  EXPECT_EQ(DoubleMetaphone("smith"), DoubleMetaphone("SMITH"));
  EXPECT_EQ(DoubleMetaphone(""), Codes("", ""));
  EXPECT_EQ(DoubleMetaphone("-- 42 --"), Codes("", ""));
  // UTF-8 ñ and ç (either case) are coded as N and S.
  EXPECT_EQ(DoubleMetaphone("Peña"), Codes("PN", "PN"));
  EXPECT_EQ(DoubleMetaphone("PEÑA"), Codes("PN", "PN"));
  EXPECT_EQ(DoubleMetaphone("garçon"), Codes("KRSN", "KRSN"));
  // "san" before a space makes J an H.
  EXPECT_EQ(DoubleMetaphone("san jacinto").primary, "SNHS");
  // max_length cuts both codes; 0 keeps them whole.
  EXPECT_EQ(DoubleMetaphone("Schwarzenegger"), Codes("XRSN", "XFRT"));
  EXPECT_EQ(DoubleMetaphone("Schwarzenegger", 0), Codes("XRSNKR", "XFRTSNKR"));
}

TEST(DoubleMetaphoneTest, VariantSpellingsShareACode) {
  // The point of the codes for blocking: spelling variants of one name share a code.
  auto shares = [](const std::string& a, const std::string& b) {
    PhoneticCodes x = DoubleMetaphone(a), y = DoubleMetaphone(b);
    return x.primary == y.primary || x.primary == y.alternate || x.alternate == y.primary ||
           x.alternate == y.alternate;
  };
  EXPECT_TRUE(shares("Smith", "Schmidt"));
  EXPECT_TRUE(shares("Smith", "Smyth"));
  EXPECT_TRUE(shares("Catherine", "Kathryn"));
  EXPECT_TRUE(shares("Philipp", "Filip"));
  EXPECT_TRUE(shares("Meyer", "Maier"));
  EXPECT_FALSE(shares("Smith", "Jones"));
  EXPECT_FALSE(shares("Olaf", "Boris"));
}

}  // namespace
}  // namespace casegraph::resolve
