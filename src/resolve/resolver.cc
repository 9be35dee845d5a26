// Entity resolution entry points: see resolver.h.
#include "resolve/resolver.h"

#include <sys/resource.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <tuple>
#include <unordered_map>

#include "resolve/blocking.h"
#include "resolve/cluster.h"

namespace casegraph::resolve {
namespace {

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::shared_ptr<const CorpusStats> BuildStats(const std::vector<PreparedRecord>& a,
                                              const std::vector<PreparedRecord>* b) {
  auto stats = std::make_shared<CorpusStats>();
  stats->AddAll(a);
  if (b) stats->AddAll(*b);
  stats->Finish();
  return stats;
}

std::vector<std::vector<uint64_t>> KeysFor(const std::vector<PreparedRecord>& records,
                                           const CorpusStats* stats) {
  std::vector<std::vector<uint64_t>> keys(records.size());
  tbb::parallel_for(size_t{0}, records.size(),
                    [&](size_t i) { keys[i] = BlockingKeys(records[i], stats); });
  return keys;
}

// Brings a record's memory toward the cache ahead of its use: level 0 the record itself,
// level 1 the arrays it points to (properties, names), level 2 theirs (name parts, values). Scoring
// a pair is dominated by cache misses on the second record (pairs are sorted by the first), and a
// record's arrays can only be fetched once the record is in cache: prefetching the record
// some pairs ahead and its arrays a few pairs later hides most of that latency.
void Prefetch(const PreparedRecord& r, int level) {
  auto lines = [](const void* p, size_t bytes) {
    const char* c = static_cast<const char*>(p);
    for (size_t off = 0; off < bytes; off += 64) __builtin_prefetch(c + off);
  };
  if (level == 0) {
    lines(&r, sizeof(PreparedRecord));
    return;
  }
  if (level == 1) {
    lines(r.props.data(), r.props.size() * sizeof(PreparedRecord::Values));
    lines(r.names.data(), r.names.size() * sizeof(PreparedRecord::Name));
    return;
  }
  for (const auto& n : r.names)
    lines(n.analyzed.parts.data(), n.analyzed.parts.size() * sizeof(NamePart));
  for (const auto& pv : r.props) {
    lines(pv.norm.data(), pv.norm.size() * sizeof(std::string));
    if (!pv.dates.empty()) __builtin_prefetch(pv.dates.data());
    if (!pv.tokens.empty()) lines(pv.tokens[0].data(), pv.tokens[0].size() * sizeof(std::string));
  }
}

// Scores candidate pairs in parallel: probabilities, and log2 odds when `odds` is given.
std::vector<float> ScorePairs(const Matcher& matcher, const std::vector<PreparedRecord>& left,
                              const std::vector<PreparedRecord>& right,
                              const std::vector<uint64_t>& pairs,
                              std::vector<float>* odds = nullptr,
                              std::vector<float>* weights = nullptr) {
  std::vector<float> probs(pairs.size());
  if (odds) odds->resize(pairs.size());
  if (weights) weights->resize(pairs.size());
  // Pairs ahead: the record, then its arrays, then theirs.
  constexpr size_t kAhead0 = 12, kAhead1 = 8, kAhead2 = 4;
  auto second = [&](size_t k) -> const PreparedRecord& {
    return right[static_cast<uint32_t>(pairs[k])];
  };
  tbb::parallel_for(
      tbb::blocked_range<size_t>(0, pairs.size(), 1024),
      [&](const tbb::blocked_range<size_t>& range) {
        for (size_t k = range.begin(); k < range.end(); ++k) {
          if (k + kAhead0 < range.end()) Prefetch(second(k + kAhead0), 0);
          if (k + kAhead1 < range.end()) Prefetch(second(k + kAhead1), 1);
          if (k + kAhead2 < range.end()) Prefetch(second(k + kAhead2), 2);
          uint32_t i = static_cast<uint32_t>(pairs[k] >> 32), j = static_cast<uint32_t>(pairs[k]);
          double sim = 0;
          double log2_odds = matcher.Log2Odds(left[i], right[j], &sim);
          probs[k] = static_cast<float>(1.0 / (1.0 + std::exp2(-log2_odds)));
          if (weights)
            (*weights)[k] = static_cast<float>(log2_odds - matcher.params().prior_log2_odds);
          // Ranking key: log-odds, ties (equal comparison levels) broken by the
          // raw similarities.
          if (odds) (*odds)[k] = static_cast<float>(log2_odds + 0.05 * sim);
        }
      });
  return probs;
}

// The prior over all pairs by expectation-maximisation with m and u fixed (the prior
// step of Fellegi-Sunter EM): pairs outside the candidates count as non-matches. Starts
// at one duplicate per record (log2(1 / n)) and stays within 3 bits of it, so that a
// corpus full of look-alikes cannot talk itself into a generous prior. `weights` are the
// candidates' summed match weights without prior; returns the prior log2 odds.
double EstimatePrior(const std::vector<float>& weights, double all_pairs, double n) {
  const double start = -std::log2(std::max(2.0, n));
  double prior = start;
  // The expected number of matches, summed in parallel over fixed chunks and then in
  // chunk order: the same figure whatever the thread schedule.
  constexpr size_t kChunks = 64;
  std::vector<double> partial(kChunks);
  for (int it = 0; it < 30; ++it) {
    tbb::parallel_for(size_t{0}, kChunks, [&](size_t c) {
      const size_t begin = weights.size() * c / kChunks, end = weights.size() * (c + 1) / kChunks;
      double sum = 0;
      for (size_t k = begin; k < end; ++k) sum += 1.0 / (1.0 + std::exp2(-(prior + weights[k])));
      partial[c] = sum;
    });
    double expected = 0;
    for (double p : partial) expected += p;
    double lambda = std::max(expected, 1.0) / all_pairs;
    double next = std::clamp(std::log2(lambda / (1 - lambda)), start - 3, start + 3);
    if (std::abs(next - prior) < 1e-3) return next;
    prior = next;
  }
  return prior;
}

// Re-scores with a new prior: p = sigmoid(prior + w).
void ApplyPrior(const std::vector<float>& weights, double prior, std::vector<float>& probs) {
  for (size_t k = 0; k < weights.size(); ++k)
    probs[k] = static_cast<float>(1.0 / (1.0 + std::exp2(-(prior + weights[k]))));
}

// CG_ER_TIMING: the process' CPU time so far (user + system), the resident and peak
// memory so far (Linux /proc/self/status), in MB.
std::string MemoryNote() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return "";
  char line[256];
  long rss = 0, hwm = 0;
  while (std::fgets(line, sizeof line, f)) {
    std::sscanf(line, "VmRSS: %ld", &rss);
    std::sscanf(line, "VmHWM: %ld", &hwm);
  }
  std::fclose(f);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", cpu);
  return std::string(" (cpu ") + buf + " s, rss " + std::to_string(rss / 1024) + " MB, peak " +
         std::to_string(hwm / 1024) + " MB)";
}

}  // namespace

