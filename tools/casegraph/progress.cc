// Implementation of the terminal progress bar: phase, bar, percentage, rate and ETA.
#include "progress.h"

#include <cstdio>

namespace casegraph::cli {

void ProgressBar::Update(const std::string& phase, double done, double total,
                         const std::string& unit) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && done < total) return;
  last_draw_ = now;
  drawn_ = true;
  double seconds = std::chrono::duration<double>(now - start_).count();
  double rate = seconds > 0 ? done / seconds : 0;
  const char* scale = "";
  double shown_rate = rate;
  if (shown_rate >= 1e6) {
    shown_rate /= 1e6;
    scale = "M";
  } else if (shown_rate >= 1e3) {
    shown_rate /= 1e3;
    scale = "k";
  }
  if (total > 0) {
    double fraction = done / total;
    if (fraction > 1) fraction = 1;
    const int width = 30;
    int filled = static_cast<int>(fraction * width);
    std::string bar(filled, '#');
    bar.append(width - filled, '.');
    double eta = rate > 0 ? (total - done) / rate : 0;
    std::fprintf(stderr, "\r%-12s [%s] %5.1f%%  %.1f%s %s/s  ETA %.0fs   ", phase.c_str(),
                 bar.c_str(), fraction * 100, shown_rate, scale, unit.c_str(), eta);
  } else {
    std::fprintf(stderr, "\r%-12s %.0f %s  %.1f%s %s/s   ", phase.c_str(), done, unit.c_str(),
                 shown_rate, scale, unit.c_str());
  }
  std::fflush(stderr);
}

void ProgressBar::Finish() {
  if (!enabled_ || !drawn_) return;
  std::fprintf(stderr, "\r%80s\r", "");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace casegraph::cli
