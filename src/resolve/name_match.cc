// Name comparison by part alignment: see name_match.h. The method follows the
// name-part alignment of OpenSanctions' logic_v2 matcher (nomenklatura), with
// Damerau-Levenshtein similarity over transliterated parts and their skeletons.
#include "resolve/name_match.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

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
// better than any single part does ("plat ono vich" vs "platonovich").
std::vector<NamePart> JoinSplitParts(const std::vector<NamePart>& x,
                                     const std::vector<NamePart>& y) {
  std::vector<NamePart> out;
  for (size_t i = 0; i < x.size();) {
    size_t best_len = 1;
    NamePart best_join;
    double best_sim = 0;
    // Cheap pre-check on lengths: a join can only reach 0.85 similarity with a part of
    // about the joined length (saves building joined parts for almost every pair).
    bool may_join = false;
    if (Joinable(x[i]) && i + 1 < x.size()) {
      size_t len = x[i].latin.size();
      for (size_t k = 1; k < 4 && i + k < x.size() && Joinable(x[i + k]); ++k) {
        len += x[i + k].latin.size();
        for (const auto& yp : y) {
          size_t l = yp.latin.size();
          if (yp.kind == PartKind::kWord && l * 100 >= len * 80 && len * 100 >= l * 80)
            may_join = true;
        }
      }
    }
    if (may_join) {
      NamePart acc = x[i];
      for (size_t k = 1; k < 4 && i + k < x.size() && Joinable(x[i + k]); ++k) {
        acc = Join(acc, x[i + k]);
        for (const auto& yp : y) {
          if (yp.kind != PartKind::kWord) continue;
          double joined = std::max(EditSimilarity(acc.latin, yp.latin),
                                   EditSimilarity(acc.skeleton, yp.skeleton));
          if (joined < 0.85 || joined <= best_sim) continue;
          double single = 0;
          for (size_t q = i; q <= i + k; ++q) single = std::max(single, PartSimilarity(x[q], yp));
          if (joined > single + 0.1) {
            best_sim = joined;
            best_len = k + 1;
            best_join = acc;
          }
        }
      }
    }
    if (best_len > 1) {
      out.push_back(best_join);
      i += best_len;
    } else {
      out.push_back(x[i]);
      ++i;
    }
  }
  return out;
}

}  // namespace

void TermStats::Add(const std::vector<std::string>& tokens) {
  ++documents_;
  std::vector<std::string> uniq = tokens;
  std::sort(uniq.begin(), uniq.end());
  uniq.erase(std::unique(uniq.begin(), uniq.end()), uniq.end());
  for (const auto& t : uniq) ++df_[t];
}

uint32_t TermStats::DocumentFrequency(const std::string& token) const {
  auto it = df_.find(token);
  return it == df_.end() ? 0 : it->second;
}

double TermStats::Weight(const std::string& token) const {
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
  double latin = std::max(EditSimilarity(a.latin, b.latin), EditSimilarity(a.skeleton, b.skeleton));
  // Same non-Latin script: the original letters are the better witness (abjads drop
  // vowels in transliteration), the transliteration absorbs spelling variants.
  return same_script ? 0.5 * (native + latin) : latin;
}

NameComparison CompareNames(const AnalyzedName& an, const AnalyzedName& bn,
                            const TermStats* stats) {
  NameComparison result;
  if (an.parts.empty() || bn.parts.empty()) return result;
  std::vector<NamePart> a = JoinSplitParts(an.parts, bn.parts);
  std::vector<NamePart> b = JoinSplitParts(bn.parts, a);

  struct Cand {
    double sim;
    size_t i, j;
  };
  std::vector<Cand> cands;
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t j = 0; j < b.size(); ++j) {
      double s = PartSimilarity(a[i], b[j]);
      if (s >= kMinAlign) cands.push_back({s, i, j});
    }
  std::stable_sort(cands.begin(), cands.end(),
                   [](const Cand& x, const Cand& y) { return x.sim > y.sim; });
  std::vector<int> a_to(a.size(), -1), b_to(b.size(), -1);
  std::vector<double> a_sim(a.size(), 0), b_sim(b.size(), 0);
  for (const auto& c : cands) {
    if (a_to[c.i] >= 0 || b_to[c.j] >= 0) continue;
    a_to[c.i] = static_cast<int>(c.j);
    b_to[c.j] = static_cast<int>(c.i);
    a_sim[c.i] = b_sim[c.j] = c.sim;
    result.alignment.push_back({a[c.i].latin, b[c.j].latin, c.sim});
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
    double w = weight(a[i]);
    if (a[i].kind == PartKind::kNumber) w *= 0.3;
    a_total += w;
    if (Strong(a[i])) ++a_words;
    if (a_to[i] >= 0) {
      a_match += w * quality(a_sim[i]);
      if (Strong(a[i]) || a[i].kind == PartKind::kNumber) {
        if (a_sim[i] >= kConflictSim)
          ++matched_words;
        else
          ++weak_pairs;
      }
    } else {
      result.alignment.push_back({a[i].latin.empty() ? "?" : a[i].latin, "", 0});
      if (Strong(a[i])) ++a_extra;
      if (a[i].kind == PartKind::kInitial) ++a_init;
      if (a[i].kind == PartKind::kNumber) ++a_num;
    }
  }
  for (size_t j = 0; j < b.size(); ++j) {
    double w = weight(b[j]);
    if (b[j].kind == PartKind::kNumber) w *= 0.3;
    b_total += w;
    if (Strong(b[j])) ++b_words;
    if (b_to[j] >= 0) {
      b_match += w * quality(b_sim[j]);
    } else {
      result.alignment.push_back({"", b[j].latin.empty() ? "?" : b[j].latin, 0});
      if (Strong(b[j])) ++b_extra;
      if (b[j].kind == PartKind::kInitial) ++b_init;
      if (b[j].kind == PartKind::kNumber) ++b_num;
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
