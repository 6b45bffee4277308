// Runs the real tetherctl binary on saved Junos captures: `tetherctl parse`.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/support/run_process.hpp"

using Catch::Contains;
using tether::testing::run_process;

namespace {

const std::string tetherctl = std::string(TETHER_BIN_DIR) + "/tetherctl";
const std::string facts_fixtures = std::string(TETHER_SOURCE_DIR) + "/tests/fixtures/junos/facts/";

tether::testing::process_result parse(std::vector<std::string> args) {
  args.insert(args.begin(), {tetherctl, "parse"});
  return run_process(args);
}

}  // namespace

TEST_CASE("parse facts --json prints the device facts of a CLI capture", "[integration]") {
  auto r = parse({"facts", facts_fixtures + "mx960_12.3_text.txt", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto json = nlohmann::json::parse(r.out);
  CHECK(json["hostname"] == "core-mx960-ams1");
  CHECK(json["model"] == "mx960");
  CHECK(json["version"] == "12.3R12.4");
  CHECK(json["serial"] == "JN11E4B2CAFA");
  REQUIRE(json["modules"].size() == 13);
  CHECK(json["modules"][5] == nlohmann::json{{"name", "Routing Engine 0"},
                                             {"version", "REV 15"},
                                             {"part_number", "740-013063"},
                                             {"serial", "1000745244"},
                                             {"description", "RE-S-2000"}});
}

TEST_CASE("parse facts merges files, the first file winning device fields", "[integration]") {
  auto r = parse({"facts", facts_fixtures + "version_only_no_serial.txt",
                  facts_fixtures + "srx345_cluster_15.1X49.txt", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto json = nlohmann::json::parse(r.out);
  CHECK(json["hostname"] == "lab-vmx");
  CHECK(json["version"] == "22.4R2.8");
  CHECK(json["serial"] == "CX3416AF0123");
}

TEST_CASE("parse facts of XML with a NETCONF terminator reads the first member", "[integration]") {
  auto r = parse({"facts", facts_fixtures + "ptx10008_21.4_multi_re.xml", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto json = nlohmann::json::parse(r.out);
  CHECK(json["hostname"] == "ptx-core-2");
  CHECK(json["serial"] == "DE412");
}

TEST_CASE("parse facts without --json prints a readable report", "[integration]") {
  auto r = parse({"facts", facts_fixtures + "version_only_no_serial.txt"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("hostname: lab-vmx"));
  CHECK_THAT(r.out, Contains("serial: -"));
}

TEST_CASE("parse exits 2 naming an unknown collector or an unreadable file", "[integration]") {
  auto unknown = parse({"shell", facts_fixtures + "garbage.txt"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Contains("shell"));
  auto missing = parse({"facts", "/nonexistent/capture.txt", "--json"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Contains("/nonexistent/capture.txt"));
  CHECK(missing.out.empty());
  auto folder = parse({"facts", facts_fixtures});
  CHECK(folder.exit_code == 2);
}

TEST_CASE("parse --help lists the collectors", "[integration]") {
  auto r = parse({"--help"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("facts"));
}

TEST_CASE("parse bgp --json reads peers of every file in order", "[integration]") {
  const std::string bgp = std::string(TETHER_SOURCE_DIR) + "/tests/fixtures/junos/bgp/";
  auto r = parse({"bgp", bgp + "srx_cluster_summary_12.3X48.txt", bgp + "qfx10k_evpn_summary_21.4.xml", "--json"});
  REQUIRE(r.exit_code == 0);
  const auto json = nlohmann::json::parse(r.out);
  REQUIRE(json["peers"].size() == 3);
  CHECK(json["peers"][0]["logical_system"] == "LSYS-DMZ");
  CHECK(json["peers"][1]["ribs"][0]["table"] == "bgp.evpn.0");
  CHECK(json["peers"][2]["state"] == "Connect");
}

TEST_CASE("parse reads a capture from standard input given as -", "[integration]") {
  auto r = run_process({tetherctl, "parse", "interfaces", "-", "--json"},
                       "Interface               Admin Link Proto    Local                 Remote\n"
                       "ge-0/0/0                up    down\n");
  REQUIRE(r.exit_code == 0);
  const auto json = nlohmann::json::parse(r.out);
  REQUIRE(json["interfaces"].size() == 1);
  CHECK(json["interfaces"][0]["link"] == "down");
}
