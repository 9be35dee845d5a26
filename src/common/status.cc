// Implementation of Status formatting and the single error-code → exit-code/HTTP mapping.
#include "casegraph/status.h"

#include <cstdio>

namespace casegraph {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid argument";
    case StatusCode::kNotFound:
      return "not found";
    case StatusCode::kAlreadyExists:
      return "already exists";
    case StatusCode::kParseError:
      return "parse error";
    case StatusCode::kSchemaError:
      return "schema error";
    case StatusCode::kPermissionDenied:
      return "permission denied";
    case StatusCode::kIoError:
      return "I/O error";
    case StatusCode::kCorruption:
      return "corruption";
    case StatusCode::kAborted:
      return "aborted";
    case StatusCode::kInternal:
      return "internal error";
  }
  return "unknown";
}

std::string SourceLocation::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  return out;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out = StatusCodeName(code_);
  out += ": ";
  if (!where_.file.empty() || where_.line > 0) {
    out += where_.ToString();
    out += ": ";
  }
  out += message_;
  return out;
}

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInvalidArgument:
      return 2;
    case StatusCode::kNotFound:
      return 3;
    case StatusCode::kParseError:
    case StatusCode::kSchemaError:
      return 4;
    case StatusCode::kPermissionDenied:
      return 5;
    case StatusCode::kIoError:
    case StatusCode::kCorruption:
      return 6;
    case StatusCode::kAlreadyExists:
      return 7;
    case StatusCode::kAborted:
      return 8;
    case StatusCode::kInternal:
      return 1;
  }
  return 1;
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kParseError:
    case StatusCode::kSchemaError:
      return 422;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kAborted:
      return 409;
    case StatusCode::kIoError:
    case StatusCode::kCorruption:
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

namespace internal {
void AssertFail(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "casegraph: assertion failed: %s at %s:%d\n", expr, file, line);
  std::abort();
}
}  // namespace internal

}  // namespace casegraph
