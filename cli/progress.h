// A progress bar for long work (import, verify, rebuild, export): drawn on
// stderr only when stderr is a terminal, and never when --json asks for a
// machine-readable run; otherwise it prints nothing at all.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace vledger::cli {

class ProgressBar {
 public:
  ProgressBar(std::string label, uint64_t total)
      : label_(std::move(label)), total_(total), enabled_(::isatty(STDERR_FILENO) == 1) {}
  ~ProgressBar() { Finish(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Reports `done` of `total`; redraws at most ten times a second.
  void Update(uint64_t done) {
    if (!enabled_ || finished_) return;
    auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(100) && done < total_) return;
    last_ = now;
    drawn_ = true;
    constexpr int kWidth = 30;
    uint64_t shown = total_ == 0 ? kWidth : done * kWidth / total_;
    std::string bar(static_cast<size_t>(shown > kWidth ? kWidth : shown), '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r%s [%s] %llu/%llu", label_.c_str(), bar.c_str(),
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_));
    std::fflush(stderr);
  }

  // Clears the bar's line.
  void Finish() {
    if (!enabled_ || finished_ || !drawn_) return;
    finished_ = true;
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }

 private:
  std::string label_;
  uint64_t total_;
  bool enabled_;
  bool drawn_ = false, finished_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace vledger::cli
