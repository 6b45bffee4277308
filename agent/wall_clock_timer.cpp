#include "agent/wall_clock_timer.hpp"

#include <sys/timerfd.h>
#include <sys/timex.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

namespace tether::agent {

namespace {

int make_timerfd() {
  const int fd = ::timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "timerfd_create");
  return fd;
}

}  // namespace

wall_clock_timer::wall_clock_timer(boost::asio::io_context& io) : fd_(io, make_timerfd()) {}

wall_clock_timer::~wall_clock_timer() { close(); }

void wall_clock_timer::arm(std::optional<std::chrono::system_clock::time_point> at) {
  using namespace std::chrono;
  // Without a deadline, a distant one keeps TFD_TIMER_CANCEL_ON_SET in force.
  const auto when = at.value_or(system_clock::now() + hours(24 * 365));
  auto ns = duration_cast<nanoseconds>(when.time_since_epoch()).count();
  if (ns <= 0) ns = 1;  // zero would disarm
  itimerspec spec{};
  spec.it_value.tv_sec = time_t(ns / 1000000000);
  spec.it_value.tv_nsec = long(ns % 1000000000);
  ::timerfd_settime(fd_.native_handle(), TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec,
                    nullptr);
}

void wall_clock_timer::async_wait(std::function<void(bool)> handler) {
  fd_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                 [this, handler = std::move(handler)](boost::system::error_code ec) mutable {
                   if (ec) return;  // closed
                   std::uint64_t expirations = 0;
                   const ssize_t n = ::read(fd_.native_handle(), &expirations, sizeof expirations);
                   if (n < 0 && errno == EAGAIN) {  // re-armed before we read: wait again
                     async_wait(std::move(handler));
                     return;
                   }
                   handler(n < 0 && errno == ECANCELED);
                 });
}

void wall_clock_timer::close() {
  boost::system::error_code ignored;
  fd_.cancel(ignored);
  fd_.close(ignored);
}

bool kernel_clock_synchronized() {
  timex tx{};  // modes 0: read only
  const int state = ::adjtimex(&tx);
  return state >= 0 && state != TIME_ERROR;  // a refused call counts as unsynchronised
}

}  // namespace tether::agent
