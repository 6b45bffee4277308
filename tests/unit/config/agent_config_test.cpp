#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "config/agent_config.hpp"
#include "config/config_error.hpp"
#include "config/inventory.hpp"

using namespace tether::config;
using Catch::Contains;

namespace {

// Writes `text` to a temporary file and returns the errors loading it gives.
template <class Load>
std::string errors_of(const std::string& text, Load load) {
  std::string name = (std::filesystem::temp_directory_path() / "tether-config-XXXXXX").string();
  close(mkstemp(name.data()));
  const std::filesystem::path path = name;
  std::ofstream(path) << text;
  try {
    load(path.string());
  } catch (const config_failure& e) {
    std::filesystem::remove(path);
    return e.what();
  }
  std::filesystem::remove(path);
  return "";
}

std::string agent_errors(const std::string& text) { return errors_of(text, load_agent_config); }
std::string inventory_errors(const std::string& text) { return errors_of(text, load_inventory); }

const std::string console =
    "console: {endpoint: 'c.example:443', ca: ca.pem, cert: a.pem, key: a.key}\n";

}  // namespace

TEST_CASE("the agent configuration requires a site, a policy and a console", "[config]") {
  auto errors = agent_errors("paths: {}\n");
  CHECK_THAT(errors, Contains("site: missing"));
  CHECK_THAT(errors, Contains("policy: missing"));
  CHECK_THAT(errors, Contains("console: missing"));
}

TEST_CASE("console endpoints are host:port, IPv6 in brackets", "[config]") {
  CHECK(agent_errors("site: s1\npolicy: {timezone: UTC}\n" + console) == "");
  CHECK(agent_errors("site: s1\npolicy: {timezone: UTC}\nconsole: {endpoint: '[::1]:8443', "
                     "ca: ca.pem, cert: a.pem, key: a.key}\n") == "");
  CHECK_THAT(agent_errors("site: s1\npolicy: {timezone: UTC}\nconsole: {endpoint: 'c.example', "
                          "ca: ca.pem, cert: a.pem, key: a.key}\n"),
             Contains("console.endpoint: expected host:port"));
  CHECK_THAT(agent_errors("site: s1\npolicy: {timezone: UTC}\nconsole: {endpoint: 'c:70000', "
                          "ca: ca.pem, cert: a.pem, key: a.key}\n"),
             Contains("console.endpoint: expected host:port"));
}

TEST_CASE("a console pin must be a SHA-256 in hex", "[config]") {
  CHECK_THAT(agent_errors("site: s1\npolicy: {timezone: UTC}\nconsole: {endpoint: 'c:1', ca: x, "
                          "cert: y, key: z, pin_sha256: abc}\n"),
             Contains("console.pin_sha256: expected the SHA-256"));
}

TEST_CASE("site ids are plain names", "[config]") {
  CHECK_THAT(agent_errors("site: '../etc'\npolicy: {timezone: UTC}\n" + console),
             Contains("site: expected a name of 1-64 letters"));
}

TEST_CASE("inventory errors name the device entry and field", "[config]") {
  CHECK_THAT(inventory_errors("devices:\n- {name: r1, host: h, port: 0, credential: c}\n"),
             Contains(":2:29: devices[0].port: expected a whole number from 1 to 65535"));
  CHECK_THAT(inventory_errors("devices:\n- {name: r1, host: h, platform: ios, credential: c}\n"),
             Contains("devices[0].platform: expected one of: junos"));
  CHECK_THAT(inventory_errors("devices:\n- {name: r1, host: h, credential: c}\n"
                              "- {name: r1, host: h2, credential: c}\n"),
             Contains("devices[1].name: duplicate device name \"r1\""));
  CHECK_THAT(inventory_errors("devices:\n- {name: r1, host: h}\n"),
             Contains("devices[0].credential: missing"));
  CHECK_THAT(inventory_errors("devices:\n- {name: r1, host: h, credential: c, role: core}\n"),
             Contains("devices[0].role: unknown key"));
}

TEST_CASE("the control socket and audit settings default to the state folder", "[config]") {
  std::string name = (std::filesystem::temp_directory_path() / "tether-config-XXXXXX").string();
  close(mkstemp(name.data()));
  std::ofstream(name) << "site: s1\npolicy: {timezone: UTC}\n" + console +
                             "paths: {state_dir: /var/lib/t}\n";
  const auto c = load_agent_config(name);
  std::filesystem::remove(name);
  CHECK(c.control.socket == "/run/tether/control.sock");
  CHECK(c.control.group == "tether");
  CHECK(c.audit.log == "/var/lib/t/audit.log");
  CHECK(c.audit.key == "/var/lib/t/audit.key");
  CHECK_FALSE(c.audit.syslog);
  CHECK_FALSE(c.policy.allow_unsynchronized_clock);
}

TEST_CASE("control, audit and syslog settings are read and checked", "[config]") {
  const std::string base = "site: s1\npolicy: {timezone: UTC, allow_unsynchronized_clock: maybe}\n" + console;
  const auto errors = agent_errors(base +
                                   "control: {socket: /run/t.sock, grop: x}\n"
                                   "audit: {checkpoint_every: 0, syslog: {endpoint: 'siem', transport: sctp}}\n");
  CHECK_THAT(errors, Contains("policy.allow_unsynchronized_clock: expected true or false"));
  CHECK_THAT(errors, Contains("control.grop: unknown key"));
  CHECK_THAT(errors, Contains("audit.checkpoint_every"));
  CHECK_THAT(errors, Contains("audit.syslog.endpoint: expected host:port"));
  CHECK_THAT(errors, Contains("audit.syslog.transport: expected tcp or udp"));
  CHECK(agent_errors("site: s1\npolicy: {timezone: UTC, allow_unsynchronized_clock: true}\n" + console +
                     "control: {socket: /run/t.sock, group: adm}\n"
                     "audit: {checkpoint_every: 10, syslog: {endpoint: '127.0.0.1:514', transport: udp}}\n")
            .empty());
}
