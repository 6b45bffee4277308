#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace tether::transport {

/// How the tunnel client spaces its reconnect attempts.
struct backoff_settings {
  std::chrono::milliseconds initial{1000};  ///< the delay before the first retry (before jitter)
  std::chrono::milliseconds max{60000};     ///< the delay never grows past this
  unsigned max_attempts = 0;                ///< failed dials in a row before giving up; 0: never
};

/// Exponential backoff with jitter, pure: the n-th consecutive failure waits
/// min(max, initial * 2^(n-1)) scaled by a random factor in [0.5, 1.0] ("equal jitter"), so
/// agents cut off together do not redial together. A successful session resets it.
class backoff {
 public:
  /// Random 64-bit values; injected so tests are deterministic.
  using random_source = std::function<std::uint64_t()>;

  backoff(backoff_settings settings, random_source random);

  /// Records a failed attempt; returns the delay before the next one.
  std::chrono::milliseconds next_delay();

  /// Whether max_attempts failures in a row have happened (never when max_attempts is 0).
  bool exhausted() const;

  /// A session got established: the next failure starts again from `initial`.
  void reset() { failures_ = 0; }

  /// Failed attempts in a row so far.
  unsigned failures() const { return failures_; }

 private:
  backoff_settings settings_;
  random_source random_;
  unsigned failures_ = 0;
};

}  // namespace tether::transport
