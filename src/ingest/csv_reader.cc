// Implementation of the streaming CSV/TSV reader: a buffer-based state machine that
// re-parses a record from its start when the buffer ends inside it (records are short,
// so the rare restart costs nothing), memchr for quoted content and a byte table for
// unquoted fields. UTF-8 is checked per record with simdjson's SIMD validator.
#include "ingest/csv_reader.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace casegraph::ingest {
namespace {

// Offset of the first byte that starts an invalid UTF-8 sequence (scalar, error path only).
std::size_t FirstInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return n;
}

bool HasSuffix(const std::string& s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

CsvReader::CsvReader(std::string name, const CsvOptions& options)
    : name_(std::move(name)), options_(options) {
  delim_ = options.delimiter;
  if (delim_ == 0) delim_ = (HasSuffix(name_, ".tsv") || HasSuffix(name_, ".tab")) ? '\t' : ',';
  if (options_.buffer_size < 64) options_.buffer_size = 64;
}

CsvReader::~CsvReader() {
  if (file_ != nullptr) std::fclose(file_);
}

static Result<std::unique_ptr<CsvReader>> FinishOpen(std::unique_ptr<CsvReader> reader,
                                                     bool has_header);

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path,
                                                   const CsvOptions& options) {
  std::unique_ptr<CsvReader> reader(new CsvReader(path, options));
  reader->file_ = std::fopen(path.c_str(), "rb");
  if (reader->file_ == nullptr) {
    int err = errno;
    return Status(err == ENOENT ? StatusCode::kNotFound : StatusCode::kIoError,
                  "cannot open " + path + ": " + std::strerror(err), SourceLocation{path});
  }
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  reader->total_ = ec ? 0 : size;
  reader->buf_.resize(options.buffer_size < 64 ? 64 : options.buffer_size);
  if (!reader->Refill()) return reader->status_;
  return FinishOpen(std::move(reader), options.has_header);
}

Result<std::unique_ptr<CsvReader>> CsvReader::FromString(std::string data, const std::string& name,
                                                         const CsvOptions& options) {
  std::unique_ptr<CsvReader> reader(new CsvReader(name, options));
  reader->total_ = data.size();
  reader->buf_.assign(data.begin(), data.end());
  if (reader->buf_.empty()) reader->buf_.resize(1);
  reader->end_ = data.size();
  reader->eof_ = true;
  return FinishOpen(std::move(reader), options.has_header);
}

static Result<std::unique_ptr<CsvReader>> FinishOpen(std::unique_ptr<CsvReader> reader,
                                                     bool has_header) {
  if (!has_header) return reader;
  CsvRow row;
  if (!reader->Next(&row)) {
    if (!reader->status().ok()) return reader->status();
    return Status(StatusCode::kParseError, "empty file: no header row",
                  SourceLocation{reader->name(), 1, 1});
  }
  if (!row.error.ok()) return row.error;
  return reader;
}

int CsvReader::ColumnIndex(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

bool CsvReader::Refill() {
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    buf_offset_ += begin_;
    begin_ = 0;
  }
  if (eof_) return true;
  if (end_ == buf_.size()) {
    if (buf_.size() >= options_.max_record_bytes) {
      status_ = Status(StatusCode::kParseError,
                       "record longer than " + std::to_string(options_.max_record_bytes) +
                           " bytes (unterminated quoted field?)",
                       SourceLocation{name_, line_, 1});
      return false;
    }
    buf_.resize(std::min(buf_.size() * 2, options_.max_record_bytes));
  }
  std::size_t n = std::fread(buf_.data() + end_, 1, buf_.size() - end_, file_);
  if (n == 0) {
    if (std::ferror(file_)) {
      status_ = Status(StatusCode::kIoError, "read error on " + name_, SourceLocation{name_});
      return false;
    }
    eof_ = true;
  }
  end_ += n;
  return true;
}

void CsvReader::SetRowError(CsvRow* row, long line, long column, const std::string& reason) {
  if (!row->error.ok()) return;  // keep the first problem of a record
  row->error = Status(StatusCode::kParseError, reason, SourceLocation{name_, line, column});
}

