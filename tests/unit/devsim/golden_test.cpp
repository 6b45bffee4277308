#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "devsim/command_router.hpp"

using namespace tether::devsim;
namespace fs = std::filesystem;

// The outputs of one fixed device, kept as reviewed files in golden/: a change to any
// generator shows up as a diff here. To accept a reviewed change, run the test once with
// TETHER_WRITE_GOLDEN=1 and commit the files with the change.

namespace {

const fs::path golden_dir = fs::path(TETHER_SOURCE_DIR) / "tests/unit/devsim/golden";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("a fixed device answers exactly as its golden files say", "[devsim][golden]") {
  const command_router router(make_device_identity(2, 10, 1));
  const std::pair<const char*, const char*> commands[] = {
      {"show version", "show_version.txt"},
      {"show version | display xml", "show_version.xml"},
      {"show chassis hardware", "show_chassis_hardware.txt"},
      {"show chassis hardware | display xml", "show_chassis_hardware.xml"},
      {"show chassis alarms", "show_chassis_alarms.txt"},
      {"show system alarms | display xml", "show_system_alarms.xml"},
      {"show interfaces terse", "show_interfaces_terse.txt"},
      {"show bgp summary", "show_bgp_summary.txt"},
      {"show bgp summary | display xml", "show_bgp_summary.xml"},
      {"show ospf neighbor", "show_ospf_neighbor.txt"},
      {"show isis adjacency", "show_isis_adjacency.txt"},
      {"show route summary", "show_route_summary.txt"},
      {"show system core-dumps", "show_system_core_dumps.txt"},
      {"show log messages | last 30", "show_log_messages_last_30.txt"},
      {"show configuration", "show_configuration.txt"},
      {"show configuration | display set", "show_configuration_set.txt"},
      {"show foo", "error_syntax.txt"},
      {"show interfaces xe-1/0/0 extensive", "show_interfaces_extensive.txt"},
      {"show log chassisd | last 10", "show_log_chassisd_last_10.txt"},
  };
  const bool write = std::getenv("TETHER_WRITE_GOLDEN") != nullptr;
  for (const auto& [command, file] : commands) {
    INFO(command << " vs golden/" << file);
    const std::string out = router.run(command, cli_mode::exec).text;
    if (write) {
      fs::create_directories(golden_dir);
      std::ofstream(golden_dir / file, std::ios::binary) << out;
    }
    REQUIRE(fs::exists(golden_dir / file));
    CHECK(out == read(golden_dir / file));
  }
}
