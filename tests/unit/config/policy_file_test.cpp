#include <catch2/catch.hpp>

#include "config/policy_file.hpp"
#include "config/windows_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace tether::config;
using Catch::Contains;

namespace {

// Reads `text` as a policy file and returns every error as printed.
std::vector<std::string> policy_errors(const std::string& text) {
  auto doc = yaml_document::parse(text, "site.yaml");
  if (doc.ok()) read_window_policy(doc, doc.root()["policy"], "policy");
  std::vector<std::string> out;
  for (const auto& e : doc.errors()) out.push_back(e.to_string());
  return out;
}

std::vector<std::string> window_errors(const std::string& text) {
  auto doc = yaml_document::parse(text, "windows.yaml");
  if (doc.ok()) read_window(doc, doc.root(), "windows[0]");
  std::vector<std::string> out;
  for (const auto& e : doc.errors()) out.push_back(e.to_string());
  return out;
}

}  // namespace

TEST_CASE("a policy with only a time zone takes the contract's defaults", "[policy][config]") {
  auto doc = yaml_document::parse("policy:\n  timezone: Europe/Amsterdam\n", "p.yaml");
  auto p = read_window_policy(doc, doc.root()["policy"], "policy");
  REQUIRE(p);
  CHECK(p->timezone == "Europe/Amsterdam");
  CHECK(p->service_start == std::chrono::hours(9));
  CHECK(p->service_end == std::chrono::hours(17));
  CHECK(p->service_days == std::array<bool, 7>{false, true, true, true, true, true, false});
  CHECK(p->max_window == std::chrono::hours(5));
  CHECK(p->min_window_spacing == std::chrono::hours(24));
  CHECK(p->min_notice == std::chrono::hours(14 * 24));
  CHECK(p->closing_lead == std::chrono::minutes(5));
  CHECK(p->holidays.empty());
}

TEST_CASE("a policy may set how long before a window's end new requests are refused", "[policy][config]") {
  auto doc = yaml_document::parse("policy:\n  timezone: UTC\n  closing_lead: 10s\n", "p.yaml");
  auto p = read_window_policy(doc, doc.root()["policy"], "policy");
  REQUIRE(p);
  CHECK(p->closing_lead == std::chrono::seconds(10));
  CHECK_THAT(policy_errors("policy:\n  timezone: UTC\n  closing_lead: soon\n")[0],
             Contains("policy.closing_lead: expected a duration"));
}

TEST_CASE("policy errors name the file, line, column and field", "[policy][config]") {
  CHECK(policy_errors("policy:\n  timezone: Mars/Olympus\n") ==
        std::vector<std::string>{"site.yaml:2:13: policy.timezone: unknown time zone "
                                 "\"Mars/Olympus\"; expected an IANA name such as "
                                 "Europe/Amsterdam"});
  auto unknown = policy_errors("policy:\n  timezone: UTC\n  max_windw: 5h\n");
  REQUIRE(unknown.size() == 1);
  CHECK_THAT(unknown[0], Contains("site.yaml:3:3: policy.max_windw: unknown key"));
  auto missing = policy_errors("policy:\n  max_window: 5h\n");
  REQUIRE(missing.size() == 1);
  CHECK_THAT(missing[0], Contains("site.yaml:2:3: policy.timezone: missing"));
}

TEST_CASE("every problem in a policy is reported, not just the first", "[policy][config]") {
  auto errors = policy_errors(
      "policy:\n"
      "  timezone: UTC\n"
      "  max_window: 5 hours\n"
      "  min_notice: 14\n"
      "  service_hours: {start: '17:00', end: '09:00'}\n"
      "  service_days: [mon, funday]\n"
      "  holidays: [2026-12-32]\n");
  REQUIRE(errors.size() == 5);
  CHECK_THAT(errors[0], Contains("site.yaml:5:40: policy.service_hours.end: expected an end "
                                 "later than the start"));
  CHECK_THAT(errors[1], Contains("site.yaml:6:23: policy.service_days: expected a day"));
  CHECK_THAT(errors[2], Contains("site.yaml:7:14: policy.holidays: expected a date"));
  CHECK_THAT(errors[3], Contains("site.yaml:3:15: policy.max_window: expected a duration"));
  CHECK_THAT(errors[4], Contains("site.yaml:4:15: policy.min_notice: expected a duration"));
}

TEST_CASE("a zero maximum window and an empty day list are refused", "[policy][config]") {
  CHECK_THAT(policy_errors("policy: {timezone: UTC, max_window: 0m}")[0],
             Contains("policy.max_window: expected a duration longer than zero"));
  CHECK_THAT(policy_errors("policy: {timezone: UTC, service_days: []}")[0],
             Contains("policy.service_days: expected a non-empty list"));
}

TEST_CASE("window errors name the field and what was expected", "[policy][config]") {
  CHECK_THAT(window_errors("{id: A, start: 2026-12-08T10:00, notified_at: 2026-11-01T10:00}")[0],
             Contains("windows[0].duration: missing; expected a duration (4h) or an end time"));
  CHECK_THAT(window_errors("{id: A, start: 2026-12-08T10:00, duration: 1h, end: "
                           "2026-12-08T11:00, notified_at: 2026-11-01T10:00}")[0],
             Contains("windows[0].end: give either duration or end, not both"));
  CHECK_THAT(window_errors("{id: A, start: 2026-12-08T25:00, duration: 1h, "
                           "notified_at: 2026-11-01T10:00}")[0],
             Contains("windows.yaml:1:16: windows[0].start: expected a time"));
  CHECK_THAT(window_errors("{id: A, start: 2026-12-08T10:00, duration: 1h, "
                           "notified_at: 2026-11-01T10:00, owner: bob}")[0],
             Contains("windows[0].owner: unknown key"));
}

TEST_CASE("YAML syntax errors carry their position", "[config]") {
  auto errors = policy_errors("policy:\n  timezone: [UTC\n");
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0], Contains("site.yaml:"));
  CHECK_THAT(errors[0], Contains("not valid YAML"));
}

TEST_CASE("a missing file is an error naming the file", "[config]") {
  try {
    load_window_policy("/nonexistent/tether/site.yaml");
    FAIL("no error");
  } catch (const config_failure& e) {
    CHECK(std::string(e.what()) == "/nonexistent/tether/site.yaml: cannot read the file");
  }
}

TEST_CASE("a window with an empty duration or end is malformed, not endless", "[policy][config]") {
  CHECK_THAT(window_errors("{id: A, start: 2026-12-08T10:00, duration: ~, "
                           "notified_at: 2026-11-01T10:00}")[0],
             Contains("windows[0].duration: missing; expected a duration (4h) or an end time"));
  CHECK_THAT(window_errors("{id: A, start: 2026-12-08T10:00, end: , "
                           "notified_at: 2026-11-01T10:00}")[0],
             Contains("windows[0].duration: missing"));
}

TEST_CASE("a windows file without a windows: list is malformed", "[policy][config]") {
  for (std::string text : {"", "- {id: A}\n", "policy: {timezone: UTC}\n"}) {
    tether::testing::temp_dir dir;
    INFO("file: " << text);
    try {
      load_windows(dir.write("w.yaml", text));
      FAIL("no error");
    } catch (const config_failure& e) {
      CHECK_THAT(std::string(e.what()), Contains("windows: missing; expected a top-level windows: list"));
    }
  }
}
