#include <catch2/catch.hpp>

#include "agent/parse_report.hpp"

using Catch::Contains;
using tether::agent::parse_report_table;

TEST_CASE("a parse report prints scalars as lines, null as a dash and lists as tables", "[parse]") {
  const auto report = parse_report_table(nlohmann::ordered_json{
      {"hostname", "r1"},
      {"serial", nullptr},
      {"modules", {{{"name", "FPC 0"}, {"serial", "ZB2407"}}, {{"name", "PEM 0"}, {"serial", nullptr}}}}});
  CHECK_THAT(report, Contains("hostname: r1\n"));
  CHECK_THAT(report, Contains("serial: -\n"));
  CHECK_THAT(report, Contains("  name   serial\n"));
  CHECK_THAT(report, Contains("  FPC 0  ZB2407\n"));
  CHECK_THAT(report, Contains("  PEM 0  -\n"));
}

TEST_CASE("a parse report names nested parts with their key as a prefix", "[parse]") {
  const auto report = parse_report_table(nlohmann::ordered_json{
      {"bgp", {{"peers", nlohmann::ordered_json::array()}}}, {"ospf", {{"neighbors", {{{"state", "Full"}}}}}}});
  CHECK_THAT(report, Contains("bgp.peers: (none)\n"));
  CHECK_THAT(report, Contains("ospf.neighbors:\n  state\n  Full\n"));
}
