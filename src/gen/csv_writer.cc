// Buffered RFC 4180 CSV writing for the generator (see csv_writer.h).
#include "gen/csv_writer.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>

#include "casegraph/status.h"

namespace casegraph::gen {
namespace {
constexpr std::size_t kFlushAt = 1 << 20;
}

CsvWriter::CsvWriter(const std::string& path, std::initializer_list<std::string_view> header)
    : path_(path) {
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) {
    throw Error(StatusCode::kIoError, "cannot create " + path + ": " + std::strerror(errno));
  }
  buffer_.reserve(kFlushAt + 4096);
  columns_ = header.size();
  for (std::string_view h : header) Field(h);
  EndRow();
}

CsvWriter::~CsvWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

CsvWriter& CsvWriter::Field(std::string_view value) {
  if (fields_in_row_++ > 0) buffer_.push_back(',');
  bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    buffer_.append(value);
    return *this;
  }
  buffer_.push_back('"');
  for (char c : value) {
    if (c == '"') buffer_.push_back('"');
    buffer_.push_back(c);
  }
  buffer_.push_back('"');
  return *this;
}

CsvWriter& CsvWriter::Field(std::int64_t value) {
  char tmp[24];
  auto res = std::to_chars(tmp, tmp + sizeof tmp, value);
  return Field(std::string_view(tmp, static_cast<std::size_t>(res.ptr - tmp)));
}

CsvWriter& CsvWriter::Money(double value) {
  // Integer cents, printed by hand: exact and locale-free.
  auto cents = static_cast<std::int64_t>(std::llround(value * 100.0));
  char tmp[32];
  auto res = std::to_chars(tmp, tmp + sizeof tmp, cents / 100);
  char* p = res.ptr;
  *p++ = '.';
  *p++ = static_cast<char>('0' + (cents % 100) / 10);
  *p++ = static_cast<char>('0' + cents % 10);
  return Field(std::string_view(tmp, static_cast<std::size_t>(p - tmp)));
}

void CsvWriter::EndRow() {
  CG_ASSERT(fields_in_row_ == columns_);
  buffer_.push_back('\n');
  fields_in_row_ = 0;
  ++rows_;
  if (buffer_.size() >= kFlushAt) Flush();
}

void CsvWriter::Flush() {
  if (buffer_.empty()) return;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    throw Error(StatusCode::kIoError, "cannot write " + path_ + ": " + std::strerror(errno));
  }
  bytes_ += static_cast<std::int64_t>(buffer_.size());
  buffer_.clear();
}

void CsvWriter::Close() {
  if (file_ == nullptr) return;
  Flush();
  int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) throw Error(StatusCode::kIoError, "cannot close " + path_);
}

void WriteTextFile(const std::string& path, std::string_view text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    throw Error(StatusCode::kIoError, "cannot create " + path + ": " + std::strerror(errno));
  }
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) throw Error(StatusCode::kIoError, "cannot write " + path);
}

}  // namespace casegraph::gen
