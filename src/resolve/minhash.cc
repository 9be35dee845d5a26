// MinHash over padded character n-grams and LSH band keys (see minhash.h). Each n-gram is
// hashed once to 64 bits (FNV-1a, then a splitmix64 finaliser); hash function k of the
// family is x -> Mix(x ^ seed_k), seed_k drawn from splitmix64 of the options' seed.
#include "resolve/minhash.h"

#include <algorithm>
#include <limits>
#include <unordered_set>

namespace casegraph::resolve {
namespace {

constexpr char kStart = '\x02';  // boundary mark before the text
constexpr char kEnd = '\x03';    // boundary mark after it

// splitmix64's finaliser: a bijective 64-bit mixer with good avalanche.
std::uint64_t Mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

std::uint64_t HashBytes(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return Mix(h);
}

bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Lower-cased (ASCII), white space collapsed and trimmed; split into code points.
std::vector<std::string> CodePoints(std::string_view text) {
  std::vector<std::string> out;
  bool pending_space = false;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (IsSpace(c)) {
      pending_space = !out.empty();
      ++i;
      continue;
    }
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 1;
    len = std::min(len, text.size() - i);
    if (pending_space) {
      out.emplace_back(" ");
      pending_space = false;
    }
    std::string cp(text.substr(i, len));
    if (len == 1 && c >= 'A' && c <= 'Z') cp[0] = static_cast<char>(c - 'A' + 'a');
    out.push_back(std::move(cp));
    i += len;
  }
  return out;
}

}  // namespace

std::vector<std::string> CharNgrams(std::string_view text, int n) {
  std::vector<std::string> out;
  if (n < 1) return out;
  std::vector<std::string> cps = CodePoints(text);
  if (cps.empty()) return out;
  std::vector<std::string> padded;
  padded.reserve(cps.size() + 2 * static_cast<size_t>(n - 1));
  for (int k = 0; k < n - 1; ++k) padded.emplace_back(1, kStart);
  for (auto& cp : cps) padded.push_back(std::move(cp));
  for (int k = 0; k < n - 1; ++k) padded.emplace_back(1, kEnd);
  const size_t grams = padded.size() - static_cast<size_t>(n) + 1;
  out.reserve(grams);
  for (size_t i = 0; i < grams; ++i) {
    std::string g;
    for (int k = 0; k < n; ++k) g += padded[i + static_cast<size_t>(k)];
    out.push_back(std::move(g));
  }
  return out;
}

MinHasher::MinHasher(const MinHashOptions& options) : options_(options) {
  const size_t size = static_cast<size_t>(options.bands) * static_cast<size_t>(options.rows);
  seeds_.resize(size);
  std::uint64_t state = options.seed;
  for (auto& s : seeds_) {
    state += 0x9e3779b97f4a7c15ull;  // splitmix64 stream
    s = Mix(state);
  }
}

Result<MinHasher> MinHasher::Create(const MinHashOptions& options) {
  if (options.ngram < 1 || options.ngram > 8)
    return Status(StatusCode::kInvalidArgument, "MinHash n-gram size must be 1..8");
  if (options.bands < 1 || options.rows < 1 ||
      static_cast<long>(options.bands) * options.rows > 4096)
    return Status(StatusCode::kInvalidArgument,
                  "MinHash needs bands >= 1, rows >= 1 and bands * rows <= 4096");
  return MinHasher(options);
}

std::vector<std::uint64_t> MinHasher::Signature(std::string_view text) const {
  std::vector<std::string> grams = CharNgrams(text, options_.ngram);
  if (grams.empty()) return {};
  std::vector<std::uint64_t> hashes;
  hashes.reserve(grams.size());
  for (const auto& g : grams) hashes.push_back(HashBytes(g));
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  std::vector<std::uint64_t> sig(seeds_.size(), std::numeric_limits<std::uint64_t>::max());
  for (size_t k = 0; k < seeds_.size(); ++k) {
    std::uint64_t m = sig[k];
    for (std::uint64_t h : hashes) m = std::min(m, Mix(h ^ seeds_[k]));
    sig[k] = m;
  }
  return sig;
}

std::vector<std::uint64_t> MinHasher::BandKeys(const std::vector<std::uint64_t>& signature) const {
  if (signature.size() != seeds_.size()) return {};
  std::vector<std::uint64_t> keys(static_cast<size_t>(options_.bands));
  const size_t rows = static_cast<size_t>(options_.rows);
  for (size_t b = 0; b < keys.size(); ++b) {
    std::uint64_t h = Mix(options_.seed ^ (0xa0761d6478bd642full * (b + 1)));
    for (size_t r = 0; r < rows; ++r) h = Mix(h ^ signature[b * rows + r]) + r;
    keys[b] = h;
  }
  return keys;
}

double EstimatedJaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  if (a.empty() || a.size() != b.size()) return 0;
  size_t equal = 0;
  for (size_t i = 0; i < a.size(); ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

double NgramJaccard(std::string_view a, std::string_view b, int n) {
  std::vector<std::string> ga = CharNgrams(a, n), gb = CharNgrams(b, n);
  std::unordered_set<std::string> sa(ga.begin(), ga.end()), sb(gb.begin(), gb.end());
  if (sa.empty() || sb.empty()) return 0;
  size_t inter = 0;
  for (const auto& g : sa) inter += sb.count(g);
  return static_cast<double>(inter) / static_cast<double>(sa.size() + sb.size() - inter);
}

}  // namespace casegraph::resolve
