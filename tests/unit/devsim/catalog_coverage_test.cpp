#include <catch2/catch.hpp>

#include <regex>
#include <yaml-cpp/yaml.h>

#include "devsim/command_router.hpp"

using namespace tether::devsim;

// devsim must answer every command the shipped collector catalog can send, with its
// parameters at their defaults and at other values their patterns allow.
TEST_CASE("every catalog command gets a real answer from every model", "[devsim][catalog]") {
  const YAML::Node catalog =
      YAML::LoadFile(std::string(TETHER_SOURCE_DIR) + "/collectors/catalog/junos.yaml");
  for (std::size_t index = 1; index <= 30; ++index) {
    const command_router router(make_device_identity(index, 30, 11));
    const device_identity& d = router.device();
    const std::map<std::string, std::vector<std::string>> values = {
        {"file", {"messages", "security.1.gz"}},
        {"lines", {"200", "5"}},
        {"interface", {d.interfaces.back().name, "lo0", "lo0.0", d.model.management}}};
    for (const auto& collector : catalog["collectors"]) {
      for (const auto& command : collector.second["commands"]) {
        std::vector<std::string> lines{command.as<std::string>()};
        for (const auto& [param, choices] : values) {
          std::vector<std::string> next;
          for (const auto& l : lines)
            for (const auto& v : choices)
              next.push_back(std::regex_replace(l, std::regex("\\{" + param + "\\}"), v));
          lines = next;
        }
        for (const auto& line : lines) {
          INFO(d.model.model << ": " << line);
          const command_reply r = router.run(line, cli_mode::exec);
          CHECK(r.type == command_reply::kind::output);
          CHECK_FALSE(r.text.empty());
        }
      }
    }
  }
}
