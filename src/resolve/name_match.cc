// Name comparison by part alignment: see name_match.h. The method follows the
// name-part alignment of OpenSanctions' logic_v2 matcher (nomenklatura), with
// Damerau-Levenshtein similarity over transliterated parts and their skeletons.
#include "resolve/name_match.h"

#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "resolve/similarity.h"

namespace casegraph::resolve {
namespace {

constexpr double kMinAlign = 0.5;  // below this, two parts are different names

double BaseWeight(PartKind kind) {
  switch (kind) {
    case PartKind::kWord:
      return 1.0;
    case PartKind::kNumber:
      return 0.8;
    case PartKind::kInitial:
      return 0.3;
    case PartKind::kParticle:
      return 0.15;
    case PartKind::kLegalForm:
      return 0.2;
  }
  return 1.0;
}

double LengthWeight(const NamePart& p) {
  if (IsSyllabicScript(p.script)) return std::min<double>(10, 3.0 * p.native.size());
  double len = static_cast<double>(p.latin.empty() ? p.native.size() : p.latin.size());
  return std::clamp(len, 2.0, 10.0);
}

bool Joinable(const NamePart& p) {
  return p.kind == PartKind::kWord || p.kind == PartKind::kParticle ||
         p.kind == PartKind::kInitial || p.kind == PartKind::kLegalForm;
}

bool Strong(const NamePart& p) {
  return p.kind == PartKind::kWord;
}

NamePart Join(const NamePart& a, const NamePart& b) {
  NamePart j;
  j.latin = a.latin + b.latin;
  j.skeleton = Skeleton(j.latin);
  j.native = a.native + b.native;
  j.script = a.script;
  j.kind = PartKind::kWord;
  return j;
}

// Joins runs of 2-3 adjacent parts of `x` when the joined form matches a part of `y`
// better than any single part does ("plat ono vich" vs "platonovich"). Writes pointers to
// the parts into `out`: into x's parts, or into `joined` (which owns the joined parts).
void JoinSplitParts(const std::vector<const NamePart*>& x, const std::vector<const NamePart*>& y,
                    std::vector<const NamePart*>& out,
                    std::vector<std::unique_ptr<NamePart>>& joined) {
  out.clear();
  for (size_t i = 0; i < x.size();) {
    size_t best_len = 1;
    NamePart best_join;
    double best_sim = 0;
    // Cheap pre-check on lengths: a join can only reach 0.85 similarity with a part of
    // about the joined length (saves building joined parts for almost every pair).
    bool may_join = false;
    if (Joinable(*x[i]) && i + 1 < x.size()) {
      size_t len = x[i]->latin.size();
      for (size_t k = 1; k < 4 && i + k < x.size() && Joinable(*x[i + k]); ++k) {
        len += x[i + k]->latin.size();
        for (const NamePart* yp : y) {
          size_t l = yp->latin.size();
          if (yp->kind == PartKind::kWord && l * 100 >= len * 80 && len * 100 >= l * 80)
            may_join = true;
        }
      }
    }
    if (may_join) {
      NamePart acc = *x[i];
      for (size_t k = 1; k < 4 && i + k < x.size() && Joinable(*x[i + k]); ++k) {
        acc = Join(acc, *x[i + k]);
        for (const NamePart* yp : y) {
          if (yp->kind != PartKind::kWord) continue;
          double joined_sim = std::max(EditSimilarity(acc.latin, yp->latin),
                                       EditSimilarity(acc.skeleton, yp->skeleton));
          if (joined_sim < 0.85 || joined_sim <= best_sim) continue;
          double single = 0;
          for (size_t q = i; q <= i + k; ++q) single = std::max(single, PartSimilarity(*x[q], *yp));
          if (joined_sim > single + 0.1) {
            best_sim = joined_sim;
            best_len = k + 1;
            best_join = acc;
          }
        }
      }
    }
    if (best_len > 1) {
      joined.push_back(std::make_unique<NamePart>(std::move(best_join)));
      out.push_back(joined.back().get());
      i += best_len;
    } else {
      out.push_back(x[i]);
      ++i;
    }
  }
}

}  // namespace

void HashCounts::Grow() {
  std::vector<std::uint64_t> keys = std::move(keys_);
  std::vector<std::uint32_t> counts = std::move(counts_);
  keys_.assign(keys.empty() ? 1024 : 2 * keys.size(), 0);
  counts_.assign(keys_.size(), 0);
  size_ = 0;
  for (size_t i = 0; i < keys.size(); ++i)
    if (keys[i]) Add(keys[i], counts[i]);
}

void HashCounts::Add(std::uint64_t hash, std::uint32_t by) {
  if (4 * (size_ + 1) > 3 * keys_.size()) Grow();
  const size_t mask = keys_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    if (keys_[i] == hash) {
      counts_[i] += by;
      return;
    }
    if (keys_[i] == 0) {
      keys_[i] = hash;
      counts_[i] = by;
      ++size_;
      return;
    }
  }
}

