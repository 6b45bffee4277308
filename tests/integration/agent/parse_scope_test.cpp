// tetherctl parse facts --inventory: the scope verdict of seed §2 (registered serial) and
// §7 (End of Support), judged on a fixed day.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/support/run_process.hpp"
#include "tests/support/temp_dir.hpp"

using tether::testing::run_process;
using Catch::Contains;

namespace {

const std::string tetherctl = std::string(TETHER_BIN_DIR) + "/tetherctl";
const std::string facts_dir = std::string(TETHER_SOURCE_DIR) + "/tests/fixtures/junos/facts/";
const std::string mx480 = facts_dir + "mx480_dual_re_18.4.txt";  // JN1249018AFB, 18.4

nlohmann::json scope_of(const std::string& inventory_yaml, std::vector<std::string> extra = {}) {
  tether::testing::temp_dir dir;
  std::vector<std::string> argv{tetherctl, "parse", "facts", mx480, "--json", "--inventory",
                                dir.write("inventory.yaml", inventory_yaml)};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto r = run_process(argv);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("facts of a registered device on a supported release are in scope",
          "[integration][scope]") {
  auto facts = scope_of("devices:\n- {name: edge1-re0, host: h, serial: JN1249018AFB, "
                        "credential: c}\n", {"--on", "2021-01-01"});
  CHECK(facts["device"] == "edge1-re0");
  CHECK(facts["scope"] == "in");
  CHECK(facts["scope_check"]["serial"] == "match");
}

TEST_CASE("a release past its End of Support is out of scope", "[integration][scope]") {
  auto facts = scope_of("devices:\n- {name: edge1-re0, host: h, serial: jn1249018afb, "
                        "credential: c}\n", {"--on", "2026-11-24"});
  CHECK(facts["scope"] == "end-of-support");
  CHECK(facts["scope_check"]["train"] == "18.4");
}

TEST_CASE("a serial other than the registered one is a mismatch", "[integration][scope]") {
  auto facts = scope_of("devices:\n- {name: edge1, host: h, serial: JN0000000AFA, credential: c}\n",
                        {"--device", "edge1", "--on", "2021-01-01"});
  CHECK(facts["device"] == "edge1");
  CHECK(facts["scope"] == "serial-mismatch");
}

TEST_CASE("a device the inventory does not register is unregistered", "[integration][scope]") {
  CHECK(scope_of("devices:\n- {name: other, host: h, serial: X1, credential: c}\n",
                 {"--on", "2021-01-01"})["scope"] == "unregistered");
  CHECK(scope_of("devices:\n- {name: edge1-re0, host: h, credential: c}\n",
                 {"--on", "2021-01-01"})["scope"] == "unregistered");
}

TEST_CASE("scope needs facts and a known device", "[integration][scope]") {
  tether::testing::temp_dir dir;
  const auto inv = dir.write("inventory.yaml", "devices: []\n");
  auto not_facts = run_process({tetherctl, "parse", "alarms", mx480, "--inventory", inv});
  CHECK(not_facts.exit_code == 2);
  CHECK_THAT(not_facts.err, Contains("--inventory judges the scope of facts only"));
  auto unknown = run_process({tetherctl, "parse", "facts", mx480, "--inventory", inv, "--device", "x"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Contains("device x is not in the inventory"));
}
