#include <catch2/catch.hpp>

#include "devsim/fault.hpp"

using namespace tether::devsim;

TEST_CASE("every fault kind parses from its command-line spelling", "[devsim][fault]") {
  std::string why;
  const std::pair<const char*, fault::kind> cases[] = {
      {"dev001=auth-fail", fault::kind::auth_fail}, {"dev001=slow:250", fault::kind::slow},
      {"dev001=hang", fault::kind::hang},           {"dev001=drop-after:4096", fault::kind::drop_after},
      {"dev001=huge:5", fault::kind::huge},         {"dev001=hostkey-change", fault::kind::hostkey_change},
      {"dev001=refuse", fault::kind::refuse}};
  for (const auto& [text, kind] : cases) {
    INFO(text);
    auto f = parse_fault(text, why);
    REQUIRE(f);
    CHECK(f->device == "dev001");
    CHECK(f->what.type == kind);
    CHECK(std::string("dev001=") + to_string(f->what) == text);
  }
}

TEST_CASE("malformed faults are rejected with the expected form", "[devsim][fault]") {
  std::string why;
  for (const char* text : {"dev001", "=hang", "dev001=slow", "dev001=slow:x", "dev001=hang:3",
                           "dev001=explode", "dev001=huge:0", "dev001=drop-after:-1"}) {
    INFO(text);
    CHECK_FALSE(parse_fault(text, why));
    CHECK_FALSE(why.empty());
  }
}
