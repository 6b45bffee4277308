// The example configurations in docs/examples load without a problem.
#include <catch2/catch.hpp>

#include "config/agent_config.hpp"
#include "config/inventory.hpp"
#include "config/windows_file.hpp"

using namespace tether::config;

namespace {
const std::string examples = std::string(TETHER_SOURCE_DIR) + "/docs/examples/";
}

TEST_CASE("the example agent configuration loads with its policy and paths", "[config][examples]") {
  auto c = load_agent_config(examples + "agent.yaml");
  CHECK(c.site == "ams-dc1");
  CHECK(c.policy.timezone == "Europe/Amsterdam");
  CHECK(c.policy.holidays.size() == 3);
  CHECK(c.console.host == "console.vendor.example");
  CHECK(c.console.port == 443);
  CHECK(c.console.server_name == "console.vendor.example");
  CHECK(c.paths.state_dir == "/var/lib/tether");
  CHECK(c.paths.inventory == examples + "inventory.yaml");
}

TEST_CASE("the example inventory loads every device", "[config][examples]") {
  auto inv = load_inventory(examples + "inventory.yaml");
  REQUIRE(inv.devices.size() == 4);
  CHECK(inv.find("ams-edge2")->port == 830);
  CHECK(inv.find("ams-edge1")->serial == "JN11F2A3BAFA");
  CHECK_FALSE(inv.find("ams-lab1")->serial);
  CHECK(inv.find("nope") == nullptr);
}

TEST_CASE("the example schedule loads every window", "[config][examples]") {
  auto windows = load_windows(examples + "windows.yaml");
  REQUIRE(windows.size() == 5);
  CHECK(windows[3].end);
  CHECK_FALSE(windows[3].duration);
}
