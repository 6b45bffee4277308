#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <regex>

#include "config/agent_config.hpp"
#include "config/credentials.hpp"
#include "config/inventory.hpp"
#include "devsim_process.hpp"

using namespace tether::test;
namespace fs = std::filesystem;

namespace {

/// A running fleet in its own temporary state directory.
struct fleet_fixture {
  temp_dir dir;
  devsim_process devsim;
  tether::config::inventory inventory;

  explicit fleet_fixture(std::vector<std::string> extra, std::string devices = "3")
      : devsim(args(dir.path(), devices, std::move(extra))) {
    REQUIRE(devsim.ready_line().rfind("listening: " + devices + " devices on 127.0.0.1:", 0) == 0);
    inventory = tether::config::load_inventory((dir.path() / "state" / "inventory.yaml").string());
  }

  static std::vector<std::string> args(const fs::path& d, const std::string& n, std::vector<std::string> extra) {
    std::vector<std::string> a{"--devices", n, "--base-port", "0", "--state-dir", (d / "state").string()};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }

  fs::path state() const { return dir.path() / "state"; }

  std::uint16_t port(const std::string& name) const { return inventory.find(name)->port; }

  /// The real OpenSSH client with strict host key checking against devsim's known_hosts.
  std::string ssh(const std::string& name, const std::string& options = {}) const {
    const std::string s = state().string();
    return "ssh -F /dev/null -i " + s + "/client_ed25519 -o IdentitiesOnly=yes -o BatchMode=yes"
           " -o UserKnownHostsFile=" + s + "/known_hosts -o GlobalKnownHostsFile=/dev/null"
           " -o StrictHostKeyChecking=yes -o ConnectTimeout=10 -p " + std::to_string(port(name)) +
           " " + options + " tether@127.0.0.1";
  }

