// Runs the real tetherctl binary: exit codes, the table, malformed input, --help.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "tests/support/run_process.hpp"
#include "tests/support/temp_dir.hpp"

using tether::testing::run_process;
using tether::testing::temp_dir;
using Catch::Contains;

namespace {

const std::string tetherctl = std::string(TETHER_BIN_DIR) + "/tetherctl";
const std::string examples = std::string(TETHER_SOURCE_DIR) + "/docs/examples";

const char* policy_yaml = "policy:\n  timezone: Europe/Amsterdam\n  holidays: [2026-12-25]\n";

tether::testing::process_result check(const std::string& policy, const std::string& windows,
                                      std::vector<std::string> extra = {}) {
  std::vector<std::string> argv{tetherctl, "window", "check", "--policy", policy, "--windows",
                                windows};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return run_process(argv);
}

}  // namespace

TEST_CASE("window check exits 0 when every window is valid and prints JSON", "[integration]") {
  temp_dir dir;
  auto r = check(dir.write("p.yaml", policy_yaml),
                 dir.write("w.yaml",
                           "windows:\n- {id: CHG-1, start: 2026-12-08T10:00, duration: 4h, "
                           "notified_at: '2026-11-20T10:00:00Z'}\n"),
                 {"--at", "2026-12-08T10:30:00Z", "--json"});
  CHECK(r.exit_code == 0);
  auto json = nlohmann::json::parse(r.out);
  CHECK(json["windows"][0]["start"] == "2026-12-08T09:00:00Z");
  CHECK(json["decision"]["allowed"] == true);
  CHECK(json["decision"]["closes_at"] == "2026-12-08T13:00:00Z");
}

TEST_CASE("window check exits 1 and explains each violation in words", "[integration]") {
  temp_dir dir;
  auto r = check(dir.write("p.yaml", policy_yaml),
                 dir.write("w.yaml",
                           "windows:\n- {id: XMAS, start: 2026-12-25T16:00, duration: 6h, "
                           "notified_at: '2026-12-20T10:00:00Z'}\n"),
                 {"--at", "2026-12-24T10:00"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Contains("XMAS"));
  CHECK_THAT(r.out, Contains("Fri 2026-12-25 16:00 CET"));
  CHECK_THAT(r.out, Contains("2026-12-25 is a holiday"));
  CHECK_THAT(r.out, Contains("lasts 6h, longer than the 5h maximum"));
  CHECK_THAT(r.out, Contains("runs outside service hours 09:00-17:00"));
  CHECK_THAT(r.out, Contains("notified 5d5h ahead; 14d notice required"));
  CHECK_THAT(r.out, Contains("CLOSED (no-window)"));
}

TEST_CASE("the table gives the time until the window closes", "[integration]") {
  temp_dir dir;
  auto r = check(dir.write("p.yaml", policy_yaml),
                 dir.write("w.yaml",
                           "windows:\n- {id: CHG-1, start: 2026-12-08T10:00, duration: 4h, "
                           "notified_at: '2026-11-20T10:00:00Z'}\n"),
                 {"--at", "2026-12-08T11:30"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("OPEN in CHG-1, closes in 2h30m (14:00 CET)"));
}

TEST_CASE("malformed input exits 2 naming the file, line and field", "[integration]") {
  temp_dir dir;
  const auto policy = dir.write("p.yaml", policy_yaml);
  SECTION("an unknown time zone") {
    auto r = check(dir.write("bad.yaml", "policy:\n  timezone: Europe/Atlantis\n"),
                   dir.write("w.yaml", "windows: []\n"));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("bad.yaml:2:13: policy.timezone: unknown time zone"));
  }
  SECTION("a bad duration") {
    auto r = check(policy, dir.write("w.yaml", "windows:\n- id: A\n  start: 2026-12-08T10:00\n"
                                               "  duration: 4hours\n  notified_at: "
                                               "2026-11-01T10:00\n"));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("w.yaml:4:13: windows[0].duration: expected a duration"));
  }
  SECTION("an impossible date") {
    auto r = check(policy, dir.write("w.yaml", "windows:\n- {id: A, start: 2026-02-30T10:00, "
                                               "duration: 1h, notified_at: 2026-01-01T10:00}\n"));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("w.yaml:2:18: windows[0].start: expected a time"));
  }
  SECTION("an unknown key") {
    auto r = check(policy, dir.write("w.yaml", "windows:\n- {id: A, start: 2026-12-08T10:00, "
                                               "lenght: 1h, notified_at: 2026-11-01T10:00}\n"));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("windows[0].lenght: unknown key"));
  }
  SECTION("duplicate window ids") {
    auto r = check(policy, dir.write("w.yaml",
                                     "windows:\n"
                                     "- {id: A, start: 2026-12-08T10:00, duration: 1h, "
                                     "notified_at: 2026-11-01T10:00}\n"
                                     "- {id: A, start: 2026-12-09T10:00, duration: 1h, "
                                     "notified_at: 2026-11-01T10:00}\n"));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("w.yaml:3:8: windows[1].id: duplicate window id \"A\""));
  }
  SECTION("an --at that happens twice") {
    auto r = check(policy, dir.write("w.yaml", "windows: []\n"), {"--at", "2026-10-25T02:30"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--at: \"2026-10-25T02:30\" happens twice"));
  }
  SECTION("a missing file") {
    auto r = check((dir.path / "absent.yaml").string(), dir.write("w.yaml", "windows: []\n"));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("absent.yaml: cannot read the file"));
  }
}

TEST_CASE("the agent configuration example qualifies as a policy file", "[integration]") {
  auto r = check(examples + "/agent.yaml", examples + "/windows.yaml", {"--json"});
  CHECK(r.exit_code == 1);  // the example schedule shows a rejected window too
  auto json = nlohmann::json::parse(r.out);
  CHECK(json["windows"].size() >= 3);
}

TEST_CASE("tetherctl has --help at every level", "[integration][help]") {
  for (auto argv : std::vector<std::vector<std::string>>{
           {tetherctl, "--help"}, {tetherctl, "window", "--help"},
           {tetherctl, "window", "check", "--help"}}) {
    auto r = run_process(argv);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("Usage"));
  }
  CHECK(run_process({tetherctl, "window", "frobnicate"}).exit_code == 2);
}
