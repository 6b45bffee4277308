#include <catch2/catch.hpp>

#include "collectors/parsers/interfaces_parser.hpp"

using tether::collectors::parse_interfaces;

TEST_CASE("terse continuation rows add families and addresses to the interface above", "[parsers][interfaces]") {
  const auto interfaces = parse_interfaces(
      "Interface               Admin Link Proto    Local                 Remote\n"
      "lo0.0                   up    up   inet     10.0.0.1            --> 0/0\n"
      "                                            10.0.0.2            --> 0/0\n"
      "                                   inet6    2001:db8::1\n");
  REQUIRE(interfaces.size() == 1);
  CHECK(interfaces[0].protocols == std::vector<std::string>{"inet", "inet6"});
  REQUIRE(interfaces[0].addresses.size() == 3);
  CHECK(interfaces[0].addresses[1].local == "10.0.0.2");
  CHECK(interfaces[0].addresses[1].remote == "0/0");
  CHECK(interfaces[0].addresses[2].protocol == "inet6");
  CHECK_FALSE(interfaces[0].addresses[2].remote);
}

TEST_CASE("a logical interface without status in XML has null admin and link", "[parsers][interfaces]") {
  const auto interfaces = parse_interfaces(
      "<interface-information><physical-interface><name>ge-0/0/0</name>"
      "<admin-status>up</admin-status><oper-status>down</oper-status>"
      "<logical-interface><name>ge-0/0/0.0</name></logical-interface>"
      "</physical-interface></interface-information>");
  REQUIRE(interfaces.size() == 2);
  CHECK(interfaces[0].link == "down");
  CHECK_FALSE(interfaces[1].admin);
  CHECK_FALSE(interfaces[1].link);
}

TEST_CASE("lines that are not interface rows are ignored", "[parsers][interfaces]") {
  CHECK(parse_interfaces("error: device ge-9/9/9 not found\n").empty());
  CHECK(parse_interfaces("Interface Admin Link Proto\nfoo bar baz\n").empty());
}
