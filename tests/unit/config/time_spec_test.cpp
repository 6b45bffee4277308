#include <catch2/catch.hpp>

#include "config/local_time.hpp"
#include "config/time_spec.hpp"

using namespace tether::config;

namespace {
std::optional<time_spec> parse(std::string_view text) {
  std::string why;
  return parse_time(text, why);
}
}  // namespace

TEST_CASE("a time without offset is a site-local wall time", "[time]") {
  auto t = parse("2026-12-08T10:00");
  REQUIRE(t);
  CHECK(t->is_local());
  CHECK(t->local() == date::local_days(date::year(2026) / 12 / 8) + std::chrono::hours(10));
  REQUIRE(parse("2026-12-08T10:00:30"));
  CHECK(parse("2026-12-08T10:00:30")->local().time_since_epoch().count() % 60 == 30);
}

TEST_CASE("RFC 3339 times with Z or an offset are absolute", "[time]") {
  CHECK(format_utc(parse("2026-12-08T09:00:00Z")->absolute()) == "2026-12-08T09:00:00Z");
  CHECK(format_utc(parse("2026-12-08T10:00:00+01:00")->absolute()) == "2026-12-08T09:00:00Z");
  CHECK(format_utc(parse("2026-12-08T09:30:00+05:45")->absolute()) == "2026-12-08T03:45:00Z");
  CHECK(format_utc(parse("2026-12-07T23:00:00-10:00")->absolute()) == "2026-12-08T09:00:00Z");
  CHECK(format_utc(parse("2026-12-08T09:00:00.750Z")->absolute()) == "2026-12-08T09:00:00Z");
  CHECK(format_utc(parse("2026-12-08 09:00:00z")->absolute()) == "2026-12-08T09:00:00Z");
}

TEST_CASE("malformed times are refused with the text they were given", "[time]") {
  for (std::string_view bad :
       {"", "2026-12-08", "2026-02-30T10:00", "2026-13-01T10:00", "2026-12-08T24:00",
        "2026-12-08T10:60", "2026-12-08T10:00:60", "2026-12-08T10", "2026-12-08T10:00+1",
        "2026-12-08T10:00+01", "2026-12-08T10:00:00+24:00", "26-12-08T10:00", "tomorrow",
        "2026-12-08T10:00:00.Z", "2026-12-08T10:00Zjunk"}) {
    std::string why;
    INFO("input: " << bad);
    CHECK_FALSE(parse_time(bad, why));
    CHECK_THAT(why, Catch::Contains("expected a time"));
  }
}

TEST_CASE("a leap day exists only in leap years", "[time]") {
  std::string why;
  CHECK(parse_date("2028-02-29", why));
  CHECK_FALSE(parse_date("2027-02-29", why));
}

TEST_CASE("service hours accept 24:00 only as an end", "[time]") {
  std::string why;
  CHECK(parse_time_of_day("24:00", why, true) == std::chrono::hours(24));
  CHECK_FALSE(parse_time_of_day("24:00", why, false));
  CHECK(parse_time_of_day("09:30", why, false) == std::chrono::minutes(570));
  CHECK_FALSE(parse_time_of_day("9:30", why, false));
  CHECK_FALSE(parse_time_of_day("24:01", why, true));
}

TEST_CASE("wall times resolve to one, none or two instants", "[time][dst]") {
  const auto* ams = date::locate_zone("Europe/Amsterdam");
  auto wall = [](int y, unsigned m, unsigned d, int h, int min) {
    return date::local_days(date::year(y) / m / d) + std::chrono::hours(h) +
           std::chrono::minutes(min);
  };
  SECTION("an ordinary time is unique") {
    auto r = resolve_local(*ams, wall(2026, 12, 8, 10, 0));
    CHECK(r.kind == local_kind::unique);
    CHECK(format_utc(r.earliest) == "2026-12-08T09:00:00Z");
  }
  SECTION("a time in the spring gap is read with the winter offset") {
    auto r = resolve_local(*ams, wall(2027, 3, 28, 2, 30));
    CHECK(r.kind == local_kind::nonexistent);
    CHECK(format_utc(r.earliest) == "2027-03-28T01:30:00Z");
    CHECK(format_utc(first_instant_at_or_after(*ams, wall(2027, 3, 28, 2, 30))) ==
          "2027-03-28T01:00:00Z");
  }
  SECTION("a time in the autumn overlap has two instants an hour apart") {
    auto r = resolve_local(*ams, wall(2026, 10, 25, 2, 30));
    CHECK(r.kind == local_kind::ambiguous);
    CHECK(format_utc(r.earliest) == "2026-10-25T00:30:00Z");
    CHECK(format_utc(r.latest) == "2026-10-25T01:30:00Z");
    CHECK(format_utc(last_instant_at_or_before(*ams, wall(2026, 10, 25, 2, 30))) ==
          "2026-10-25T01:30:00Z");
  }
}
