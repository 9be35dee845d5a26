// The synthetic investigation generator: writes a realistic, seeded case as CSV files plus
// a FollowTheMoney mapping (mapping.yml) and a ground-truth file (ground_truth.json) that
// lists the planted patterns (round-tripping cycles, shell-company chains to a beneficial
// owner, fan-in smurfing, duplicate records) by the FtM ids the mapping produces and by
// source keys. `casegraph generate --scale N --seed S --out DIR` calls Generate().
//
// Output is deterministic: the same options (scale, seed, key_prefix) give byte-identical
// files on every platform (own PRNG, no std distributions). Files are streamed; memory
// stays small (a few MB of ground truth) at any scale. See docs/generator.md.
//
// Thread safety: Generate() is reentrant; concurrent calls must use different out_dirs.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casegraph/status.h"

namespace casegraph::gen {

struct GenerateOptions {
  // About how many links to write: edge entities (payments, ownerships, directorships)
  // plus entity references of other entities (addressEntity, Event.involved), as the
  // case store counts them; see docs/generator.md.
  // From a few hundred to 10 M+; values below 200 are raised to 200.
  std::int64_t scale = 1000;
  std::uint64_t seed = 1;
  // Folder to write into; created if missing. Existing files of the same names are replaced.
  std::string out_dir;
  // Top-level dataset name in mapping.yml.
  std::string dataset = "casegraph_synthetic";
  // FtM key prefix used for the ids in ground_truth.json. Unset = the dataset name, as
  // `ftm map` (unsigned, --no-sign) and `casegraph import` compute ids; "" reproduces
  // followthemoney's model.map_entities(mapping) without a prefix.
  std::optional<std::string> key_prefix;
  // Called now and then with the fraction done (0..1); may be empty.
  std::function<void(double fraction)> progress;
};

struct GenerateSummary {
  std::map<std::string, std::int64_t> rows_per_file;  // data rows (without header) per CSV
  std::int64_t links = 0;          // links the case store derives from the mapping
  std::int64_t entities = 0;       // distinct entities (records) the mapping yields
  std::int64_t bytes = 0;          // bytes written, all files
  double seconds = 0;              // wall time
  std::vector<std::string> files;  // names of the files written (relative to out_dir)
};

// Generates the case into options.out_dir. Errors: kInvalidArgument (scale < 1, empty
// out_dir), kIoError (cannot create or write files).
Result<GenerateSummary> Generate(const GenerateOptions& options);

// FtM's entity id rule (followthemoney/mapping/entity.py, EntityMapping.compute_key):
// sha1(key_prefix) updated with key_literal, then with each non-empty key value in
// sorted (byte-wise) order; hex digest. Returns "" if every key value is empty.
std::string FtmEntityId(std::string_view key_prefix, std::string_view key_literal,
                        std::vector<std::string> key_values);

}  // namespace casegraph::gen
