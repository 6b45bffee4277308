#include <catch2/catch.hpp>

#include <string>

#include "collectors/parsers/facts_parser.hpp"

using tether::collectors::merge_facts;
using tether::collectors::parse_facts;
using tether::collectors::to_json;

namespace {

const std::string header =
    "Hardware inventory:\n"
    "Item             Version  Part number  Serial number     Description\n";

}  // namespace

TEST_CASE("multi-routing-engine show version takes device fields from re0", "[parsers][facts]") {
  const auto facts = parse_facts(
      "re0:\n--------------------------------------------------------------------------\n"
      "Hostname: r1-re0\nModel: mx960\nJunos: 21.2R3.5\n\n"
      "re1:\n--------------------------------------------------------------------------\n"
      "Hostname: r1-re1\nModel: mx960\nJunos: 21.2R3-S1.3\n");
  CHECK(facts.hostname == "r1-re0");
  CHECK(facts.version == "21.2R3.5");
}

TEST_CASE("a member without a Junos line does not borrow a later member's release", "[parsers][facts]") {
  const auto facts = parse_facts(
      "node0:\n--------------------------------------------------------------------------\n"
      "Hostname: fw-a\nModel: srx1500\n\n"
      "node1:\n--------------------------------------------------------------------------\n"
      "Hostname: fw-b\nModel: srx1500\nJunos: 19.4R3.11\n");
  CHECK(facts.hostname == "fw-a");
  // The first member is silent about its release; the second's is still the first known.
  CHECK(facts.version == "19.4R3.11");
}

TEST_CASE("virtual chassis XML takes device fields from the first member", "[parsers][facts]") {
  const auto facts = parse_facts(
      "<rpc-reply><multi-routing-engine-results>"
      "<multi-routing-engine-item><re-name>fpc0</re-name><software-information>"
      "<host-name>vc1</host-name><product-model>ex4600-40f</product-model>"
      "<junos-version>21.4R3-S4.9</junos-version></software-information></multi-routing-engine-item>"
      "<multi-routing-engine-item><re-name>fpc1</re-name><software-information>"
      "<host-name>vc1</host-name><product-model>ex4600-40f-afi</product-model>"
      "<junos-version>21.4R3-S4.9</junos-version></software-information></multi-routing-engine-item>"
      "</multi-routing-engine-results></rpc-reply>\n]]>]]>\n");
  CHECK(facts.model == "ex4600-40f");
  CHECK(facts.version == "21.4R3-S4.9");
}

TEST_CASE("old releases name their version in the package lines", "[parsers][facts]") {
  CHECK(parse_facts("Hostname: a\nJUNOS Base OS boot [12.3R12.4]\n").version == "12.3R12.4");
  CHECK(parse_facts("JUNOS Software Release [12.1X46-D40.2]\n").version == "12.1X46-D40.2");
  CHECK(parse_facts("JUNOS Kernel Software Suite [11.4R7.5]\nJUNOS Base OS boot [11.4R7.5]\n").version ==
        "11.4R7.5");
  // 15.1+ package lines carry build stamps, not releases.
  CHECK_FALSE(parse_facts("JUNOS OS Kernel 64-bit  [20170619.183714_fbsd-builder_stable_10]\n").version);
}

TEST_CASE("fields whose lines are absent stay null", "[parsers][facts]") {
  const auto facts = parse_facts(header + "Chassis                                JN11AB            MX240\n");
  CHECK(facts.serial == "JN11AB");
  CHECK_FALSE(facts.hostname);
  CHECK_FALSE(facts.model);
  CHECK_FALSE(facts.version);
  const auto json = to_json(facts);
  CHECK(json["hostname"].is_null());
  CHECK(json["model"].is_null());
  CHECK(json["modules"].is_array());
}

TEST_CASE("an empty inventory column is null, not the neighbouring value", "[parsers][facts]") {
  const auto facts = parse_facts(header +
                                 "Chassis                                JN11AB            MX240\n"
                                 "FPC 1                     BUILTIN      BUILTIN           MPC\n"
                                 "Fan Tray                                                 Fan Tray\n");
  REQUIRE(facts.modules.size() == 2);
  CHECK_FALSE(facts.modules[0].version);
  CHECK(facts.modules[0].part_number == "BUILTIN");
  CHECK(facts.modules[1].description == "Fan Tray");
  CHECK_FALSE(facts.modules[1].serial);
}