std::uint32_t HashCounts::Get(std::uint64_t hash) const {
  if (keys_.empty()) return 0;
  const size_t mask = keys_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    if (keys_[i] == hash) return counts_[i];
    if (keys_[i] == 0) return 0;
  }
}

void HashCounts::AddAll(std::vector<std::uint64_t>& hashes) {
  tbb::parallel_sort(hashes.begin(), hashes.end());
  // Room for the distinct hashes first (load <= 3/4): no rehashing while adding.
  size_t distinct = size_;
  for (size_t i = 0; i < hashes.size(); ++i) distinct += i == 0 || hashes[i] != hashes[i - 1];
  size_t capacity = std::max<size_t>(keys_.size(), 1024);
  while (4 * (distinct + 1) > 3 * capacity) capacity *= 2;
  if (capacity > keys_.size()) {
    std::vector<std::uint64_t> keys = std::move(keys_);
    std::vector<std::uint32_t> counts = std::move(counts_);
    keys_.assign(capacity, 0);
    counts_.assign(capacity, 0);
    size_ = 0;
    for (size_t i = 0; i < keys.size(); ++i)
      if (keys[i]) Add(keys[i], counts[i]);
  }
  for (size_t i = 0; i < hashes.size();) {
    size_t j = i;
    while (j < hashes.size() && hashes[j] == hashes[i]) ++j;
    Add(hashes[i], static_cast<std::uint32_t>(j - i));
    i = j;
  }
}

void TermStats::Add(const std::vector<std::string>& tokens) {
  ++documents_;
  std::vector<std::uint64_t> uniq;
  uniq.reserve(tokens.size());
  for (const auto& t : tokens) uniq.push_back(HashKey(t));
  std::sort(uniq.begin(), uniq.end());
  uniq.erase(std::unique(uniq.begin(), uniq.end()), uniq.end());
  for (std::uint64_t h : uniq) df_.Add(h);
}

void TermStats::AddHashes(std::vector<std::uint64_t>& token_hashes, size_t documents) {
  documents_ += documents;
  df_.AddAll(token_hashes);
}

double TermStats::Weight(std::string_view token) const {
  if (documents_ < 50) return 1.0;
  double df = std::max<uint32_t>(1, DocumentFrequency(token));
  // log-scaled inverse frequency relative to a token seen in 1 of 1000 documents.
  double w = 1.0 + 0.15 * std::log2((documents_ / 1000.0 + 1.0) / df);
  return std::clamp(w, 0.4, 1.6);
}

std::string NameComparison::Describe() const {
  std::string out;
  char buf[32];
  for (const auto& a : alignment) {
    if (!out.empty()) out += ", ";
    if (a.right.empty()) {
      out += "-" + a.left;
    } else if (a.left.empty()) {
      out += "+" + a.right;
    } else if (a.similarity >= 0.999) {
      out += a.left + "=" + a.right;
    } else {
      snprintf(buf, sizeof buf, "(%.2f)", a.similarity);
      out += a.left + "~" + a.right + buf;
    }
  }
  return out;
}

