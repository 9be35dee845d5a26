// Entity-resolution commands (issue 4): compare, match, resolve, review, judge, explain,
// split, clusters. Scoring comes from src/resolve (one model, the same thresholds
// everywhere); decisions are kept in the case's decision ledger
// (src/store/resolution_ledger.h), where analyst judgements override the model.
//
// `compare` and `match` stream JSON lines to stdout (one line per pair / query record,
// whether or not --json is given) and return a null result, as `export` does.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "api/session.h"
#include "common/hash.h"
#include "ingest/ftm_json.h"
#include "model/types.h"
#include "resolve/blocking.h"
#include "resolve/cluster.h"
#include "resolve/resolver.h"
#include "store/resolution_ledger.h"

namespace casegraph::api {
namespace {

using Clock = std::chrono::steady_clock;

// Entities that resolution considers: persons and organisations (LegalEntity and its
// descendants: Person, Organization, Company, PublicBody), not placeholders.
bool Matchable(const model::Schema& schema, const std::string& name) {
  return !name.empty() && schema.Find(name) != nullptr && schema.IsA(name, "LegalEntity");
}

void Progress(CommandContext& ctx, const std::string& phase, double done, double total,
              const std::string& unit) {
  if (ctx.progress) ctx.progress(phase, done, total, unit);
}

std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Model parameters from the defaults and the optional threshold arguments.
resolve::ModelParams ParamsFrom(const Json& args) {
  resolve::ModelParams params = resolve::DefaultParams();
  if (args.contains("match-threshold") && args["match-threshold"].is_number())
    params.match_threshold = args["match-threshold"].get<double>();
  if (args.contains("review-threshold") && args["review-threshold"].is_number())
    params.review_threshold = args["review-threshold"].get<double>();
  if (params.match_threshold <= 0 || params.match_threshold > 1 || params.review_threshold < 0 ||
      params.review_threshold > params.match_threshold) {
    throw Error(StatusCode::kInvalidArgument,
                "thresholds must satisfy 0 <= review-threshold <= match-threshold <= 1");
  }
  return params;
}

// The cluster counts of a resolution run, as `resolve` reports them.
void PutClusterSummary(const store::ClusterSummary& summary, Json* out) {
  Json& o = *out;
  o["merges"] = summary.model_merges + summary.judged_merges;
  o["model_merges"] = summary.model_merges;
  o["judged_merges"] = summary.judged_merges;
  o["blocked_by_judgements"] = summary.blocked_merges;
  o["conflicts"] = summary.conflicts;
  o["clusters"] = summary.clusters;
  o["clustered_records"] = summary.clustered_records;
  o["review"] = summary.review;
}

Json ParamsJson(const resolve::ModelParams& p) {
  Json levels = Json::object();
  for (int k = 0; k < resolve::kComparatorCount && k < static_cast<int>(p.levels.size()); ++k) {
    Json list = Json::array();
    for (const auto& l : p.levels[k])
      list.push_back(Json{{"label", l.label}, {"m", l.m}, {"u", l.u}});
    levels[resolve::ComparatorName(static_cast<resolve::ComparatorKind>(k))] = list;
  }
  return Json{{"version", p.version},
              {"prior_log2_odds", p.prior_log2_odds},
              {"match_threshold", p.match_threshold},
              {"review_threshold", p.review_threshold},
              {"max_tf_adjust_bits", p.max_tf_adjust_bits},
              {"levels", levels}};
}

// A model fitted to the corpus, whole (ParamsJson plus what FitToCorpus sets), so that
// incremental runs score with the model of the full run they extend.
std::string FittedParamsText(const resolve::ModelParams& p) {
  Json j = ParamsJson(p);
  j["corpus_records"] = p.corpus_records;
  j["namesake_u"] = p.namesake_u;
  return Dump(j);
}

// The fitted model back from FittedParamsText, over `base` (the same comparators and
// levels); nullopt if the text does not fit `base`.
std::optional<resolve::ModelParams> FittedParamsFrom(const resolve::ModelParams& base,
                                                     const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  resolve::ModelParams p = base;
  try {
    p.version = j.at("version").get<std::string>();
    p.prior_log2_odds = j.at("prior_log2_odds").get<double>();
    p.max_tf_adjust_bits = j.at("max_tf_adjust_bits").get<double>();
    p.corpus_records = j.at("corpus_records").get<size_t>();
    p.namesake_u = j.at("namesake_u").get<std::vector<std::vector<double>>>();
    const Json& levels = j.at("levels");
    for (int k = 0; k < resolve::kComparatorCount && k < static_cast<int>(p.levels.size()); ++k) {
      const Json& list =
          levels.at(resolve::ComparatorName(static_cast<resolve::ComparatorKind>(k)));
      if (!list.is_array() || list.size() != p.levels[k].size()) return std::nullopt;
      for (size_t l = 0; l < list.size(); ++l) {
        if (list[l].at("label").get<std::string>() != p.levels[k][l].label) return std::nullopt;
        p.levels[k][l].m = list[l].at("m").get<double>();
        p.levels[k][l].u = list[l].at("u").get<double>();
      }
    }
  } catch (const Json::exception&) {
    return std::nullopt;
  }
  return p;
}

Json EvidenceJson(const std::vector<resolve::PropertyEvidence>& evidence) {
  Json out = Json::array();
  for (const auto& e : evidence) {
    Json j{{"property", e.property}, {"comparator", resolve::ComparatorName(e.comparator)},
           {"left", e.left},         {"right", e.right},
           {"level", e.level_label}, {"similarity", e.similarity},
           {"weight", e.weight}};
    if (!e.detail.empty()) j["detail"] = e.detail;
    out.push_back(std::move(j));
  }
  return out;
}

Json ParseEvidence(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  return j.is_discarded() ? Json::array() : j;
}

// Digest of what resolution compares (schema and sorted property values), so that a
// re-import that only moves last_seen does not count as a change.
std::string ContentHash(const model::Entity& e) {
  std::vector<std::pair<std::string, std::string>> values;
  values.reserve(e.values.size());
  for (const auto& v : e.values) values.emplace_back(v.prop, v.value);
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::string buf = e.schema;
  for (const auto& [p, v] : values) {
    buf += '\x1e';
    buf += p;
    buf += '\x1f';
    buf += v;
  }
  return Sha1Hex(buf);
}

// The caption of an entity for listings: its first name-like value, or its id.
std::string Caption(const model::Entity& e) {
  for (const char* prop : {"name", "alias", "lastName", "title"}) {
    const std::string& v = e.First(prop);
    if (!v.empty()) return v;
  }
  return e.id;
}

Json Header(const model::Entity& e) {
  return Json{{"id", e.id}, {"schema", e.schema}, {"name", Caption(e)}};
}

// Entity references (addressEntity, parent, ...) are internal ids. Equal ids are link
// evidence that the graph shows, not evidence that two records are one entity, and a
// shared registered-agent address would otherwise merge every company registered there;
// so they are left out of what the matcher compares.
model::Entity WithoutReferences(const model::Schema& schema, model::Entity e) {
  std::erase_if(e.values, [&](const model::Value& v) {
    const model::PropertyDef* def = schema.FindProperty(e.schema, v.prop);
    return def != nullptr && def->type == model::PropertyType::kEntity;
  });
  return e;
}

// The matchable records of the case visible to the session's reader, in id order: what
// matching needs of each (prepared record, id, schema, caption, content hash). Entities are
// prepared in batches as they are read and then dropped, so the case is never held whole
// as model::Entity (at 1 M persons that was ~2 GB more than the prepared records).
struct MatchableRecords {
  std::vector<resolve::PreparedRecord> prepared;
  std::vector<std::string> ids, schemata, captions, content_hashes;
  std::size_t size() const { return ids.size(); }
};

MatchableRecords LoadMatchable(Session& s, CommandContext& ctx) {
  constexpr std::size_t kBatch = 16384;
  MatchableRecords loaded;
  const model::Schema& schema = s.store().schema();
  std::vector<model::Entity> batch;
  auto flush = [&] {
    std::vector<resolve::PreparedRecord> prepared = resolve::PrepareAll(batch);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      loaded.prepared.push_back(std::move(prepared[i]));
      loaded.content_hashes.push_back(ContentHash(batch[i]));
      loaded.captions.push_back(Caption(batch[i]));
      loaded.ids.push_back(std::move(batch[i].id));
      loaded.schemata.push_back(std::move(batch[i].schema));
    }
    batch.clear();
  };
  std::int64_t seen = 0;
  Check(s.store().ForEachEntity(s.clearances(), [&](const model::Entity& e) {
    if (++seen % 10000 == 0) Progress(ctx, "loading", static_cast<double>(seen), 0, "entities");
    if (!Matchable(schema, e.schema)) return;
    batch.push_back(WithoutReferences(schema, e));
    if (batch.size() == kBatch) flush();
  }));
  flush();
  // Deterministic order (by id) whatever the store's scan order.
  std::vector<std::uint32_t> order(loaded.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return loaded.ids[a] < loaded.ids[b]; });
  MatchableRecords sorted;
  sorted.prepared.reserve(order.size());
  for (std::uint32_t i : order) {
    sorted.prepared.push_back(std::move(loaded.prepared[i]));
    sorted.ids.push_back(std::move(loaded.ids[i]));
    sorted.schemata.push_back(std::move(loaded.schemata[i]));
    sorted.captions.push_back(std::move(loaded.captions[i]));
    sorted.content_hashes.push_back(std::move(loaded.content_hashes[i]));
  }
  return sorted;
}