std::vector<PreparedRecord> PrepareAll(const std::vector<model::Entity>& records) {
  std::vector<PreparedRecord> out(records.size());
  tbb::parallel_for(size_t{0}, records.size(), [&](size_t i) { out[i] = Prepare(records[i]); });
  return out;
}

ModelParams FitToCorpus(const ModelParams& base, const std::vector<PreparedRecord>& left,
                        const std::vector<PreparedRecord>* right,
                        std::shared_ptr<const CorpusStats> stats) {
  ModelParams p = base;
  const std::vector<PreparedRecord>& other = right ? *right : left;
  if (left.size() < 2 || other.empty() || !stats) return p;
  const size_t n = right ? std::max(left.size(), right->size()) : left.size();
  p.prior_log2_odds = -std::log2(static_cast<double>(n));
  p.corpus_records = stats->records();
  // Random pairs, seeded: the same corpus gives the same parameters.
  // 20 per record, 50k to 200k: enough to see levels down to ~1e-5 (long text is slow).
  const size_t samples =
      std::clamp<size_t>(20 * (left.size() + (right ? right->size() : 0)), 50000, 200000);
  std::vector<std::pair<uint32_t, uint32_t>> picks(samples);
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<size_t> pick_l(0, left.size() - 1), pick_r(0, other.size() - 1);
  for (auto& pr : picks) {
    size_t i = pick_l(rng), j = pick_r(rng);
    if (!right && i == j) j = (j + 1) % other.size();
    pr = {static_cast<uint32_t>(i), static_cast<uint32_t>(j)};
  }
  Matcher matcher(base, stats);
  const int kinds = kComparatorCount;
  auto base_weight = [&](int k, int l) {
    const Level& lv = base.levels[k][l];
    return std::log2(lv.m / lv.u);
  };
  // Per pair: (comparator, level) observations; parallel, then counted serially.
  std::vector<std::vector<std::pair<int8_t, int8_t>>> obs(samples);
  tbb::parallel_for(size_t{0}, samples, [&](size_t s) {
    for (const auto& e : matcher.Evidence(left[picks[s].first], other[picks[s].second], false))
      if (e.level >= 0 &&
          e.level < static_cast<int>(base.levels[static_cast<int>(e.comparator)].size()))
        obs[s].push_back({static_cast<int8_t>(e.comparator), static_cast<int8_t>(e.level)});
  });
  std::vector<std::vector<double>> counts(kinds);
  std::vector<double> totals(kinds, 0);
  for (int k = 0; k < kinds; ++k) counts[k].assign(base.levels[k].size(), 0);
  for (const auto& o : obs) {
    double sum = 0;
    for (auto [k, l] : o) sum += base_weight(k, l);
    for (auto [k, l] : o) {
      // Leave-one-out: skip the pair for comparator k when the rest of its evidence
      // already says "match" (a duplicate drawn at random).
      if (sum - base_weight(k, l) > 0) continue;
      counts[k][l] += 1;
      totals[k] += 1;
    }
  }
  for (int k = 0; k < kinds; ++k) {
    if (totals[k] < 1000) continue;  // too few observations: keep the defaults
    const double levels = static_cast<double>(base.levels[k].size());
    for (size_t l = 0; l < base.levels[k].size(); ++l) {
      p.levels[k][l].u = (counts[k][l] + 0.5) / (totals[k] + 0.5 * levels);
      // A level that is no agreement by default (m <= u: "weak" names, dates a year
      // apart, different values) stays no evidence for a match.
      if (base.levels[k][l].m <= base.levels[k][l].u)
        p.levels[k][l].u = std::max(p.levels[k][l].u, p.levels[k][l].m);
      // Text is blocked on its own rarest tokens, so candidates share words far more
      // often than random pairs: partial text agreement keeps at least its default u.
      if (static_cast<ComparatorKind>(k) == ComparatorKind::kText)
        p.levels[k][l].u = std::max(p.levels[k][l].u, base.levels[k][l].u);
    }
  }
  {
    // Namesakes (one sorted name key): u of every level among pairs of them, counting a
    // pair for comparator k only when its other evidence (name and k left out) does not
    // already say "match", as above.
    std::unordered_map<std::string_view, std::vector<uint32_t>> by_name;
    for (uint32_t i = 0; i < left.size(); ++i)
      if (!left[i].names.empty() && !left[i].names[0].key.empty())
        by_name[left[i].names[0].key].push_back(i);
    std::vector<std::pair<uint32_t, uint32_t>> ns_pairs;
    for (const auto& [key, members] : by_name) {
      if (members.size() < 2 || members.size() > 50) continue;
      for (size_t x = 0; x < members.size() && ns_pairs.size() < 100000; ++x)
        for (size_t y = x + 1; y < members.size(); ++y)
          ns_pairs.push_back({members[x], members[y]});
    }
    std::vector<std::vector<std::pair<int8_t, int8_t>>> ns_obs(ns_pairs.size());
    tbb::parallel_for(size_t{0}, ns_pairs.size(), [&](size_t s) {
      for (const auto& e :
           matcher.Evidence(left[ns_pairs[s].first], left[ns_pairs[s].second], false))
        if (e.comparator != ComparatorKind::kName && e.level >= 0 &&
            e.level < static_cast<int>(base.levels[static_cast<int>(e.comparator)].size()))
          ns_obs[s].push_back({static_cast<int8_t>(e.comparator), static_cast<int8_t>(e.level)});
    });
    std::vector<std::vector<double>> ns_counts(kinds);
    std::vector<double> ns_totals(kinds, 0);
    for (int k = 0; k < kinds; ++k) ns_counts[k].assign(base.levels[k].size(), 0);
    for (const auto& o : ns_obs) {
      double sum = 0;
      for (auto [k, l] : o) sum += base_weight(k, l);
      for (auto [k, l] : o) {
        if (sum - base_weight(k, l) > 0) continue;
        ns_counts[k][l] += 1;
        ns_totals[k] += 1;
      }
    }
    p.namesake_u.assign(kinds, {});
    for (int k = 0; k < kinds; ++k) {
      // Only what a name says something about: nationality, gender, a name-spelt e-mail
      // address. A birth date, phone or identifier is independent of the name, and
      // namesakes in a corpus of few names are mostly the duplicates themselves.
      auto kind = static_cast<ComparatorKind>(k);
      if (kind != ComparatorKind::kCountry && kind != ComparatorKind::kGender &&
          kind != ComparatorKind::kEmail)
        continue;
      if (ns_totals[k] < 100) continue;
      const double levels = static_cast<double>(base.levels[k].size());
      p.namesake_u[k].resize(base.levels[k].size());
      for (size_t l = 0; l < base.levels[k].size(); ++l)
        p.namesake_u[k][l] = (ns_counts[k][l] + 0.5) / (ns_totals[k] + 0.5 * levels);
    }
  }
  p.version += "+fit";
  return p;
}

