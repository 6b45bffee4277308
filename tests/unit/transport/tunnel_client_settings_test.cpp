#include <catch2/catch.hpp>

#include <stdlib.h>

#include "transport/tunnel_client.hpp"

using namespace tether::transport;

namespace {
tether::config::console_endpoint endpoint() {
  tether::config::console_endpoint c;
  c.host = "console.vendor.example";
  c.port = 8443;
  c.ca_file = "/etc/tether/ca.pem";
  c.cert_file = "/etc/tether/agent.pem";
  c.key_file = "/etc/tether/agent.key";
  return c;
}
}  // namespace

TEST_CASE("client settings come from the console section of the agent configuration", "[tunnel_client]") {
  ::unsetenv("HTTPS_PROXY");
  ::unsetenv("https_proxy");
  auto c = endpoint();
  c.pin_sha256 = std::string(64, 'a');
  c.proxy = "http://ops:secret@proxy.site:3128";
  const auto r = client_settings_from(c, "ams-1");
  REQUIRE(r.value);
  CHECK(r.value->host == "console.vendor.example");
  CHECK(r.value->port == 8443);
  CHECK(r.value->site_id == "ams-1");
  CHECK(r.value->tls.server_name == "console.vendor.example");  // defaults to the host
  CHECK(r.value->tls.identity.private_key == "/etc/tether/agent.key");
  REQUIRE(r.value->tls.spki_pin);
  CHECK((*r.value->tls.spki_pin)[0] == 0xaa);
  REQUIRE(r.value->proxy);
  CHECK(r.value->proxy->describe() == "ops@proxy.site:3128");
}

TEST_CASE("without console.proxy the HTTPS_PROXY environment variable is used", "[tunnel_client]") {
  ::setenv("HTTPS_PROXY", "http://envproxy:8080", 1);
  const auto r = client_settings_from(endpoint(), "ams-1");
  ::unsetenv("HTTPS_PROXY");
  REQUIRE(r.value);
  REQUIRE(r.value->proxy);
  CHECK(r.value->proxy->host == "envproxy");
  CHECK_FALSE(client_settings_from(endpoint(), "ams-1").value->proxy);
}

TEST_CASE("a bad pin and a bad proxy are both reported, naming their fields", "[tunnel_client]") {
  auto c = endpoint();
  c.pin_sha256 = "xyz";
  c.proxy = "https://proxy:3128";
  const auto r = client_settings_from(c, "ams-1");
  CHECK_FALSE(r.value);
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].rfind("console.pin_sha256: ", 0) == 0);
  CHECK(r.errors[1].rfind("console.proxy: proxy URL: ", 0) == 0);
}
