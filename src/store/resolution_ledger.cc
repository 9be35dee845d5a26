// Implementation of the resolution decision ledger (see resolution_ledger.h): its tables
// in the case file, written through its own connection, and Recluster(), the constrained
// union-find that turns scored pairs plus analyst judgements into the current clusters.
#include "store/resolution_ledger.h"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <numeric>
#include <unordered_set>

#include "store/sqlite_util.h"

namespace casegraph::store {
namespace {

const char* kSchemaSql = R"sql(
CREATE TABLE IF NOT EXISTS er_runs(
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, decided_by TEXT NOT NULL,
  model_version TEXT NOT NULL, params TEXT NOT NULL, match_threshold REAL NOT NULL,
  review_threshold REAL NOT NULL, records INTEGER NOT NULL, new_records INTEGER NOT NULL,
  changed_records INTEGER NOT NULL, removed_records INTEGER NOT NULL,
  candidate_pairs INTEGER NOT NULL, seconds REAL NOT NULL, incremental INTEGER NOT NULL DEFAULT 0,
  fitted_params TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS er_records(
  id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, model_cluster TEXT NOT NULL,
  run_id INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS er_pairs(
  a TEXT NOT NULL, b TEXT NOT NULL, probability REAL NOT NULL, evidence TEXT NOT NULL,
  run_id INTEGER NOT NULL, PRIMARY KEY(a, b)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS er_judgements(
  seq INTEGER PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL, verdict TEXT NOT NULL,
  user TEXT NOT NULL, at INTEGER NOT NULL, reason TEXT NOT NULL, source TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS er_judgements_pair ON er_judgements(a, b);
CREATE TABLE IF NOT EXISTS er_clusters(
  id TEXT PRIMARY KEY, canonical_id TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS er_clusters_canonical ON er_clusters(canonical_id);
CREATE TABLE IF NOT EXISTS er_merges(
  canonical_id TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, probability REAL NOT NULL,
  decided_by TEXT NOT NULL, at INTEGER NOT NULL, run_id INTEGER NOT NULL,
  evidence TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS er_merges_canonical ON er_merges(canonical_id);
)sql";

std::int64_t Now() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

void CheckExists(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw Error(StatusCode::kNotFound, "no case file at " + path);
}

// Pairs are stored with a < b.
std::pair<std::string, std::string> Ordered(const std::string& a, const std::string& b) {
  return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
}

std::string PairKey(const std::string& a, const std::string& b) {
  return a + '\x1f' + b;
}

Verdict VerdictOf(std::string_view text) {
  if (text == "match") return Verdict::kMatch;
  if (text == "no-match") return Verdict::kNoMatch;
  return Verdict::kUnsure;
}

Judgement RowToJudgement(const Stmt& q) {
  Judgement j;
  j.seq = q.Int(0);
  j.a = q.Str(1);
  j.b = q.Str(2);
  j.verdict = VerdictOf(q.Text(3));
  j.user = q.Str(4);
  j.at = q.Int(5);
  j.reason = q.Str(6);
  j.source = q.Str(7);
  return j;
}

// Union-find with "cannot link" constraints: each root keeps the nodes that must never
// join its set; a merge is refused when either side is on the other's list.
class ConstrainedUnionFind {
 public:
  explicit ConstrainedUnionFind(size_t n) : parent_(n), cannot_(n) {
    std::iota(parent_.begin(), parent_.end(), 0u);
  }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void CannotLink(uint32_t x, uint32_t y) {
    cannot_[Find(x)].push_back(y);
    cannot_[Find(y)].push_back(x);
  }
  bool Conflicts(uint32_t ra, uint32_t rb) {
    // Lists are symmetric, so scanning the shorter one suffices.
    const auto& list = cannot_[ra].size() <= cannot_[rb].size() ? cannot_[ra] : cannot_[rb];
    uint32_t other = cannot_[ra].size() <= cannot_[rb].size() ? rb : ra;
    for (uint32_t x : list)
      if (Find(x) == other) return true;
    return false;
  }
  // Unites two different roots unless a constraint forbids it.
  bool TryUnite(uint32_t a, uint32_t b) {
    uint32_t ra = Find(a), rb = Find(b);
    if (ra == rb || Conflicts(ra, rb)) return false;
    if (cannot_[ra].size() < cannot_[rb].size()) std::swap(ra, rb);
    parent_[rb] = ra;
    cannot_[ra].insert(cannot_[ra].end(), cannot_[rb].begin(), cannot_[rb].end());
    cannot_[rb].clear();
    cannot_[rb].shrink_to_fit();
    return true;
  }

 private:
  std::vector<uint32_t> parent_;
  std::vector<std::vector<uint32_t>> cannot_;
};

}  // namespace

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kMatch:
      return "match";
    case Verdict::kNoMatch:
      return "no-match";
    case Verdict::kUnsure:
      return "unsure";
  }
  return "unsure";
}

Result<Verdict> ParseVerdict(const std::string& text) {
  if (text == "match" || text == "same") return Verdict::kMatch;
  if (text == "no-match" || text == "nomatch" || text == "no_match" || text == "different")
    return Verdict::kNoMatch;
  if (text == "unsure") return Verdict::kUnsure;
  return Status(StatusCode::kInvalidArgument,
                "verdict must be match, no-match or unsure, not '" + text + "'");
}

struct ResolutionLedger::Impl {
  explicit Impl(const std::string& path) : db(path, SQLITE_OPEN_READWRITE) {
    db.Exec("PRAGMA busy_timeout=10000");
    db.Exec(kSchemaSql);
    // Ledgers written before incremental runs lack the two last columns of er_runs.
    const char* kHasColumn =
        "SELECT COUNT(*) FROM pragma_table_info('er_runs') WHERE name = 'incremental'";
    if (db.QueryInt(kHasColumn) == 0) {
      Transaction([&] {
        if (db.QueryInt(kHasColumn) != 0) return;  // another process was first
        db.Exec("ALTER TABLE er_runs ADD COLUMN incremental INTEGER NOT NULL DEFAULT 0");
        db.Exec("ALTER TABLE er_runs ADD COLUMN fitted_params TEXT NOT NULL DEFAULT ''");
      });
    }
  }

  // Runs fn inside BEGIN IMMEDIATE ... COMMIT (rolled back if fn throws).
  template <typename Fn>
  void Transaction(Fn&& fn) {
    db.Exec("BEGIN IMMEDIATE");
    try {
      fn();
      db.Exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  std::optional<ResolutionRun> LastRun() {
    Stmt q = db.Prepare(
        "SELECT id, at, decided_by, model_version, params, match_threshold, review_threshold, "
        "records, new_records, changed_records, removed_records, candidate_pairs, seconds, "
        "incremental, fitted_params FROM er_runs ORDER BY id DESC LIMIT 1");
    if (!q.Step()) return std::nullopt;
    ResolutionRun r;
    r.id = q.Int(0);
    r.info.at = q.Int(1);
    r.info.decided_by = q.Str(2);
    r.info.model_version = q.Str(3);
    r.info.params = q.Str(4);
    r.info.match_threshold = q.Double(5);
    r.info.review_threshold = q.Double(6);
    r.records = q.Int(7);
    r.new_records = q.Int(8);
    r.changed_records = q.Int(9);
    r.removed_records = q.Int(10);
    r.info.candidate_pairs = q.Int(11);
    r.info.seconds = q.Double(12);
    r.info.incremental = q.Int(13) != 0;
    r.info.fitted_params = q.Str(14);
    return r;
  }

  // Latest judgement per pair, in the order the judgements were made.
  std::vector<Judgement> EffectiveJudgements() {
    Stmt q = db.Prepare(
        "SELECT seq, a, b, verdict, user, at, reason, source FROM er_judgements ORDER BY seq");
    std::unordered_map<std::string, size_t> index;
    std::vector<Judgement> all;
    while (q.Step()) {
      Judgement j = RowToJudgement(q);
      std::string key = PairKey(j.a, j.b);
      auto it = index.find(key);
      if (it != index.end()) all[it->second].seq = -1;  // superseded
      index[key] = all.size();
      all.push_back(std::move(j));
    }
    std::vector<Judgement> out;
    for (auto& j : all)
      if (j.seq >= 0) out.push_back(std::move(j));
    return out;
  }

  ClusterSummary Recluster() {
    ClusterSummary summary;
    auto run = LastRun();
    const double threshold = run ? run->info.match_threshold : 0.5;
    const std::string model_name = run ? "model " + run->info.model_version : "model";
    const std::int64_t run_at = run ? run->info.at : 0;

    // Nodes: the records of the latest run plus every record named in a judgement.
    std::vector<std::string> ids;
    std::vector<std::string> model_cluster;
    std::unordered_map<std::string, uint32_t> index;
    {
      Stmt q = db.Prepare("SELECT id, model_cluster FROM er_records");
      while (q.Step()) {
        index.emplace(q.Str(0), static_cast<uint32_t>(ids.size()));
        ids.push_back(q.Str(0));
        model_cluster.push_back(q.Str(1));
      }
    }
    auto node = [&](const std::string& id) {
      auto [it, added] = index.emplace(id, static_cast<uint32_t>(ids.size()));
      if (added) {
        ids.push_back(id);
        model_cluster.push_back("");  // not seen by the model
      }
      return it->second;
    };
    std::vector<Judgement> judgements = EffectiveJudgements();
    std::unordered_map<std::string, Verdict> verdict_of;
    for (const auto& j : judgements) {
      node(j.a);
      node(j.b);
      verdict_of[PairKey(j.a, j.b)] = j.verdict;
    }
    summary.records = static_cast<std::int64_t>(ids.size());

    ConstrainedUnionFind uf(ids.size());
    for (const auto& j : judgements)
      if (j.verdict == Verdict::kNoMatch) uf.CannotLink(index[j.a], index[j.b]);

    struct Applied {
      uint32_t a, b;
      double probability;
      std::string decided_by;
      std::int64_t at;
      std::int64_t run_id;
    };
    std::vector<Applied> applied;
    // Probabilities of scored pairs, for judged merges that also have a model score.
    auto score_of = [&](const std::string& a,
                        const std::string& b) -> std::pair<double, std::int64_t> {
      Stmt q = db.Prepare("SELECT probability, run_id FROM er_pairs WHERE a = ? AND b = ?");
      q.Bind(1, std::string_view(a)).Bind(2, std::string_view(b));
      if (q.Step()) return {q.Double(0), q.Int(1)};
      return {1.0, 0};
    };
    // 1. Match judgements join records whatever the model says (unless they contradict
    //    a no-match judgement: a conflict, left apart).
    for (const auto& j : judgements) {
      if (j.verdict != Verdict::kMatch) continue;
      uint32_t a = index[j.a], b = index[j.b];
      if (uf.Find(a) == uf.Find(b)) continue;
      if (!uf.TryUnite(a, b)) {
        ++summary.conflicts;
        continue;
      }
      auto [p, rid] = score_of(j.a, j.b);
      applied.push_back({a, b, p, "judgement by " + j.user, j.at, rid});
      ++summary.judged_merges;
    }
    // 2. Model pairs at or above the threshold, inside one model cluster, best first.
    {
      struct Edge {
        uint32_t a, b;
        double p;
        std::int64_t run_id;
      };
      std::vector<Edge> edges;
      Stmt q = db.Prepare("SELECT a, b, probability, run_id FROM er_pairs WHERE probability >= ?");
      q.Bind(1, threshold);
      while (q.Step()) {
        std::string a = q.Str(0), b = q.Str(1);
        auto ia = index.find(a), ib = index.find(b);
        if (ia == index.end() || ib == index.end()) continue;
        if (model_cluster[ia->second].empty() ||
            model_cluster[ia->second] != model_cluster[ib->second])
          continue;  // the model itself kept them apart (anti-chaining)
        auto v = verdict_of.find(PairKey(a, b));
        if (v != verdict_of.end() && v->second != Verdict::kUnsure) continue;  // judged
        edges.push_back({ia->second, ib->second, q.Double(2), q.Int(3)});
      }
      std::sort(edges.begin(), edges.end(), [&](const Edge& x, const Edge& y) {
        if (x.p != y.p) return x.p > y.p;
        if (ids[x.a] != ids[y.a]) return ids[x.a] < ids[y.a];
        return ids[x.b] < ids[y.b];
      });
      for (const auto& e : edges) {
        uint32_t ra = uf.Find(e.a), rb = uf.Find(e.b);
        if (ra == rb) continue;
        if (!uf.TryUnite(e.a, e.b)) {
          ++summary.blocked_merges;
          continue;
        }
        applied.push_back({e.a, e.b, e.p, model_name, run_at, e.run_id});
        ++summary.model_merges;
      }
    }
    // 3. Canonical id = the smallest record id of each cluster.
    std::vector<uint32_t> canonical(ids.size());
    std::vector<uint32_t> size(ids.size(), 0);
    std::iota(canonical.begin(), canonical.end(), 0u);
    for (uint32_t i = 0; i < ids.size(); ++i) {
      uint32_t r = uf.Find(i);
      ++size[r];
      if (ids[i] < ids[canonical[r]]) canonical[r] = i;
    }
    db.Exec("DELETE FROM er_clusters");
    db.Exec("DELETE FROM er_merges");
    {
      Stmt ins = db.Prepare("INSERT INTO er_clusters(id, canonical_id) VALUES(?, ?)");
      for (uint32_t i = 0; i < ids.size(); ++i) {
        uint32_t r = uf.Find(i);
        if (size[r] < 2) continue;
        ins.Bind(1, std::string_view(ids[i])).Bind(2, std::string_view(ids[canonical[r]]));
        ins.Exec();
        ++summary.clustered_records;
        if (canonical[r] == i) ++summary.clusters;
      }
    }
    {
      Stmt ins = db.Prepare(
          "INSERT INTO er_merges(canonical_id, a, b, probability, decided_by, at, run_id, "
          "evidence) "
          "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
          "COALESCE((SELECT evidence FROM er_pairs WHERE a = ?2 AND b = ?3), '[]'))");
      for (const auto& m : applied) {
        const std::string& canon = ids[canonical[uf.Find(m.a)]];
        auto [a, b] = Ordered(ids[m.a], ids[m.b]);
        ins.Bind(1, std::string_view(canon))
            .Bind(2, std::string_view(a))
            .Bind(3, std::string_view(b));
        ins.Bind(4, m.probability)
            .Bind(5, std::string_view(m.decided_by))
            .Bind(6, m.at)
            .Bind(7, m.run_id);
        ins.Exec();
      }
    }
    summary.review = ReviewCount();
    return summary;
  }

  // The review queue: scored pairs at or above the review threshold whose records are
  // not in one cluster and that no match/no-match judgement decides.
  std::vector<ReviewItem> Review(std::int64_t limit, bool include_unsure, std::int64_t* total) {
    auto run = LastRun();
    double review_threshold = run ? run->info.review_threshold : 0.0;
    Stmt q = db.Prepare(
        "SELECT p.a, p.b, p.probability, p.evidence, p.run_id, "
        " (SELECT verdict FROM er_judgements j WHERE j.a = p.a AND j.b = p.b ORDER BY seq DESC "
        "LIMIT 1) "
        "FROM er_pairs p "
        "LEFT JOIN er_clusters ca ON ca.id = p.a LEFT JOIN er_clusters cb ON cb.id = p.b "
        "WHERE p.probability >= ? AND (ca.canonical_id IS NULL OR cb.canonical_id IS NULL OR "
        " ca.canonical_id <> cb.canonical_id) "
        "ORDER BY p.probability DESC, p.a, p.b");
    q.Bind(1, review_threshold);
    std::vector<ReviewItem> out;
    std::int64_t count = 0;
    while (q.Step()) {
      bool judged = !q.IsNull(5);
      bool unsure = judged && q.Text(5) == "unsure";
      if (judged && !(unsure && include_unsure)) continue;
      ++count;
      if (limit > 0 && static_cast<std::int64_t>(out.size()) >= limit) continue;
      ReviewItem item;
      item.pair.a = q.Str(0);
      item.pair.b = q.Str(1);
      item.pair.probability = q.Double(2);
      item.pair.evidence = q.Str(3);
      item.pair.run_id = q.Int(4);
      item.unsure = unsure;
      out.push_back(std::move(item));
    }
    if (total) *total = count;
    return out;
  }

  std::pair<ResolutionRun, ClusterSummary> RecordRun(const ResolutionRunInfo& info,
                                                     const std::vector<LedgerRecord>& records,
                                                     const std::vector<LedgerPair>& pairs,
                                                     const std::vector<std::string>* rescored);

  std::int64_t ReviewCount() {
    std::int64_t total = 0;
    Review(1, false, &total);
    return total;
  }

  std::string CanonicalOf(const std::string& id) {
    Stmt q = db.Prepare("SELECT canonical_id FROM er_clusters WHERE id = ?");
    q.Bind(1, std::string_view(id));
    return q.Step() ? q.Str(0) : id;
  }

  std::vector<std::string> Members(const std::string& canonical) {
    Stmt q = db.Prepare("SELECT id FROM er_clusters WHERE canonical_id = ? ORDER BY id");
    q.Bind(1, std::string_view(canonical));
    std::vector<std::string> out;
    while (q.Step()) out.push_back(q.Str(0));
    return out;
  }

  Judgement AddJudgement(const std::string& x, const std::string& y, Verdict verdict,
                         const std::string& user, const std::string& reason,
                         const std::string& source, std::int64_t at) {
    if (x == y)
      throw Error(StatusCode::kInvalidArgument, "a judgement needs two different records");
    auto [a, b] = Ordered(x, y);
    Judgement j{0, a, b, verdict, user, at, reason, source};
    Stmt ins = db.Prepare(
        "INSERT INTO er_judgements(a, b, verdict, user, at, reason, source) VALUES(?,?,?,?,?,?,?)");
    std::string v = VerdictName(verdict);
    ins.Bind(1, std::string_view(j.a)).Bind(2, std::string_view(j.b)).Bind(3, std::string_view(v));
    ins.Bind(4, std::string_view(j.user)).Bind(5, j.at).Bind(6, std::string_view(j.reason));
    ins.Bind(7, std::string_view(j.source));
    ins.Exec();
    j.seq = db.LastInsertRowid();
    return j;
  }

  Db db;
};

ResolutionLedger::ResolutionLedger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResolutionLedger::~ResolutionLedger() = default;

Result<std::unique_ptr<ResolutionLedger>> ResolutionLedger::Open(const std::string& case_path) {
  std::unique_ptr<ResolutionLedger> out;
  Status s = CatchAsStatus([&] {
    CheckExists(case_path);
    out.reset(new ResolutionLedger(std::make_unique<Impl>(case_path)));
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::unordered_map<std::string, std::string>> ResolutionLedger::RecordHashes() {
  std::unordered_map<std::string, std::string> out;
  Status s = CatchAsStatus([&] {
    Stmt q = impl_->db.Prepare("SELECT id, content_hash FROM er_records");
    while (q.Step()) out.emplace(q.Str(0), q.Str(1));
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::optional<ResolutionRun>> ResolutionLedger::LastRun() {
  std::optional<ResolutionRun> out;
  Status s = CatchAsStatus([&] { out = impl_->LastRun(); });
  if (!s.ok()) return s;
  return out;
}

Result<std::pair<ResolutionRun, ClusterSummary>> ResolutionLedger::RecordRun(
    const ResolutionRunInfo& info, const std::vector<LedgerRecord>& records,
    const std::vector<LedgerPair>& pairs) {
  std::pair<ResolutionRun, ClusterSummary> out;
  Status s = CatchAsStatus([&] { out = impl_->RecordRun(info, records, pairs, nullptr); });
  if (!s.ok()) return s;
  return out;
}

Result<std::pair<ResolutionRun, ClusterSummary>> ResolutionLedger::RecordIncrementalRun(
    const ResolutionRunInfo& info, const std::vector<LedgerRecord>& records,
    const std::vector<LedgerPair>& pairs, const std::vector<std::string>& rescored) {
  std::pair<ResolutionRun, ClusterSummary> out;
  Status s = CatchAsStatus([&] { out = impl_->RecordRun(info, records, pairs, &rescored); });
  if (!s.ok()) return s;
  return out;
}

Result<std::optional<ChangesSinceFullRun>> ResolutionLedger::ChangesSinceFull() {
  std::optional<ChangesSinceFullRun> out;
  Status s = CatchAsStatus([&] {
    Stmt q = impl_->db.Prepare(
        "SELECT id, records FROM er_runs WHERE incremental = 0 ORDER BY id DESC LIMIT 1");
    if (!q.Step()) return;
    ChangesSinceFullRun c;
    c.full_run = q.Int(0);
    c.full_records = q.Int(1);
    Stmt sum = impl_->db.Prepare(
        "SELECT COALESCE(SUM(new_records + changed_records + removed_records), 0) FROM er_runs "
        "WHERE id > ?");
    sum.Bind(1, c.full_run);
    if (sum.Step()) c.changes = sum.Int(0);
    out = c;
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<LedgerPair>> ResolutionLedger::Pairs(bool with_evidence) {
  std::vector<LedgerPair> out;
  Status s = CatchAsStatus([&] {
    Stmt q = impl_->db.Prepare(
        with_evidence ? "SELECT a, b, probability, run_id, evidence FROM er_pairs "
                        "ORDER BY a, b"
                      : "SELECT a, b, probability, run_id FROM er_pairs ORDER BY a, b");
    while (q.Step()) {
      LedgerPair p;
      p.a = q.Str(0);
      p.b = q.Str(1);
      p.probability = q.Double(2);
      p.run_id = q.Int(3);
      if (with_evidence) p.evidence = q.Str(4);
      out.push_back(std::move(p));
    }
  });
  if (!s.ok()) return s;
  return out;
}

// RecordRun and RecordIncrementalRun: `rescored` null = replace every pair.
std::pair<ResolutionRun, ClusterSummary> ResolutionLedger::Impl::RecordRun(
    const ResolutionRunInfo& info, const std::vector<LedgerRecord>& records,
    const std::vector<LedgerPair>& pairs, const std::vector<std::string>* rescored) {
  std::pair<ResolutionRun, ClusterSummary> out;
  Transaction([&] {
    ResolutionRun& run = out.first;
    run.info = info;
    run.info.incremental = rescored != nullptr;
    if (run.info.at == 0) run.info.at = Now();
    run.records = static_cast<std::int64_t>(records.size());
    // Compare with the previous run's records.
    std::unordered_map<std::string, std::string> previous;
    {
      Stmt q = db.Prepare("SELECT id, content_hash FROM er_records");
      while (q.Step()) previous.emplace(q.Str(0), q.Str(1));
    }
    std::unordered_set<std::string> seen;
    for (const auto& r : records) {
      if (!seen.insert(r.id).second)
        throw Error(StatusCode::kInvalidArgument, "record '" + r.id + "' given twice");
      auto it = previous.find(r.id);
      if (it == previous.end()) {
        ++run.new_records;
      } else if (it->second != r.content_hash) {
        ++run.changed_records;
      }
    }
    for (const auto& [id, hash] : previous)
      if (!seen.count(id)) ++run.removed_records;
    {
      Stmt ins = db.Prepare(
          "INSERT INTO er_runs(at, decided_by, model_version, params, match_threshold, "
          "review_threshold, records, new_records, changed_records, removed_records, "
          "candidate_pairs, seconds, incremental, fitted_params) "
          "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      ins.Bind(1, run.info.at).Bind(2, std::string_view(run.info.decided_by));
      ins.Bind(3, std::string_view(run.info.model_version))
          .Bind(4, std::string_view(run.info.params));
      ins.Bind(5, run.info.match_threshold).Bind(6, run.info.review_threshold);
      ins.Bind(7, run.records).Bind(8, run.new_records).Bind(9, run.changed_records);
      ins.Bind(10, run.removed_records)
          .Bind(11, run.info.candidate_pairs)
          .Bind(12, run.info.seconds);
      ins.Bind(13, static_cast<std::int64_t>(run.info.incremental))
          .Bind(14, std::string_view(run.info.fitted_params));
      ins.Exec();
      run.id = db.LastInsertRowid();
    }
    db.Exec("DELETE FROM er_records");
    if (!rescored) db.Exec("DELETE FROM er_pairs");
    {
      Stmt ins = db.Prepare(
          "INSERT INTO er_records(id, content_hash, model_cluster, run_id) VALUES(?,?,?,?)");
      for (const auto& r : records) {
        ins.Bind(1, std::string_view(r.id)).Bind(2, std::string_view(r.content_hash));
        ins.Bind(3, std::string_view(r.model_cluster)).Bind(4, run.id);
        ins.Exec();
      }
    }
    if (rescored) {
      // Keep the pairs of records that are unchanged and still present.
      db.Exec("CREATE TEMP TABLE IF NOT EXISTS er_rescored(id TEXT PRIMARY KEY) WITHOUT ROWID");
      db.Exec("DELETE FROM er_rescored");
      {
        Stmt ins = db.Prepare("INSERT OR IGNORE INTO er_rescored(id) VALUES(?)");
        for (const auto& id : *rescored) {
          ins.Bind(1, std::string_view(id));
          ins.Exec();
        }
      }
      db.Exec(
          "DELETE FROM er_pairs WHERE a IN (SELECT id FROM er_rescored) OR "
          "b IN (SELECT id FROM er_rescored) OR a NOT IN (SELECT id FROM er_records) OR "
          "b NOT IN (SELECT id FROM er_records)");
      db.Exec("DELETE FROM er_rescored");
    }
    {
      Stmt ins = db.Prepare(
          "INSERT OR REPLACE INTO er_pairs(a, b, probability, evidence, run_id) "
          "VALUES(?,?,?,?,?)");
      for (const auto& p : pairs) {
        if (p.a == p.b) continue;
        auto [a, b] = Ordered(p.a, p.b);
        const std::string& evidence = p.evidence.empty() ? std::string("[]") : p.evidence;
        ins.Bind(1, std::string_view(a)).Bind(2, std::string_view(b)).Bind(3, p.probability);
        ins.Bind(4, std::string_view(evidence)).Bind(5, run.id);
        ins.Exec();
      }
    }
    out.second = Recluster();
  });
  return out;
}

Result<std::pair<Judgement, ClusterSummary>> ResolutionLedger::Judge(
    const std::string& a, const std::string& b, Verdict verdict, const std::string& user,
    const std::string& reason, const std::string& source) {
  std::pair<Judgement, ClusterSummary> out;
  Status s = CatchAsStatus([&] {
    impl_->Transaction([&] {
      out.first = impl_->AddJudgement(a, b, verdict, user, reason, source, Now());
      out.second = impl_->Recluster();
    });
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<std::string>> ResolutionLedger::Split(const std::string& id,
                                                         const std::string& user,
                                                         const std::string& reason) {
  std::vector<std::string> members;
  Status s = CatchAsStatus([&] {
    impl_->Transaction([&] {
      std::string canonical = impl_->CanonicalOf(id);
      members = impl_->Members(canonical);
      if (members.size() < 2)
        throw Error(StatusCode::kInvalidArgument,
                    "'" + id + "' is not merged with any other record");
      std::int64_t at = Now();
      std::string why = reason.empty() ? "split of " + canonical : reason;
      for (size_t i = 0; i < members.size(); ++i)
        for (size_t j = i + 1; j < members.size(); ++j)
          impl_->AddJudgement(members[i], members[j], Verdict::kNoMatch, user, why, "split", at);
      impl_->Recluster();
    });
  });
  if (!s.ok()) return s;
  return members;
}

Result<ClusterSummary> ResolutionLedger::Recluster() {
  ClusterSummary out;
  Status s = CatchAsStatus([&] { impl_->Transaction([&] { out = impl_->Recluster(); }); });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<std::vector<std::string>>> ResolutionLedger::Clusters(bool include_singletons) {
  std::vector<std::vector<std::string>> out;
  Status s = CatchAsStatus([&] {
    Db& db = impl_->db;
    std::string sql = "SELECT canonical_id, id FROM er_clusters ORDER BY canonical_id, id";
    if (include_singletons) {
      sql =
          "SELECT COALESCE(c.canonical_id, n.id) AS canon, n.id FROM "
          "(SELECT id FROM er_records UNION SELECT a FROM er_judgements UNION "
          " SELECT b FROM er_judgements) n LEFT JOIN er_clusters c ON c.id = n.id "
          "ORDER BY canon, n.id";
    }
    Stmt q = db.Prepare(sql);
    std::string current;
    while (q.Step()) {
      std::string canon = q.Str(0);
      if (out.empty() || canon != current) {
        out.emplace_back();
        current = canon;
      }
      out.back().push_back(q.Str(1));
    }
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::string> ResolutionLedger::CanonicalOf(const std::string& id) {
  std::string out;
  Status s = CatchAsStatus([&] { out = impl_->CanonicalOf(id); });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<std::string>> ResolutionLedger::ClusterOf(const std::string& id) {
  std::vector<std::string> out;
  Status s = CatchAsStatus([&] {
    out = impl_->Members(impl_->CanonicalOf(id));
    if (out.empty()) out.push_back(id);
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<ClusterMerge>> ResolutionLedger::MergesOf(const std::string& canonical_id) {
  std::vector<ClusterMerge> out;
  Status s = CatchAsStatus([&] {
    Stmt q = impl_->db.Prepare(
        "SELECT canonical_id, a, b, probability, decided_by, at, run_id, evidence FROM er_merges "
        "WHERE canonical_id = ? ORDER BY rowid");
    q.Bind(1, std::string_view(canonical_id));
    while (q.Step()) {
      ClusterMerge m;
      m.canonical_id = q.Str(0);
      m.a = q.Str(1);
      m.b = q.Str(2);
      m.probability = q.Double(3);
      m.decided_by = q.Str(4);
      m.at = q.Int(5);
      m.run_id = q.Int(6);
      m.evidence = q.Str(7);
      out.push_back(std::move(m));
    }
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::optional<LedgerPair>> ResolutionLedger::PairOf(const std::string& x,
                                                           const std::string& y) {
  std::optional<LedgerPair> out;
  Status s = CatchAsStatus([&] {
    auto [a, b] = Ordered(x, y);
    Stmt q = impl_->db.Prepare(
        "SELECT probability, evidence, run_id FROM er_pairs WHERE a = ? AND b = ?");
    q.Bind(1, std::string_view(a)).Bind(2, std::string_view(b));
    if (q.Step()) out = LedgerPair{a, b, q.Double(0), q.Str(1), q.Int(2)};
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<Judgement>> ResolutionLedger::JudgementsOf(const std::string& x,
                                                              const std::string& y) {
  std::vector<Judgement> out;
  Status s = CatchAsStatus([&] {
    auto [a, b] = Ordered(x, y);
    Stmt q = impl_->db.Prepare(
        "SELECT seq, a, b, verdict, user, at, reason, source FROM er_judgements "
        "WHERE a = ? AND b = ? ORDER BY seq");
    q.Bind(1, std::string_view(a)).Bind(2, std::string_view(b));
    while (q.Step()) out.push_back(RowToJudgement(q));
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<ReviewItem>> ResolutionLedger::ReviewQueue(std::int64_t limit,
                                                              bool include_unsure,
                                                              std::int64_t* total) {
  std::vector<ReviewItem> out;
  Status s = CatchAsStatus([&] { out = impl_->Review(limit, include_unsure, total); });
  if (!s.ok()) return s;
  return out;
}

Result<std::unordered_map<std::string, std::string>> CanonicalIds(const std::string& case_path) {
  std::unordered_map<std::string, std::string> out;
  Status s = CatchAsStatus([&] {
    CheckExists(case_path);
    Db db(case_path, SQLITE_OPEN_READONLY);
    db.Exec("PRAGMA busy_timeout=10000");
    if (db.QueryInt(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'er_clusters'") ==
        0)
      return;
    Stmt q = db.Prepare("SELECT id, canonical_id FROM er_clusters");
    while (q.Step()) out.emplace(q.Str(0), q.Str(1));
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace casegraph::store
