// Kill -9 test of import atomicity and durability: a forked child imports into a case and
// is SIGKILLed at ~30 points (while adding, during commit, after commit); the parent then
// checks the case is exactly as before or exactly fully imported, and that SQLite's
// integrity check passes. Twice: into a case holding entities (the import runs in WAL
// mode) and into an empty case (the import runs with a rollback journal, see BeginImport).
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "common/hash.h"
#include "store/case_store.h"
#include "store/test_util.h"

namespace casegraph::store {
namespace {

using model::Clearances;
using testing::MakeEntity;
using testing::TempDir;

constexpr int kBaseEntities = 300;
constexpr int kImportEntities = 4500;

std::vector<model::Entity> BaseEntities() {
  std::vector<model::Entity> out;
  for (int i = 0; i < kBaseEntities; ++i) {
    out.push_back(MakeEntity("base" + std::to_string(i), "Company",
                             {{"name", "Base Company " + std::to_string(i)}}));
  }
  return out;
}

// The import the child runs: new persons, ownerships of base companies (merging links into
// existing entities) and new names for existing companies.
std::int64_t g_commit_us = 0;  // duration of the last Commit() in this process

void RunImport(CaseStore& store, int progress_fd) {
  auto write = [&](char c) {
    if (progress_fd >= 0) (void)!::write(progress_fd, &c, 1);
  };
  auto txn = store.BeginImport({"ftm", "crash", "crash.json", "h", ""});
  if (!txn.ok()) ::_exit(2);
  write('B');
  for (int i = 0; i < kImportEntities; ++i) {
    model::Entity e;
    switch (i % 3) {
      case 0:
        e = MakeEntity("p" + std::to_string(i), "Person",
                       {{"name", "Person Number " + std::to_string(i)}});
        break;
      case 1:
        e = MakeEntity("o" + std::to_string(i), "Ownership",
                       {{"owner", "p" + std::to_string(i - 1)},
                        {"asset", "base" + std::to_string(i % kBaseEntities)},
                        {"percentage", std::to_string(i % 100)}});
        break;
      default:
        e = MakeEntity("base" + std::to_string(i % kBaseEntities), "Company",
                       {{"alias", "Alias " + std::to_string(i)}});
        break;
    }
    if (!(*txn)->Add(e).ok()) ::_exit(3);
  }
  write('C');
  auto t0 = std::chrono::steady_clock::now();
  if (!(*txn)->Commit({kImportEntities, 0, 0, 0, 0, 0, 0}).ok()) ::_exit(4);
  g_commit_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  write('D');
}

struct CaseState {
  std::int64_t entities = 0;
  std::int64_t links = 0;
  std::string checksum;
  bool operator==(const CaseState&) const = default;
};

CaseState Inspect(const std::string& path) {
  CaseState s;
  auto store = CaseStore::Open(path);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return s;
  Digest digest(Digest::Kind::kSha256);
  Status st = (*store)->ForEachEntity(Clearances::All(), [&](const model::Entity& e) {
    ++s.entities;
    std::vector<std::string> vals;
    for (const auto& v : e.values) vals.push_back(v.prop + "=" + v.value);
    std::sort(vals.begin(), vals.end());
    digest.Update(e.id + "|" + e.schema + "|");
    for (const auto& v : vals) digest.Update(v + ";");
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  auto links = (*store)->LoadLinks(Clearances::All(), std::nullopt);
  EXPECT_TRUE(links.ok());
  s.links = static_cast<std::int64_t>(links->src.size());
  for (std::size_t i = 0; i < links->src.size(); ++i) {
    digest.Update(std::to_string(links->src[i]) + ">" + std::to_string(links->dst[i]) + ";");
  }
  s.checksum = digest.HexDigest();
  return s;
}

std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr);
  std::string result = "no result";
  if (sqlite3_step(st) == SQLITE_ROW)
    result = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return result;
}

void CopyCase(const std::string& from, const std::string& to) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(to + suffix);
  }
  std::filesystem::copy_file(from, to);
}

// Parameter: whether the case starts empty.
class CrashTest : public ::testing::TestWithParam<bool> {};

