// Entity resolution entry points: see resolver.h.
#include "resolve/resolver.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <tuple>

#include "resolve/blocking.h"
#include "resolve/cluster.h"

namespace casegraph::resolve {
namespace {

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::vector<PreparedRecord> PrepareAll(const std::vector<model::Entity>& records) {
  std::vector<PreparedRecord> out(records.size());
  tbb::parallel_for(size_t{0}, records.size(), [&](size_t i) { out[i] = Prepare(records[i]); });
  return out;
}

std::shared_ptr<const CorpusStats> BuildStats(const std::vector<PreparedRecord>& a,
                                              const std::vector<PreparedRecord>* b) {
  auto stats = std::make_shared<CorpusStats>();
  for (const auto& r : a) stats->Add(r);
  if (b)
    for (const auto& r : *b) stats->Add(r);
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

// Scores candidate pairs in parallel: probabilities, and log2 odds when `odds` is given.
std::vector<float> ScorePairs(const Matcher& matcher, const std::vector<PreparedRecord>& left,
                              const std::vector<PreparedRecord>& right,
                              const std::vector<uint64_t>& pairs,
                              std::vector<float>* odds = nullptr) {
  std::vector<float> probs(pairs.size());
  if (odds) odds->resize(pairs.size());
  tbb::parallel_for(size_t{0}, pairs.size(), [&](size_t k) {
    uint32_t i = static_cast<uint32_t>(pairs[k] >> 32), j = static_cast<uint32_t>(pairs[k]);
    MatchResult r = matcher.Score(left[i], right[j]);
    probs[k] = static_cast<float>(r.probability);
    if (odds) {
      // Ranking key: log-odds, ties (equal comparison levels) broken by the raw similarities.
      double sim = 0;
      for (const auto& e : r.explanation) sim += e.similarity;
      (*odds)[k] = static_cast<float>(r.log2_odds + 0.05 * sim);
    }
  });
  return probs;
}

}  // namespace

MatchResult Compare(const model::Entity& a, const model::Entity& b, const ModelParams& params) {
  Matcher matcher(params);
  return matcher.Score(Prepare(a), Prepare(b));
}

Result<DedupeResult> Dedupe(const std::vector<model::Entity>& records,
                            const ResolveOptions& options) {
  DedupeResult result;
  Status status = CatchAsStatus([&] {
    if (records.size() >= (1ull << 32))
      throw Error(StatusCode::kInvalidArgument, "too many records");
    auto t0 = Clock::now();
    std::vector<PreparedRecord> prepared = PrepareAll(records);
    auto stats = BuildStats(prepared, nullptr);
    auto keys = KeysFor(prepared, stats.get());
    std::vector<uint64_t> pairs = CandidatePairs(keys, options.max_block_size);
    result.stats.records = records.size();
    result.stats.candidate_pairs = pairs.size();
    result.stats.seconds_blocking = Seconds(t0);
    auto t1 = Clock::now();
    Matcher matcher(options.params, options.use_term_frequencies ? stats : nullptr);
    std::vector<float> probs = ScorePairs(matcher, prepared, prepared, pairs);
    result.stats.seconds_scoring = Seconds(t1);
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
    auto score = [&](uint32_t i, uint32_t j) {
      return matcher.Score(prepared[i], prepared[j]).probability;
    };
    result.clusters =
        ClusterEdges(records.size(), std::move(edges), options.params.match_threshold,
                     options.check_cluster_consistency, options.max_cluster_size, score);
    result.stats.seconds_clustering = Seconds(t2);
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
    auto kl = KeysFor(pl, stats.get()), kr = KeysFor(pr, stats.get());
    std::vector<uint64_t> pairs = CandidatePairs(kl, kr, options.max_block_size);
    result.stats.records = left.size() + right.size();
    result.stats.candidate_pairs = pairs.size();
    result.stats.seconds_blocking = Seconds(t0);
    auto t1 = Clock::now();
    Matcher matcher(options.params, options.use_term_frequencies ? stats : nullptr);
    std::vector<float> odds;
    std::vector<float> probs = ScorePairs(matcher, pl, pr, pairs, &odds);
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
      for (const auto& e : matcher.Evidence(prepared[i], prepared[j]))
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
      for (const auto& e : matcher.Evidence(prepared[i], prepared[j]))
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
