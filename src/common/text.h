// Unicode text helpers shared by the importer, the store's search index and entity
// resolution: UTF-8 validation, folding any script to lower-case Latin ASCII for search
// and matching, tokenising, whitespace trimming and collapsing.
//
// All functions are free, pure and thread-safe. FoldForSearch has three paths: pure ASCII
// (no ICU), Latin-script text up to U+024F (a table computed once from ICU's Latin-ASCII),
// and everything else through one ICU Transliterator per thread (created lazily, reused)
// with a bounded per-thread memo, since names repeat across records.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace casegraph {

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above
// U+10FFFF). On failure, if bad_offset is not null, *bad_offset is the byte offset of
// the first byte of the first invalid sequence.
bool ValidateUtf8(std::string_view s, std::size_t* bad_offset = nullptr);

// Folds text for search and matching: transliterates any script to Latin ASCII (ICU
// "Any-Latin; Latin-ASCII"), lower-cases, turns punctuation and symbols into spaces,
// collapses whitespace and trims. "Владимир  Путин" -> "vladimir putin",
// "O'Brien-Smith, Ltd." -> "o brien smith ltd". Invalid UTF-8 bytes are dropped.
std::string FoldForSearch(std::string_view s);

// Splits already-folded text on spaces; no empty tokens.
std::vector<std::string> Tokenize(std::string_view folded);

// Replaces every run of whitespace (ASCII and Unicode spaces such as U+00A0) with one
// ASCII space, and trims both ends.
std::string CollapseWhitespace(std::string_view s);

// Removes leading and trailing whitespace: ASCII and Unicode spaces (U+00A0, U+2000..U+200B,
// U+3000...) and the U+FEFF byte-order mark.
std::string Trim(std::string_view s);

// Same as Trim but returns a view into `s` (no allocation).
std::string_view TrimView(std::string_view s);

}  // namespace casegraph
