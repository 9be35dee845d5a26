// Buffered CSV writer for the generator: RFC 4180 quoting (fields with comma, quote,
// CR or LF are quoted, quotes doubled), "\n" line ends, UTF-8 passed through.
// Owns its FILE*; not thread-safe. Throws casegraph::Error(kIoError) on write failure.
#pragma once

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>

namespace casegraph::gen {

class CsvWriter {
 public:
  CsvWriter(const std::string& path, std::initializer_list<std::string_view> header);
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  // Appends one field to the current row.
  CsvWriter& Field(std::string_view value);
  CsvWriter& Field(std::int64_t value);
  // Amount with two decimals ("1234.50").
  CsvWriter& Money(double value);
  // Ends the current row; checks the column count (programmer error if wrong).
  void EndRow();
  void Close();

  std::int64_t rows() const { return rows_; }
  std::int64_t bytes() const { return bytes_; }
  std::size_t columns() const { return columns_; }

 private:
  void Flush();
  std::string path_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
  std::size_t columns_ = 0;
  std::size_t fields_in_row_ = 0;
  std::int64_t rows_ = -1;  // the header is not a data row
  std::int64_t bytes_ = 0;
};

// Writes a whole small file at once (mapping, ground truth). Throws on failure.
void WriteTextFile(const std::string& path, std::string_view text);

}  // namespace casegraph::gen
