#include <catch2/catch.hpp>

#include <string>

#include "collectors/end_of_support.hpp"
#include "collectors/scope_check.hpp"

using namespace tether::collectors;

namespace {

const end_of_support_table& table() {
  static const end_of_support_table t = parse_end_of_support_table(R"(source: https://example.net/eol
taken: 2026-11-24
trains:
  "15.1X49": 2022-05-01
  "21.4": 2025-06-21
  "23.4": 2028-12-21
)", "eos.yaml");
  return t;
}

std::chrono::sys_days day(const char* text) { return *parse_iso_date(text); }

}  // namespace

TEST_CASE("a registered device with its serial and a supported release is in scope",
          "[scope]") {
  const scope_result r = scope_check(table(), "JN11AB0CDAFA", "jn11ab0cdafa ", "23.4R1.9",
                                     day("2026-12-08"));
  CHECK(r.verdict == scope::in);
  CHECK(r.problems.empty());
  CHECK(r.serial == serial_status::match);
  CHECK(r.release == release_status::supported);
  CHECK(r.train == "23.4");
  CHECK(r.detail == "serial JN11AB0CDAFA matches; release 23.4R1.9: train 23.4 supported until "
                    "2028-12-21");
}

TEST_CASE("a release past its End of Support is out of scope", "[scope]") {
  const scope_result r = scope_check(table(), "AB123", "AB123", "15.1X49-D200.2", day("2026-12-08"));
  CHECK(to_string(r.verdict) == "end-of-support");
  CHECK(r.release == release_status::end_of_support);
  CHECK(r.end_of_support == day("2022-05-01"));
}

TEST_CASE("the End-of-Support date itself is still supported", "[scope]") {
  CHECK(scope_check(table(), "A", "A", "21.4R3-S5.4", day("2025-06-21")).verdict == scope::in);
  CHECK(scope_check(table(), "A", "A", "21.4R3-S5.4", day("2025-06-22")).verdict ==
        scope::end_of_support);
}

TEST_CASE("a device without a registered serial is unregistered", "[scope]") {
  const scope_result r = scope_check(table(), std::nullopt, "AB123", "23.4R1.9", day("2026-12-08"));
  CHECK(to_string(r.verdict) == "unregistered");
  CHECK(r.detail.rfind("no serial registered in the inventory (device reports AB123)", 0) == 0);
  CHECK(scope_check(table(), "  ", "AB123", "23.4R1.9", day("2026-12-08")).verdict ==
        scope::unregistered);
}

TEST_CASE("a device reporting another serial is a serial mismatch", "[scope]") {
  const scope_result r = scope_check(table(), "AB123", "ZZ999", "23.4R1.9", day("2026-12-08"));
  CHECK(to_string(r.verdict) == "serial-mismatch");
  CHECK(r.detail.rfind("device reports serial ZZ999, inventory registers AB123", 0) == 0);
}

TEST_CASE("identity problems take precedence over End of Support, and all are listed",
          "[scope]") {
  const scope_result mismatch =
      scope_check(table(), "AB123", "ZZ999", "15.1X49-D200.2", day("2026-12-08"));
  CHECK(mismatch.verdict == scope::serial_mismatch);
  CHECK(mismatch.problems == std::vector<scope>{scope::serial_mismatch, scope::end_of_support});
  const scope_result unregistered =
      scope_check(table(), std::nullopt, "ZZ999", "15.1X49-D200.2", day("2026-12-08"));
  CHECK(unregistered.verdict == scope::unregistered);
  CHECK(unregistered.problems == std::vector<scope>{scope::unregistered, scope::end_of_support});
}

TEST_CASE("an unknown train or an unrecognised version is never called end-of-support",
          "[scope]") {
  const scope_result unknown = scope_check(table(), "A", "A", "26.2R1.3", day("2026-12-08"));
  CHECK(unknown.verdict == scope::in);
  CHECK(unknown.release == release_status::unknown_train);
  CHECK(unknown.train == "26.2");
  CHECK(unknown.detail.find("not in the End-of-Support table (taken 2026-11-24); not judged") !=
        std::string::npos);
  const scope_result evolved = scope_check(table(), "A", "A", "21.4R3-S5.4-EVO", day("2026-12-08"));
  CHECK(evolved.verdict == scope::in);
  CHECK(evolved.release == release_status::unknown_train);
  const scope_result garbage = scope_check(table(), "A", "A", "banana\n", day("2026-12-08"));
  CHECK(garbage.verdict == scope::in);
  CHECK(garbage.release == release_status::unrecognised);
  CHECK(garbage.detail.find('\n') == std::string::npos);
}

TEST_CASE("facts not yet collected leave the verdict to what is known", "[scope]") {
  const scope_result r = scope_check(table(), "AB123", std::nullopt, std::nullopt, day("2026-12-08"));
  CHECK(r.verdict == scope::in);
  CHECK(r.serial == serial_status::not_collected);
  CHECK(r.release == release_status::not_collected);
  CHECK(scope_check(table(), std::nullopt, std::nullopt, std::nullopt, day("2026-12-08")).verdict ==
        scope::unregistered);
}

TEST_CASE("a scope result is carried as JSON with stable codes", "[scope]") {
  const auto json = scope_json(
      scope_check(table(), "AB123", "ZZ999", "15.1X49-D200.2", day("2026-12-08")));
  CHECK(json["scope"] == "serial-mismatch");
  CHECK(json["problems"] == nlohmann::json({"serial-mismatch", "end-of-support"}));
  CHECK(json["serial"] == "mismatch");
  CHECK(json["release"] == "end-of-support");
  CHECK(json["train"] == "15.1X49");
  CHECK(json["end_of_support"] == "2022-05-01");
  const auto unknown = scope_json(scope_check(table(), "A", "A", "nonsense", day("2026-12-08")));
  CHECK(unknown["scope"] == "in");
  CHECK(unknown["train"].is_null());
  CHECK(unknown["end_of_support"].is_null());
}