model::Entity VisibleEntity(Session& s, const std::string& id) {
  auto e = Take(s.store().GetEntity(id, s.clearances()));
  if (!e || e->schema.empty()) throw Error(StatusCode::kNotFound, "no entity with id '" + id + "'");
  return WithoutReferences(s.store().schema(), std::move(*e));
}

std::unique_ptr<store::ResolutionLedger> OpenLedger(const CommandContext& ctx) {
  return Take(store::ResolutionLedger::Open(ctx.case_path));
}

// ---- FtM entities from JSON --------------------------------------------------------------

// An entity straight from its JSON, values as given (when the schema-aware reader
// rejects it, e.g. an unknown schema or an uncleanable value).
model::Entity RawEntity(const Json& j, const std::string& fallback_id) {
  model::Entity e;
  e.id = j.contains("id") && j["id"].is_string() ? j["id"].get<std::string>() : fallback_id;
  e.schema = j.contains("schema") && j["schema"].is_string() ? j["schema"].get<std::string>()
                                                             : "LegalEntity";
  if (j.contains("properties") && j["properties"].is_object()) {
    for (const auto& [prop, values] : j["properties"].items()) {
      if (values.is_array()) {
        for (const auto& v : values) e.Add(prop, v.is_string() ? v.get<std::string>() : v.dump());
      } else {
        e.Add(prop, values.is_string() ? values.get<std::string>() : values.dump());
      }
    }
  }
  return e;
}

// Entities from JSON objects, cleaned as `import` cleans them where the schema accepts
// them; missing ids become `<prefix><n>`.
std::vector<model::Entity> EntitiesFromJson(std::vector<Json> objects, const std::string& prefix,
                                            const model::Schema& schema) {
  std::string lines;
  for (size_t i = 0; i < objects.size(); ++i) {
    if (!objects[i].contains("id") || !objects[i]["id"].is_string())
      objects[i]["id"] = prefix + std::to_string(i + 1);
    lines += Dump(objects[i]);
    lines += '\n';
  }
  std::vector<model::Entity> out;
  out.reserve(objects.size());
  auto reader = Take(ingest::FtmJsonReader::FromString(std::move(lines), prefix, schema));
  ingest::FtmRecord rec;
  for (size_t i = 0; i < objects.size(); ++i) {
    if (reader->Next(&rec) && rec.error.ok()) {
      out.push_back(std::move(rec.entity));
    } else {
      out.push_back(RawEntity(objects[i], prefix + std::to_string(i + 1)));
    }
  }
  return out;
}

// ---- compare -----------------------------------------------------------------------------

