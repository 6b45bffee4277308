#include "transport/backoff.hpp"

#include <algorithm>

namespace tether::transport {

backoff::backoff(backoff_settings settings, random_source random)
    : settings_(settings), random_(std::move(random)) {}

std::chrono::milliseconds backoff::next_delay() {
  ++failures_;
  const auto cap = std::max<std::int64_t>(settings_.max.count(), 0);
  std::int64_t base = std::max<std::int64_t>(settings_.initial.count(), 0);
  for (unsigned i = 1; i < failures_ && base < cap; ++i) base *= 2;
  base = std::min(base, cap);
  // Equal jitter: half fixed, half random, so the delay still grows but never synchronises.
  const std::int64_t half = base / 2;
  const std::int64_t spread = base - half;
  const std::int64_t jitter =
      spread > 0 ? static_cast<std::int64_t>(random_() % static_cast<std::uint64_t>(spread + 1)) : 0;
  return std::chrono::milliseconds(half + jitter);
}

bool backoff::exhausted() const {
  return settings_.max_attempts != 0 && failures_ >= settings_.max_attempts;
}

}  // namespace tether::transport
