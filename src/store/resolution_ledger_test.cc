// Tests of the resolution decision ledger: runs recorded and re-derived idempotently,
// judgements persisted and overriding the model on later runs, splits that stay split,
// the review queue, and CanonicalIds() for the graph layer.
#include "store/resolution_ledger.h"

#include <gtest/gtest.h>

#include "store/case_store.h"
#include "store/sqlite_util.h"
#include "store/test_util.h"

namespace casegraph::store {
namespace {

using Clusters = std::vector<std::vector<std::string>>;

class ResolutionLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("ledger.case");
    auto store = CaseStore::Create(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto ledger = ResolutionLedger::Open(path_);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    ledger_ = std::move(ledger).value();
  }

  // The model's view of five records: a1~a2~a3 (one person), b1~b2 in the grey zone, c alone.
  static std::vector<LedgerRecord> Records(const std::string& a3_hash = "h") {
    return {{"a1", "h", "a1"}, {"a2", "h", "a1"}, {"a3", a3_hash, "a1"},
            {"b1", "h", "b1"}, {"b2", "h", "b2"}, {"c", "h", "c"}};
  }
  static std::vector<LedgerPair> Pairs() {
    return {{"a1", "a2", 0.99, R"([{"property":"name","weight":7.5}])"},
            {"a2", "a3", 0.9, "[]"},
            {"a1", "a3", 0.8, "[]"},
            {"b1", "b2", 0.3, R"([{"property":"name","weight":1.0}])"}};
  }
  static ResolutionRunInfo Info() {
    ResolutionRunInfo info;
    info.decided_by = "tester";
    info.model_version = "test-model";
    info.params = R"({"match_threshold":0.5})";
    info.match_threshold = 0.5;
    info.review_threshold = 0.2;
    return info;
  }

  std::pair<ResolutionRun, ClusterSummary> Run(
      const std::vector<LedgerRecord>& records = Records()) {
    auto r = ledger_->RecordRun(Info(), records, Pairs());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : std::pair<ResolutionRun, ClusterSummary>{};
  }

  Clusters Current() {
    auto c = ledger_->Clusters(false);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? c.value() : Clusters{};
  }

  testing::TempDir dir_{"resolution_ledger"};
  std::string path_;
  std::unique_ptr<ResolutionLedger> ledger_;
};

TEST_F(ResolutionLedgerTest, RecordsRunClustersAndEvidence) {
  auto [run, summary] = Run();
  EXPECT_EQ(run.id, 1);
  EXPECT_EQ(run.new_records, 6);
  EXPECT_EQ(summary.clusters, 1);
  EXPECT_EQ(summary.clustered_records, 3);
  EXPECT_EQ(summary.model_merges, 2);
  EXPECT_EQ(summary.review, 1);  // b1-b2
  EXPECT_EQ(Current(), (Clusters{{"a1", "a2", "a3"}}));
  EXPECT_EQ(ledger_->CanonicalOf("a3").value(), "a1");
  EXPECT_EQ(ledger_->CanonicalOf("c").value(), "c");
  auto merges = ledger_->MergesOf("a1").value();
  ASSERT_EQ(merges.size(), 2u);
  EXPECT_EQ(merges[0].a, "a1");
  EXPECT_EQ(merges[0].b, "a2");
  EXPECT_EQ(merges[0].decided_by, "model test-model");
  EXPECT_EQ(merges[0].evidence, R"([{"property":"name","weight":7.5}])");
  EXPECT_EQ(merges[0].run_id, 1);
  auto all = ledger_->Clusters(true).value();
  EXPECT_EQ(all.size(), 4u);  // {a1,a2,a3}, b1, b2, c
  auto last = ledger_->LastRun().value();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->info.model_version, "test-model");
  EXPECT_EQ(last->info.decided_by, "tester");
}

TEST_F(ResolutionLedgerTest, ReRunIsIdempotentAndCountsChanges) {
  Run();
  Clusters first = Current();
  auto [run2, summary2] = Run();
  EXPECT_EQ(run2.id, 2);
  EXPECT_EQ(run2.new_records, 0);
  EXPECT_EQ(run2.changed_records, 0);
  EXPECT_EQ(Current(), first);
  EXPECT_EQ(summary2.review, 1);
  auto [run3, summary3] = Run(Records("changed"));
  EXPECT_EQ(run3.changed_records, 1);
  EXPECT_EQ(Current(), first);
}