double PartSimilarity(const NamePart& a, const NamePart& b) {
  if (a.kind == PartKind::kNumber || b.kind == PartKind::kNumber)
    return a.latin == b.latin ? 1.0 : 0.0;
  if (a.kind == PartKind::kLegalForm || b.kind == PartKind::kLegalForm)
    return a.latin == b.latin ? 1.0 : 0.0;
  if (a.kind == PartKind::kInitial || b.kind == PartKind::kInitial) {
    if (a.latin.empty() || b.latin.empty()) return 0.0;
    if (a.kind == PartKind::kInitial && b.kind == PartKind::kInitial)
      return a.latin == b.latin ? 1.0 : 0.0;
    return a.latin[0] == b.latin[0] ? 0.9 : 0.0;
  }
  double native = 0;
  bool same_script =
      a.script == b.script && a.script != Script::kLatin && a.script != Script::kUnknown;
  if (same_script) {
    native = EditSimilarity(a.native, b.native);
    if (IsSyllabicScript(a.script)) return native;
  }
  if (a.latin.empty() || b.latin.empty()) return native;
  double latin = EditSimilarity(a.latin, b.latin);
  if (latin < 1.0) latin = std::max(latin, EditSimilarity(a.skeleton, b.skeleton));
  // Same non-Latin script: the original letters are the better witness (abjads drop
  // vowels in transliteration), the transliteration absorbs spelling variants.
  return same_script ? 0.5 * (native + latin) : latin;
}