MatchResult Compare(const model::Entity& a, const model::Entity& b, const ModelParams& params) {
  Matcher matcher(params);
  return matcher.Score(Prepare(a), Prepare(b));
}

Result<DedupeResult> Dedupe(const std::vector<model::Entity>& records,
                            const ResolveOptions& options) {
  if (records.size() >= (1ull << 32))
    return Status(StatusCode::kInvalidArgument, "too many records");
  auto t0 = Clock::now();
  std::vector<PreparedRecord> prepared;
  Status status = CatchAsStatus([&] { prepared = PrepareAll(records); });
  if (!status.ok()) return status;
  const double t_prepare = Seconds(t0);
  if (std::getenv("CG_ER_TIMING"))
    std::fprintf(stderr, "dedupe: prepare %.2fs%s\n", t_prepare, MemoryNote().c_str());
  auto result = DedupePrepared(prepared, options);
  if (result.ok()) result->stats.seconds_blocking += t_prepare;  // preparing is part of it
  return result;
}

Result<DedupeResult> DedupePrepared(std::vector<PreparedRecord>& prepared,
                                    const ResolveOptions& options) {
  DedupeResult result;
  Status status = CatchAsStatus([&] {
    if (prepared.size() >= (1ull << 32))
      throw Error(StatusCode::kInvalidArgument, "too many records");
    auto t0 = Clock::now();
    const bool timing = std::getenv("CG_ER_TIMING") != nullptr;
    if (timing) std::fprintf(stderr, "dedupe: start%s\n", MemoryNote().c_str());
    auto stats = BuildStats(prepared, nullptr);
    AttachIdf(prepared, *stats);
    double t_stats = Seconds(t0);
    if (timing) std::fprintf(stderr, "dedupe: stats %.2fs%s\n", t_stats, MemoryNote().c_str());
    auto keys = KeysFor(prepared, stats.get());
    double t_keys = Seconds(t0);
    if (timing)
      std::fprintf(stderr, "dedupe: keys %.2fs%s\n", t_keys - t_stats, MemoryNote().c_str());
    std::vector<uint64_t> pairs = CandidatePairs(std::move(keys), options.max_block_size);
    if (timing)
      std::fprintf(stderr, "dedupe: pairs %.2fs%s\n", Seconds(t0) - t_keys, MemoryNote().c_str());
    result.stats.records = prepared.size();
    result.stats.candidate_pairs = pairs.size();
    result.stats.seconds_blocking = Seconds(t0);
    auto t1 = Clock::now();
    result.params = options.params;
    if (options.use_term_frequencies && options.fit_to_corpus &&
        prepared.size() >= options.min_fit_records)
      result.params = FitToCorpus(options.params, prepared, nullptr, stats);
    double t_fit = Seconds(t1);
    if (timing) std::fprintf(stderr, "dedupe: fit %.2fs%s\n", t_fit, MemoryNote().c_str());
    const bool fitted = result.params.corpus_records > 0;
    std::vector<float> weights;
    std::vector<float> probs =
        ScorePairs(Matcher(result.params, options.use_term_frequencies ? stats : nullptr), prepared,
                   prepared, pairs, nullptr, fitted ? &weights : nullptr);
    if (fitted) {
      double n = static_cast<double>(prepared.size());
      result.params.prior_log2_odds = EstimatePrior(weights, n * (n - 1) / 2, n);
      ApplyPrior(weights, result.params.prior_log2_odds, probs);
    }
    Matcher matcher(result.params, options.use_term_frequencies ? stats : nullptr);
    result.stats.seconds_scoring = Seconds(t1);
    if (timing)
      std::fprintf(stderr, "dedupe: scoring %.2fs, prior log2 odds %.2f%s\n",
                   result.stats.seconds_scoring - t_fit, result.params.prior_log2_odds,
                   MemoryNote().c_str());
    auto t2 = Clock::now();
    std::vector<Edge> edges;
    for (size_t k = 0; k < pairs.size(); ++k) {
      if (probs[k] < options.params.review_threshold) continue;
      uint32_t i = static_cast<uint32_t>(pairs[k] >> 32), j = static_cast<uint32_t>(pairs[k]);
      edges.push_back({i, j, probs[k]});
      result.pairs.push_back({i, j, probs[k]});
      if (probs[k] >= options.params.match_threshold) {
        ++result.stats.matches;
      } else {
        ++result.stats.review;
      }
    }
    if (options.explain) {
      result.explanations.resize(result.pairs.size());
      tbb::parallel_for(size_t{0}, result.pairs.size(), [&](size_t k) {
        const ScoredPair& p = result.pairs[k];
        result.explanations[k] = matcher.Score(prepared[p.a], prepared[p.b]).explanation;
      });
    }
    auto score = [&](uint32_t i, uint32_t j) {
      return matcher.Probability(prepared[i], prepared[j]);
    };
    result.clusters =
        ClusterEdges(prepared.size(), std::move(edges), options.params.match_threshold,
                     options.check_cluster_consistency, options.max_cluster_size, score);
    result.stats.seconds_clustering = Seconds(t2);
    if (timing)
      std::fprintf(stderr, "dedupe: clustering %.2fs%s\n", result.stats.seconds_clustering,
                   MemoryNote().c_str());
  });
  if (!status.ok()) return status;
  return result;
}