TEST_F(ResolutionLedgerTest, NoMatchJudgementOverridesModelOnLaterRuns) {
  Run();
  auto j = ledger_->Judge("a3", "a2", Verdict::kNoMatch, "anna", "different fathers");
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ(j.value().first.a, "a2");  // stored ordered
  EXPECT_EQ(j.value().first.user, "anna");
  // a1-a2 (0.99) merges first; a3 joins neither a2's cluster (judged apart) — a1-a3 is
  // blocked too, because a1 and a2 are already one entity.
  EXPECT_EQ(Current(), (Clusters{{"a1", "a2"}}));
  EXPECT_EQ(j.value().second.blocked_merges, 1);
  // The blocked a1-a3 pair is now for an analyst to review.
  std::int64_t total = 0;
  auto queue = ledger_->ReviewQueue(0, false, &total).value();
  EXPECT_EQ(total, 2);
  EXPECT_EQ(queue[0].pair.a, "a1");
  EXPECT_EQ(queue[0].pair.b, "a3");
  // A later run (same model output) keeps the judgement.
  Run();
  EXPECT_EQ(Current(), (Clusters{{"a1", "a2"}}));
  // Reopening the ledger: judgements persist.
  ledger_.reset();
  ledger_ = ResolutionLedger::Open(path_).value();
  EXPECT_EQ(ledger_->JudgementsOf("a2", "a3").value().size(), 1u);
  Run();
  EXPECT_EQ(Current(), (Clusters{{"a1", "a2"}}));
}

TEST_F(ResolutionLedgerTest, MatchJudgementOverridesModel) {
  Run();
  ASSERT_TRUE(ledger_->Judge("b1", "b2", Verdict::kMatch, "anna", "").ok());
  ASSERT_TRUE(ledger_->Judge("c", "x-not-scored", Verdict::kMatch, "anna", "").ok());
  EXPECT_EQ(Current(), (Clusters{{"a1", "a2", "a3"}, {"b1", "b2"}, {"c", "x-not-scored"}}));
  auto merges = ledger_->MergesOf("b1").value();
  ASSERT_EQ(merges.size(), 1u);
  EXPECT_EQ(merges[0].decided_by, "judgement by anna");
  EXPECT_DOUBLE_EQ(merges[0].probability, 0.3);
  EXPECT_EQ(merges[0].evidence, R"([{"property":"name","weight":1.0}])");
  EXPECT_EQ(ledger_->ReviewQueue(0, false).value().size(), 0u);
  Run();
  EXPECT_EQ(Current(), (Clusters{{"a1", "a2", "a3"}, {"b1", "b2"}, {"c", "x-not-scored"}}));
  // The latest judgement of a pair is the one in force.
  ASSERT_TRUE(ledger_->Judge("b2", "b1", Verdict::kNoMatch, "ben", "").ok());
  EXPECT_EQ(Current(), (Clusters{{"a1", "a2", "a3"}, {"c", "x-not-scored"}}));
  EXPECT_EQ(ledger_->JudgementsOf("b1", "b2").value().size(), 2u);
}

TEST_F(ResolutionLedgerTest, UnsureLeavesModelDecisionAndLeavesReviewQueue) {
  Run();
  ASSERT_TRUE(ledger_->Judge("b1", "b2", Verdict::kUnsure, "anna", "").ok());
  ASSERT_TRUE(ledger_->Judge("a1", "a2", Verdict::kUnsure, "anna", "").ok());
  EXPECT_EQ(Current(), (Clusters{{"a1", "a2", "a3"}}));
  EXPECT_EQ(ledger_->ReviewQueue(0, false).value().size(), 0u);
  auto with_unsure = ledger_->ReviewQueue(0, true).value();
  ASSERT_EQ(with_unsure.size(), 1u);
  EXPECT_TRUE(with_unsure[0].unsure);
}