bool CsvReader::Next(CsvRow* row) {
  if (stopped_) return false;
  for (;;) {
    Parse r = ParseRecord(row);
    if (r == Parse::kRecord) return true;
    if (r == Parse::kEnd || r == Parse::kFatal) {
      stopped_ = true;
      consumed_ = buf_offset_ + end_;
      return false;
    }
    if (!Refill()) {
      stopped_ = true;
      return false;
    }
  }
}

CsvReader::Parse CsvReader::ParseRecord(CsvRow* row) {
  if (!bom_checked_) {
    // A UTF-8 byte order mark at the very start is skipped.
    if (end_ - begin_ < 3 && !eof_) return Parse::kNeedMore;
    bom_checked_ = true;
    if (end_ - begin_ >= 3 && std::memcmp(buf_.data() + begin_, "\xEF\xBB\xBF", 3) == 0) {
      begin_ += 3;
      line_start_ = buf_offset_ + begin_;
    }
  }
  const char* b = buf_.data();
  const char delim = delim_;
  std::size_t p = begin_;
  long line = line_;
  std::uint64_t line_start = line_start_;
  const std::uint64_t base = buf_offset_;
  auto column_of = [&](std::size_t pos, std::uint64_t ls) {
    return static_cast<long>(base + pos - ls + 1);
  };

  // Skip blank lines.
  while (p < end_ && (b[p] == '\n' || b[p] == '\r')) {
    if (b[p] == '\r') {
      if (p + 1 == end_ && !eof_) return Parse::kNeedMore;
      if (p + 1 < end_ && b[p + 1] == '\n') ++p;
    }
    ++p;
    ++line;
    line_start = base + p;
    begin_ = p;
    line_ = line;
    line_start_ = line_start;
  }
  if (p == end_) return eof_ ? Parse::kEnd : Parse::kNeedMore;

  static const std::array<bool, 256> kStopComma = [] {
    std::array<bool, 256> t{};
    t['\n'] = t['\r'] = t['"'] = t[','] = true;
    return t;
  }();
  static const std::array<bool, 256> kStopTab = [] {
    std::array<bool, 256> t{};
    t['\n'] = t['\r'] = t['"'] = t['\t'] = true;
    return t;
  }();
  std::array<bool, 256> custom{};
  const std::array<bool, 256>* stop = &kStopComma;
  if (delim == '\t') {
    stop = &kStopTab;
  } else if (delim != ',') {
    custom['\n'] = custom['\r'] = custom['"'] = true;
    custom[static_cast<unsigned char>(delim)] = true;
    stop = &custom;
  }

  refs_.clear();
  scratch_.clear();
  row->error = Status::Ok();
  row->line = line;
  const long record_line = line;
  std::vector<std::size_t> starts;  // buffer position where each field starts (error path)
  starts.reserve(16);

  for (;;) {
    if (options_.skip_initial_space) {
      while (p < end_ && b[p] == ' ') ++p;
    }
    starts.push_back(p);
    if (p == end_) {
      if (!eof_) return Parse::kNeedMore;
      refs_.push_back({false, p, 0});
      break;
    }
    if (b[p] == '"') {
      const long quote_line = line;
      const long quote_col = column_of(p, line_start);
      ++p;
      std::size_t seg = p;
      bool used_scratch = false;
      std::size_t scratch_off = scratch_.size();
      for (;;) {
        const void* hit = std::memchr(b + p, '"', end_ - p);
        if (hit == nullptr) {
          if (!eof_) return Parse::kNeedMore;
          status_ = Status(StatusCode::kParseError,
                           "unterminated quoted field (the quote opened here is never closed)",
                           SourceLocation{name_, quote_line, quote_col});
          return Parse::kFatal;
        }
        std::size_t q = static_cast<const char*>(hit) - b;
        for (const char* nl = static_cast<const char*>(std::memchr(b + p, '\n', q - p));
             nl != nullptr;
             nl = static_cast<const char*>(std::memchr(nl + 1, '\n', b + q - (nl + 1)))) {
          ++line;
          line_start = base + (nl - b) + 1;
        }
        if (q + 1 == end_ && !eof_) return Parse::kNeedMore;
        if (q + 1 < end_ && b[q + 1] == '"') {
          scratch_.append(b + seg, q + 1 - seg);
          p = q + 2;
          seg = p;
          used_scratch = true;
          continue;
        }
        if (used_scratch) {
          scratch_.append(b + seg, q - seg);
          refs_.push_back({true, scratch_off, scratch_.size() - scratch_off});
        } else {
          refs_.push_back({false, seg, q - seg});
        }
        p = q + 1;
        break;
      }
      if (p < end_ && b[p] != delim && b[p] != '\n' && b[p] != '\r') {
        SetRowError(row, line, column_of(p, line_start),
                    "unexpected character after closing quote");
        while (p < end_ && b[p] != delim && b[p] != '\n' && b[p] != '\r') ++p;
        if (p == end_ && !eof_) return Parse::kNeedMore;
      }
    } else {
      std::size_t s = p;
      for (;;) {
        while (p < end_ && !(*stop)[static_cast<unsigned char>(b[p])]) ++p;
        if (p < end_ && b[p] == '"') {
          SetRowError(row, line, column_of(p, line_start),
                      "stray quote inside an unquoted field (quote the whole field and double "
                      "inner quotes)");
          ++p;
          continue;
        }
        break;
      }
      if (p == end_ && !eof_) return Parse::kNeedMore;
      refs_.push_back({false, s, p - s});
    }
    if (p < end_ && b[p] == delim) {
      ++p;
      continue;
    }
    break;
  }

  // End of record: p is at '\r', '\n' or the end of input.
  std::size_t record_end = p;
  if (p < end_ && b[p] == '\r') {
    if (p + 1 == end_ && !eof_) return Parse::kNeedMore;
    ++p;
    if (p < end_ && b[p] == '\n') ++p;
  } else if (p < end_ && b[p] == '\n') {
    ++p;
  }

  // The record is complete: materialise the views and commit the position.
  row->raw = std::string_view(b + begin_, record_end - begin_);
  row->fields.resize(refs_.size());
  for (std::size_t i = 0; i < refs_.size(); ++i) {
    const FieldRef& r = refs_[i];
    row->fields[i] = std::string_view((r.scratch ? scratch_.data() : b) + r.off, r.len);
  }

  // Locates a buffer position inside this record as (line, column), for errors.
  auto locate = [&](std::size_t pos) {
    long l = record_line;
    std::uint64_t ls = line_start_;
    for (std::size_t i = begin_; i < pos; ++i) {
      if (b[i] == '\n') {
        ++l;
        ls = base + i + 1;
      }
    }
    return std::pair<long, long>(l, column_of(pos, ls));
  };

  if (options_.check_utf8 && !simdjson::validate_utf8(row->raw.data(), row->raw.size())) {
    std::size_t bad = begin_ + FirstInvalidUtf8(row->raw);
    auto [l, c] = locate(bad);
    row->error =
        Status(StatusCode::kParseError,
               "invalid UTF-8 (byte 0x" + std::string(1, "0123456789abcdef"[(b[bad] >> 4) & 0xF]) +
                   std::string(1, "0123456789abcdef"[b[bad] & 0xF]) + ")",
               SourceLocation{name_, l, c});
  }

  if (options_.has_header && header_.empty() && row->error.ok()) {
    // First record: the header. (FinishOpen reads it.)
    for (auto f : row->fields) header_.emplace_back(f);
  } else if (options_.has_header && !header_.empty() && row->fields.size() != header_.size()) {
    std::pair<long, long> where;
    if (row->fields.size() > header_.size()) {
      where = locate(starts[header_.size()]);
    } else {
      where = locate(record_end);
    }
    std::string reason = "wrong column count: expected " + std::to_string(header_.size()) +
                         " fields, found " + std::to_string(row->fields.size());
    if (row->error.ok()) {
      row->error =
          Status(StatusCode::kParseError, reason, SourceLocation{name_, where.first, where.second});
    }
  }

  begin_ = p;
  line_ = line + (record_end < p ? 1 : 0);
  line_start_ = record_end < p ? base + p : line_start;
  consumed_ = base + p;
  return Parse::kRecord;
}

}  // namespace casegraph::ingest
