#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "devsim/device_identity.hpp"
#include "devsim/fleet.hpp"

using namespace tether::devsim;

TEST_CASE("the same index and seed give the same identity", "[devsim][identity]") {
  const device_identity a = make_device_identity(7, 20, 42);
  const device_identity b = make_device_identity(7, 20, 42);
  CHECK(a.hostname == b.hostname);
  CHECK(a.serial == b.serial);
  CHECK(a.model.model == b.model.model);
  CHECK(a.release == b.release);
  CHECK(a.interfaces.size() == b.interfaces.size());
  const device_identity other_seed = make_device_identity(7, 20, 43);
  CHECK((other_seed.serial != a.serial || other_seed.hostname != a.hostname));
}

TEST_CASE("device names are zero-padded to the width of the fleet size", "[devsim][identity]") {
  CHECK(device_name(1, 5) == "dev001");
  CHECK(device_name(42, 999) == "dev042");
  CHECK(device_name(7, 1000) == "dev0007");
  CHECK(device_name(1000, 1000) == "dev1000");
}

TEST_CASE("a fleet uses every model and serials in each model's format", "[devsim][identity]") {
  std::set<std::string> models, serials, hostnames;
  const std::map<std::string, std::regex> formats = {
      {"mx", std::regex("JN1[0-9A-F]{6}AFA")},  {"ex", std::regex("PE37[0-9]{8}")},
      {"qfx", std::regex("WS37[0-9]{8}")},      {"srx", std::regex("(CV|DK)[0-9]{4}AF[0-9]{4}")},
      {"ptx", std::regex("DE[0-9]{4}AF[0-9]{4}")}, {"acx", std::regex("EG[0-9]{4}AK[0-9]{4}")}};
  for (std::size_t i = 1; i <= 200; ++i) {
    const device_identity d = make_device_identity(i, 200, 1);
    models.insert(d.model.model);
    serials.insert(d.serial);
    hostnames.insert(d.hostname);
    INFO(d.model.model << " " << d.serial);
    CHECK(std::regex_match(d.serial, formats.at(d.model.family)));
    CHECK_FALSE(d.interfaces.empty());
  }
  CHECK(models.size() == known_models().size());
  CHECK(serials.size() == 200);
  CHECK(hostnames.size() == 200);
}

TEST_CASE("End-of-Support and unregistered options change only the named device", "[devsim][fleet]") {
  fleet_options o;
  o.count = 12;
  o.seed = 5;
  o.end_of_support = {"dev003"};
  o.unregistered = {"dev004"};
  o.faults = {"dev005=slow:100"};
  fleet f = build_fleet(o);
  REQUIRE(f.errors.empty());
  CHECK(f.find("dev003")->identity.end_of_support);
  CHECK(f.find("dev003")->identity.release != make_device_identity(3, 12, 5).release);
  CHECK(f.find("dev002")->identity.end_of_support == false);
  CHECK(f.find("dev004")->inventory_serial != f.find("dev004")->identity.serial);
  CHECK(f.find("dev002")->inventory_serial == f.find("dev002")->identity.serial);
  CHECK(f.find("dev005")->fault.type == fault::kind::slow);
  CHECK(f.find("dev005")->fault.amount == 100);
}

TEST_CASE("options naming devices that do not exist are errors", "[devsim][fleet]") {
  fleet_options o;
  o.count = 3;
  o.faults = {"dev009=hang", "dev001=explode"};
  o.end_of_support = {"edge1"};
  const fleet f = build_fleet(o);
  CHECK(f.errors.size() == 3);
}
