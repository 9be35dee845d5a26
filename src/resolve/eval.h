// Evaluation of entity resolution on the public reference data sets under
// ../shared/data/er (FEBRL, Splink fake_1000, DBLP-ACM, Abt-Buy, name_bench): loads each
// set into model::Entity records with FtM-style property names, runs Link / Dedupe /
// Compare with the one general default configuration, and measures pairwise precision,
// recall and F1 against the ground truth. Used by bench/er_eval_bench.cc and the tests.
// Functions are independent and reentrant.
#pragma once

#include <string>
#include <vector>

#include "casegraph/status.h"
#include "resolve/resolver.h"

namespace casegraph::resolve {

struct EvalResult {
  std::string name;  // "febrl4", "febrl3", "fake_1000", "dblp_acm", "abt_buy", "name_bench"
  std::string task;  // "link", "dedupe", "pairs"
  size_t records = 0;
  size_t candidate_pairs = 0;
  size_t true_pairs = 0, predicted_pairs = 0, correct_pairs = 0;
  double precision = 0, recall = 0, f1 = 0;
  double seconds = 0;
  std::string ToString() const;
};

// `er_dir` is the folder holding febrl/, splink_fake_1000/, ... Missing files -> kNotFound.
Result<EvalResult> EvalFebrl4(const std::string& er_dir, const ResolveOptions& options = {});
Result<EvalResult> EvalFebrl3(const std::string& er_dir, const ResolveOptions& options = {});
Result<EvalResult> EvalFake1000(const std::string& er_dir, const ResolveOptions& options = {});
Result<EvalResult> EvalDblpAcm(const std::string& er_dir, const ResolveOptions& options = {});
Result<EvalResult> EvalAbtBuy(const std::string& er_dir, const ResolveOptions& options = {});
// The project generator's planted person duplicates (src/gen: persons.csv and
// kyc_persons.csv in `gen_dir`, truth in ground_truth.json "duplicates.persons"): typos,
// swapped parts, initials, alternative spellings, Cyrillic/Chinese/Arabic transliterations.
// Dedupes all person records together; pairwise P/R/F1 against the planted clusters. The
// files are read and prepared in a pipeline and the entities dropped (DedupePrepared);
// `seconds` includes reading and preparing.
Result<EvalResult> EvalGenerated(const std::string& gen_dir, const ResolveOptions& options = {},
                                 ResolveStats* stats = nullptr);
Result<EvalResult> EvalNameBench(const std::string& er_dir,
                                 const ModelParams& params = DefaultParams());

// Splits one delimited line (no quoting; FEBRL, DBLP-ACM and Abt-Buy need none). Trims spaces.
std::vector<std::string> SplitDelimited(const std::string& line, char sep);
// Parses one CSV record with RFC 4180 quoting.
std::vector<std::string> ParseCsvRecord(const std::string& line);

}  // namespace casegraph::resolve