TEST_F(ResolutionLedgerTest, SplitStaysSplitAcrossRuns) {
  Run();
  auto members = ledger_->Split("a2", "anna", "");
  ASSERT_TRUE(members.ok()) << members.status().ToString();
  EXPECT_EQ(members.value(), (std::vector<std::string>{"a1", "a2", "a3"}));
  EXPECT_TRUE(Current().empty());
  auto j = ledger_->JudgementsOf("a1", "a3").value();
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0].source, "split");
  EXPECT_EQ(j[0].verdict, Verdict::kNoMatch);
  Run();
  EXPECT_TRUE(Current().empty());
  // Splitting a record that is not merged is an error.
  auto again = ledger_->Split("a2", "anna", "");
  EXPECT_EQ(again.status().code(), StatusCode::kInvalidArgument);
  // An analyst can re-join two of them explicitly.
  ASSERT_TRUE(ledger_->Judge("a1", "a2", Verdict::kMatch, "anna", "").ok());
  EXPECT_EQ(Current(), (Clusters{{"a1", "a2"}}));
}

TEST_F(ResolutionLedgerTest, JudgementsCombineAndConflictsAreCounted) {
  Run();
  ASSERT_TRUE(ledger_->Judge("a1", "c", Verdict::kNoMatch, "anna", "").ok());
  auto r = ledger_->Judge("a3", "c", Verdict::kMatch, "ben", "");
  ASSERT_TRUE(r.ok());
  // a3~c by judgement comes first; then a1-a2 merges; a2-a3 / a1-a3 would join a1 and c.
  EXPECT_EQ(r.value().second.judged_merges, 1);
  EXPECT_EQ(r.value().second.conflicts, 0);
  EXPECT_EQ(Current(), (Clusters{{"a1", "a2"}, {"a3", "c"}}));
  // a1 = a2 (judged) and a2 = c would put a1 and c together: a conflict, left apart.
  ASSERT_TRUE(ledger_->Judge("a1", "a2", Verdict::kMatch, "ben", "").ok());
  auto c = ledger_->Judge("a2", "c", Verdict::kMatch, "ben", "");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.value().second.conflicts, 1);
  EXPECT_EQ(Current(), (Clusters{{"a1", "a2"}, {"a3", "c"}}));
}

TEST_F(ResolutionLedgerTest, CanonicalIdsForGraphLayer) {
  auto empty = CanonicalIds(path_);
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_TRUE(empty.value().empty());
  Run();
  auto ids = CanonicalIds(path_).value();
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids["a1"], "a1");
  EXPECT_EQ(ids["a3"], "a1");
  EXPECT_EQ(ids.count("c"), 0u);
  EXPECT_EQ(CanonicalIds(dir_.File("missing.case")).status().code(), StatusCode::kNotFound);
}

