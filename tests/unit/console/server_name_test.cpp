#include <catch2/catch.hpp>

#include "console/server_name.hpp"

using tether::console::parse_server_name;
using tether::console::server_name;

TEST_CASE("IP literals become IP names in canonical form", "[server_name]") {
  std::string why;
  auto v4 = parse_server_name("192.0.2.7", why);
  REQUIRE(v4);
  CHECK(v4->type == server_name::kind::ip);
  CHECK(v4->address == std::vector<unsigned char>{192, 0, 2, 7});
  auto v6 = parse_server_name("[2001:DB8:0::1]", why);
  REQUIRE(v6);
  CHECK(v6->type == server_name::kind::ip);
  CHECK(v6->text == "2001:db8::1");
  CHECK(v6->address.size() == 16);
  auto bare = parse_server_name("::1", why);
  REQUIRE(bare);
  CHECK(bare->text == "::1");
}

TEST_CASE("host names become lower-case DNS names", "[server_name]") {
  std::string why;
  auto name = parse_server_name("Console-1.Vendor.Example.", why);
  REQUIRE(name);
  CHECK(name->type == server_name::kind::dns);
  CHECK(name->text == "console-1.vendor.example");
  CHECK(name->address.empty());
  CHECK(parse_server_name("localhost", why));
  CHECK(parse_server_name("4chan.example", why));
}

TEST_CASE("anything else is refused with a reason", "[server_name]") {
  for (const std::string& bad : std::vector<std::string>{"", ".", "a..b", "-a.example", "a-.example", "a_b.example", "*.example", "a b",
        "a,DNS:b", "10.0.0", "300.1.1.1", "[::1", "[a.example]", "[192.0.2.1]",
        std::string(64, 'a') + ".example", std::string(254, 'a')}) {
    std::string why;
    CHECK_FALSE(parse_server_name(bad, why));
    CHECK(why.find("expected a DNS host name") != std::string::npos);
  }
}
