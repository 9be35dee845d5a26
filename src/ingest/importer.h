// The importer: reads FtM JSON lines or CSV/TSV through an FtM mapping file, cleans and
// validates every value against the case schema, attaches provenance (dataset, source file,
// record, import run, first/last seen), and writes everything in one import transaction
// that commits only at the end: any error rolls back and leaves the case unchanged. Bad
// rows either fail the import (default) or go to a rejects file up to a limit.
//
// Threads: an import uses the store exclusively for its duration (see CaseStore).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "casegraph/status.h"
#include "store/case_store.h"

namespace casegraph::ingest {

struct ImportOptions {
  std::string path;  // the FtM JSON lines file, or the mapping YAML
  // Dataset name for provenance. FtM files: default the file stem ("entities" for
  // entities.ftm.json); a record's own "datasets" field wins. Mappings: default each
  // dataset's name in the mapping file (which also seeds the entity ids, as in FtM; this
  // option never changes ids).
  std::string dataset;
  bool strict = false;  // unknown properties and entities skipped for empty keys are errors
  // Bad rows go here (CSV for mappings, JSON lines for FtM files) with file, line, column
  // and reason, up to max_rejects; one more fails the import. "" = the first bad row fails.
  std::string rejects_path;
  std::int64_t max_rejects = 1000;
  std::string label;  // security label for entities that get none from the input/mapping
  // Called about every megabyte and at the end with (bytes done, bytes total).
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
  std::int64_t now = 0;  // unix seconds for first/last seen when the input has none; 0 = now
};

struct ImportSummary {
  std::int64_t run_id = 0;
  store::ImportCounts counts;  // records, entities, new_entities, links, values, rejected, warnings
  double seconds = 0;
  double commit_seconds = 0;  // of `seconds`: the commit (index builds, link pages, WAL sync)
  double rows_per_second = 0;
  std::string content_hash;           // sha256 of the inputs (mapping text + CSVs in order)
  std::vector<std::string> warnings;  // human-readable, aggregated (at most 100)
  std::string rejects_path;           // set if rows were rejected
};

// Imports an FtM entity JSON lines file (.ftm.json / .jsonl / .json).
Result<ImportSummary> ImportFtmFile(store::CaseStore& store, const ImportOptions& options);

// Imports the CSV/TSV files named by an FtM mapping file (all datasets and queries in it).
Result<ImportSummary> ImportMappingFile(store::CaseStore& store, const ImportOptions& options);

}  // namespace casegraph::ingest