Json Compare(CommandContext& ctx, const Json& args) {
  std::string path = ArgString(args, "pairs");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(StatusCode::kNotFound, "cannot read pairs file '" + path + "'");
  std::vector<Json> left, right;
  std::string line;
  long line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("a") || !j.contains("b") ||
        !j["a"].is_object() || !j["b"].is_object()) {
      throw Error(StatusCode::kParseError,
                  fmt::format("{}:{}: expected {{\"a\": <FtM entity>, \"b\": <FtM entity>}}", path,
                              line_no));
    }
    left.push_back(std::move(j["a"]));
    right.push_back(std::move(j["b"]));
  }
  auto schema = Take(model::Schema::BuiltIn());
  std::vector<model::Entity> a = EntitiesFromJson(std::move(left), "a", *schema);
  std::vector<model::Entity> b = EntitiesFromJson(std::move(right), "b", *schema);
  resolve::Matcher matcher(ParamsFrom(args));
  std::vector<std::string> out(a.size());
  tbb::parallel_for(size_t{0}, a.size(), [&](size_t i) {
    resolve::MatchResult r = matcher.Score(resolve::Prepare(a[i]), resolve::Prepare(b[i]));
    out[i] = Dump(Json{{"score", r.probability},
                       {"match", r.match},
                       {"explanation", EvidenceJson(r.explanation)}});
  });
  for (const auto& l : out) std::cout << l << '\n';
  std::cout.flush();
  return Json();  // the lines went to stdout
}

// ---- match -------------------------------------------------------------------------------

Json Match(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  std::string path = ArgString(args, "file");
  resolve::ModelParams params = ParamsFrom(args);
  double min_score = args.contains("min-score") && args["min-score"].is_number()
                         ? args["min-score"].get<double>()
                         : params.review_threshold;
  std::int64_t limit = ArgInt(args, "limit");
  // The query records.
  std::vector<model::Entity> queries;
  {
    auto reader = Take(ingest::FtmJsonReader::Open(path, s.store().schema()));
    ingest::FtmRecord rec;
    while (reader->Next(&rec)) {
      if (!rec.error.ok()) {
        throw Error(StatusCode::kParseError,
                    fmt::format("{}:{}: {}", path, rec.line, rec.error.message()));
      }
      queries.push_back(std::move(rec.entity));
    }
    Check(reader->status());
  }
  MatchableRecords candidates = LoadMatchable(s, ctx);
  Progress(ctx, "preparing", 0, 0, "records");
  std::vector<resolve::PreparedRecord> pq = resolve::PrepareAll(queries);
  const std::vector<resolve::PreparedRecord>& pc = candidates.prepared;
  auto stats = std::make_shared<resolve::CorpusStats>();
  for (const auto& r : pc) stats->Add(r);
  for (const auto& r : pq) stats->Add(r);
  stats->Finish();
  std::vector<std::vector<std::uint64_t>> kq(pq.size()), kc(pc.size());
  tbb::parallel_for(size_t{0}, pq.size(),
                    [&](size_t i) { kq[i] = resolve::BlockingKeys(pq[i], stats.get()); });
  tbb::parallel_for(size_t{0}, pc.size(),
                    [&](size_t i) { kc[i] = resolve::BlockingKeys(pc[i], stats.get()); });
  resolve::ResolveOptions defaults;
  std::vector<std::uint64_t> pairs = resolve::CandidatePairs(kq, kc, defaults.max_block_size);
  // The same model as `resolve` and Link: fitted to the corpus (prior, u, term
  // frequencies) when the case is large enough, else the general defaults.
  if (defaults.fit_to_corpus && std::max(pq.size(), pc.size()) >= defaults.min_fit_records) {
    params = resolve::FitToCorpus(params, pq, &pc, stats);
  }
  Progress(ctx, "scoring", 0, static_cast<double>(pairs.size()), "pairs");
  resolve::Matcher matcher(params, stats);
  std::vector<resolve::MatchResult> results(pairs.size());
  tbb::parallel_for(size_t{0}, pairs.size(), [&](size_t k) {
    results[k] = matcher.Score(pq[pairs[k] >> 32], pc[static_cast<std::uint32_t>(pairs[k])]);
  });
  // Candidates per query, best first.
  std::vector<std::vector<size_t>> per_query(queries.size());
  for (size_t k = 0; k < pairs.size(); ++k) {
    if (results[k].probability >= min_score) per_query[pairs[k] >> 32].push_back(k);
  }
  std::unordered_map<std::string, std::string> canonical = Take(store::CanonicalIds(ctx.case_path));
  for (size_t q = 0; q < queries.size(); ++q) {
    auto& list = per_query[q];
    std::sort(list.begin(), list.end(), [&](size_t x, size_t y) {
      if (results[x].probability != results[y].probability)
        return results[x].probability > results[y].probability;
      return candidates.ids[static_cast<std::uint32_t>(pairs[x])] <
             candidates.ids[static_cast<std::uint32_t>(pairs[y])];
    });
    if (limit > 0 && static_cast<std::int64_t>(list.size()) > limit) list.resize(limit);
    Json cands = Json::array();
    for (size_t k : list) {
      const std::uint32_t c = static_cast<std::uint32_t>(pairs[k]);
      Json j{
          {"id", candidates.ids[c]},          {"score", results[k].probability},
          {"match", results[k].match},        {"explanation", EvidenceJson(results[k].explanation)},
          {"schema", candidates.schemata[c]}, {"name", candidates.captions[c]}};
      auto it = canonical.find(candidates.ids[c]);
      if (it != canonical.end()) j["entity"] = it->second;
      cands.push_back(std::move(j));
    }
    std::cout << Dump(Json{{"query", queries[q].id}, {"candidates", cands}}) << '\n';
  }
  std::cout.flush();
  return Json();
}

// ---- resolve -----------------------------------------------------------------------------

// Incremental runs rescore only new and changed records, and only while the records new,
// changed or removed since the latest full run (summed over the runs since) are at most
// this fraction of that run's records. Beyond it the corpus statistics the scores rest on
// (term frequencies, value counts, the fitted prior and u) have moved enough that the
// pairs kept from earlier runs would no longer be what a full run scores.
constexpr double kMaxIncrementalChange = 0.2;

