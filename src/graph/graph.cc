// Graph::Build: the three-pass parallel CSR builder (as in the GAP benchmark suite's
// builder, Beamer, Asanovic, Patterson, "The GAP Benchmark Suite", 2015), made
// deterministic without atomics: the link range is cut into chunks, each chunk counts its
// own per-node degrees, an exclusive scan over (node, chunk) gives every chunk its own
// write cursor per node, and each chunk scatters its links in input order.
#include "graph/graph.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <string>

#include "casegraph/status.h"

namespace casegraph::graph {
namespace {

template <typename V>
std::size_t Bytes(const V& v) {
  using T = typename V::value_type;
  return v.capacity() * sizeof(T);
}

[[noreturn]] void Fail(const std::string& message) {
  throw Error(StatusCode::kInvalidArgument, "graph build: " + message);
}

// Copies `in` into `out` in parallel (std::vector copy is serial and these are large).
template <typename T>
void ParallelCopy(const std::vector<T>& in, BigVector<T>& out) {
  out.resize(in.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, in.size(), 1 << 16),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      std::copy(in.begin() + r.begin(), in.begin() + r.end(),
                                out.begin() + r.begin());
                    });
}

void Validate(const EdgeList& e) {
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
  const auto n = static_cast<std::uint64_t>(e.num_nodes);
  std::atomic<bool> bad{false};
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, m, 1 << 16),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      bool local = false;
                      for (std::size_t i = r.begin(); i != r.end(); ++i)
                        local |= (e.src[i] >= n) | (e.dst[i] >= n);
                      if (local) bad.store(true, std::memory_order_relaxed);
                    });
  if (bad) Fail("a link endpoint is >= num_nodes");
}

}  // namespace