NameComparison CompareNames(const AnalyzedName& an, const AnalyzedName& bn, const TermStats* stats,
                            bool explain) {
  NameComparison result;
  if (an.parts.empty() || bn.parts.empty()) return result;
  // Scratch space per thread: comparing a pair allocates nothing once warm.
  struct Cand {
    double sim;
    size_t i, j;
  };
  struct Scratch {
    std::vector<const NamePart*> in_a, in_b, a, b;
    std::vector<std::unique_ptr<NamePart>> joined;
    std::vector<Cand> cands;
    std::vector<int> a_to, b_to;
    std::vector<double> a_sim, b_sim;
  };
  thread_local Scratch scratch;
  Scratch& sc = scratch;
  sc.joined.clear();
  sc.in_a.clear();
  sc.in_b.clear();
  for (const auto& p : an.parts) sc.in_a.push_back(&p);
  for (const auto& p : bn.parts) sc.in_b.push_back(&p);
  JoinSplitParts(sc.in_a, sc.in_b, sc.a, sc.joined);
  JoinSplitParts(sc.in_b, sc.a, sc.b, sc.joined);
  const std::vector<const NamePart*>& a = sc.a;
  const std::vector<const NamePart*>& b = sc.b;

  std::vector<Cand>& cands = sc.cands;
  cands.clear();
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t j = 0; j < b.size(); ++j) {
      double s = PartSimilarity(*a[i], *b[j]);
      if (s >= kMinAlign) cands.push_back({s, i, j});
    }
  // Best first, ties in (i, j) order: a stable insertion sort (a handful of candidates;
  // std::stable_sort would allocate a buffer for every pair of names).
  for (size_t k = 1; k < cands.size(); ++k) {
    Cand c = cands[k];
    size_t m = k;
    for (; m > 0 && cands[m - 1].sim < c.sim; --m) cands[m] = cands[m - 1];
    cands[m] = c;
  }
  std::vector<int>& a_to = sc.a_to;
  std::vector<int>& b_to = sc.b_to;
  std::vector<double>& a_sim = sc.a_sim;
  std::vector<double>& b_sim = sc.b_sim;
  a_to.assign(a.size(), -1);
  b_to.assign(b.size(), -1);
  a_sim.assign(a.size(), 0);
  b_sim.assign(b.size(), 0);
  for (const auto& c : cands) {
    if (a_to[c.i] >= 0 || b_to[c.j] >= 0) continue;
    a_to[c.i] = static_cast<int>(c.j);
    b_to[c.j] = static_cast<int>(c.i);
    a_sim[c.i] = b_sim[c.j] = c.sim;
    if (explain) result.alignment.push_back({a[c.i]->latin, b[c.j]->latin, c.sim});
  }

  auto weight = [&](const NamePart& p) {
    double w = BaseWeight(p.kind) * LengthWeight(p);
    if (stats && p.kind == PartKind::kWord) w *= stats->Weight(p.latin);
    return w;
  };
  // Quality of an aligned pair: small typos cost little, larger edits cost more.
  auto quality = [](double s) { return s >= 0.999 ? 1.0 : std::pow(s, 1.5); };
  constexpr double kConflictSim = 0.65;  // aligned parts less similar than this disagree

  double a_total = 0, a_match = 0, b_total = 0, b_match = 0;
  int matched_words = 0, a_words = 0, b_words = 0;
  int a_extra = 0, b_extra = 0;  // strong parts present on one side only
  int a_init = 0, b_init = 0;    // unmatched initials
  int a_num = 0, b_num = 0;      // unmatched numbers
  int weak_pairs = 0;            // aligned but dissimilar parts
  for (size_t i = 0; i < a.size(); ++i) {
    double w = weight(*a[i]);
    if (a[i]->kind == PartKind::kNumber) w *= 0.3;
    a_total += w;
    if (Strong(*a[i])) ++a_words;
    if (a_to[i] >= 0) {
      a_match += w * quality(a_sim[i]);
      if (Strong(*a[i]) || a[i]->kind == PartKind::kNumber) {
        if (a_sim[i] >= kConflictSim)
          ++matched_words;
        else
          ++weak_pairs;
      }
    } else {
      if (explain) result.alignment.push_back({a[i]->latin.empty() ? "?" : a[i]->latin, "", 0});
      if (Strong(*a[i])) ++a_extra;
      if (a[i]->kind == PartKind::kInitial) ++a_init;
      if (a[i]->kind == PartKind::kNumber) ++a_num;
    }
  }
  for (size_t j = 0; j < b.size(); ++j) {
    double w = weight(*b[j]);
    if (b[j]->kind == PartKind::kNumber) w *= 0.3;
    b_total += w;
    if (Strong(*b[j])) ++b_words;
    if (b_to[j] >= 0) {
      b_match += w * quality(b_sim[j]);
    } else {
      if (explain) result.alignment.push_back({"", b[j]->latin.empty() ? "?" : b[j]->latin, 0});
      if (Strong(*b[j])) ++b_extra;
      if (b[j]->kind == PartKind::kInitial) ++b_init;
      if (b[j]->kind == PartKind::kNumber) ++b_num;
    }
  }
  if (a_total <= 0 || b_total <= 0) return result;
  double cov_a = a_match / a_total, cov_b = b_match / b_total;
  double hi = std::max(cov_a, cov_b), lo = std::min(cov_a, cov_b);
  bool conflict = weak_pairs > 0 || (a_extra > 0 && b_extra > 0);
  double score;
  if (an.kind == NameKind::kPerson) {
    // A person's name may omit parts (middle names, patronymics): the fuller coverage
    // of the shorter name counts most; parts missing on both sides are conflicts.
    score = 0.65 * hi + 0.35 * lo;
    if (conflict) score -= 0.12;
    if (a_init > 0 && b_init > 0) score -= 0.15;  // "William G." vs "William W."
    int max_words = std::max(a_words, b_words);
    if (matched_words <= 1 && max_words >= 2) score = std::min(score, 0.6);
  } else {
    // Organisations: every extra word changes the entity ("Deutsche Bank Trust").
    score = (a_match + b_match) / (a_total + b_total);
    if (conflict) score -= 0.1;
    if (a_extra + b_extra > 0) score -= 0.06;
  }
  // A series number on one side only distinguishes ("Fund" vs "Fund II"); two different
  // numbers are weaker evidence (vintages, series of one issuer).
  if ((a_num > 0) != (b_num > 0)) score -= 0.12;
  if (matched_words == 0) score = std::min(score, 0.4);
  result.score = std::clamp(score, 0.0, 1.0);
  return result;
}

}  // namespace casegraph::resolve