// Names each record's model cluster by its smallest record id (singletons: the record).
void SetModelClusters(const std::vector<std::vector<uint32_t>>& clusters,
                      std::vector<store::LedgerRecord>* records) {
  for (const auto& cluster : clusters) {
    std::string name = (*records)[cluster.front()].id;
    for (uint32_t i : cluster) name = std::min(name, (*records)[i].id);
    for (uint32_t i : cluster) (*records)[i].model_cluster = name;
  }
  for (auto& r : *records)
    if (r.model_cluster.empty()) r.model_cluster = r.id;
}

// What every recorded run (full or incremental) reports: the run, its record changes, the
// clusters and the time since t0.
void PutRunResult(const store::ResolutionRun& run, const store::ClusterSummary& summary,
                  Clock::time_point t0, Json* out) {
  (*out)["run"] = run.id;
  (*out)["up_to_date"] = false;
  (*out)["new_records"] = run.new_records;
  (*out)["changed_records"] = run.changed_records;
  (*out)["removed_records"] = run.removed_records;
  PutClusterSummary(summary, out);
  (*out)["seconds"] = std::chrono::duration<double>(Clock::now() - t0).count();
}

store::ResolutionRunInfo RunInfo(const CommandContext& ctx, const resolve::ModelParams& params,
                                 const std::string& params_text, std::int64_t candidate_pairs,
                                 Clock::time_point t0) {
  store::ResolutionRunInfo info;
  info.decided_by = ctx.reader.user;
  info.model_version = params.version;
  info.params = params_text;
  info.match_threshold = params.match_threshold;
  info.review_threshold = params.review_threshold;
  info.candidate_pairs = candidate_pairs;
  info.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return info;
}