Result<LinkResult> Link(const std::vector<model::Entity>& left,
                        const std::vector<model::Entity>& right, const ResolveOptions& options) {
  LinkResult result;
  Status status = CatchAsStatus([&] {
    auto t0 = Clock::now();
    std::vector<PreparedRecord> pl = PrepareAll(left), pr = PrepareAll(right);
    auto stats = BuildStats(pl, &pr);
    AttachIdf(pl, *stats);
    AttachIdf(pr, *stats);
    auto kl = KeysFor(pl, stats.get()), kr = KeysFor(pr, stats.get());
    std::vector<uint64_t> pairs = CandidatePairs(kl, kr, options.max_block_size);
    result.stats.records = left.size() + right.size();
    result.stats.candidate_pairs = pairs.size();
    result.stats.seconds_blocking = Seconds(t0);
    auto t1 = Clock::now();
    result.params = options.params;
    if (options.use_term_frequencies && options.fit_to_corpus &&
        std::max(left.size(), right.size()) >= options.min_fit_records)
      result.params = FitToCorpus(options.params, pl, &pr, stats);
    const bool fitted = result.params.corpus_records > 0;
    std::vector<float> odds, weights;
    std::vector<float> probs =
        ScorePairs(Matcher(result.params, options.use_term_frequencies ? stats : nullptr), pl, pr,
                   pairs, &odds, fitted ? &weights : nullptr);
    if (fitted) {
      // Ranking by log-odds is unchanged by the prior; the probabilities are.
      double nl = static_cast<double>(left.size()), nr = static_cast<double>(right.size());
      result.params.prior_log2_odds = EstimatePrior(weights, nl * nr, std::max(nl, nr));
      ApplyPrior(weights, result.params.prior_log2_odds, probs);
    }
    result.stats.seconds_scoring = Seconds(t1);
    // Best first by log-odds (probabilities saturate at 1.0 for strong pairs; ties are
    // broken by record order so the result does not depend on the sort).
    std::vector<std::pair<float, ScoredPair>> cands;
    for (size_t k = 0; k < pairs.size(); ++k) {
      if (probs[k] < options.params.review_threshold) continue;
      cands.push_back(
          {odds[k],
           {static_cast<uint32_t>(pairs[k] >> 32), static_cast<uint32_t>(pairs[k]), probs[k]}});
    }
    std::sort(cands.begin(), cands.end(), [](const auto& x, const auto& y) {
      if (x.first != y.first) return x.first > y.first;
      return std::tie(x.second.a, x.second.b) < std::tie(y.second.a, y.second.b);
    });
    std::vector<char> used_l(left.size(), 0), used_r(right.size(), 0);
    for (const auto& [lo, c] : cands) {
      if (c.probability < options.params.match_threshold) {
        result.review.push_back(c);
        continue;
      }
      if (options.one_to_one && (used_l[c.a] || used_r[c.b])) continue;
      used_l[c.a] = used_r[c.b] = 1;
      result.matches.push_back(c);
    }
    result.stats.matches = result.matches.size();
    result.stats.review = result.review.size();
  });
  if (!status.ok()) return status;
  return result;
}

