#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "collectors/parsers/parser_registry.hpp"

using tether::collectors::find_parser;
using tether::collectors::parser_names;

namespace {

/// True when the JSON says nothing: null, an empty list, or an object of such values.
bool says_nothing(const nlohmann::ordered_json& value) {
  if (value.is_null()) return true;
  if (value.is_array()) return value.empty();
  if (!value.is_object()) return false;
  for (const auto& [key, inner] : value.items()) {
    if (!says_nothing(inner)) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("every parser turns garbage into an empty result without throwing", "[parsers]") {
  const std::vector<std::string> inputs{
      "",
      std::string("\0\x01\x02\xff\xfe", 5),
      "<rpc-reply><software-information><host-name>",
      "<<<<<<<<>>>>>>>>]]>]]>",
      "re0:\n--------------------------------------------------------------------------\n",
      "Interface Admin Link Proto Local Remote\nAlarm time Class Description\n"
      "Item Version Part number Serial number Description\n",
      std::string(10000, '<'),
      std::string(5000, '\n'),
  };
  for (const auto& name : parser_names()) {
    const auto parse = find_parser(name);
    REQUIRE(parse);
    for (const auto& input : inputs) {
      INFO("parser " << name << ", input of " << input.size() << " bytes");
      nlohmann::ordered_json result;
      REQUIRE_NOTHROW(result = (*parse)({input}));
      CHECK(result.is_object());
      CHECK(says_nothing(result));
    }
  }
}

TEST_CASE("several captures of one collector are concatenated in order", "[parsers]") {
  const auto parse = find_parser("alarms");
  REQUIRE(parse);
  const auto result = (*parse)({"No alarms currently active\n", "2 alarms currently active\n"});
  REQUIRE(result["summaries"].size() == 2);
  CHECK(result["summaries"][1]["active"] == 2);
}

TEST_CASE("the routing collector's capture is split between the four routing parsers", "[parsers]") {
  const auto parse = find_parser("routing");
  REQUIRE(parse);
  const auto result = (*parse)({
      "lab@p1> show bgp summary\n"
      "Groups: 1 Peers: 1 Down peers: 1\n"
      "Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State\n"
      "10.0.0.9              65009          0          0       0       0        5:00 Active\n\n"
      "lab@p1> show ospf neighbor\n"
      "Address          Interface              State     ID               Pri  Dead\n"
      "10.1.12.2        xe-0/0/0.0             Full      10.255.0.2       128    36\n\n"
      "lab@p1> show isis adjacency\n"
      "Interface             System         L State        Hold (secs) SNPA\n"
      "et-0/0/0.0            core-ptx2      2  Up                   24\n\n"
      "lab@p1> show route summary\n"
      "inet.0: 6 destinations, 6 routes (6 active, 0 holddown, 0 hidden)\n"});
  CHECK(result["bgp"]["peers"].size() == 1);
  CHECK(result["ospf"]["neighbors"].size() == 1);
  CHECK(result["isis"]["adjacencies"].size() == 1);
  CHECK(result["route_summary"]["tables"].size() == 1);
}

TEST_CASE("many unclosed XML-looking lines are parsed in linear time", "[parsers]") {
  std::string capture;
  for (int i = 0; i < 20000; ++i) capture += "<rpc-reply>\n<bogus" + std::to_string(i) + " a\n";
  const auto parse = find_parser("facts");
  REQUIRE(parse);
  const auto start = std::chrono::steady_clock::now();
  const auto result = (*parse)({capture});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(result["hostname"].is_null());
  // Quadratic scanning would take minutes here; linear takes milliseconds.
  CHECK(elapsed < std::chrono::seconds(10));
}