// The incremental run. Every current record is prepared and the corpus statistics and
// blocking keys are built over all of them, exactly as Dedupe builds them, so the
// candidate pairs are the ones a full run would have; of those only the pairs with a
// rescored record (new or changed; indices into the id-sorted `matchable` records) are scored, with
// the same matcher (Prepare + Matcher, the resolver's lower-level API that `match` uses
// too). The pairs between two other records are the ones earlier runs kept in the ledger
// (minus removed records). The union is clustered as Dedupe clusters it: the same edge
// order and the same anti-chaining check, unscored cross pairs scored on demand by the
// same matcher.
Json ResolveIncremental(CommandContext& ctx, const resolve::ResolveOptions& options,
                        const resolve::ModelParams& params, const std::string& fitted_text,
                        const std::string& params_text, MatchableRecords& matchable,
                        std::vector<store::LedgerRecord>& records,
                        const std::vector<uint32_t>& rescored, store::ResolutionLedger& ledger,
                        Clock::time_point t0, Json out) {
  const size_t n = matchable.size();
  const std::vector<std::string>& ids = matchable.ids;
  std::vector<char> is_rescored(n, 0);
  for (uint32_t i : rescored) is_rescored[i] = 1;

  // 1. Candidate pairs with a rescored record, scored.
  std::vector<resolve::PreparedRecord>& prepared = matchable.prepared;
  auto stats = std::make_shared<resolve::CorpusStats>();
  stats->AddAll(prepared);
  stats->Finish();
  std::vector<std::uint64_t> candidates;
  if (!rescored.empty()) {
    std::vector<std::vector<std::uint64_t>> keys(n);
    tbb::parallel_for(size_t{0}, n,
                      [&](size_t i) { keys[i] = resolve::BlockingKeys(prepared[i], stats.get()); });
    candidates = resolve::CandidatePairs(keys, options.max_block_size);
    std::erase_if(candidates, [&](std::uint64_t key) {
      return !is_rescored[key >> 32] && !is_rescored[static_cast<std::uint32_t>(key)];
    });
  }
  resolve::Matcher matcher(params, options.use_term_frequencies ? stats : nullptr);
  Progress(ctx, "scoring", 0, static_cast<double>(candidates.size()), "pairs");
  std::vector<resolve::MatchResult> results(candidates.size());
  tbb::parallel_for(size_t{0}, candidates.size(), [&](size_t k) {
    results[k] = matcher.Score(prepared[candidates[k] >> 32],
                               prepared[static_cast<std::uint32_t>(candidates[k])]);
  });
  std::vector<resolve::Edge> edges;
  std::vector<store::LedgerPair> pairs;  // the rescored pairs for the ledger
  std::vector<size_t> scored;            // their index in `results`
  for (size_t k = 0; k < candidates.size(); ++k) {
    // Dedupe keeps probabilities as float: the same rounding gives the same clusters.
    const double p = static_cast<float>(results[k].probability);
    if (p < options.params.review_threshold) continue;
    uint32_t a = static_cast<uint32_t>(candidates[k] >> 32);
    uint32_t b = static_cast<uint32_t>(candidates[k]);
    edges.push_back({a, b, p});
    pairs.push_back({ids[a], ids[b], p, ""});
    scored.push_back(k);
  }
  const size_t rescored_pairs = pairs.size();
  tbb::parallel_for(size_t{0}, pairs.size(), [&](size_t k) {
    pairs[k].evidence = Dump(EvidenceJson(results[scored[k]].explanation));
  });
  // 2. The kept pairs: both records present and unchanged.
  std::unordered_map<std::string, uint32_t> index;
  index.reserve(n);
  for (uint32_t i = 0; i < n; ++i) index.emplace(ids[i], i);
  for (const auto& p : Take(ledger.Pairs())) {
    auto ia = index.find(p.a), ib = index.find(p.b);
    if (ia == index.end() || ib == index.end()) continue;  // a removed record
    if (is_rescored[ia->second] || is_rescored[ib->second]) continue;
    edges.push_back(
        {std::min(ia->second, ib->second), std::max(ia->second, ib->second), p.probability});
  }
  const size_t kept = edges.size() - rescored_pairs;
  // Dedupe hands its edges to the clustering in candidate-pair order: so do we.
  std::sort(edges.begin(), edges.end(), [](const resolve::Edge& x, const resolve::Edge& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  // 3. Clustering with the anti-chaining check.
  Progress(ctx, "clustering", 0, static_cast<double>(edges.size()), "pairs");
  auto score = [&](uint32_t i, uint32_t j) {
    return matcher.Score(prepared[i], prepared[j]).probability;
  };
  std::vector<std::vector<uint32_t>> clusters =
      resolve::ClusterEdges(n, std::move(edges), options.params.match_threshold,
                            options.check_cluster_consistency, options.max_cluster_size, score);
  SetModelClusters(clusters, &records);
  std::vector<std::string> rescored_ids;
  rescored_ids.reserve(rescored.size());
  for (uint32_t i : rescored) rescored_ids.push_back(ids[i]);
  Progress(ctx, "recording", 0, 0, "");
  store::ResolutionRunInfo info =
      RunInfo(ctx, options.params, params_text, static_cast<std::int64_t>(candidates.size()), t0);
  info.fitted_params = fitted_text;
  auto [run, summary] = Take(ledger.RecordIncrementalRun(info, records, pairs, rescored_ids));
  out["incremental"] = true;
  out["pairs_compared"] = candidates.size();
  out["rescored_records"] = rescored.size();
  out["pairs_kept"] = kept;
  out["pairs_rescored"] = rescored_pairs;
  PutRunResult(run, summary, t0, &out);
  return out;
}

Json Resolve(CommandContext& ctx, const Json& args) {
  if (!ctx.reader.all_clearances) {
    throw Error(
        StatusCode::kPermissionDenied,
        "resolve decides for the whole case and must see every record: run it without --clearance");
  }
  auto t0 = Clock::now();
  Session s(ctx);
  resolve::ResolveOptions options;
  options.params = ParamsFrom(args);
  options.explain = true;  // the ledger keeps the evidence of every pair
  MatchableRecords matchable = LoadMatchable(s, ctx);
  std::vector<store::LedgerRecord> records(matchable.size());
  for (size_t i = 0; i < matchable.size(); ++i) {
    records[i].id = matchable.ids[i];
    records[i].content_hash = std::move(matchable.content_hashes[i]);
  }
  auto ledger = OpenLedger(ctx);
  Json params_json = ParamsJson(options.params);
  std::string params_text = Dump(params_json);
  Json out{{"model", options.params.version}, {"records", matchable.size()}};

  // Incremental when the last run used the same model: nothing changed -> no rescoring
  // (the clusters are re-derived: judgements made since are applied); a few records new,
  // changed or removed -> only those are rescored (ResolveIncremental); else a full run.
  std::string full_reason;
  auto last = Take(ledger->LastRun());
  if (!last) {
    full_reason = "first run";
  } else if (ArgFlag(args, "full")) {
    full_reason = "--full";
  } else if (last->info.params != params_text) {
    full_reason = "model parameters changed";
  } else {
    auto previous = Take(ledger->RecordHashes());
    std::vector<uint32_t> rescored;  // new or changed
    size_t removed = previous.size();
    for (uint32_t i = 0; i < records.size(); ++i) {
      auto it = previous.find(records[i].id);
      if (it != previous.end()) --removed;
      if (it == previous.end() || it->second != records[i].content_hash) rescored.push_back(i);
    }
    if (rescored.empty() && removed == 0) {
      store::ClusterSummary summary = Take(ledger->Recluster());
      out["run"] = last->id;
      out["up_to_date"] = true;
      out["incremental"] = true;
      out["pairs_compared"] = 0;
      out["rescored_records"] = 0;
      out["new_records"] = 0;
      out["changed_records"] = 0;
      out["removed_records"] = 0;
      PutClusterSummary(summary, &out);
      out["seconds"] = std::chrono::duration<double>(Clock::now() - t0).count();
      return out;
    }
    // The change is measured since the latest full run (incremental runs add up), so a
    // series of small imports cannot drift far from what a full run would find.
    auto since = Take(ledger->ChangesSinceFull());
    const std::int64_t changed =
        (since ? since->changes : 0) + static_cast<std::int64_t>(rescored.size() + removed);
    const std::int64_t base =
        since ? since->full_records : static_cast<std::int64_t>(previous.size());
    const bool fit_now = options.fit_to_corpus && options.use_term_frequencies &&
                         matchable.size() >= options.min_fit_records;
    const bool fitted_before = !last->info.fitted_params.empty();
    std::optional<resolve::ModelParams> params = options.params;
    if (fitted_before) params = FittedParamsFrom(options.params, last->info.fitted_params);
    if (static_cast<double>(changed) >
        kMaxIncrementalChange * static_cast<double>(std::max<std::int64_t>(base, 1))) {
      full_reason = fmt::format(
          "{} records new, changed or removed since full run #{} of {} records (over {:.0f}%)",
          changed, since ? since->full_run : last->id, base, kMaxIncrementalChange * 100);
    } else if (fit_now != fitted_before) {
      full_reason = fit_now ? fmt::format(
                                  "at {}+ records the model is fitted to the corpus, and the "
                                  "last run kept no fitted model",
                                  options.min_fit_records)
                            : fmt::format(
                                  "the case has fewer than {} records: the model is no "
                                  "longer fitted to the corpus",
                                  options.min_fit_records);
    } else if (!params) {
      full_reason = "the fitted model of the last run is unreadable";
    } else {
      return ResolveIncremental(ctx, options, *params, last->info.fitted_params, params_text,
                                matchable, records, rescored, *ledger, t0, std::move(out));
    }
  }

  const auto n = static_cast<double>(matchable.size());
  Progress(ctx, "deduplicating", 0, n, "records");
  resolve::DedupeResult dedupe = Take(resolve::DedupePrepared(matchable.prepared, options));
  Progress(ctx, "deduplicating", n, n, "records");
  // The model's clusters (anti-chaining applied) name the records that may merge.
  SetModelClusters(dedupe.clusters, &records);
  // Evidence per property for every pair that decides or needs review.
  Progress(ctx, "explaining", 0, static_cast<double>(dedupe.pairs.size()), "pairs");
  std::vector<store::LedgerPair> pairs(dedupe.pairs.size());
  tbb::parallel_for(size_t{0}, dedupe.pairs.size(), [&](size_t k) {
    const auto& p = dedupe.pairs[k];
    pairs[k] = {matchable.ids[p.a], matchable.ids[p.b], p.probability,
                Dump(EvidenceJson(dedupe.explanations[k]))};
  });
  Progress(ctx, "recording", 0, 0, "");
  store::ResolutionRunInfo info =
      RunInfo(ctx, options.params, params_text,
              static_cast<std::int64_t>(dedupe.stats.candidate_pairs), t0);
  if (dedupe.params.corpus_records > 0) info.fitted_params = FittedParamsText(dedupe.params);
  auto [run, summary] = Take(ledger->RecordRun(info, records, pairs));
  out["incremental"] = false;
  out["full_reason"] = full_reason;
  out["pairs_compared"] = dedupe.stats.candidate_pairs;
  out["rescored_records"] = matchable.size();
  PutRunResult(run, summary, t0, &out);
  return out;
}

std::string ResolveHuman(const Json& r) {
  std::ostringstream o;
  if (r["up_to_date"].get<bool>()) {
    o << fmt::format("Nothing changed since resolve run #{}: {} records not rescored.\n",
                     r["run"].get<std::int64_t>(), r["records"].get<std::int64_t>());
  } else if (r.value("incremental", false)) {
    o << fmt::format(
        "Incremental resolve run #{} ({}): {} records ({} new, {} changed, {} removed); rescored "
        "{} records against the case, {} pairs compared; kept {} scored pairs of unchanged "
        "records\n",
        r["run"].get<std::int64_t>(), r["model"].get<std::string>(),
        r["records"].get<std::int64_t>(), r["new_records"].get<std::int64_t>(),
        r["changed_records"].get<std::int64_t>(), r["removed_records"].get<std::int64_t>(),
        r["rescored_records"].get<std::int64_t>(), r["pairs_compared"].get<std::int64_t>(),
        r["pairs_kept"].get<std::int64_t>());
  } else {
    o << fmt::format(
        "Resolve run #{} ({}): {} records ({} new, {} changed, {} removed), {} pairs compared\n",
        r["run"].get<std::int64_t>(), r["model"].get<std::string>(),
        r["records"].get<std::int64_t>(), r["new_records"].get<std::int64_t>(),
        r["changed_records"].get<std::int64_t>(), r["removed_records"].get<std::int64_t>(),
        r["pairs_compared"].get<std::int64_t>());
    std::string why = r.value("full_reason", "");
    if (!why.empty() && why != "first run") o << "Full run: " << why << ".\n";
  }
  o << fmt::format(
      "{} merges ({} by the model, {} by analyst judgements) -> {} entities of 2+ records ({} "
      "records)\n",
      r["merges"].get<std::int64_t>(), r["model_merges"].get<std::int64_t>(),
      r["judged_merges"].get<std::int64_t>(), r["clusters"].get<std::int64_t>(),
      r["clustered_records"].get<std::int64_t>());
  if (r["blocked_by_judgements"].get<std::int64_t>() > 0)
    o << r["blocked_by_judgements"].get<std::int64_t>()
      << " model merges refused by no-match judgements\n";
  if (r["conflicts"].get<std::int64_t>() > 0)
    o << r["conflicts"].get<std::int64_t>()
      << " match judgements contradict no-match judgements (left apart)\n";
  o << fmt::format("Review queue: {} pairs (casegraph review)\n", r["review"].get<std::int64_t>());
  return o.str();
}

// ---- review ------------------------------------------------------------------------------

Json Review(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  auto ledger = OpenLedger(ctx);
  std::int64_t total = 0;
  auto items = Take(ledger->ReviewQueue(0, ArgFlag(args, "unsure"), &total));
  std::int64_t limit = ArgInt(args, "limit");
  Json list = Json::array();
  std::int64_t hidden = 0;
  for (const auto& item : items) {
    if (limit > 0 && static_cast<std::int64_t>(list.size()) >= limit) break;
    auto a = Take(s.store().GetEntity(item.pair.a, s.clearances()));
    auto b = Take(s.store().GetEntity(item.pair.b, s.clearances()));
    if (!a || !b) {
      ++hidden;  // the reader may not see one of them
      continue;
    }
    Json j{{"a", Header(*a)},
           {"b", Header(*b)},
           {"score", item.pair.probability},
           {"explanation", ParseEvidence(item.pair.evidence)}};
    if (item.unsure) j["unsure"] = true;
    list.push_back(std::move(j));
  }
  Json out{{"total", total}, {"review", list}};
  if (hidden > 0) out["hidden"] = hidden;
  return out;
}

std::string EvidenceText(const Json& evidence, const std::string& indent) {
  std::string o;
  for (const auto& e : evidence) {
    o += fmt::format("{}{}: '{}' vs '{}' - {} {:+.2f}", indent, e.value("property", ""),
                     e.value("left", ""), e.value("right", ""), e.value("level", ""),
                     e.value("weight", 0.0));
    if (e.contains("detail")) o += " [" + e["detail"].get<std::string>() + "]";
    o += "\n";
  }
  return o;
}

std::string ReviewHuman(const Json& r) {
  std::ostringstream o;
  if (r["review"].empty()) return "Review queue is empty.\n";
  o << fmt::format("{} pairs to review{}:\n", r["total"].get<std::int64_t>(),
                   r["review"].size() < r["total"].get<size_t>()
                       ? fmt::format(" (showing {})", r["review"].size())
                       : "");
  for (const auto& item : r["review"]) {
    o << fmt::format("\n{:.3f}  {} ({})  <->  {} ({}){}\n", item["score"].get<double>(),
                     item["a"]["name"].get<std::string>(), item["a"]["id"].get<std::string>(),
                     item["b"]["name"].get<std::string>(), item["b"]["id"].get<std::string>(),
                     item.contains("unsure") ? "  [judged unsure]" : "");
    o << EvidenceText(item["explanation"], "       ");
    o << fmt::format("       judge: casegraph judge --case C {} {} match|no-match|unsure\n",
                     item["a"]["id"].get<std::string>(), item["b"]["id"].get<std::string>());
  }
  return o.str();
}

// ---- judge -------------------------------------------------------------------------------

Json Judge(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  std::string a = ArgString(args, "a"), b = ArgString(args, "b");
  store::Verdict verdict = Take(store::ParseVerdict(ArgString(args, "verdict")));
  model::Entity ea = VisibleEntity(s, a), eb = VisibleEntity(s, b);
  const model::Schema& schema = s.store().schema();
  for (const auto* e : {&ea, &eb}) {
    if (!Matchable(schema, e->schema))
      throw Error(
          StatusCode::kInvalidArgument,
          "'" + e->id + "' is a " + e->schema + ": only persons and organisations are resolved");
  }
  auto ledger = OpenLedger(ctx);
  auto [judgement, summary] =
      Take(ledger->Judge(a, b, verdict, ctx.reader.user, ArgString(args, "reason")));
  std::string ca = Take(ledger->CanonicalOf(a)), cb = Take(ledger->CanonicalOf(b));
  Json out{{"a", a},
           {"b", b},
           {"verdict", store::VerdictName(verdict)},
           {"user", judgement.user},
           {"at", model::UnixToIso(judgement.at)},
           {"seq", judgement.seq},
           {"same_entity", ca == cb},
           {"entity_a", ca},
           {"entity_b", cb},
           {"clusters", summary.clusters},
           {"review", summary.review}};
  if (summary.conflicts > 0) out["conflicts"] = summary.conflicts;
  return out;
}

std::string JudgeHuman(const Json& r) {
  std::string o = fmt::format("Recorded: {} and {} -> {} (by {}, {}).\n", r["a"].get<std::string>(),
                              r["b"].get<std::string>(), r["verdict"].get<std::string>(),
                              r["user"].get<std::string>(), r["at"].get<std::string>());
  o += r["same_entity"].get<bool>()
           ? fmt::format("They are now one entity ({}).\n", r["entity_a"].get<std::string>())
           : "They are now separate entities.\n";
  if (r.contains("conflicts"))
    o += fmt::format(
        "Warning: {} match judgements contradict no-match judgements and were not applied.\n",
        r["conflicts"].get<std::int64_t>());
  return o;
}

// ---- explain -----------------------------------------------------------------------------

Json JudgementJson(const store::Judgement& j) {
  return Json{{"verdict", store::VerdictName(j.verdict)},
              {"user", j.user},
              {"at", model::UnixToIso(j.at)},
              {"reason", j.reason},
              {"source", j.source}};
}

Json Explain(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  std::string a = ArgString(args, "a"), b = ArgString(args, "b");
  model::Entity ea = VisibleEntity(s, a), eb = VisibleEntity(s, b);
  auto ledger = OpenLedger(ctx);
  resolve::ModelParams params = resolve::DefaultParams();
  auto last = Take(ledger->LastRun());
  if (last) {
    params.match_threshold = last->info.match_threshold;
    params.review_threshold = last->info.review_threshold;
  }
  resolve::MatchResult r = resolve::Compare(ea, eb, params);
  std::string ca = Take(ledger->CanonicalOf(a)), cb = Take(ledger->CanonicalOf(b));
  Json ledger_json{{"same_entity", ca == cb}, {"entity_a", ca}, {"entity_b", cb}};
  auto pair = Take(ledger->PairOf(a, b));
  if (pair) {
    ledger_json["run"] = pair->run_id;
    ledger_json["run_score"] = pair->probability;
  }
  Json judgements = Json::array();
  for (const auto& j : Take(ledger->JudgementsOf(a, b))) judgements.push_back(JudgementJson(j));
  ledger_json["judgements"] = judgements;
  // How the two came to be one entity: the merges of their cluster.
  if (ca == cb) {
    Json merges = Json::array();
    for (const auto& m : Take(ledger->MergesOf(ca))) {
      merges.push_back(Json{{"a", m.a},
                            {"b", m.b},
                            {"score", m.probability},
                            {"decided_by", m.decided_by},
                            {"at", m.at ? model::UnixToIso(m.at) : ""},
                            {"run", m.run_id}});
    }
    ledger_json["merges"] = merges;
  }
  std::string decision;
  if (!judgements.empty()) {
    decision = "judged " + judgements.back()["verdict"].get<std::string>() + " by " +
               judgements.back()["user"].get<std::string>();
  } else if (pair) {
    decision = pair->probability >= params.match_threshold ? "model: match" : "model: review";
  } else {
    decision = last ? "model: no match (not a candidate or below the review threshold)"
                    : "not resolved yet";
  }
  ledger_json["decision"] = decision;
  return Json{{"a", Header(ea)},
              {"b", Header(eb)},
              {"score", r.probability},
              {"log2_odds", r.log2_odds},
              {"match", r.match},
              {"review", r.review},
              {"explanation", EvidenceJson(r.explanation)},
              {"ledger", ledger_json},
              {"text", r.ToText()}};
}

std::string ExplainHuman(const Json& r) {
  std::string o = fmt::format("{} ({}, {})  vs  {} ({}, {})\n", r["a"]["name"].get<std::string>(),
                              r["a"]["schema"].get<std::string>(), r["a"]["id"].get<std::string>(),
                              r["b"]["name"].get<std::string>(),
                              r["b"]["schema"].get<std::string>(), r["b"]["id"].get<std::string>());
  o += r["text"].get<std::string>();
  const Json& l = r["ledger"];
  o += fmt::format("Ledger: {}; {}\n", l["decision"].get<std::string>(),
                   l["same_entity"].get<bool>()
                       ? "one entity (" + l["entity_a"].get<std::string>() + ")"
                       : "separate entities");
  for (const auto& j : l["judgements"]) {
    o += fmt::format(
        "  judged {} by {} at {}{}\n", j["verdict"].get<std::string>(),
        j["user"].get<std::string>(), j["at"].get<std::string>(),
        j["reason"].get<std::string>().empty() ? "" : ": " + j["reason"].get<std::string>());
  }
  if (l.contains("merges")) {
    for (const auto& m : l["merges"]) {
      o += fmt::format("  merged {} + {} ({:.3f}) by {}\n", m["a"].get<std::string>(),
                       m["b"].get<std::string>(), m["score"].get<double>(),
                       m["decided_by"].get<std::string>());
    }
  }
  return o;
}

// ---- split and clusters ------------------------------------------------------------------

Json Split(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  std::string id = ArgString(args, "id");
  VisibleEntity(s, id);
  auto ledger = OpenLedger(ctx);
  std::string canonical = Take(ledger->CanonicalOf(id));
  auto members = Take(ledger->Split(id, ctx.reader.user, ArgString(args, "reason")));
  std::int64_t n = static_cast<std::int64_t>(members.size());
  return Json{{"id", id},
              {"entity", canonical},
              {"records", members},
              {"judgements", n * (n - 1) / 2},
              {"user", ctx.reader.user}};
}

std::string SplitHuman(const Json& r) {
  return fmt::format(
      "Split entity {} back into {} records; recorded as {} no-match judgements, so later "
      "resolve runs keep them apart.\n",
      r["entity"].get<std::string>(), r["records"].size(), r["judgements"].get<std::int64_t>());
}

Json Clusters(CommandContext& ctx, const Json& args) {
  Session s(ctx);
  auto ledger = OpenLedger(ctx);
  bool all = ArgFlag(args, "all");
  auto clusters = Take(ledger->Clusters(all));
  Json list = Json::array();
  for (auto& cluster : clusters) {
    if (!s.clearances().all()) {
      std::vector<std::string> visible;
      for (auto& id : cluster)
        if (Take(s.store().FindIid(id, s.clearances()))) visible.push_back(std::move(id));
      cluster = std::move(visible);
    }
    if (cluster.empty() || (!all && cluster.size() < 2)) continue;
    list.push_back(cluster);
  }
  return Json{{"clusters", list}};
}

std::string ClustersHuman(const Json& r) {
  std::ostringstream o;
  if (r["clusters"].empty()) return "No records are merged (run casegraph resolve first).\n";
  for (const auto& c : r["clusters"]) {
    o << c[0].get<std::string>() << ":";
    for (const auto& id : c) o << " " << id.get<std::string>();
    o << "\n";
  }
  return o.str();
}

std::vector<ParamSpec> ThresholdParams() {
  return {{"match-threshold", ParamKind::kDouble,
           "Merge at or above this probability (default: the model's, 0.5)"},
          {"review-threshold", ParamKind::kDouble,
           "Review at or above this probability (default: the model's, 0.2)"}};
}

template <typename Fn>
std::function<Result<Json>(CommandContext&, const Json&)> Wrap(Fn fn) {
  return [fn](CommandContext& c, const Json& a) -> Result<Json> { return fn(c, a); };
}

}  // namespace

void RegisterResolveCommands(std::vector<CommandSpec>& t) {
  std::vector<ParamSpec> compare_params = {
      {"pairs", ParamKind::kString,
       "JSON lines file, one {\"a\": <FtM entity>, \"b\": <FtM entity>} per line", nullptr, true}};
  for (auto& p : ThresholdParams()) compare_params.push_back(p);
  t.push_back(
      {"compare",
       "Score pairs of FtM entities (JSON lines in, one {score, match, explanation} line out)",
       compare_params, false, false, Wrap(Compare), [](const Json&) { return std::string(); }});

  std::vector<ParamSpec> match_params = {
      {"file", ParamKind::kString, "FtM entity JSON lines to screen against the case", nullptr,
       true},
      {"limit", ParamKind::kInt, "At most this many candidates per record (0 = all)", 10},
      {"min-score", ParamKind::kDouble,
       "Only candidates at or above this probability (default: review threshold)"}};
  for (auto& p : ThresholdParams()) match_params.push_back(p);
  t.push_back(
      {"match",
       "Screen records (e.g. a watch list) against the case: ranked candidates with explanations",
       match_params, true, false, Wrap(Match), [](const Json&) { return std::string(); }});

  std::vector<ParamSpec> resolve_params = {
      {"full", ParamKind::kFlag,
       "Rescore every pair (default: only new and changed records, when few changed since the "
       "last run)"}};
  for (auto& p : ThresholdParams()) resolve_params.push_back(p);
  t.push_back({"resolve",
               "Deduplicate the case's persons and organisations; record clusters and evidence in "
               "the ledger",
               resolve_params, true, false, Wrap(Resolve), ResolveHuman});

  t.push_back({"review",
               "Candidate pairs in the grey zone, with their evidence, for an analyst to judge",
               {{"limit", ParamKind::kInt, "Show at most this many (0 = all)", 20},
                {"unsure", ParamKind::kFlag, "Include pairs judged unsure"}},
               true,
               false,
               Wrap(Review),
               ReviewHuman});

  t.push_back({"judge",
               "Record an analyst judgement on two records: match, no-match or unsure",
               {{"a", ParamKind::kPositional, "First record id", nullptr, true},
                {"b", ParamKind::kPositional, "Second record id", nullptr, true},
                {"verdict", ParamKind::kPositional, "match | no-match | unsure", nullptr, true},
                {"reason", ParamKind::kString, "Why (kept in the ledger)"}},
               true,
               false,
               Wrap(Judge),
               JudgeHuman});

  t.push_back({"explain",
               "Why two records are or are not the same entity, property by property",
               {{"a", ParamKind::kPositional, "First record id", nullptr, true},
                {"b", ParamKind::kPositional, "Second record id", nullptr, true}},
               true,
               false,
               Wrap(Explain),
               ExplainHuman});

  t.push_back({"split",
               "Undo a merge: split the entity holding ID back into its records (kept split)",
               {{"id", ParamKind::kPositional, "A record id of the merged entity", nullptr, true},
                {"reason", ParamKind::kString, "Why (kept in the ledger)"}},
               true,
               false,
               Wrap(Split),
               SplitHuman});

  t.push_back({"clusters",
               "Which imported records form one entity",
               {{"all", ParamKind::kFlag, "Include records that form an entity on their own"}},
               true,
               false,
               Wrap(Clusters),
               ClustersHuman});
}

}  // namespace casegraph::api
