#include <catch2/catch.hpp>

#include <string>

#include "collectors/junos_version.hpp"

using tether::collectors::parse_junos_version;

namespace {
std::string train_of(const std::string& version) {
  const auto v = parse_junos_version(version);
  return v ? v->train() : "(none)";
}
}  // namespace

TEST_CASE("Junos version strings reduce to their release train", "[version]") {
  CHECK(train_of("21.4R3-S5.4") == "21.4");
  CHECK(train_of("15.1X49-D200.2") == "15.1X49");
  CHECK(train_of("12.3R12.4") == "12.3");
  CHECK(train_of("23.4R1.9") == "23.4");
  CHECK(train_of("18.2R3-S3") == "18.2");
  CHECK(train_of("20.4R3-S9") == "20.4");
  CHECK(train_of("19.4R3.11") == "19.4");
  CHECK(train_of("15.1F6-S12") == "15.1");
  CHECK(train_of("12.3X48-D105.4") == "12.3X48");
  CHECK(train_of("14.1X53-D47.3") == "14.1X53");
  CHECK(train_of("17.3R3-S12.1") == "17.3");
  CHECK(train_of("20.1B1") == "20.1");
  CHECK(train_of("  22.2R1.9 \n") == "22.2");
  CHECK(train_of("22.4R3-S2.11-EVO") == "22.4-EVO");
}

TEST_CASE("the parts of a version are kept", "[version]") {
  const auto v = parse_junos_version("15.1X49-D200.2");
  REQUIRE(v);
  CHECK(v->major == 15);
  CHECK(v->minor == 1);
  CHECK(v->special == 49);
  CHECK_FALSE(v->evolved);
}

TEST_CASE("anything that is not a Junos version is not guessed", "[version]") {
  for (const char* text : {"", "junos", "21", "21.", "21.4", "21.4R", "21.4X", "21.4R3-",
                           "21.4R3-S", "21.4R3.", "21.4Z3", "121.4R1", "21.44R1", "15.1X49R1x",
                           "21.4R3-S5.4 extra", "v21.4R3", "21.4R3-S5.4-EVO2", "15.1X-D1",
                           "JUNOS Software Release [12.3R12.4]"}) {
    INFO(text);
    CHECK_FALSE(parse_junos_version(text));
  }
}
