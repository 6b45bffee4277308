#include <catch2/catch.hpp>

#include "console/certificate_listing.hpp"
#include "tests/unit/console/ca_fixture.hpp"

using namespace tether::console;
using tether::console::testing::ca_fixture;

TEST_CASE("the listing shows the CA first, then each leaf with its role and name", "[list]") {
  ca_fixture f;
  f.issue(leaf_kind::site, "r1-ams");
  f.issue(leaf_kind::console, "console.vendor.example");
  std::string error;
  const auto list = list_certificates(f.dir.path, f.now, std::chrono::days(30), error);
  REQUIRE(list.size() == 3);
  CHECK(list[0].file == "ca.crt");
  CHECK(list[0].role == "ca");
  CHECK(list[0].name == "tether console CA");
  CHECK(list[1].file == "console-console.vendor.example.crt");
  CHECK(list[1].role == "console");
  CHECK(list[1].name == "console.vendor.example");
  CHECK(list[2].role == "site");
  CHECK(list[2].name == "r1-ams");
  for (const auto& c : list) CHECK(c.healthy());
}

TEST_CASE("the listing warns ahead of expiry and flags expired certificates", "[list]") {
  ca_fixture f;
  f.issue(leaf_kind::site, "short", 10);
  f.issue(leaf_kind::site, "long", 365);
  std::string error;
  const auto soon = list_certificates(f.dir.path, f.now, std::chrono::days(30), error);
  REQUIRE(soon.size() == 3);
  CHECK(soon[1].name == "long");
  CHECK(soon[1].healthy());
  CHECK(soon[2].name == "short");
  REQUIRE(soon[2].notice);
  CHECK_FALSE(soon[2].notice->expired);
  CHECK(soon[2].problem.empty());

  const auto later = list_certificates(f.dir.path, f.now + std::chrono::days(11),
                                       std::chrono::days(30), error);
  REQUIRE(later[2].notice);
  CHECK(later[2].notice->expired);
  CHECK(later[2].problem == "certificate has expired");
}

TEST_CASE("the listing flags a certificate from another CA or one in the wrong role", "[list]") {
  ca_fixture f, other;
  other.issue(leaf_kind::site, "r1-ams");
  f.issue(leaf_kind::console, "console.vendor.example");
  std::filesystem::copy_file(other.dir.path / "site-r1-ams.crt", f.dir.path / "site-foreign.crt");
  std::filesystem::copy_file(f.dir.path / "console-console.vendor.example.crt",
                             f.dir.path / "site-posing.crt");
  std::string error;
  const auto list = list_certificates(f.dir.path, f.now, std::chrono::days(30), error);
  REQUIRE(list.size() == 4);
  CHECK(list[2].file == "site-foreign.crt");
  CHECK(list[2].problem == "unable to get local issuer certificate");
  CHECK(list[3].file == "site-posing.crt");
  CHECK(list[3].problem == "unsuitable certificate purpose");
}

TEST_CASE("a folder without ca.crt lists nothing and says why", "[list]") {
  tether::testing::temp_dir empty;
  std::string error;
  CHECK(list_certificates(empty.path, tether::console::testing::real_now(),
                          std::chrono::days(30), error)
            .empty());
  CHECK(error.find("ca.crt") != std::string::npos);
}
