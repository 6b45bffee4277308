#include "agent/progress_bar.hpp"

#include <unistd.h>

namespace tether::agent {

progress_bar::progress_bar(std::FILE* stream, std::size_t total)
    : stream_(stream), total_(total), terminal_(isatty(fileno(stream)) == 1) {}

void progress_bar::update(std::size_t done, const std::string& detail) {
  if (!terminal_ || total_ == 0) return;
  constexpr std::size_t width = 30;
  const std::size_t filled = done * width / total_;
  std::string bar(filled, '#');
  bar.append(width - filled, '.');
  std::fprintf(stream_, "\r\033[K[%s] %zu/%zu %.60s", bar.c_str(), done, total_, detail.c_str());
  std::fflush(stream_);
}

void progress_bar::finish() {
  if (!terminal_) return;
  std::fprintf(stream_, "\r\033[K");
  std::fflush(stream_);
}

}  // namespace tether::agent