Graph Graph::Build(const EdgeList& e) {
  Validate(e);
  Graph g;
  const std::size_t n = static_cast<std::size_t>(e.num_nodes);
  const std::size_t m = e.src.size();
  g.num_nodes_ = e.num_nodes;

  // Link arrays: copies of the input, dropping the ones that carry no information.
  ParallelCopy(e.src, g.link_src_);
  ParallelCopy(e.dst, g.link_dst_);
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
  if (all.any_type) ParallelCopy(e.type, g.link_type_);
  if (all.any_time) {
    // 4-byte offsets when every time lies within 2^32 - 2 seconds of the earliest one.
    const bool fits =
        static_cast<std::uint64_t>(all.max_time) - static_cast<std::uint64_t>(all.min_time) <
        std::uint64_t{kNoTime32};
    if (fits) {
      g.time_base_ = all.min_time;
      g.link_time32_.resize(m);
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, m, 1 << 16),
                        [&](const tbb::blocked_range<std::size_t>& r) {
                          for (std::size_t i = r.begin(); i != r.end(); ++i) {
                            const std::int64_t t = e.time[i];
                            g.link_time32_[i] = t == kNoTime
                                                    ? kNoTime32
                                                    : static_cast<std::uint32_t>(t - all.min_time);
                          }
                        });
    } else {
      ParallelCopy(e.time, g.link_time_);
    }
  }
  if (!all.identity_ids) ParallelCopy(e.store_id, g.link_store_id_);
  if (!e.weight.empty()) ParallelCopy(e.weight, g.link_weight_);
  if (!e.visible_node.empty()) ParallelCopy(e.visible_node, g.visible_);

  // Directedness per type when consistent, else per link.
  if (!e.directed.empty()) {
    const auto& seen = all.seen;
    const bool mixed = std::any_of(seen.begin(), seen.end(), [](std::uint8_t s) { return s == 3; });
    g.has_undirected_ = std::any_of(seen.begin(), seen.end(), [](std::uint8_t s) { return s & 2; });
    if (mixed) {
      ParallelCopy(e.directed, g.link_directed_);
    } else if (g.has_undirected_) {
      std::size_t max_type = 0;
      for (std::size_t t = 0; t < seen.size(); ++t)
        if (seen[t]) max_type = t;
      g.type_directed_.assign(max_type + 1, 1);
      for (std::size_t t = 0; t <= max_type; ++t) g.type_directed_[t] = (seen[t] & 2) ? 0 : 1;
    }
  }

  // Pass 1: per-chunk degree counts. Chunks are fixed by size, not by thread count, so
  // the result does not depend on the scheduler (and would not anyway: order within a
  // node is chunk order, then input order inside the chunk = input order).
  const int threads = std::max(1, tbb::this_task_arena::max_concurrency());
  std::size_t chunks = std::min<std::size_t>(static_cast<std::size_t>(threads) * 2,
                                             std::max<std::size_t>(1, m / (1 << 16)));
  // Bound the counters' memory to about the size of the adjacency itself.
  while (chunks > 1 && chunks * n > 2 * m + 1024) --chunks;
  const std::size_t per_chunk = (m + chunks - 1) / std::max<std::size_t>(chunks, 1);
  BigVector<std::uint32_t> out_cnt(chunks * n, 0), in_cnt(chunks * n, 0);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    const std::size_t begin = c * per_chunk, end = std::min(m, begin + per_chunk);
    std::uint32_t* oc = out_cnt.data() + c * n;
    std::uint32_t* ic = in_cnt.data() + c * n;
    for (std::size_t i = begin; i < end; ++i) {
      ++oc[e.src[i]];
      ++ic[e.dst[i]];
    }
  });

  // Pass 2: degrees per node, exclusive scan into offsets, then each chunk's cursor per
  // node = offset[v] + counts of earlier chunks at v. Blocked scan over nodes in parallel.
  g.out_off_.assign(n + 1, 0);
  g.in_off_.assign(n + 1, 0);
  const std::size_t blocks = std::max<std::size_t>(
      1, std::min<std::size_t>(static_cast<std::size_t>(threads) * 4, n / 4096 + 1));
  const std::size_t per_block = (n + blocks - 1) / blocks;
  std::vector<std::uint64_t> block_out(blocks + 1, 0), block_in(blocks + 1, 0);
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    const std::size_t begin = b * per_block, end = std::min(n, begin + per_block);
    std::uint64_t so = 0, si = 0;
    for (std::size_t v = begin; v < end; ++v) {
      std::uint32_t dout = 0, din = 0;
      for (std::size_t c = 0; c < chunks; ++c) {
        dout += out_cnt[c * n + v];
        din += in_cnt[c * n + v];
      }
      g.out_off_[v] = static_cast<std::uint32_t>(so);  // block-local for now
      g.in_off_[v] = static_cast<std::uint32_t>(si);
      so += dout;
      si += din;
    }
    block_out[b + 1] = so;
    block_in[b + 1] = si;
  });
  for (std::size_t b = 0; b < blocks; ++b) {
    block_out[b + 1] += block_out[b];
    block_in[b + 1] += block_in[b];
  }
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    const std::size_t begin = b * per_block, end = std::min(n, begin + per_block);
    for (std::size_t v = begin; v < end; ++v) {
      std::uint32_t o = g.out_off_[v] + static_cast<std::uint32_t>(block_out[b]);
      std::uint32_t i = g.in_off_[v] + static_cast<std::uint32_t>(block_in[b]);
      g.out_off_[v] = o;
      g.in_off_[v] = i;
      for (std::size_t c = 0; c < chunks; ++c) {  // counts become write cursors
        std::uint32_t co = out_cnt[c * n + v], ci = in_cnt[c * n + v];
        out_cnt[c * n + v] = o;
        in_cnt[c * n + v] = i;
        o += co;
        i += ci;
      }
    }
  });
  g.out_off_[n] = static_cast<std::uint32_t>(m);
  g.in_off_[n] = static_cast<std::uint32_t>(m);

  // Pass 3: every chunk scatters its own links through its own cursors.
  g.out_nbr_.resize(m);
  g.out_link_.resize(m);
  g.in_nbr_.resize(m);
  g.in_link_.resize(m);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    const std::size_t begin = c * per_chunk, end = std::min(m, begin + per_chunk);
    std::uint32_t* oc = out_cnt.data() + c * n;
    std::uint32_t* ic = in_cnt.data() + c * n;
    for (std::size_t i = begin; i < end; ++i) {
      const NodeId s = e.src[i], d = e.dst[i];
      const std::uint32_t po = oc[s]++;
      g.out_nbr_[po] = d;
      g.out_link_[po] = static_cast<LinkIdx>(i);
      const std::uint32_t pi = ic[d]++;
      g.in_nbr_[pi] = s;
      g.in_link_[pi] = static_cast<LinkIdx>(i);
    }
  });
  return g;
}

std::size_t Graph::MemoryBytes() const {
  return sizeof(*this) + Bytes(out_off_) + Bytes(in_off_) + Bytes(out_nbr_) + Bytes(in_nbr_) +
         Bytes(out_link_) + Bytes(in_link_) + Bytes(link_src_) + Bytes(link_dst_) +
         Bytes(link_type_) + Bytes(link_time_) + Bytes(link_time32_) + Bytes(link_store_id_) +
         Bytes(type_directed_) + Bytes(link_directed_) + Bytes(link_weight_) + Bytes(visible_);
}

}  // namespace casegraph::graph
