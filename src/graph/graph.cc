// Graph::Build: the parallel CSR builder (count degrees -> prefix sums -> scatter, as in
// the GAP benchmark suite's builder, Beamer, Asanovic, Patterson, "The GAP Benchmark
// Suite", 2015), made deterministic without atomics: the links are cut into C chunks (C =
// threads), chunk k counts its links per node, the prefix sums give chunk k the slice
// [start(v) + sum_{j<k} count_j(v), start(v) + sum_{j<=k} count_j(v)) of node v's list,
// and chunk k fills its slice from the end while walking its links backwards, so lists keep
// input order. Chunk 0's cursors live in the offsets array itself and end on the list
// starts, i.e. on the offsets: only chunks 1..C-1 need cursor arrays (one per direction
// and chunk, about 4 bytes per node each; none on one thread). Out- and in-lists are
// counted and placed in the same passes. Build(EdgeList&&) adopts the input's link arrays
// instead of copying them.
#include "graph/graph.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <string>

#include "casegraph/status.h"

namespace casegraph::graph {
namespace {

template <typename T, typename A>
std::size_t Bytes(const std::vector<T, A>& v) {
  return v.capacity() * sizeof(T);
}
template <typename T>
std::size_t Bytes(const Column<T>& c) {
  return c.bytes();
}

[[noreturn]] void Fail(const std::string& message) {
  throw Error(StatusCode::kInvalidArgument, "graph build: " + message);
}

constexpr std::size_t kGrain = 1 << 16;

// Copies n elements in parallel (std::vector's copy is serial and these are large).
template <typename T>
void ParallelCopy(const T* in, std::size_t n, T* out) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      std::copy(in + r.begin(), in + r.end(), out + r.begin());
                    });
}

// Sizes `v` to n zeros, zeroed (and so first touched) in parallel.
void ParallelZeros(BigVector<std::uint32_t>& v, std::size_t n) {
  v.resize(n);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      std::fill(v.begin() + r.begin(), v.begin() + r.end(), 0u);
                    });
}

// Fills `out` from `in`: adopts the buffer when the input may be taken (`own`, which is
// `in` itself) and does not hold much more capacity than it uses, else copies.
template <typename T>
void TakeOrCopy(const std::vector<T>& in, std::vector<T>* own, Column<T>& out) {
  if (own != nullptr && own->capacity() - own->size() <= own->size() / 8 + 4096 / sizeof(T)) {
    out.Adopt(std::move(*own));
    return;
  }
  ParallelCopy(in.data(), in.size(), out.Allocate(in.size()));
  if (own != nullptr) std::vector<T>().swap(*own);
}

// Frees an input array the snapshot does not keep (moved builds only).
template <typename T>
void Drop(std::vector<T>* own) {
  if (own != nullptr) std::vector<T>().swap(*own);
}

void ValidateSizes(const EdgeList& e) {
  const std::size_t m = e.src.size();
  if (e.num_nodes < 0) Fail("negative num_nodes");
  if (e.num_nodes > static_cast<std::int64_t>(std::numeric_limits<NodeId>::max()))
    Fail("too many nodes");
  if (m >= std::numeric_limits<LinkIdx>::max()) Fail("too many links (max 2^32 - 2)");
  if (e.dst.size() != m) Fail("src and dst differ in length");
  auto check = [&](std::size_t size, const char* what) {
    if (size != 0 && size != m) Fail(std::string(what) + " length differs from src");
  };
  check(e.type.size(), "type");
  check(e.time.size(), "time");
  check(e.store_id.size(), "store_id");
  check(e.directed.size(), "directed");
  check(e.weight.size(), "weight");
  if (!e.visible_node.empty() && static_cast<std::int64_t>(e.visible_node.size()) != e.num_nodes)
    Fail("visible_node length differs from num_nodes");
}

}  // namespace

Graph Graph::Build(const EdgeList& e) {
  return BuildFrom(e, nullptr);
}