TEST_CASE("a value wider than its column pushes the rest of the row right", "[parsers][facts]") {
  const auto facts = parse_facts(header +
                                 "PSM 3            REV 04   740-050037   1EDB527002JXYZ12345 DC 52V PSM\n");
  REQUIRE(facts.modules.size() == 1);
  CHECK(facts.modules[0].serial == "1EDB527002JXYZ12345");
  CHECK(facts.modules[0].description == "DC 52V PSM");
}

TEST_CASE("misaligned or foreign rows in an inventory are skipped, never guessed", "[parsers][facts]") {
  const auto facts = parse_facts(header +
                                 "Routing Engine 0 REV 01   740-052100   9009237267        RE-S-1800x4\n"
                                 "cd0   27649 MB  VMware Virtual IDE Har 00000000000000000001 Hard Disk\n"
                                 "MIC 0                                                  Virtual\n"
                                 "Jedec Code:   0x7fb0            EEPROM Version:    0x02\n");
  REQUIRE(facts.modules.size() == 1);
  CHECK(facts.modules[0].name == "Routing Engine 0");
}

TEST_CASE("facts of several captures merge, the first capture winning", "[parsers][facts]") {
  auto facts = parse_facts("Hostname: a\nModel: mx204\n");
  merge_facts(facts, parse_facts("Hostname: b\nJunos: 22.4R3.25\n" + header +
                                 "Chassis                                BC518             JNP204 [MX204]\n"));
  CHECK(facts.hostname == "a");
  CHECK(facts.model == "mx204");
  CHECK(facts.version == "22.4R3.25");
  CHECK(facts.serial == "BC518");
}

TEST_CASE("garbage, truncated XML and binary input give empty facts without throwing", "[parsers][facts]") {
  for (const std::string& input :
       {std::string(), std::string("<rpc-reply><software-information><host-name>"),
        std::string("\0\xff<\n<a\n]]>]]>\nItem Part number Serial number\n\x01", 40),
        std::string("re0:\n-----------\n"), header + "Chassis", std::string("<<<<>>>>") }) {
    const auto facts = parse_facts(input);
    CHECK_FALSE(facts.hostname);
    CHECK_FALSE(facts.version);
  }
}

TEST_CASE("a pager prompt inside the inventory does not end the table", "[parsers][facts]") {
  const auto facts = parse_facts(header +
                                 "Chassis                                JN11AB            MX240\n"
                                 "---(more 40%)---\r                \r"
                                 "CB 0             REV 07   710-021523   ABBC8281          MX SCB\n"
                                 "---(more 80%)---\n"
                                 "FPC 1            REV 21   750-033205   ZB2407            MPC\n");
  REQUIRE(facts.modules.size() == 2);
  CHECK(facts.modules[0].name == "CB 0");
  CHECK(facts.modules[1].serial == "ZB2407");
}

TEST_CASE("a stray angle-bracket line in text does not swallow the output after it", "[parsers][facts]") {
  const auto facts = parse_facts("<none>\nHostname: edge9\nModel: mx10003\nJunos: 23.4R1.9\n");
  CHECK(facts.hostname == "edge9");
  CHECK(facts.version == "23.4R1.9");
}

TEST_CASE("an XML reply cut short still gives the fields read before the cut", "[parsers][facts]") {
  const auto facts = parse_facts(
      "<rpc-reply xmlns:junos=\"http://xml.juniper.net/junos/19.4R3/junos\">\n"
      "<software-information>\n<host-name>cut1</host-name>\n<product-model>ex3400-48p</product-model>\n"
      "<junos-version>19.4R3-S10.2</junos-version>\n<package-information>\n"
      "user@cut1> show chassis hardware\n");
  CHECK(facts.hostname == "cut1");
  CHECK(facts.model == "ex3400-48p");
  CHECK(facts.version == "19.4R3-S10.2");
}
