#include <catch2/catch.hpp>

#include <algorithm>
#include <pugixml.hpp>
#include <regex>

#include "devsim/config_generator.hpp"

using namespace tether::devsim;

namespace {

std::size_t lines(const std::string& s) { return std::size_t(std::count(s.begin(), s.end(), '\n')); }

std::string hierarchy(const device_identity& d) {
  return render_configuration(d, build_configuration(d), {}, config_form::hierarchy);
}

}  // namespace

TEST_CASE("every configuration carries every kind of secret a Junos configuration holds",
          "[devsim][config]") {
  const device_identity d = make_device_identity(3, 10, 9);
  const std::string c = hierarchy(d);
  const std::pair<const char*, const char*> kinds[] = {
      {"root $6$ hash", R"(root-authentication \{\n\s+encrypted-password "\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}"; ## SECRET-DATA)"},
      {"user $1$ hash", R"(encrypted-password "\$1\$[./0-9A-Za-z]{8}\$)"},
      {"radius secret", R"(radius-server \{\n\s+[0-9.]+ \{\n\s+secret "\$9\$[^"]+"; ## SECRET-DATA)"},
      {"tacacs secret", R"(tacplus-server \{\n\s+[0-9.]+ \{\n\s+secret "\$9\$[^"]+"; ## SECRET-DATA)"},
      {"ntp key", R"(value "\$9\$[^"]+"; ## SECRET-DATA)"},
      {"snmp community", R"(community ro-[a-z0-9]{12} \{)"},
      {"snmpv3 auth key", R"(authentication-key "\$9\$[^"]+"; ## SECRET-DATA)"},
      {"snmpv3 privacy key", R"(privacy-key "\$9\$[^"]+"; ## SECRET-DATA)"},
      {"bgp key", R"(group IBGP \{\n\s+type internal;\n\s+local-address [0-9.]+;\n\s+authentication-key "\$9\$)"},
      {"ospf md5 key", R"(md5 1 \{\n\s+key "\$9\$[^"]+"; ## SECRET-DATA)"},
      {"isis key", R"(level 2 \{\n\s+authentication-key "\$9\$)"},
      {"key-chain secret", R"(key 0 \{\n\s+secret "\$9\$[^"]+"; ## SECRET-DATA)"},
      {"ike pre-shared key", R"(pre-shared-key \{\n\s+ascii-text "\$9\$[^"]+"; ## SECRET-DATA)"},
      {"pem private key", R"("-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/]{64}\n[\s\S]*-----END PRIVATE KEY-----\n"; ## SECRET-DATA)"},
  };
  for (const auto& [what, pattern] : kinds) {
    INFO(what);
    CHECK(std::regex_search(c, std::regex(pattern)));
  }
}

TEST_CASE("display set has one line per statement of the hierarchy", "[devsim][config]") {
  const device_identity d = make_device_identity(1, 10, 9);
  const config_node root = build_configuration(d);
  const std::string set = render_configuration(d, root, {}, config_form::set);
  std::size_t set_lines = 0;
  for (std::size_t at = 0; (at = set.find("set ", at)) != std::string::npos; at += 4)
    set_lines += at == 0 || set[at - 1] == '\n';
  CHECK(set_lines == root.statements());
  CHECK(set.rfind("set version " + d.release + "\n", 0) == 0);
  CHECK(set.find("set system host-name " + d.hostname + "\n") != std::string::npos);
  CHECK(set.find("set interfaces lo0 unit 0 family inet address " + d.router_id + "/32\n") !=
        std::string::npos);
}

TEST_CASE("configuration XML is well-formed and holds the same host name", "[devsim][config]") {
  const device_identity d = make_device_identity(2, 10, 9);
  const std::string xml = render_configuration(d, build_configuration(d), {}, config_form::xml);
  pugi::xml_document doc;
  REQUIRE(doc.load_string(xml.c_str()));
  CHECK(std::string(doc.child("rpc-reply").child("configuration").child("system")
                        .child_value("host-name")) == d.hostname);
  CHECK(doc.child("rpc-reply").child("configuration").child("system").child("radius-server")
            .child("secret"));
}

TEST_CASE("configuration sizes range from hundreds to tens of thousands of lines",
          "[devsim][config]") {
  std::size_t smallest = SIZE_MAX, largest = 0;
  for (std::size_t i = 1; i <= 40; ++i) {
    const std::size_t n = lines(hierarchy(make_device_identity(i, 40, 1)));
    smallest = std::min(smallest, n);
    largest = std::max(largest, n);
  }
  CHECK(smallest >= 200);
  CHECK(smallest < 1000);
  CHECK(largest > 10000);
}

TEST_CASE("a minimum size pads the configuration to at least that many bytes",
          "[devsim][config]") {
  const device_identity d = make_device_identity(1, 1, 1);
  const config_node root = build_configuration(d, 3 * 1024 * 1024);
  const std::string text = render_configuration(d, root, {}, config_form::hierarchy);
  CHECK(text.size() >= 3 * 1024 * 1024);
  CHECK(text.size() < 4 * 1024 * 1024);
}

TEST_CASE("a configuration path shows only that hierarchy", "[devsim][config]") {
  const device_identity d = make_device_identity(1, 1, 1);
  const config_node root = build_configuration(d);
  const std::string sys = render_configuration(d, root, {"system", "login"}, config_form::set);
  CHECK(sys.rfind("set system login ", 0) == 0);
  CHECK(sys.find("set interfaces") == std::string::npos);
  CHECK(render_configuration(d, root, {"no-such-thing"}, config_form::hierarchy).empty());
  pugi::xml_document doc;
  const std::string xml = render_configuration(d, root, {"interfaces", "lo0", "unit", "0"}, config_form::xml);
  REQUIRE(doc.load_string(xml.c_str()));
  const pugi::xml_node unit = doc.select_node("/rpc-reply/configuration/interfaces/interface/unit").node();
  CHECK(std::string(unit.parent().child_value("name")) == "lo0");
  CHECK(std::string(unit.child_value("name")) == "0");
  CHECK(std::string(unit.child("family").child("inet").child("address").child_value("name")) ==
        d.router_id + "/32");
}
