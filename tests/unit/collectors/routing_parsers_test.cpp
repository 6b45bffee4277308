#include <catch2/catch.hpp>

#include "collectors/parsers/bgp_parser.hpp"
#include "collectors/parsers/core_dumps_parser.hpp"
#include "collectors/parsers/isis_parser.hpp"
#include "collectors/parsers/ospf_parser.hpp"
#include "collectors/parsers/route_summary_parser.hpp"

using namespace tether::collectors;

namespace {
const char* peer_header =
    "Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn "
    "State|#Active/Received/Accepted/Damped...\n";
}

TEST_CASE("a BGP peer with inline counts is established with unnamed RIBs", "[parsers][bgp]") {
  const auto summary = parse_bgp(std::string(peer_header) +
                                 "172.31.0.2            65100        211        209       0       0"
                                 "     1:32:10 3/3/3/0              0/0/0/0\n");
  REQUIRE(summary.peers.size() == 1);
  const auto& peer = summary.peers[0];
  CHECK(peer.state == "Established");
  CHECK(peer.last_up_down == "1:32:10");
  REQUIRE(peer.ribs.size() == 2);
  CHECK_FALSE(peer.ribs[0].table);
  CHECK(peer.ribs[0].received == 3);
}

TEST_CASE("BGP peers of a logical system carry its name from the command or prompt", "[parsers][bgp]") {
  const auto from_command = parse_bgp("lab@r1> show bgp summary logical-system LS1\n" + std::string(peer_header) +
                                      "10.0.0.1 65001 0 0 0 0 5:00 Active\n");
  REQUIRE(from_command.peers.size() == 1);
  CHECK(from_command.peers[0].logical_system == "LS1");
  const auto from_prompt = parse_bgp("admin@fw:LSYS2> show bgp summary\n" + std::string(peer_header) +
                                     "10.0.0.1 65001 0 0 0 0 5:00 Connect\n");
  REQUIRE(from_prompt.peers.size() == 1);
  CHECK(from_prompt.peers[0].logical_system == "LSYS2");
  CHECK(from_prompt.peers[0].state == "Connect");
}

TEST_CASE("a BGP row whose counters are not numbers is not a peer", "[parsers][bgp]") {
  CHECK(parse_bgp(std::string(peer_header) + "10.0.0.1 AS65001 0 0 0 0 5:00 Active\n").peers.empty());
}

TEST_CASE("OSPFv3 neighbors take their address from the Neighbor-address line", "[parsers][ospf]") {
  const auto neighbors = parse_ospf(
      "ID               Interface              State     Pri   Dead\n"
      "10.255.0.2       xe-0/0/0.0             Full      128     34\n"
      "  Neighbor-address fe80::1\n");
  REQUIRE(neighbors.size() == 1);
  CHECK(neighbors[0].version == "ospf3");
  CHECK(neighbors[0].router_id == "10.255.0.2");
  CHECK(neighbors[0].address == "fe80::1");
}

TEST_CASE("an IS-IS adjacency without SNPA has a null snpa", "[parsers][isis]") {
  const auto adjacencies = parse_isis(
      "Interface             System         L State        Hold (secs) SNPA\n"
      "et-0/0/0.0            core-ptx2      2  Up                   24\n");
  REQUIRE(adjacencies.size() == 1);
  CHECK(adjacencies[0].level == 2);
  CHECK_FALSE(adjacencies[0].snpa);
}

TEST_CASE("route summary protocol lines belong to the table above them", "[parsers][route-summary]") {
  const auto summary = parse_route_summary(
      "Router ID: 10.0.0.1\n\n"
      "inet.0: 6 destinations, 7 routes (6 active, 0 holddown, 1 hidden)\n"
      "              Direct:      3 routes,      3 active\n");
  REQUIRE(summary.tables.size() == 1);
  CHECK(summary.tables[0].hidden == 1);
  REQUIRE(summary.tables[0].protocols.size() == 1);
  CHECK(summary.tables[0].protocols[0].protocol == "Direct");
  REQUIRE(summary.routers.size() == 1);
  CHECK_FALSE(summary.routers[0].autonomous_system);
  CHECK(summary.routers[0].router_id == "10.0.0.1");
}

TEST_CASE("core dump listings keep path, size and date; missing-file lines are ignored", "[parsers][core-dumps]") {
  const auto dumps = parse_core_dumps(
      "-rw-r--r--  1 root  wheel    1252383 Aug 8   2019 /var/crash/core.riot.mpc0.1565307741.1716.gz\n"
      "/var/tmp/*core*: No such file or directory\n"
      "total files: 1\n");
  REQUIRE(dumps.size() == 1);
  CHECK(dumps[0].size == 1252383);
  CHECK(dumps[0].date == "Aug 8 2019");
}

TEST_CASE("a Restart Complete line inside a table block does not end the table", "[parsers][route-summary]") {
  const auto summary = parse_route_summary(
      "inet.0: 7 destinations, 7 routes (7 active, 0 holddown, 0 hidden)\n"
      "              Restart Complete\n"
      "              Direct:      2 routes,      2 active\n\n"
      "              Local:      2 routes,      2 active\n");
  REQUIRE(summary.tables.size() == 1);
  REQUIRE(summary.tables[0].protocols.size() == 1);
  CHECK(summary.tables[0].protocols[0].protocol == "Direct");
}
