// Phonetic codes of name parts for blocking (issue 4, candidate generation): Double
// Metaphone (Lawrence Philips, "The Double Metaphone Search Algorithm", C/C++ Users
// Journal, June 2000). Each name part gets a primary code (the most common English
// pronunciation) and an alternate code (a pronunciation common in the name's language of
// origin: Germanic, Slavic, Romance, ...), so "Smith" (SM0 / XMT) and "Schmidt" (XMT / SMT)
// share a code and fall into one block.
//
// Pure functions, thread-safe, no allocation beyond the returned strings.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace casegraph::resolve {

struct PhoneticCodes {
  std::string primary;
  std::string alternate;  // equal to primary when the name has no second pronunciation
  bool operator==(const PhoneticCodes&) const = default;
};

// Double Metaphone of one Latin-script name part (upper or lower case; the resolver
// transliterates other scripts to Latin first). ASCII letters are coded, as are "ç" and
// "ñ" (UTF-8, either case); any other character counts as a word break (a space, which
// some rules look at, as in "san jacinto" or "van damme"). Codes use the letters
// A F H J K L M N P R S T X and 0 (theta, "th"); an initial vowel codes as A, other vowels
// are dropped. Each code is cut to `max_length` characters (4 as published; 0 = no limit).
// A name part without letters gives two empty codes.
PhoneticCodes DoubleMetaphone(std::string_view name_part, size_t max_length = 4);

}  // namespace casegraph::resolve