TEST_F(ResolutionLedgerTest, IncrementalRunKeepsPairsOfUnchangedRecords) {
  std::vector<LedgerPair> first = Pairs();
  first.push_back({"b2", "c", 0.25, "[]"});
  ASSERT_TRUE(ledger_->RecordRun(Info(), Records(), first).ok());
  ASSERT_TRUE(ledger_->Judge("b1", "b2", Verdict::kMatch, "anna", "").ok());
  // a3 changed, a4 new, c removed: only a3 and a4 were rescored.
  std::vector<LedgerRecord> records = {{"a1", "h", "a1"}, {"a2", "h", "a1"}, {"a3", "h2", "a1"},
                                       {"a4", "h", "a1"}, {"b1", "h", "b1"}, {"b2", "h", "b2"}};
  std::vector<LedgerPair> rescored_pairs = {{"a4", "a3", 0.95, R"([{"property":"name"}])"},
                                            {"a1", "a4", 0.9, "[]"}};
  auto r = ledger_->RecordIncrementalRun(Info(), records, rescored_pairs, {"a3", "a4"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto [run, summary] = r.value();
  EXPECT_EQ(run.id, 2);
  EXPECT_EQ(run.new_records, 1);
  EXPECT_EQ(run.changed_records, 1);
  EXPECT_EQ(run.removed_records, 1);
  auto pairs = ledger_->Pairs().value();
  ASSERT_EQ(pairs.size(), 4u);  // a1-a2 and b1-b2 kept; a1-a3, a2-a3, b2-c dropped
  EXPECT_EQ(pairs[0].a, "a1");
  EXPECT_EQ(pairs[0].b, "a2");
  EXPECT_EQ(pairs[0].run_id, 1);  // scored by the first run
  EXPECT_TRUE(pairs[0].evidence.empty());
  EXPECT_EQ(pairs[1].b, "a4");
  EXPECT_EQ(pairs[1].run_id, 2);
  EXPECT_EQ(pairs[2].a, "a3");  // stored ordered
  EXPECT_EQ(pairs[2].b, "a4");
  EXPECT_DOUBLE_EQ(pairs[2].probability, 0.95);
  EXPECT_EQ(pairs[3].a, "b1");
  EXPECT_EQ(pairs[3].run_id, 1);
  EXPECT_EQ(ledger_->Pairs(true).value()[2].evidence, R"([{"property":"name"}])");
  EXPECT_EQ(ledger_->Pairs(true).value()[0].evidence, R"([{"property":"name","weight":7.5}])");
  EXPECT_FALSE(ledger_->PairOf("a1", "a3").value().has_value());
  // Clusters from kept and new pairs together; the judgement still applies.
  EXPECT_EQ(Current(), (Clusters{{"a1", "a2", "a3", "a4"}, {"b1", "b2"}}));
  EXPECT_EQ(summary.judged_merges, 1);
  EXPECT_EQ(summary.model_merges, 3);
  // The run is marked incremental; the changes since the full run add up.
  EXPECT_TRUE(ledger_->LastRun().value()->info.incremental);
  auto changes = ledger_->ChangesSinceFull().value();
  ASSERT_TRUE(changes.has_value());
  EXPECT_EQ(changes->full_run, 1);
  EXPECT_EQ(changes->full_records, 6);
  EXPECT_EQ(changes->changes, 3);
  // A full run afterwards replaces every pair.
  ResolutionRunInfo info = Info();
  info.fitted_params = R"({"prior_log2_odds":-11.5})";
  ASSERT_TRUE(ledger_->RecordRun(info, records, rescored_pairs).ok());
  EXPECT_EQ(ledger_->Pairs().value().size(), 2u);
  auto last = ledger_->LastRun().value();
  EXPECT_FALSE(last->info.incremental);
  EXPECT_EQ(last->info.fitted_params, R"({"prior_log2_odds":-11.5})");
  changes = ledger_->ChangesSinceFull().value();
  EXPECT_EQ(changes->full_run, 3);
  EXPECT_EQ(changes->changes, 0);
}

TEST_F(ResolutionLedgerTest, NoChangesBeforeTheFirstRun) {
  EXPECT_FALSE(ledger_->ChangesSinceFull().value().has_value());
  EXPECT_TRUE(ledger_->Pairs().value().empty());
}

// A ledger written before incremental runs existed gains the run kind and fitted model.
TEST(ResolutionLedgerMigrationTest, AddsRunColumnsToOldLedgers) {
  testing::TempDir dir{"resolution_ledger_migration"};
  std::string path = dir.File("old.case");
  ASSERT_TRUE(CaseStore::Create(path).ok());
  {
    Db db(path, SQLITE_OPEN_READWRITE);
    db.Exec(
        "CREATE TABLE er_runs(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, decided_by TEXT NOT "
        "NULL, model_version TEXT NOT NULL, params TEXT NOT NULL, match_threshold REAL NOT NULL, "
        "review_threshold REAL NOT NULL, records INTEGER NOT NULL, new_records INTEGER NOT NULL, "
        "changed_records INTEGER NOT NULL, removed_records INTEGER NOT NULL, candidate_pairs "
        "INTEGER NOT NULL, seconds REAL NOT NULL)");
    db.Exec("INSERT INTO er_runs VALUES(1, 100, 'x', 'm', '{}', 0.5, 0.2, 3, 3, 0, 0, 2, 0.1)");
  }
  auto ledger = ResolutionLedger::Open(path);
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  auto last = ledger.value()->LastRun();
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  ASSERT_TRUE(last.value().has_value());
  EXPECT_EQ(last.value()->info.model_version, "m");
  EXPECT_FALSE(last.value()->info.incremental);
  EXPECT_EQ(last.value()->info.fitted_params, "");
  EXPECT_EQ(ledger.value()->ChangesSinceFull().value()->full_records, 3);
  // Opening again does not migrate twice.
  EXPECT_TRUE(ResolutionLedger::Open(path).ok());
}

TEST_F(ResolutionLedgerTest, BadInput) {
  EXPECT_EQ(ledger_->Judge("a1", "a1", Verdict::kMatch, "x", "").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseVerdict("maybe").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseVerdict("no-match").value(), Verdict::kNoMatch);
  EXPECT_EQ(ResolutionLedger::Open(dir_.File("missing.case")).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace casegraph::store
