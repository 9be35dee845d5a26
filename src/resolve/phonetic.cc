// Double Metaphone (see phonetic.h), written from Philips' published description of the
// rules: one pass over the upper-cased name, each letter (or letter group) looked at in
// its context and coded into the primary and/or the alternate code.
#include "resolve/phonetic.h"

#include <initializer_list>

namespace casegraph::resolve {
namespace {

// Internal stand-ins for the two non-ASCII letters the algorithm knows.
constexpr char kCedilla = '\x01';  // Ç
constexpr char kTilde = '\x02';    // Ñ

// Upper-case ASCII letters, Ç and Ñ; every other character (run) becomes one space.
std::string Prepare(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c >= 'a' && c <= 'z') {
      out += static_cast<char>(c - 'a' + 'A');
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c);
    } else if (c == 0xC3 && i + 1 < in.size()) {
      unsigned char d = static_cast<unsigned char>(in[i + 1]);
      if (d == 0xA7 || d == 0x87) {  // ç Ç
        out += kCedilla;
        ++i;
      } else if (d == 0xB1 || d == 0x91) {  // ñ Ñ
        out += kTilde;
        ++i;
      } else {
        if (out.empty() || out.back() != ' ') out += ' ';
        ++i;
      }
    } else {
      // Continuation bytes of other UTF-8 characters fold into the same space.
      if (out.empty() || out.back() != ' ') out += ' ';
    }
  }
  // Leading and trailing breaks carry nothing.
  size_t b = out.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  size_t e = out.find_last_not_of(' ');
  return out.substr(b, e - b + 1);
}

class Coder {
 public:
  Coder(std::string word, size_t max_length)
      : w_(std::move(word)),
        length_(static_cast<int>(w_.size())),
        last_(length_ - 1),
        max_(max_length) {
    // Rules look up to five letters past the end: pad with spaces (a word break).
    w_.append(5, ' ');
    slavo_germanic_ = w_.find('W') != std::string::npos || w_.find('K') != std::string::npos ||
                      w_.find("CZ") != std::string::npos;
  }

  PhoneticCodes Run() {
    int i = 0;
    // Silent first letters: GN-, KN-, PN-, WR-, PS-.
    if (At(0, 2, {"GN", "KN", "PN", "WR", "PS"})) i = 1;
    // An initial X sounds as S ("Xavier").
    if (Ch(0) == 'X') {
      Add("S");
      i = 1;
    }
    while (i < length_ && (!Full(primary_) || !Full(alternate_))) i = Step(i);
    if (max_ > 0) {
      if (primary_.size() > max_) primary_.resize(max_);
      if (alternate_.size() > max_) alternate_.resize(max_);
    }
    return {primary_, alternate_};
  }