TEST_P(CrashTest, KilledImportLeavesCaseBeforeOrAfterNeverBetween) {
  const bool empty_base = GetParam();
  TempDir dir("crash");
  const std::string base = dir.File("base.cg");
  {
    auto store = CaseStore::Create(base);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    if (!empty_base) {
      auto txn = (*store)->BeginImport({"ftm", "base", "base.json", "h", ""});
      ASSERT_TRUE(txn.ok());
      for (const auto& e : BaseEntities()) ASSERT_TRUE((*txn)->Add(e).ok());
      ASSERT_TRUE((*txn)->Commit({}).ok());
    }
  }  // closing the last connection checkpoints the WAL into base.cg
  ASSERT_FALSE(std::filesystem::exists(base + "-wal"));
  const std::string work = dir.File("work.cg");

  // Reference states and timings, without killing.
  CopyCase(base, work);
  CaseState before = Inspect(work);
  ASSERT_EQ(before.entities, empty_base ? 0 : kBaseEntities);
  auto t0 = std::chrono::steady_clock::now();
  {
    auto store = CaseStore::Open(work);
    ASSERT_TRUE(store.ok());
    RunImport(**store, -1);
  }
  auto add_and_commit_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  std::printf("crash test: import takes %lld us, its commit %lld us\n",
              static_cast<long long>(add_and_commit_us), static_cast<long long>(g_commit_us));
  CaseState after = Inspect(work);
  ASSERT_GT(after.entities, before.entities);
  ASSERT_NE(after.checksum, before.checksum);

  std::mt19937 rng(20240601);
  int saw_before = 0, saw_after = 0, hot_journals = 0;
  const int kRounds = 30;
  for (int round = 0; round < kRounds; ++round) {
    CopyCase(base, work);
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      auto store = CaseStore::Open(work);
      if (!store.ok()) ::_exit(1);
      RunImport(**store, fds[1]);
      ::pause();  // wait to be killed
      ::_exit(0);
    }
    ::close(fds[1]);
    // Phase: 0 = while adding, 1 = around commit, 2 = after commit.
    int phase = round % 3;
    char wanted = phase == 0 ? 'B' : phase == 1 ? 'C' : 'D';
    char c = 0;
    while (::read(fds[0], &c, 1) == 1 && c != wanted) {
    }
    std::int64_t max_delay_us = phase == 0   ? add_and_commit_us
                                : phase == 1 ? g_commit_us * 3 / 2
                                             : 2000;
    std::uniform_int_distribution<std::int64_t> delay(0, std::max<std::int64_t>(max_delay_us, 1));
    std::this_thread::sleep_for(std::chrono::microseconds(delay(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(fds[0]);
    ASSERT_TRUE(WIFSIGNALED(status))
        << "child exited with " << WEXITSTATUS(status) << " in round " << round;

    // A killed first import into an empty case leaves a hot rollback journal: the store's
    // own open (Inspect) must roll it back before anything else reads the file.
    hot_journals += std::filesystem::exists(work + "-journal") ? 1 : 0;
    CaseState now = Inspect(work);
    EXPECT_EQ(IntegrityCheck(work), "ok") << "round " << round;
    bool is_before = now == before;
    bool is_after = now == after;
    EXPECT_TRUE(is_before || is_after) << "round " << round << " (phase " << phase << "): case has "
                                       << now.entities << " entities, " << now.links << " links";
    if (phase == 2) EXPECT_TRUE(is_after) << "committed import lost in round " << round;
    saw_before += is_before;
    saw_after += is_after;
  }
  std::printf("crash test: %d rounds ended before the import, %d after it; %d left a journal\n",
              saw_before, saw_after, hot_journals);
  EXPECT_GT(saw_before, 0);
  EXPECT_GT(saw_after, 0);
  if (empty_base) {
    EXPECT_GT(hot_journals, 0) << "no kill left a rollback journal: the empty-case import did "
                                  "not run in rollback-journal mode";
  } else {
    EXPECT_EQ(hot_journals, 0);
  }
  // However the import ended, the case is back in WAL mode once opened again.
  {
    auto store = CaseStore::Open(work);
    ASSERT_TRUE(store.ok());
  }
  EXPECT_EQ(testing::JournalMode(work), "wal");
}

INSTANTIATE_TEST_SUITE_P(Case, CrashTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Empty" : "WithEntities";
                         });

}  // namespace
}  // namespace casegraph::store