Result<ModelParams> Train(const std::vector<model::Entity>& records, const ResolveOptions& options,
                          int iterations) {
  ModelParams params = options.params;
  Status status = CatchAsStatus([&] {
    if (records.size() < 10) throw Error(StatusCode::kInvalidArgument, "too few records to train");
    std::vector<PreparedRecord> prepared = PrepareAll(records);
    auto stats = BuildStats(prepared, nullptr);
    Matcher matcher(params, nullptr);
    const int kinds = kComparatorCount;
    // u: level frequencies among random pairs (almost all non-matches).
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<size_t> pick(0, prepared.size() - 1);
    std::vector<std::vector<double>> u_counts(kinds), m_counts(kinds);
    for (int k = 0; k < kinds; ++k) {
      u_counts[k].assign(params.levels[k].size(), 1.0);  // Laplace smoothing
    }
    size_t samples = std::min<size_t>(200000, prepared.size() * 20);
    for (size_t s = 0; s < samples; ++s) {
      size_t i = pick(rng), j = pick(rng);
      if (i == j) continue;
      for (const auto& e : matcher.Evidence(prepared[i], prepared[j], false))
        if (e.level >= 0) u_counts[static_cast<int>(e.comparator)][e.level] += 1;
    }
    for (int k = 0; k < kinds; ++k) {
      double total = 0;
      for (double c : u_counts[k]) total += c;
      for (size_t l = 0; l < params.levels[k].size(); ++l)
        params.levels[k][l].u = std::max(u_counts[k][l] / total, 1e-6);
    }
    // m and the prior by EM over blocked candidate pairs, u held fixed.
    auto keys = KeysFor(prepared, stats.get());
    std::vector<uint64_t> pairs = CandidatePairs(keys, options.max_block_size);
    if (pairs.size() > 500000) pairs.resize(500000);
    std::vector<std::vector<std::pair<int, int>>> obs(pairs.size());
    tbb::parallel_for(size_t{0}, pairs.size(), [&](size_t k) {
      uint32_t i = static_cast<uint32_t>(pairs[k] >> 32), j = static_cast<uint32_t>(pairs[k]);
      for (const auto& e : matcher.Evidence(prepared[i], prepared[j], false))
        if (e.level >= 0) obs[k].push_back({static_cast<int>(e.comparator), e.level});
    });
    double lambda = 1.0 / (1.0 + std::exp2(-params.prior_log2_odds));
    for (int it = 0; it < iterations; ++it) {
      for (int k = 0; k < kinds; ++k) m_counts[k].assign(params.levels[k].size(), 0.01);
      double post_sum = 0;
      for (const auto& o : obs) {
        double log_odds = std::log2(lambda / (1 - lambda));
        for (auto [k, l] : o) log_odds += std::log2(params.levels[k][l].m / params.levels[k][l].u);
        double post = 1.0 / (1.0 + std::exp2(-log_odds));
        post_sum += post;
        for (auto [k, l] : o) m_counts[k][l] += post;
      }
      lambda = std::clamp(post_sum / std::max<size_t>(1, obs.size()), 1e-4, 0.9);
      for (int k = 0; k < kinds; ++k) {
        double total = 0;
        for (double c : m_counts[k]) total += c;
        for (size_t l = 0; l < params.levels[k].size(); ++l)
          params.levels[k][l].m = std::max(m_counts[k][l] / total, 1e-6);
      }
    }
    params.prior_log2_odds = std::log2(lambda / (1 - lambda));
    params.version += "+em";
  });
  if (!status.ok()) return status;
  return params;
}

}  // namespace casegraph::resolve
