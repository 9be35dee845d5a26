// The case's tamper-evident audit log: every command run against a case (reads and
// writes) is appended with who ran it, why (stated purpose), what (command and
// arguments), when, and its outcome. Entries form a hash chain (each entry's SHA-256
// covers the previous entry's hash), so editing or deleting an entry breaks Verify().
// The log lives in the case file (table audit_log) and is written through its own
// SQLite connection in its own transaction. Not thread-safe; one writer at a time
// (SQLite's lock serialises writers across processes).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "casegraph/status.h"

namespace casegraph::store {

struct AuditEntry {
  std::int64_t seq = 0;
  std::int64_t at = 0;  // unix seconds
  std::string user;
  std::string purpose;
  std::string command;
  std::string arguments;  // JSON text
  std::string outcome;    // "ok" or the error
  std::string prev_hash;
  std::string hash;
};

struct AuditVerification {
  bool ok = true;
  std::int64_t entries = 0;
  std::int64_t first_bad_seq = 0;  // 0 when ok
  std::string reason;
};

class AuditLog {
 public:
  // Appends one entry to the case file at `case_path` (which must exist).
  static Status Append(const std::string& case_path, const AuditEntry& entry);
  // Reads entries with seq > after_seq, oldest first, at most limit (0 = all).
  static Result<std::vector<AuditEntry>> Read(const std::string& case_path, std::int64_t after_seq,
                                              std::int64_t limit);
  // Recomputes the hash chain.
  static Result<AuditVerification> Verify(const std::string& case_path);
  // The hash of one entry given its predecessor's hash (exposed for tests).
  static std::string HashOf(const AuditEntry& entry);
};

}  // namespace casegraph::store
