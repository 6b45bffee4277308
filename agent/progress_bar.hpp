#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

namespace tether::agent {

/// A one-line progress bar redrawn in place on a terminal; silent when the stream is not one.
class progress_bar {
 public:
  progress_bar(std::FILE* stream, std::size_t total);
  /// Redraws with `done` of `total` finished and `detail` after the bar.
  void update(std::size_t done, const std::string& detail);
  /// Clears the line so that what follows starts clean.
  void finish();

 private:
  std::FILE* stream_;
  std::size_t total_;
  bool terminal_;
};

}  // namespace tether::agent
