#include <catch2/catch.hpp>

#include "collectors/parsers/alarms_parser.hpp"

using tether::collectors::parse_alarms;

TEST_CASE("an alarm row splits into time, class and description at the header columns", "[parsers][alarms]") {
  const auto report = parse_alarms(
      "1 alarms currently active\n"
      "Alarm time               Class  Description\n"
      "2026-01-30 08:02:13 UTC  Minor  Rescue configuration is not set\n");
  REQUIRE(report.alarms.size() == 1);
  CHECK(report.alarms[0].time == "2026-01-30 08:02:13 UTC");
  CHECK(report.alarms[0].alarm_class == "Minor");
  CHECK(report.alarms[0].description == "Rescue configuration is not set");
  CHECK_FALSE(report.alarms[0].member);
  REQUIRE(report.summaries.size() == 1);
  CHECK(report.summaries[0].active == 1);
}

TEST_CASE("no active alarms is a summary of zero and no alarm", "[parsers][alarms]") {
  const auto report = parse_alarms("No alarms currently active\n");
  CHECK(report.alarms.empty());
  REQUIRE(report.summaries.size() == 1);
  CHECK(report.summaries[0].active == 0);
}

TEST_CASE("alarm rows without a header are not guessed at", "[parsers][alarms]") {
  const auto report = parse_alarms("2026-01-30 08:02:13 UTC  Minor  Rescue configuration is not set\n");
  CHECK(report.alarms.empty());
}
