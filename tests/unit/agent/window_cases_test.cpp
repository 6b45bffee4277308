// Replays the window-policy case files (tests/data/window-cases/*.yaml): each case's policy,
// windows and query time through the engine and the JSON report, against its expected output.
#include <catch2/catch.hpp>

#include <filesystem>

#include "agent/window_report.hpp"
#include "config/local_time.hpp"
#include "config/policy_file.hpp"
#include "config/windows_file.hpp"
#include "tests/support/yaml_to_json.hpp"

namespace {

namespace cfg = tether::config;

nlohmann::ordered_json run_case(cfg::yaml_document& doc, const YAML::Node& c) {
  auto policy = cfg::read_window_policy(doc, c["policy"], "policy");
  for (const auto& e : doc.errors()) FAIL(e.to_string());
  REQUIRE(policy);
  std::vector<cfg::window_request> windows;
  for (std::size_t i = 0; i < c["windows"].size(); ++i)
    if (auto w = cfg::read_window(doc, c["windows"][i], "windows")) windows.push_back(*w);
  std::optional<date::sys_seconds> at;
  if (c["at"]) {
    std::string why;
    auto spec = cfg::parse_time(c["at"].Scalar(), why);
    REQUIRE(spec);
    at = cfg::resolve_time(*policy->zone, *spec).earliest;
  }
  for (const auto& e : doc.errors()) FAIL(e.to_string());
  return tether::agent::window_report_json(cfg::evaluate(*policy, windows, at));
}

}  // namespace

TEST_CASE("every window-policy case gives its expected verdict", "[policy][cases]") {
  const auto dir = std::filesystem::path(TETHER_SOURCE_DIR) / "tests/data/window-cases";
  std::size_t count = 0;
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    auto doc = cfg::yaml_document::load(file.path().string());
    REQUIRE(doc.ok());
    for (const auto& c : doc.root()["cases"]) {
      INFO(file.path().filename().string() << ": " << c["name"].Scalar());
      const auto expected = tether::testing::yaml_to_json(c["expect"]);
      const auto actual = run_case(doc, c);
      CHECK(actual.dump(1) == expected.dump(1));
      ++count;
    }
  }
  CHECK(count >= 40);
}