 private:
  char Ch(int i) const { return i < 0 || i >= static_cast<int>(w_.size()) ? '\0' : w_[i]; }
  bool Vowel(int i) const {
    switch (Ch(i)) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
      case 'Y':
        return true;
      default:
        return false;
    }
  }
  // Whether the `n` letters from `start` are one of `options` (false before the start).
  bool At(int start, int n, std::initializer_list<std::string_view> options) const {
    if (start < 0 || start + n > static_cast<int>(w_.size())) return false;
    std::string_view s(w_.data() + start, static_cast<size_t>(n));
    for (auto o : options)
      if (o == s) return true;
    return false;
  }
  bool Full(const std::string& code) const { return max_ > 0 && code.size() >= max_; }
  // Adds to both codes.
  void Add(std::string_view both) { Add(both, both); }
  void Add(std::string_view primary, std::string_view alternate) {
    primary_ += primary;
    alternate_ += alternate;
  }
  bool Germanic() const { return At(0, 4, {"VAN ", "VON "}) || At(0, 3, {"SCH"}); }

  // The position after the letter at i, skipping a doubled `letter` ("bb", "ff").
  int SkipDouble(int i, char letter) const { return Ch(i + 1) == letter ? i + 2 : i + 1; }

  // Codes the letter (group) at i; returns the position after it.
  int Step(int i) {
    const char c = Ch(i);
    switch (c) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
      case 'Y':
        if (i == 0) Add("A");  // only an initial vowel is coded
        return i + 1;
      case 'B':
        Add("P");
        return SkipDouble(i, 'B');
      case kCedilla:
        Add("S");
        return i + 1;
      case 'C':
        return StepC(i);
      case 'D':
        if (At(i, 2, {"DG"})) {
          if (At(i + 2, 1, {"I", "E", "Y"})) {  // "edge"
            Add("J");
            return i + 3;
          }
          Add("TK");  // "edgar"
          return i + 2;
        }
        Add("T");
        return At(i, 2, {"DT", "DD"}) ? i + 2 : i + 1;
      case 'F':
        Add("F");
        return SkipDouble(i, 'F');
      case 'G':
        return StepG(i);
      case 'H':
        // Kept only at the start or after a vowel, and before a vowel.
        if ((i == 0 || Vowel(i - 1)) && Vowel(i + 1)) {
          Add("H");
          return i + 2;
        }
        return i + 1;
      case 'J':
        return StepJ(i);
      case 'K':
        Add("K");
        return SkipDouble(i, 'K');
      case 'L':
        if (Ch(i + 1) == 'L') {
          // Spanish "-llo", "-lla", "-alle" ("cabrillo", "gallegos"): no L in the alternate.
          if ((i == length_ - 3 && At(i - 1, 4, {"ILLO", "ILLA", "ALLE"})) ||
              ((At(last_ - 1, 2, {"AS", "OS"}) || At(last_, 1, {"A", "O"})) &&
               At(i - 1, 4, {"ALLE"}))) {
            Add("L", "");
            return i + 2;
          }
          Add("L");
          return i + 2;
        }
        Add("L");
        return i + 1;
      case 'M':
        Add("M");
        // "dumb", "thumb", "plumber": the B is silent.
        if ((At(i - 1, 3, {"UMB"}) && (i + 1 == last_ || At(i + 2, 2, {"ER"}))) || Ch(i + 1) == 'M')
          return i + 2;
        return i + 1;
      case 'N':
        Add("N");
        return SkipDouble(i, 'N');
      case kTilde:
        Add("N");
        return i + 1;
      case 'P':
        if (Ch(i + 1) == 'H') {
          Add("F");
          return i + 2;
        }
        Add("P");
        return At(i + 1, 1, {"P", "B"}) ? i + 2 : i + 1;  // "campbell", "raspberry"
      case 'Q':
        Add("K");
        return SkipDouble(i, 'Q');
      case 'R':
        // French final "-ier" ("rogier"), but not German "-meier", "-maier".
        if (i == last_ && !slavo_germanic_ && At(i - 2, 2, {"IE"}) && !At(i - 4, 2, {"ME", "MA"}))
          Add("", "R");
        else
          Add("R");
        return SkipDouble(i, 'R');
      case 'S':
        return StepS(i);
      case 'T':
        return StepT(i);
      case 'V':
        Add("F");
        return SkipDouble(i, 'V');
      case 'W':
        return StepW(i);
      case 'X':
        // French final "-iaux", "-eaux", "-aux", "-oux" is silent ("breaux").
        if (!(i == last_ && (At(i - 3, 3, {"IAU", "EAU"}) || At(i - 2, 2, {"AU", "OU"}))))
          Add("KS");
        return At(i + 1, 1, {"C", "X"}) ? i + 2 : i + 1;
      case 'Z':
        if (Ch(i + 1) == 'H') {  // pinyin "zhao"
          Add("J");
          return i + 2;
        }
        if (At(i + 1, 2, {"ZO", "ZI", "ZA"}) || (slavo_germanic_ && i > 0 && Ch(i - 1) != 'T'))
          Add("S", "TS");
        else
          Add("S");
        return SkipDouble(i, 'Z');
      default:
        return i + 1;  // a word break
    }
  }

  int StepC(int i) {
    // Germanic "-ach-" after a consonant ("bacher", "macher"), not "-achi-", "-ache-".
    if (i > 1 && !Vowel(i - 2) && At(i - 1, 3, {"ACH"}) && Ch(i + 2) != 'I' &&
        (Ch(i + 2) != 'E' || At(i - 2, 6, {"BACHER", "MACHER"}))) {
      Add("K");
      return i + 2;
    }
    if (i == 0 && At(i, 6, {"CAESAR"})) {
      Add("S");
      return i + 2;
    }
    if (At(i, 4, {"CHIA"})) {  // "chianti"
      Add("K");
      return i + 2;
    }
    if (At(i, 2, {"CH"})) {
      if (i > 0 && At(i, 4, {"CHAE"})) {  // "michael"
        Add("K", "X");
        return i + 2;
      }
      // Greek roots at the start ("character", "charisma", "chorus", "chemistry").
      if (i == 0 &&
          (At(i + 1, 5, {"HARAC", "HARIS"}) || At(i + 1, 3, {"HOR", "HYM", "HIA", "HEM"})) &&
          !At(0, 5, {"CHORE"})) {
        Add("K");
        return i + 2;
      }
      // Germanic and Greek "ch" = "kh": "van", "von", "sch-", "orchestra", "architect",
      // "orchid", before T or S, and after a vowel or at the start before certain
      // consonants ("wachtler", "wechsler"; not "tichner").
      if (Germanic() || At(i - 2, 6, {"ORCHES", "ARCHIT", "ORCHID"}) || At(i + 2, 1, {"T", "S"}) ||
          ((At(i - 1, 1, {"A", "O", "U", "E"}) || i == 0) &&
           At(i + 2, 1, {"L", "R", "N", "M", "B", "H", "F", "V", "W", " "}))) {
        Add("K");
      } else if (i > 0) {
        if (At(0, 2, {"MC"}))  // "mchugh"
          Add("K");
        else
          Add("X", "K");
      } else {
        Add("X");
      }
      return i + 2;
    }
    if (At(i, 2, {"CZ"}) && !At(i - 2, 4, {"WICZ"})) {  // "czerny"
      Add("S", "X");
      return i + 2;
    }
    if (At(i + 1, 3, {"CIA"})) {  // "focaccia"
      Add("X");
      return i + 3;
    }
    // Double C, but not "mcclellan".
    if (At(i, 2, {"CC"}) && !(i == 1 && Ch(0) == 'M')) {
      if (At(i + 2, 1, {"I", "E", "H"}) && !At(i + 2, 2, {"HU"})) {  // "bellocchio", not "bacchus"
        if ((i == 1 && Ch(i - 1) == 'A') || At(i - 1, 5, {"UCCEE", "UCCES"}))
          Add("KS");  // "accident", "accede", "succeed"
        else
          Add("X");  // "bacci", "bertucci"
        return i + 3;
      }
      Add("K");
      return i + 2;
    }
    if (At(i, 2, {"CK", "CG", "CQ"})) {
      Add("K");
      return i + 2;
    }
    if (At(i, 2, {"CI", "CE", "CY"})) {
      if (At(i, 3, {"CIO", "CIE", "CIA"}))  // Italian vs English
        Add("S", "X");
      else
        Add("S");
      return i + 2;
    }
    Add("K");
    if (At(i + 1, 2, {" C", " Q", " G"})) return i + 3;  // "mac caffrey", "mac gregor"
    if (At(i + 1, 1, {"C", "K", "Q"}) && !At(i + 1, 2, {"CE", "CI"})) return i + 2;
    return i + 1;
  }

  int StepG(int i) {
    if (Ch(i + 1) == 'H') {
      if (i > 0 && !Vowel(i - 1)) {
        Add("K");
        return i + 2;
      }
      if (i == 0) {  // "ghislane", "ghiradelli"
        Add(Ch(i + 2) == 'I' ? "J" : "K");
        return i + 2;
      }
      // Parker's rule: silent after B, H, D two or three letters back ("hugh", "bough"),
      // or B, H four back ("broughton").
      if ((i > 1 && At(i - 2, 1, {"B", "H", "D"})) || (i > 2 && At(i - 3, 1, {"B", "H", "D"})) ||
          (i > 3 && At(i - 4, 1, {"B", "H"})))
        return i + 2;
      // "laugh", "mclaughlin", "cough", "gough", "rough", "tough".
      if (i > 2 && Ch(i - 1) == 'U' && At(i - 3, 1, {"C", "G", "L", "R", "T"}))
        Add("F");
      else if (i > 0 && Ch(i - 1) != 'I')
        Add("K");
      return i + 2;
    }
    if (Ch(i + 1) == 'N') {
      if (i == 1 && Vowel(0) && !slavo_germanic_)
        Add("KN", "N");
      else if (!At(i + 2, 2, {"EY"}) && !slavo_germanic_)  // not "cagney"
        Add("N", "KN");
      else
        Add("KN");
      return i + 2;
    }
    if (At(i + 1, 2, {"LI"}) && !slavo_germanic_) {  // "tagliaro"
      Add("KL", "L");
      return i + 2;
    }
    // Initial "ges-", "gep-", "gel-", "gie-", ... and "gy-".
    if (i == 0 &&
        (Ch(i + 1) == 'Y' ||
         At(i + 1, 2, {"ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER"}))) {
      Add("K", "J");
      return i + 2;
    }
    // "-ger-", "-gy-", but not "danger", "ranger", "manger", "-egy-", "-igy-", "-rgy", "-ogy".
    if ((At(i + 1, 2, {"ER"}) || Ch(i + 1) == 'Y') && !At(0, 6, {"DANGER", "RANGER", "MANGER"}) &&
        !At(i - 1, 1, {"E", "I"}) && !At(i - 1, 3, {"RGY", "OGY"})) {
      Add("K", "J");
      return i + 2;
    }
    // Italian "biaggi"; soft before E, I, Y.
    if (At(i + 1, 1, {"E", "I", "Y"}) || At(i - 1, 4, {"AGGI", "OGGI"})) {
      if (Germanic() || At(i + 1, 2, {"ET"}))
        Add("K");
      else if (At(i + 1, 4, {"IER "}))  // French "-gier"
        Add("J");
      else
        Add("J", "K");
      return i + 2;
    }
    Add("K");
    return SkipDouble(i, 'G');
  }

  int StepJ(int i) {
    // Spanish "jose", "san jacinto".
    if (At(i, 4, {"JOSE"}) || At(0, 4, {"SAN "})) {
      if ((i == 0 && Ch(i + 4) == ' ') || At(0, 4, {"SAN "}))
        Add("H");
      else
        Add("J", "H");
      return i + 1;
    }
    if (i == 0) {
      Add("J", "A");  // "yankelovich" / "jankelowicz"
    } else if (Vowel(i - 1) && !slavo_germanic_ && (Ch(i + 1) == 'A' || Ch(i + 1) == 'O')) {
      Add("J", "H");  // Spanish "bajador"
    } else if (i == last_) {
      Add("J", "");
    } else if (!At(i + 1, 1, {"L", "T", "K", "S", "N", "M", "B", "Z"}) &&
               !At(i - 1, 1, {"S", "K", "L"})) {
      Add("J");
    }
    return SkipDouble(i, 'J');
  }

  int StepS(int i) {
    if (At(i - 1, 3, {"ISL", "YSL"})) return i + 1;  // "island", "isle", "carlisle"
    if (i == 0 && At(i, 5, {"SUGAR"})) {
      Add("X", "S");
      return i + 1;
    }
    if (At(i, 2, {"SH"})) {
      // Germanic "-sheim", "-shoek", "-sholm", "-sholz".
      Add(At(i + 1, 4, {"HEIM", "HOEK", "HOLM", "HOLZ"}) ? "S" : "X");
      return i + 2;
    }
    if (At(i, 3, {"SIO", "SIA"}) || At(i, 4, {"SIAN"})) {  // Italian, Armenian
      if (!slavo_germanic_)
        Add("S", "X");
      else
        Add("S");
      return i + 3;
    }
    // German and anglicised forms ("smith" / "schmidt", "snider" / "schneider"), Slavic -sz-.
    if ((i == 0 && At(i + 1, 1, {"M", "N", "L", "W"})) || At(i + 1, 1, {"Z"})) {
      Add("S", "X");
      return At(i + 1, 1, {"Z"}) ? i + 2 : i + 1;
    }
    if (At(i, 2, {"SC"})) {
      if (Ch(i + 2) == 'H') {                                      // Schlesinger's rule
        if (At(i + 3, 2, {"OO", "ER", "EN", "UY", "ED", "EM"})) {  // Dutch "school", "schooner"
          if (At(i + 3, 2, {"ER", "EN"}))
            Add("X", "SK");  // "schermerhorn", "schenker"
          else
            Add("SK");
          return i + 3;
        }
        if (i == 0 && !Vowel(3) && Ch(3) != 'W')
          Add("X", "S");
        else
          Add("X");
        return i + 3;
      }
      if (At(i + 2, 1, {"I", "E", "Y"})) {
        Add("S");
        return i + 3;
      }
      Add("SK");
      return i + 3;
    }
    // French final "-ais", "-ois" ("resnais", "artois").
    if (i == last_ && At(i - 2, 2, {"AI", "OI"}))
      Add("", "S");
    else
      Add("S");
    return At(i + 1, 1, {"S", "Z"}) ? i + 2 : i + 1;
  }

  int StepT(int i) {
    if (At(i, 4, {"TION"})) {
      Add("X");
      return i + 3;
    }
    if (At(i, 3, {"TIA", "TCH"})) {
      Add("X");
      return i + 3;
    }
    if (At(i, 2, {"TH"}) || At(i, 3, {"TTH"})) {
      // "thomas", "thames", and Germanic names: a plain T.
      if (At(i + 2, 2, {"OM", "AM"}) || Germanic())
        Add("T");
      else
        Add("0", "T");
      return i + 2;
    }
    Add("T");
    return At(i + 1, 1, {"T", "D"}) ? i + 2 : i + 1;
  }

  int StepW(int i) {
    if (At(i, 2, {"WR"})) {
      Add("R");
      return i + 2;
    }
    if (i == 0 && (Vowel(i + 1) || At(i, 2, {"WH"}))) {
      // "Wasserman" matches "Vasserman"; "Uomo" matches "Womo".
      if (Vowel(i + 1))
        Add("A", "F");
      else
        Add("A");
    }
    // "arnow" matches "arnoff"; Polish "-ewski", "-owski".
    if ((i == last_ && Vowel(i - 1)) || At(i - 1, 5, {"EWSKI", "EWSKY", "OWSKI", "OWSKY"}) ||
        At(0, 3, {"SCH"})) {
      Add("", "F");
      return i + 1;
    }
    if (At(i, 4, {"WICZ", "WITZ"})) {  // Polish "filipowicz"
      Add("TS", "FX");
      return i + 4;
    }
    return i + 1;
  }

  std::string w_;
  int length_, last_;
  size_t max_;
  bool slavo_germanic_ = false;
  std::string primary_, alternate_;
};

}  // namespace

PhoneticCodes DoubleMetaphone(std::string_view name_part, size_t max_length) {
  std::string word = Prepare(name_part);
  if (word.empty()) return {};
  return Coder(std::move(word), max_length).Run();
}

}  // namespace casegraph::resolve