  command_result exec(const std::string& name, const std::string& command,
                      std::chrono::seconds limit = std::chrono::seconds(30)) const {
    return run_command(ssh(name) + " '" + command + "'", {}, limit);
  }
};

bool credentials_mention(const fs::path& state, const std::string& text) {
  std::ifstream in(state / "credentials.yaml");
  std::stringstream all;
  all << in.rdbuf();
  return all.str().find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("tether-devsim --help describes its flags", "[devsim][integration]") {
  const command_result r = run_command(bin("tether-devsim") + " --help");
  CHECK(r.status == 0);
  for (const char* flag : {"--devices", "--base-port", "--state-dir", "--fault", "--eos", "--unregistered", "--seed"})
    CHECK(r.output.find(flag) != std::string::npos);
}

TEST_CASE("bad options are refused with exit code 2", "[devsim][integration]") {
  temp_dir dir;
  const std::string base = bin("tether-devsim") + " --devices 2 --state-dir " + dir.path().string();
  CHECK(run_command(base + " --fault dev009=hang").status == 2);
  CHECK(run_command(base + " --fault dev001=explode").status == 2);
  CHECK(run_command(base + " --eos nosuch").status == 2);
  CHECK(run_command(bin("tether-devsim") + " --state-dir x").status == 2);
}

TEST_CASE("the state directory holds files the agent's loaders accept", "[devsim][integration]") {
  fleet_fixture f({"--unregistered", "dev002"});
  REQUIRE(f.inventory.devices.size() == 3);
  CHECK(f.inventory.devices[0].name == "dev001");
  CHECK(f.inventory.devices[2].name == "dev003");
  const auto agent = tether::config::load_agent_config((f.state() / "agent.yaml").string());
  CHECK(agent.paths.inventory == (f.state() / "inventory.yaml").string());
  CHECK(agent.paths.known_hosts == (f.state() / "known_hosts").string());
  const auto creds = tether::config::load_credentials((f.state() / "credentials.yaml").string());
  REQUIRE(creds.find("devsim-key"));
  CHECK(creds.find("devsim-key")->how == tether::config::credential::method::key_file);
  CHECK(creds.find("devsim-key")->key_file == (f.state() / "client_ed25519").string());
  REQUIRE(creds.find("devsim-password"));
  CHECK(creds.find("devsim-password")->how == tether::config::credential::method::password);
  CHECK(creds.find(f.inventory.devices[0].credential));
  for (const char* secret : {"credentials.yaml", "client_ed25519", "hostkeys/dev001.key"}) {
    INFO(secret);
    CHECK((fs::status(f.state() / secret).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
  }
  // The unregistered device reports another serial than the inventory lists.
  const command_result hw = f.exec("dev002", "show chassis hardware");
  REQUIRE(hw.status == 0);
  CHECK(hw.output.find(*f.inventory.find("dev002")->serial) == std::string::npos);
  const command_result hw1 = f.exec("dev001", "show chassis hardware");
  CHECK(hw1.output.find(*f.inventory.find("dev001")->serial) != std::string::npos);
}

TEST_CASE("a device answers an exec command over real OpenSSH with a pinned host key",
          "[devsim][integration]") {
  fleet_fixture f({});
  const command_result r = f.exec("dev001", "show version");
  CHECK(r.status == 0);
  CHECK(std::regex_search(r.output, std::regex("^Hostname: [a-z]+-[a-z]+-001\nModel: [a-z0-9-]+\nJunos: ")));
  const command_result xml = f.exec("dev003", "show interfaces terse | display xml");
  CHECK(xml.output.rfind("<rpc-reply xmlns:junos=", 0) == 0);
  const command_result bad = f.exec("dev002", "show foo");
  CHECK(bad.output == "error: syntax error, expecting <command>: foo\n");
}

TEST_CASE("auth-fail rejects every login", "[devsim][integration]") {
  fleet_fixture f({"--fault", "dev002=auth-fail"});
  const command_result r = f.exec("dev002", "show version");
  CHECK(r.status == 255);
  CHECK(r.output.find("Permission denied") != std::string::npos);
  CHECK(f.exec("dev001", "show version").status == 0);
}

TEST_CASE("hostkey-change makes OpenSSH refuse the device", "[devsim][integration]") {
  fleet_fixture f({"--fault", "dev001=hostkey-change"});
  const command_result r = f.exec("dev001", "show version");
  CHECK(r.status == 255);
  CHECK(r.output.find("REMOTE HOST IDENTIFICATION HAS CHANGED") != std::string::npos);
  CHECK(r.output.find("Hostname:") == std::string::npos);
}

TEST_CASE("refuse leaves the port closed", "[devsim][integration]") {
  fleet_fixture f({"--fault", "dev003=refuse"});
  const command_result r = f.exec("dev003", "show version");
  CHECK(r.status == 255);
  CHECK(r.output.find("Connection refused") != std::string::npos);
}

TEST_CASE("drop-after cuts the connection after that many output bytes", "[devsim][integration]") {
  fleet_fixture f({"--fault", "dev001=drop-after:1000"});
  const command_result r = run_command(f.ssh("dev001") + " 'show configuration' 2>/dev/null");
  CHECK(r.status == 255);
  CHECK(r.output.size() == 1000);
}

TEST_CASE("huge makes show configuration that many megabytes", "[devsim][integration]") {
  fleet_fixture f({"--fault", "dev001=huge:3"});
  const command_result r = run_command(f.ssh("dev001") + " 'show configuration' | wc -c");
  CHECK(r.status == 0);
  CHECK(std::stoul(r.output) >= 3u * 1024 * 1024);
}

TEST_CASE("hang accepts the command and never answers", "[devsim][integration]") {
  fleet_fixture f({"--fault", "dev001=hang"});
  const auto start = std::chrono::steady_clock::now();
  const command_result r = f.exec("dev001", "show version", std::chrono::seconds(2));
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::seconds(2));
  CHECK(r.output.empty());
  CHECK(f.exec("dev002", "show version").status == 0);
}

TEST_CASE("slow delays each output chunk", "[devsim][integration]") {
  fleet_fixture f({"--fault", "dev001=slow:150"});
  const auto start = std::chrono::steady_clock::now();
  const command_result r = f.exec("dev001", "show system alarms | count");
  CHECK(r.status == 0);
  CHECK(r.output.rfind("Count: ", 0) == 0);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(150));
}

TEST_CASE("an interactive session shows the Junos prompt and runs each line",
          "[devsim][integration]") {
  fleet_fixture f({});
  const command_result r = run_command(f.ssh("dev001", "-tt"),
                                       "set cli screen-length 0\nshow chassis alarms\nshow foo\nexit\n");
  CHECK(r.status == 0);
  const std::string& out = r.output;
  CHECK(std::regex_search(out, std::regex("tether@[a-z]+-[a-z]+-001> set cli screen-length 0\r\nScreen length set to 0\r\n")));
  CHECK(std::regex_search(out, std::regex("> show chassis alarms\r\n(No alarms currently active|[0-9]+ alarms currently active)\r\n")));
  CHECK(std::regex_search(out, std::regex("> show foo\r\n +\\^\r\nsyntax error, expecting <command>.\r\n")));
  CHECK(out.find("> exit\r\n") != std::string::npos);
}

TEST_CASE("SIGTERM stops devsim cleanly", "[devsim][integration]") {
  fleet_fixture f({});
  CHECK(f.devsim.terminate() == 0);
  CHECK(f.devsim.output().find("stopped") != std::string::npos);
}

TEST_CASE("the password in credentials.yaml logs in too", "[devsim][integration]") {
  fleet_fixture f({"--password", "pw-for-the-test"});
  const fs::path askpass = f.dir.path() / "askpass.sh";
  {
    std::ofstream script(askpass);
    script << "#!/bin/sh\necho pw-for-the-test\n";
  }
  fs::permissions(askpass, fs::perms::owner_all);
  const std::string s = f.state().string();
  const std::string ssh =
      "env SSH_ASKPASS=" + askpass.string() + " SSH_ASKPASS_REQUIRE=force ssh -F /dev/null"
      " -o PreferredAuthentications=password -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1"
      " -o UserKnownHostsFile=" + s + "/known_hosts -o GlobalKnownHostsFile=/dev/null"
      " -o StrictHostKeyChecking=yes -p " + std::to_string(f.port("dev001")) + " tether@127.0.0.1 ";
  const command_result ok = run_command("setsid " + ssh + "'show version' </dev/null");
  CHECK(ok.status == 0);
  CHECK(ok.output.rfind("Hostname: ", 0) == 0);
  CHECK(credentials_mention(f.state(), "pw-for-the-test"));
}

TEST_CASE("one connection carries several exec channels", "[devsim][integration]") {
  fleet_fixture f({});
  const std::string control = (f.dir.path() / "cm").string();
  const std::string mux = " -o ControlPath=" + control;
  REQUIRE(run_command(f.ssh("dev002", "-o ControlMaster=yes -o ControlPersist=no -f -N" + mux) +
                      " >/dev/null 2>&1").status == 0);
  const command_result first = run_command(f.ssh("dev002", mux) + " 'show version'");
  const command_result second = run_command(f.ssh("dev002", mux) + " 'show route summary'");
  CHECK(first.output.rfind("Hostname: ", 0) == 0);
  CHECK(second.output.rfind("Autonomous system number: ", 0) == 0);
  CHECK(run_command(f.ssh("dev002", mux + " -O exit") + " 2>&1").status == 0);
}

TEST_CASE("the interactive CLI pages long output at the screen length", "[devsim][integration]") {
  fleet_fixture f({});
  const command_result r = run_command(f.ssh("dev001", "-tt"),
                                       "set cli screen-length 5\nshow version\n q\nshow version | no-more\nexit\n");
  CHECK(r.status == 0);
  const std::string& out = r.output;
  const auto more = out.find("---(more)---");
  REQUIRE(more != std::string::npos);
  CHECK(std::count(out.begin(), out.begin() + long(more), '\n') >= 4);
  // After q the prompt is back; | no-more prints everything at once.
  CHECK(std::regex_search(out, std::regex("> show version \\| no-more\r\nHostname: [^\r]+\r\nModel: [^\r]+\r\nJunos: [^\r]+\r\n(JUNOS[^\r]*\r\n|Yocto[^\r]*\r\n|Linux[^\r]*\r\n)+\r\n")));
  CHECK(out.find("> exit\r\n") != std::string::npos);
}

TEST_CASE("a base port already in use is an error naming the device", "[devsim][integration]") {
  fleet_fixture f({});
  temp_dir other;
  const command_result r = run_command(bin("tether-devsim") + " --devices 1 --base-port " +
                                       std::to_string(f.port("dev001")) + " --state-dir " +
                                       other.path().string());
  CHECK(r.status == 1);
  CHECK(r.output.find("dev001: cannot listen on 127.0.0.1:" + std::to_string(f.port("dev001"))) !=
        std::string::npos);
}

TEST_CASE("a fleet of 1000 devices starts on one thread and its last device answers",
          "[devsim][integration]") {
  fleet_fixture f({}, "1000");
  REQUIRE(f.inventory.devices.size() == 1000);
  CHECK(f.inventory.devices.back().name == "dev1000");
  CHECK(f.inventory.devices.front().name == "dev0001");
  const command_result r = f.exec("dev1000", "show version");
  CHECK(r.status == 0);
  CHECK(r.output.rfind("Hostname: ", 0) == 0);
}

TEST_CASE("an exec command with a terminal gets CRLF line ends", "[devsim][integration]") {
  fleet_fixture f({});
  const command_result r = run_command(f.ssh("dev001", "-tt") + " 'show system core-dumps' </dev/null");
  CHECK(r.status == 0);
  CHECK(r.output.find("total files: ") != std::string::npos);
  CHECK(r.output.find("No such file or directory\r\n") != std::string::npos);
}
