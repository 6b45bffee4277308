// tetherctl inventory check / trust and collect, against the real OpenSSH server.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "tests/support/run_process.hpp"
#include "tests/support/sshd_server.hpp"

using tether::testing::run_process;
using Catch::Contains;

namespace {

const std::string tetherctl = std::string(TETHER_BIN_DIR) + "/tetherctl";

/// An agent configuration for a site whose devices are the local sshd and a closed port.
struct site {
  tether::testing::temp_dir dir;
  tether::testing::sshd_server sshd{dir};
  std::string config;

  site() {
    dir.write("credentials.yaml", "credentials:\n  lab: {username: " + sshd.user +
                                      ", key_file: " + sshd.client_key + "}\n");
    dir.write("inventory.yaml",
              "devices:\n"
              "  - {name: r1, host: 127.0.0.1, port: " + std::to_string(sshd.port) +
                  ", serial: JN1, credential: lab}\n"
              "  - {name: gone, host: 127.0.0.1, port: " +
                  std::to_string(tether::testing::free_port()) + ", credential: lab}\n");
    dir.write("pinned_hosts", "");
    config = dir.write("agent.yaml",
                       "site: lab\npolicy: {timezone: UTC}\n"
                       "console: {endpoint: 'console.invalid:443', ca: ca, cert: c, key: k}\n"
                       "paths: {state_dir: state, inventory: inventory.yaml, "
                       "credentials: credentials.yaml, known_hosts: pinned_hosts}\n");
  }
  tether::testing::process_result ctl(std::vector<std::string> args) const {
    args.insert(args.begin(), tetherctl);
    args.insert(args.end(), {"--config", config});
    return run_process(args);
  }
};

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("inventory check shows unpinned keys, trust pins them, then check passes",
          "[integration][inventory]") {
  site s;
  auto before = s.ctl({"inventory", "check"});
  CHECK(before.exit_code == 1);
  CHECK_THAT(before.out, Contains("hostkey-unknown"));
  CHECK_THAT(before.out, Contains(s.sshd.host_key_fingerprint));
  CHECK_THAT(before.out, Contains("unreachable"));

  auto refused = s.ctl({"inventory", "trust", "r1"});  // no terminal and no --yes
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.out, Contains("nothing recorded"));
  CHECK(read(s.dir / "pinned_hosts").empty());

  auto trust = s.ctl({"inventory", "trust", "r1", "--yes"});
  CHECK(trust.exit_code == 0);
  CHECK_THAT(trust.out, Contains(s.sshd.host_key_fingerprint));
  CHECK_THAT(trust.out, Contains("1 host keys pinned"));
  CHECK_THAT(read(s.dir / "pinned_hosts"),
             Contains("[127.0.0.1]:" + std::to_string(s.sshd.port) + " ssh-ed25519 "));

  auto after = s.ctl({"inventory", "check", "--device", "r1"});
  CHECK(after.exit_code == 0);
  CHECK_THAT(after.out, Contains("mx204 21.4R3-S5.4"));
  CHECK_THAT(s.ctl({"inventory", "trust", "r1", "--yes"}).out, Contains("already pinned"));
}

TEST_CASE("collect saves each command's output and summarises", "[integration][inventory]") {
  site s;
  REQUIRE(s.ctl({"inventory", "trust", "r1", "--yes"}).exit_code == 0);
  const std::string out = s.dir / "out";
  auto r = s.ctl({"collect", "--device", "r1", "--command", "show version", "--command",
                  "show chassis alarms", "--out", out});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("2 of 2 commands ok"));
  CHECK(read(out + "/r1/01-show-version.txt") ==
        "Hostname: sshd-r1\nModel: mx204\nJunos: 21.4R3-S5.4\n");
  CHECK(read(out + "/r1/02-show-chassis-alarms.txt") == "No alarms currently active\n");
  CHECK((std::filesystem::status(out + "/r1/01-show-version.txt").permissions() &
         std::filesystem::perms::others_read) == std::filesystem::perms::none);
}

TEST_CASE("collect runs a catalog collector with its parameters", "[integration][inventory]") {
  site s;
  REQUIRE(s.ctl({"inventory", "trust", "r1", "--yes"}).exit_code == 0);
  const std::string out = s.dir / "out";
  auto r = s.ctl({"collect", "--device", "r1", "--collector", "alarms", "--out", out});
  CHECK_THAT(r.out, Contains("show chassis alarms"));
  CHECK(read(out + "/r1/01-show-chassis-alarms.txt") == "No alarms currently active\n");
  CHECK_THAT(read(out + "/r1/alarms.json"), Contains("\"alarms\""));
  auto facts = s.ctl({"collect", "--device", "r1", "--collector", "facts", "--out", out});
  const std::string parsed = read(out + "/r1/facts.json");
  CHECK_THAT(parsed, Contains("\"hostname\": \"sshd-r1\""));
  CHECK_THAT(parsed, Contains("\"version\": \"21.4R3-S5.4\""));
  // The sshd stand-in has no chassis inventory: the serial is not collected, and 21.4 is
  // past its End of Support.
  CHECK_THAT(parsed, Contains("\"serial\": \"not-collected\""));
  CHECK_THAT(parsed, Contains("\"scope\": \"end-of-support\""));
  auto bad = s.ctl({"collect", "--device", "r1", "--collector", "logs", "--param",
                    "lines=10|save", "--out", out});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("collector logs refused: parameter-mismatch"));
}

TEST_CASE("collect refuses a command that could change the device", "[integration][inventory]") {
  site s;
  for (std::string cmd : {"configure", "request system reboot", "show configuration | save /tmp/x",
                          "show version; start shell"}) {
    auto r = s.ctl({"collect", "--device", "r1", "--command", cmd, "--out", s.dir / "out"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("refused"));
  }
}

TEST_CASE("collect names an unknown device and exits 2", "[integration][inventory]") {
  site s;
  auto r = s.ctl({"collect", "--device", "nosuch", "--command", "show version", "--out",
                  s.dir / "out"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("device nosuch is not in the inventory"));
}
