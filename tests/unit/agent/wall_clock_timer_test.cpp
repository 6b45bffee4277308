// The daemon's one timer: a wall-clock deadline (timerfd, CLOCK_REALTIME, absolute) that
// fires on time, at once for a past deadline, and re-arms.
#include <catch2/catch.hpp>

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <boost/asio/io_context.hpp>

#include "agent/wall_clock_timer.hpp"

using namespace std::chrono_literals;
using tether::agent::wall_clock_timer;
using clock_type = std::chrono::system_clock;

TEST_CASE("the wall-clock timer fires at its deadline, not before", "[timer]") {
  boost::asio::io_context io;
  wall_clock_timer timer(io);
  const auto deadline = clock_type::now() + 200ms;
  std::optional<clock_type::time_point> fired;
  bool clock_set = true;
  timer.arm(deadline);
  timer.async_wait([&](bool set) {
    fired = clock_type::now();
    clock_set = set;
  });
  io.run_for(5s);
  REQUIRE(fired);
  CHECK(*fired >= deadline);
  CHECK(*fired - deadline < 1s);
  CHECK_FALSE(clock_set);
}

TEST_CASE("a past deadline fires at once and a re-arm moves the deadline", "[timer]") {
  boost::asio::io_context io;
  wall_clock_timer timer(io);
  int fired = 0;
  timer.arm(clock_type::now() + 1h);
  timer.arm(clock_type::now() - 1s);  // re-armed before anyone waited: the past one counts
  timer.async_wait([&](bool) { ++fired; });
  io.run_for(2s);
  CHECK(fired == 1);
}

TEST_CASE("without a deadline the timer stays quiet, and close() drops the wait", "[timer]") {
  boost::asio::io_context io;
  wall_clock_timer timer(io);
  bool fired = false;
  timer.arm(std::nullopt);
  timer.async_wait([&](bool) { fired = true; });
  io.run_for(300ms);
  CHECK_FALSE(fired);
  timer.close();
  io.restart();
  io.run_for(100ms);
  CHECK_FALSE(fired);
  CHECK(io.stopped());  // nothing left to wait for
}
