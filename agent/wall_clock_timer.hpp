#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <chrono>
#include <functional>
#include <optional>

namespace tether::agent {

/// One deadline on the system (wall) clock that also fires when the clock is set: a timerfd
/// on CLOCK_REALTIME with TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET. A window's start and
/// end are wall-clock instants, so this is the only timer the idle daemon needs; a clock
/// step (NTP, an admin's `date -s`) wakes it at once to re-plan.
class wall_clock_timer {
 public:
  /// Throws std::system_error when the kernel refuses a timerfd.
  explicit wall_clock_timer(boost::asio::io_context& io);
  ~wall_clock_timer();
  wall_clock_timer(const wall_clock_timer&) = delete;
  wall_clock_timer& operator=(const wall_clock_timer&) = delete;

  /// Fires at `at` (at once if past); without `at`, only a clock set wakes it.
  void arm(std::optional<std::chrono::system_clock::time_point> at);
  /// Calls `handler(clock_was_set)` at the next firing; one wait at a time.
  void async_wait(std::function<void(bool clock_was_set)> handler);
  /// Cancels the wait (the handler is not called) and closes the timer.
  void close();

 private:
  boost::asio::posix::stream_descriptor fd_;
};

/// Whether the kernel reports the system clock synchronised (adjtimex: not TIME_ERROR);
/// false too when adjtimex is refused (fail closed).
bool kernel_clock_synchronized();

}  // namespace tether::agent
