#include <catch2/catch.hpp>

#include "config/duration.hpp"

using namespace std::chrono_literals;
using tether::config::format_duration;
using tether::config::parse_duration;

namespace {
std::optional<std::chrono::seconds> parse(std::string_view text) {
  std::string why;
  return parse_duration(text, why);
}
}  // namespace

TEST_CASE("durations combine days, hours, minutes and seconds largest first", "[duration]") {
  CHECK(parse("90m") == 90min);
  CHECK(parse("4h30m") == 4h + 30min);
  CHECK(parse("14d") == std::chrono::seconds(14 * 86400));
  CHECK(parse("30s") == 30s);
  CHECK(parse("5h1m") == 5h + 1min);
  CHECK(parse("0m") == 0s);
  CHECK(parse("1d2h3m4s") == std::chrono::seconds(86400 + 7200 + 180 + 4));
}

TEST_CASE("malformed durations are refused with the text they were given", "[duration]") {
  for (std::string_view bad : {"", "5", "h", "5x", "4h4h", "30m2h", "-5m", "5 h", "1.5h",
                               "99999999999999d", "4h30"}) {
    std::string why;
    INFO("input: " << bad);
    CHECK_FALSE(parse_duration(bad, why));
    CHECK_THAT(why, Catch::Contains("expected a duration"));
  }
}

TEST_CASE("format_duration reads back as the same duration", "[duration]") {
  for (std::chrono::seconds d : {0s, 30s, std::chrono::seconds(90min), std::chrono::seconds(4h + 30min), std::chrono::seconds(14 * 86400), std::chrono::seconds(5h + 1min + 1s)}) {
    std::string why;
    CHECK(parse_duration(format_duration(d), why) == d);
  }
  CHECK(format_duration(4h + 30min) == "4h30m");
  CHECK(format_duration(-90min) == "-1h30m");
}
