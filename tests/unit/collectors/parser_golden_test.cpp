#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "collectors/parsers/parser_registry.hpp"

namespace fs = std::filesystem;
using tether::collectors::find_parser;
using tether::collectors::parser_names;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

fs::path fixtures_root() { return fs::path(TETHER_SOURCE_DIR) / "tests" / "fixtures" / "junos"; }

}  // namespace

TEST_CASE("every fixture parses to exactly its reviewed golden JSON", "[parsers][golden]") {
  std::size_t replayed = 0;
  for (const auto& collector : parser_names()) {
    const auto folder = fixtures_root() / collector;
    if (!fs::is_directory(folder)) continue;
    const auto parse = find_parser(collector);
    REQUIRE(parse);
    for (const auto& entry : fs::directory_iterator(folder)) {
      const auto& path = entry.path();
      if (path.extension() == ".json") continue;
      auto golden_path = path;
      golden_path.replace_extension(".json");
      INFO("fixture: " << path.string());
      REQUIRE(fs::exists(golden_path));
      const auto expected = nlohmann::ordered_json::parse(read_file(golden_path));
      const auto actual = (*parse)({read_file(path)});
      CHECK(actual.dump(2) == expected.dump(2));
      ++replayed;
    }
  }
  CHECK(replayed >= 10);
}

TEST_CASE("every documented collector has a parser and no other name does", "[parsers]") {
  for (const auto* name :
       {"facts", "interfaces", "alarms", "bgp", "ospf", "isis", "route-summary", "core-dumps"}) {
    CHECK(find_parser(name));
  }
  CHECK_FALSE(find_parser("shell"));
  CHECK_FALSE(find_parser(""));
}
