// Status and Result<T>: the one error model at casegraph's public API.
//
// Every public function that can fail returns Status or Result<T>. Inside the library,
// typed exceptions (casegraph::Error) end an operation and are converted to Status once,
// at the API boundary. ExitCodeFor() and HttpStatusFor() are the single mapping from
// error codes to CLI exit codes and HTTP statuses. Status is a value type, cheap to
// copy when ok (no allocation), thread-compatible.
#pragma once

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace casegraph {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // the caller asked for something malformed (bad option, bad id)
  kNotFound,          // the case, entity, file or schema does not exist
  kAlreadyExists,     // creating something that is already there
  kParseError,        // input data is malformed: carries file, line, column
  kSchemaError,       // unknown schema or property, wrong type for a property
  kPermissionDenied,  // clearance or access control refused the read
  kIoError,           // the file system or SQLite failed
  kCorruption,        // the case file is not what we wrote
  kAborted,           // interrupted, or too many rejected rows
  kInternal,          // a bug
};

const char* StatusCodeName(StatusCode code);

// Where in an input file an error was found. line and column are 1-based; 0 = unknown.
struct SourceLocation {
  std::string file;
  long line = 0;
  long column = 0;
  std::string ToString() const;  // "file:line:col"
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, SourceLocation where = {})
      : code_(code), message_(std::move(message)), where_(std::move(where)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const SourceLocation& where() const { return where_; }
  // "parse error: data.csv:12:7: unterminated quoted field"
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  SourceLocation where_;
};

// The exception thrown inside the library; caught once at the API boundary.
class Error : public std::runtime_error {
 public:
  Error(StatusCode code, const std::string& message, SourceLocation where = {})
      : std::runtime_error(message), status_(code, message, std::move(where)) {}
  explicit Error(Status status)
      : std::runtime_error(status.message()), status_(std::move(status)) {}
  const Status& status() const { return status_; }

 private:
  Status status_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : value_(std::move(status)) {}  // NOLINT: implicit by design
  bool ok() const { return std::holds_alternative<T>(value_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(value_);
  }
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> value_;
};

// Process exit code for a CLI error: 0 ok, 2 usage, 3 not found, 4 bad input, 5 permission,
// 6 I/O, 1 anything else.
int ExitCodeFor(const Status& status);
// HTTP status for an API error: 200, 400, 404, 409, 422, 403, 500...
int HttpStatusFor(const Status& status);

// Runs fn(), converting a thrown casegraph::Error (or std::exception) into a Status.
template <typename Fn>
Status CatchAsStatus(Fn&& fn) {
  try {
    fn();
    return Status::Ok();
  } catch (const Error& e) {
    return e.status();
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kInternal, "out of memory");
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, e.what());
  }
}

}  // namespace casegraph

// Programmer errors only; never for bad input.
#define CG_ASSERT(cond)                                                        \
  do {                                                                         \
    if (!(cond)) ::casegraph::internal::AssertFail(#cond, __FILE__, __LINE__); \
  } while (0)

namespace casegraph::internal {
[[noreturn]] void AssertFail(const char* expr, const char* file, int line);
}
