#include <ctime>

#include "devsim/command_outputs.hpp"

namespace tether::devsim {

namespace {

std::tm utc(long long seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

}  // namespace

std::string format_utc(long long seconds) {
  std::tm tm = utc(seconds);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string format_syslog_time(long long seconds) {
  std::tm tm = utc(seconds);
  char buf[40];
  std::strftime(buf, sizeof buf, "%b %e %H:%M:%S", &tm);
  return buf;
}

}  // namespace tether::devsim