Graph Graph::Build(EdgeList&& e) {
  Graph g = BuildFrom(e, &e);
  e = EdgeList();
  return g;
}

Graph Graph::BuildFrom(const EdgeList& e, EdgeList* take) {
  ValidateSizes(e);
  Graph g;
  const std::size_t n = static_cast<std::size_t>(e.num_nodes);
  const std::size_t m = e.src.size();
  g.num_nodes_ = e.num_nodes;

  // Link chunks: one per thread, fewer when the cursor arrays (4 bytes per node and
  // direction for every chunk but the first) would outgrow the links.
  const auto threads =
      static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency()));
  std::size_t chunks = std::min<std::size_t>(threads, std::max<std::size_t>(1, m / kGrain));
  while (chunks > 1 && (chunks - 1) * n > m + 1024) --chunks;
  auto chunk_begin = [&](std::size_t k) { return m * k / chunks; };

  // Pass 1: chunk k counts its links' endpoints into its own arrays (chunk 0 into the
  // offset arrays), checking them against num_nodes on the way.
  ParallelZeros(g.out_off_, n + 1);
  ParallelZeros(g.in_off_, n + 1);
  BigVector<std::uint32_t> out_more, in_more;
  ParallelZeros(out_more, (chunks - 1) * n);
  ParallelZeros(in_more, (chunks - 1) * n);
  auto out_cur = [&](std::size_t k) {
    return k == 0 ? g.out_off_.data() : out_more.data() + (k - 1) * n;
  };
  auto in_cur = [&](std::size_t k) {
    return k == 0 ? g.in_off_.data() : in_more.data() + (k - 1) * n;
  };
  {
    std::vector<std::uint8_t> bad(chunks, 0);
    const NodeId* src = e.src.data();
    const NodeId* dst = e.dst.data();
    tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t k) {
      std::uint32_t* oc = out_cur(k);
      std::uint32_t* ic = in_cur(k);
      for (std::size_t i = chunk_begin(k), end = chunk_begin(k + 1); i < end; ++i) {
        const NodeId s = src[i], d = dst[i];
        if (s >= n || d >= n) {
          bad[k] = 1;
          return;
        }
        ++oc[s];
        ++ic[d];
      }
    });
    if (std::find(bad.begin(), bad.end(), 1) != bad.end()) Fail("a link endpoint is >= num_nodes");
  }

  // One parallel scan finds which optional arrays carry information and, per link type,
  // whether its links are directed (bit 0), undirected (bit 1) or both.
  struct Scan {
    bool any_type = false, any_time = false, identity_ids = true;
    std::int64_t min_time = std::numeric_limits<std::int64_t>::max();
    std::int64_t max_time = std::numeric_limits<std::int64_t>::min();
    std::vector<std::uint8_t> seen;  // per type code, only when `directed` is given
  };
  const std::size_t scan_chunks = std::max<std::size_t>(1, std::min<std::size_t>(64, m >> 16));
  std::vector<Scan> scans(scan_chunks);
  tbb::parallel_for(std::size_t{0}, scan_chunks, [&](std::size_t c) {
    const std::size_t begin = m * c / scan_chunks, end = m * (c + 1) / scan_chunks;
    Scan& sc = scans[c];
    if (!e.type.empty())
      for (std::size_t i = begin; i < end && !sc.any_type; ++i) sc.any_type = e.type[i] != 0;
    if (!e.time.empty()) {
      for (std::size_t i = begin; i < end; ++i) {
        const std::int64_t t = e.time[i];
        if (t == kNoTime) continue;
        sc.any_time = true;
        sc.min_time = std::min(sc.min_time, t);
        sc.max_time = std::max(sc.max_time, t);
      }
    }
    if (!e.store_id.empty())
      for (std::size_t i = begin; i < end && sc.identity_ids; ++i)
        sc.identity_ids = e.store_id[i] == i;
    if (!e.directed.empty()) {
      sc.seen.assign(65536, 0);
      for (std::size_t i = begin; i < end; ++i)
        sc.seen[e.type.empty() ? 0 : e.type[i]] |= e.directed[i] ? 1 : 2;
    }
  });
  Scan all;
  if (!e.directed.empty()) all.seen.assign(65536, 0);
  for (const Scan& sc : scans) {
    all.any_type |= sc.any_type;
    all.any_time |= sc.any_time;
    all.min_time = std::min(all.min_time, sc.min_time);
    all.max_time = std::max(all.max_time, sc.max_time);
    all.identity_ids &= sc.identity_ids;
    for (std::size_t t = 0; t < sc.seen.size(); ++t) all.seen[t] |= sc.seen[t];
  }

  // Link arrays: the input's (adopted or copied), dropping the ones that carry no
  // information. From here on the links are read from the graph's own columns.
  TakeOrCopy(e.src, take ? &take->src : nullptr, g.link_src_);
  TakeOrCopy(e.dst, take ? &take->dst : nullptr, g.link_dst_);
  if (all.any_type) {
    TakeOrCopy(e.type, take ? &take->type : nullptr, g.link_type_);
  } else if (take) {
    Drop(&take->type);
  }
  if (all.any_time) {
    // 4-byte offsets when every time lies within 2^32 - 2 seconds of the earliest one.
    const bool fits =
        static_cast<std::uint64_t>(all.max_time) - static_cast<std::uint64_t>(all.min_time) <
        std::uint64_t{kNoTime32};
    if (fits) {
      g.time_base_ = all.min_time;
      g.link_time32_.resize(m);
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, m, kGrain),
                        [&](const tbb::blocked_range<std::size_t>& r) {
                          for (std::size_t i = r.begin(); i != r.end(); ++i) {
                            const std::int64_t t = e.time[i];
                            g.link_time32_[i] = t == kNoTime
                                                    ? kNoTime32
                                                    : static_cast<std::uint32_t>(t - all.min_time);
                          }
                        });
      if (take) Drop(&take->time);
    } else {
      TakeOrCopy(e.time, take ? &take->time : nullptr, g.link_time_);
    }
  } else if (take) {
    Drop(&take->time);
  }
  if (!all.identity_ids) {
    TakeOrCopy(e.store_id, take ? &take->store_id : nullptr, g.link_store_id_);
  } else if (take) {
    Drop(&take->store_id);
  }
  if (!e.weight.empty()) TakeOrCopy(e.weight, take ? &take->weight : nullptr, g.link_weight_);
  if (!e.visible_node.empty())
    TakeOrCopy(e.visible_node, take ? &take->visible_node : nullptr, g.visible_);

  // Directedness per type when consistent, else per link.
  if (!e.directed.empty()) {
    const auto& seen = all.seen;
    const bool mixed = std::any_of(seen.begin(), seen.end(), [](std::uint8_t s) { return s == 3; });
    g.has_undirected_ = std::any_of(seen.begin(), seen.end(), [](std::uint8_t s) { return s & 2; });
    if (mixed) {
      TakeOrCopy(e.directed, take ? &take->directed : nullptr, g.link_directed_);
    } else {
      if (g.has_undirected_) {
        std::size_t max_type = 0;
        for (std::size_t t = 0; t < seen.size(); ++t)
          if (seen[t]) max_type = t;
        g.type_directed_.assign(max_type + 1, 1);
        for (std::size_t t = 0; t <= max_type; ++t) g.type_directed_[t] = (seen[t] & 2) ? 0 : 1;
      }
      if (take) Drop(&take->directed);
    }
  }

  // Pass 2: per node, the running link count before it (start) plus the counts of chunks
  // 0..k becomes chunk k's starting cursor, the end of its slice. Blocked scan in parallel.
  const std::size_t blocks =
      std::max<std::size_t>(1, std::min<std::size_t>(threads * 4, n / 4096 + 1));
  const std::size_t per_block = (n + blocks - 1) / blocks;
  std::vector<std::uint64_t> block_out(blocks + 1, 0), block_in(blocks + 1, 0);
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    const std::size_t begin = std::min(n, b * per_block), end = std::min(n, begin + per_block);
    std::uint64_t so = 0, si = 0;
    for (std::size_t k = 0; k < chunks; ++k) {
      const std::uint32_t* oc = out_cur(k);
      const std::uint32_t* ic = in_cur(k);
      for (std::size_t v = begin; v < end; ++v) {
        so += oc[v];
        si += ic[v];
      }
    }
    block_out[b + 1] = so;
    block_in[b + 1] = si;
  });
  for (std::size_t b = 0; b < blocks; ++b) {
    block_out[b + 1] += block_out[b];
    block_in[b + 1] += block_in[b];
  }
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    const std::size_t begin = std::min(n, b * per_block), end = std::min(n, begin + per_block);
    auto so = static_cast<std::uint32_t>(block_out[b]);
    auto si = static_cast<std::uint32_t>(block_in[b]);
    for (std::size_t v = begin; v < end; ++v) {
      for (std::size_t k = 0; k < chunks; ++k) {
        std::uint32_t* oc = out_cur(k);
        std::uint32_t* ic = in_cur(k);
        so += oc[v];
        si += ic[v];
        oc[v] = so;
        ic[v] = si;
      }
    }
  });

  // Pass 3: chunk k walks its links backwards and places each at --cursor: its slice fills
  // from the end in input order, and chunk 0's cursors end on the list starts (offsets).
  g.out_nbr_.resize(m);
  g.out_link_.resize(m);
  g.in_nbr_.resize(m);
  g.in_link_.resize(m);
  {
    const NodeId* src = g.link_src_.data();
    const NodeId* dst = g.link_dst_.data();
    tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t k) {
      std::uint32_t* oc = out_cur(k);
      std::uint32_t* ic = in_cur(k);
      NodeId* out_nbr = g.out_nbr_.data();
      LinkIdx* out_link = g.out_link_.data();
      NodeId* in_nbr = g.in_nbr_.data();
      LinkIdx* in_link = g.in_link_.data();
      const std::size_t begin = chunk_begin(k);
      // The four writes of a link land on random cache lines: prefetch (for writing) the
      // lines a link kPrefetch positions ahead will use. A cursor may move before that
      // link is placed, but only by the links of its node in between: the same line or
      // the one before, so the hint stays useful.
      constexpr std::size_t kPrefetch = 16;
      for (std::size_t i = chunk_begin(k + 1); i-- > begin;) {
        if (i >= begin + kPrefetch) {
          const NodeId ps = src[i - kPrefetch], pd = dst[i - kPrefetch];
          const std::uint32_t qo = oc[ps] - 1, qi = ic[pd] - 1;
          __builtin_prefetch(out_nbr + qo, 1);
          __builtin_prefetch(out_link + qo, 1);
          __builtin_prefetch(in_nbr + qi, 1);
          __builtin_prefetch(in_link + qi, 1);
        }
        const NodeId s = src[i], d = dst[i];
        const std::uint32_t po = --oc[s];
        out_nbr[po] = d;
        out_link[po] = static_cast<LinkIdx>(i);
        const std::uint32_t pi = --ic[d];
        in_nbr[pi] = s;
        in_link[pi] = static_cast<LinkIdx>(i);
      }
    });
  }
  g.out_off_[n] = static_cast<std::uint32_t>(m);
  g.in_off_[n] = static_cast<std::uint32_t>(m);
  return g;
}

std::size_t Graph::MemoryBytes() const {
  return sizeof(*this) + Bytes(out_off_) + Bytes(in_off_) + Bytes(out_nbr_) + Bytes(in_nbr_) +
         Bytes(out_link_) + Bytes(in_link_) + Bytes(link_src_) + Bytes(link_dst_) +
         Bytes(link_type_) + Bytes(link_time_) + Bytes(link_time32_) + Bytes(link_store_id_) +
         Bytes(type_directed_) + Bytes(link_directed_) + Bytes(link_weight_) + Bytes(visible_);
}

}  // namespace casegraph::graph
