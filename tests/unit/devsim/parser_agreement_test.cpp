#include <catch2/catch.hpp>

#include "collectors/parsers/parser_registry.hpp"
#include "devsim/command_router.hpp"

using namespace tether::devsim;

// devsim's text and `| display xml` forms must say the same thing: the agent's parsers
// read both, so each must give the same JSON for either form, for every model.
TEST_CASE("the agent's parsers read the same facts from devsim's text and xml",
          "[devsim][parsers]") {
  const std::pair<const char*, std::vector<std::string>> collectors[] = {
      {"facts", {"show version", "show chassis hardware"}},
      {"alarms", {"show chassis alarms"}},
      {"interfaces", {"show interfaces terse"}},
      {"bgp", {"show bgp summary"}},
      {"ospf", {"show ospf neighbor"}},
      {"isis", {"show isis adjacency"}},
      {"route-summary", {"show route summary"}},
      {"core-dumps", {"show system core-dumps"}},
  };
  for (std::size_t index = 1; index <= 30; ++index) {
    const command_router router(make_device_identity(index, 30, 11));
    for (const auto& [name, commands] : collectors) {
      INFO(name << " on " << router.device().model.model << " (device " << index << ")");
      const auto parse = tether::collectors::find_parser(name);
      REQUIRE(parse);
      std::vector<std::string> text, xml;
      for (const std::string& c : commands) {
        text.push_back(router.run(c, cli_mode::exec).text);
        xml.push_back(router.run(c + " | display xml", cli_mode::exec).text);
      }
      const auto from_text = (*parse)(text);
      auto from_xml = (*parse)(xml);
      // The text form of an alarm carries no type (Chassis, Configuration...); XML does.
      if (std::string(name) == "alarms")
        for (auto& alarm : from_xml["alarms"]) alarm["type"] = nullptr;
      CHECK(from_text.dump() == from_xml.dump());
      CHECK_FALSE(from_text.empty());
    }
  }
}
