#include <catch2/catch.hpp>

#include <string>

#include "collectors/parsers/parser_registry.hpp"

using tether::collectors::find_parser;
using tether::collectors::parser_names;

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
      for (const auto& [key, value] : result.items()) {
        CHECK((value.is_null() || (value.is_array() && value.empty())));
      }
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
