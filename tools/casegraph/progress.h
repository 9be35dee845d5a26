// A terminal progress bar for long-running commands, drawn on stderr only when it is a
// terminal, redrawn at most ten times a second. Not thread-safe: call from one thread.
#pragma once

#include <chrono>
#include <string>

namespace casegraph::cli {

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  void Update(const std::string& phase, double done, double total, const std::string& unit);
  // Clears the bar line (the command prints its own summary).
  void Finish();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace casegraph::cli
