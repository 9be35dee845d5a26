// Streaming RFC 4180 CSV/TSV reader for imports: quoted fields with embedded newlines and
// doubled quotes, a UTF-8 BOM skipped, a header row, constant memory (one buffer that grows
// only to the longest record), and errors that name file, line, byte column and reason.
//
// Ownership and threads: a CsvReader owns its file handle and buffer; the string_views in
// a CsvRow point into that buffer and stay valid only until the next call to Next(). One
// thread at a time.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "casegraph/status.h"

namespace casegraph::ingest {

struct CsvOptions {
  // Field delimiter; 0 = from the file extension ('\t' for .tsv/.tab, ',' otherwise).
  char delimiter = 0;
  bool has_header = true;
  // Skip spaces right after a delimiter (Python's csv skipinitialspace, as `ftm map` uses).
  bool skip_initial_space = false;
  bool check_utf8 = true;
  std::size_t buffer_size = 1 << 20;
  std::size_t max_record_bytes = 64 << 20;  // a record longer than this is a fatal error
};

// One record. A recoverable problem (wrong column count, invalid UTF-8, a stray quote)
// leaves the fields parsed as well as possible and sets `error`; the caller decides
// whether to reject the row or fail.
struct CsvRow {
  long line = 0;                         // 1-based line where the record starts
  std::vector<std::string_view> fields;  // valid until the next Next()
  std::string_view raw;                  // the record's bytes, without the line end
  Status error;                          // ok() unless the record is malformed
};

class CsvReader {
 public:
  // Opens `path` and reads the header row (if options.has_header). Fails with kNotFound,
  // kIoError or kParseError (a malformed header).
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path,
                                                 const CsvOptions& options = {});
  // Reads from memory; `name` is used in error messages. For tests and small inputs.
  static Result<std::unique_ptr<CsvReader>> FromString(std::string data, const std::string& name,
                                                       const CsvOptions& options = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into *row. Returns false at the end of input or on a fatal
  // error (then status() says which: unterminated quoted field, record too long, I/O).
  // Blank lines are skipped.
  bool Next(CsvRow* row);
  const Status& status() const { return status_; }

  const std::vector<std::string>& header() const { return header_; }
  // Index of a header column, or -1.
  int ColumnIndex(std::string_view name) const;
  char delimiter() const { return delim_; }
  const std::string& name() const { return name_; }
  // Progress: bytes consumed so far and the file size (0 if unknown).
  std::uint64_t bytes_read() const { return consumed_; }
  std::uint64_t bytes_total() const { return total_; }

 private:
  CsvReader(std::string name, const CsvOptions& options);
  enum class Parse { kRecord, kNeedMore, kEnd, kFatal };
  Parse ParseRecord(CsvRow* row);
  bool Refill();  // moves the unparsed tail to the front and reads more; false on I/O error
  void SetRowError(CsvRow* row, long line, long column, const std::string& reason);
  long ColumnAt(std::size_t pos) const;  // byte column of buffer position pos, 1-based

  std::string name_;
  CsvOptions options_;
  char delim_ = ',';
  std::FILE* file_ = nullptr;
  std::vector<char> buf_;  // buf_.size() is the capacity; data is [begin_, end_)
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::uint64_t buf_offset_ = 0;  // file offset of buf_[0]
  std::uint64_t consumed_ = 0;
  std::uint64_t total_ = 0;
  long line_ = 1;                 // line number at begin_
  std::uint64_t line_start_ = 0;  // file offset where line_ starts
  std::vector<std::string> header_;
  std::string scratch_;  // unescaped quoted fields with doubled quotes
  struct FieldRef {
    bool scratch;
    std::size_t off;
    std::size_t len;
  };
  std::vector<FieldRef> refs_;
  Status status_;
  bool stopped_ = false;
  bool bom_checked_ = false;
};

}  // namespace casegraph::ingest
