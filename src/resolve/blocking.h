// Candidate generation (blocking): each prepared record emits several keys - pairs of
// whole name-part skeletons and of their 4-letter prefixes (order-free), whole name part +
// birth year, full birth date (alone and with each name part), exact identifiers /
// emails / phones, and the rarest tokens of text properties. Records sharing a key form a
// block; blocks larger than a cap are generic values (a shared address, a common name) and
// are skipped. Beyond 100k records, keys whose blocks grow with the corpus become broad
// (smaller cap): whole-skeleton pairs (then also kept with two of the three birth-date
// fields), e-mails, text tokens, single-part names. Pairs are deduplicated. With
// CG_ER_TIMING set, CandidatePairs prints pairs and blocks per key family to stderr.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "resolve/model.h"

namespace casegraph::resolve {

// Blocking keys of one record, as 64-bit hashes (bits 1-4: the key family, for the
// CG_ER_TIMING counts). A set low bit marks a broad key (a full date alone, a pair of
// 4-letter name prefixes, a whole name part + birth year; beyond 100k records, see above)
// whose blocks are capped at max_block_size / 8, shrinking with sqrt(100k / records) beyond
// 100k records: it pairs records whose names share little in small corpora, and stops
// blocking where it would grow quadratically. `stats` gives the corpus size and the token
// frequencies.
std::vector<uint64_t> BlockingKeys(const PreparedRecord& record, const CorpusStats* stats);

// Candidate pairs within one collection: (i, j) with i < j, encoded as (i << 32) | j.
std::vector<uint64_t> CandidatePairs(const std::vector<std::vector<uint64_t>>& keys,
                                     size_t max_block_size);
// The same, releasing the keys as they are consumed (lower peak memory).
std::vector<uint64_t> CandidatePairs(std::vector<std::vector<uint64_t>>&& keys,
                                     size_t max_block_size);
// Candidate pairs across two collections: (i in left, j in right) as (i << 32) | j.
std::vector<uint64_t> CandidatePairs(const std::vector<std::vector<uint64_t>>& left_keys,
                                     const std::vector<std::vector<uint64_t>>& right_keys,
                                     size_t max_block_size);

}  // namespace casegraph::resolve
