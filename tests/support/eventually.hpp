#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace tether::testing {

/// Polls `done` every 10 ms until it holds or `deadline` passes; returns whether it held.
inline bool eventually(const std::function<bool()>& done, std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

/// The whole wall-clock second `ahead` from now: a window start a test can wait for.
inline std::chrono::system_clock::time_point second_ahead(std::chrono::seconds ahead) {
  return std::chrono::ceil<std::chrono::seconds>(std::chrono::system_clock::now()) + ahead;
}

}  // namespace tether::testing
