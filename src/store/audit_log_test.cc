// Tests of the hash-chained audit log: append, read back, and detection of edits,
// deletions and reordering.
#include "store/audit_log.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>

#include "store/case_store.h"

namespace casegraph::store {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("audit_test_" + std::to_string(::getpid()) + ".case"))
                .string();
    std::filesystem::remove(path_);
    auto c = CaseStore::Create(path_);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
  }
  void TearDown() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  void Exec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  void AppendThree() {
    for (int i = 0; i < 3; ++i) {
      AuditEntry e;
      e.user = "alice";
      e.purpose = "case 42: payments review";
      e.command = "show";
      e.arguments = "{\"id\":\"p" + std::to_string(i) + "\"}";
      e.outcome = "ok";
      ASSERT_TRUE(AuditLog::Append(path_, e).ok());
    }
  }
  std::string path_;
};

TEST_F(AuditLogTest, AppendsChainedEntries) {
  AppendThree();
  auto entries = AuditLog::Read(path_, 0, 0);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].seq, 1);
  EXPECT_EQ((*entries)[0].prev_hash, std::string(64, '0'));
  EXPECT_EQ((*entries)[1].prev_hash, (*entries)[0].hash);
  EXPECT_EQ((*entries)[2].arguments, "{\"id\":\"p2\"}");
  EXPECT_EQ((*entries)[2].user, "alice");
  auto v = AuditLog::Verify(path_);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok);
  EXPECT_EQ(v->entries, 3);
}

TEST_F(AuditLogTest, DetectsEditedEntry) {
  AppendThree();
  Exec("UPDATE audit_log SET user = 'mallory' WHERE seq = 2");
  auto v = AuditLog::Verify(path_);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 2);
}

TEST_F(AuditLogTest, DetectsDeletedEntry) {
  AppendThree();
  Exec("DELETE FROM audit_log WHERE seq = 2");
  auto v = AuditLog::Verify(path_);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 3);
}

TEST_F(AuditLogTest, DetectsRehashedEditWithoutChain) {
  AppendThree();
  // An attacker who edits and rehashes one entry still breaks the next link.
  auto entries = AuditLog::Read(path_, 0, 0).value();
  AuditEntry forged = entries[0];
  forged.purpose = "nothing to see";
  std::string new_hash = AuditLog::HashOf(forged);
  Exec("UPDATE audit_log SET purpose = 'nothing to see', hash = '" + new_hash + "' WHERE seq = 1");
  auto v = AuditLog::Verify(path_);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 2);
}

TEST_F(AuditLogTest, MissingCaseIsNotFound) {
  AuditEntry e;
  Status s = AuditLog::Append(path_ + ".nope", e);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace casegraph::store
