#include <catch2/catch.hpp>

#include <functional>
#include <pugixml.hpp>

#include "devsim/command_outputs.hpp"

using namespace tether::devsim;

namespace {

using generator = std::function<std::string(const device_identity&, output_format)>;

const std::vector<std::pair<const char*, generator>>& generators() {
  static const std::vector<std::pair<const char*, generator>> all = {
      {"show version", show_version},
      {"show chassis hardware", show_chassis_hardware},
      {"show chassis alarms", show_chassis_alarms},
      {"show system alarms", show_system_alarms},
      {"show log messages", show_log_messages},
      {"show interfaces terse", show_interfaces_terse},
      {"show bgp summary", show_bgp_summary},
      {"show ospf neighbor", show_ospf_neighbor},
      {"show isis adjacency", show_isis_adjacency},
      {"show route summary", show_route_summary},
      {"show system core-dumps", show_system_core_dumps},
      {"request support information", request_support_information}};
  return all;
}

}  // namespace

TEST_CASE("every command's display xml is a well-formed rpc-reply of the device's release",
          "[devsim][outputs]") {
  for (std::size_t i = 1; i <= 30; ++i) {
    const device_identity d = make_device_identity(i, 30, 3);
    for (const auto& [command, make] : generators()) {
      INFO(command << " on " << d.model.model);
      const std::string xml = make(d, output_format::xml);
      pugi::xml_document doc;
      REQUIRE(doc.load_string(xml.c_str()));
      const pugi::xml_node reply = doc.child("rpc-reply");
      REQUIRE(reply);
      CHECK(std::string(reply.attribute("xmlns:junos").value()) ==
            "http://xml.juniper.net/junos/" + d.release + "/junos");
      CHECK(reply.child("cli"));
    }
  }
}

TEST_CASE("text outputs are deterministic and end with a newline", "[devsim][outputs]") {
  const device_identity d = make_device_identity(4, 10, 3);
  for (const auto& [command, make] : generators()) {
    INFO(command);
    const std::string a = make(d, output_format::text);
    CHECK(a == make(d, output_format::text));
    REQUIRE_FALSE(a.empty());
    CHECK(a.back() == '\n');
  }
}

TEST_CASE("show version and show chassis hardware carry the identity", "[devsim][outputs]") {
  const device_identity d = make_device_identity(5, 10, 3);
  const std::string version = show_version(d, output_format::text);
  CHECK(version.rfind("Hostname: " + d.hostname + "\nModel: " + d.model.model + "\nJunos: " +
                          d.release + "\n", 0) == 0);
  const std::string hw = show_chassis_hardware(d, output_format::text);
  CHECK(hw.find("Chassis                                " + d.serial + "      " +
                d.model.chassis + "\n") != std::string::npos);
  pugi::xml_document doc;
  REQUIRE(doc.load_string(show_chassis_hardware(d, output_format::xml).c_str()));
  CHECK(std::string(doc.select_node("//chassis/serial-number").node().child_value()) == d.serial);
}

TEST_CASE("an end-of-support device reports its old release", "[devsim][outputs]") {
  device_identity d = make_device_identity(6, 10, 3);
  make_end_of_support(d);
  CHECK(d.end_of_support);
  const std::string version = show_version(d, output_format::text);
  CHECK(version.find(d.release) != std::string::npos);
}

TEST_CASE("PTX and ACX run Junos OS Evolved releases", "[devsim][outputs]") {
  for (std::size_t i = 1; i <= 40; ++i) {
    const device_identity d = make_device_identity(i, 40, 3);
    INFO(d.model.model << " " << d.release);
    CHECK(is_evolved(d.model) == (d.release.size() > 4 && d.release.substr(d.release.size() - 4) == "-EVO"));
  }
}
