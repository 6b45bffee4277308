// A generated barrage of hostile commands and parameter values: every one must be refused,
// and a generated set of legitimate ones must all be accepted.

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "collectors/collector_catalog.hpp"
#include "collectors/command_allowlist.hpp"
#include "collectors/command_renderer.hpp"

using namespace tether::collectors;

namespace {

const collector_catalog& shipped() {
  static const collector_catalog catalog = load_collector_catalog(
      std::string(TETHER_SOURCE_DIR) + "/collectors/catalog/junos.yaml", "");
  return catalog;
}

const std::vector<std::string> separators{
    ";", " ; ", "\n", "\r", "\r\n", "&", "&&", " && ", "||", "`", "$(", "${", "\t",
    std::string(1, '\0'), "\x1b", "\x7f", "\x0b", "\x0c", "\xc2\x85", "\xe2\x80\xa8",
    "\xef\xbd\x9c", "\xc0\xbb", "|", " |", "| ", " | ", " || ", ">", " > ", "<", "'", "\"",
    "\\", "#", "!", "?", "{", "}", "~"};

const std::vector<std::string> payloads{
    "configure", "configure private", "edit", "set system root-authentication plain-text-password",
    "delete interfaces", "commit", "request system reboot", "request system zeroize",
    "request support information | save /var/tmp/x", "start shell", "start shell user root",
    "file delete /config/juniper.conf.gz", "file copy /etc/passwd ftp://x", "restart routing",
    "clear bgp neighbor all", "test policy p 0/0", "op url http://x/s.slax", "monitor start messages",
    "save /var/tmp/x", "load override terminal", "rollback 0", "ping 10.0.0.1 rapid count 100000",
    "save /var/tmp/x", "request message all message hi", "refresh 1", "resolve", "hold"};

const std::vector<std::string> verbs{
    "configure", "edit", "set", "delete", "request", "start", "file", "restart", "clear", "test",
    "op", "monitor", "commit", "rollback", "load", "save", "ping", "traceroute", "telnet", "ssh",
    "ftp", "run", "exit", "quit", "cli", "sh", "bash", "SHOW", "Show", "shOw", "show-version",
    "showversion", "help", "scp", "sudo", "sh\xd0\xbew"};

const std::vector<std::string> legit_subjects{
    "version", "chassis hardware", "chassis alarms", "system alarms", "interfaces terse",
    "interfaces ge-0/0/0.0 extensive", "route summary", "route 10.0.0.0/8 exact", "bgp summary",
    "ospf neighbor", "isis adjacency", "log messages", "configuration", "system core-dumps"};

const std::vector<std::string> legit_pipes{
    "", " | no-more", " | count", " | last", " | last 10", " | match ge-0/0/0", " | except down",
    " | find Errors", " | display xml", " | display json", " | trim 3", " | match up | count",
    " | except inet6 | last 100 | no-more"};

/// Returns every input `accepted` says yes to; the test then expects none (or all).
template <class Accepted>
std::vector<std::string> accepted_of(const std::vector<std::string>& inputs, Accepted accepted) {
  std::vector<std::string> out;
  for (const auto& input : inputs)
    if (accepted(input)) out.push_back(input);
  return out;
}

std::vector<std::string> hostile_commands() {
  std::vector<std::string> out;
  for (const auto& verb : verbs)
    for (const auto& payload : payloads) out.push_back(verb + " " + payload);
  for (const auto& verb : verbs) out.push_back(verb);
  for (const auto& base : {std::string("show version"), std::string("show log messages | last 10"),
                           std::string("show configuration | display set")})
    for (const auto& sep : separators)
      for (const auto& payload : payloads) out.push_back(base + sep + payload);
  // Every forbidden byte at every position of legitimate commands.
  for (const auto& subject : legit_subjects)
    for (const auto& sep : separators) {
      if (sep.find_first_not_of(" |") == std::string::npos) continue;  // spaces and pipes alone
      const std::string command = "show " + subject;
      for (std::size_t i = 0; i <= command.size(); ++i)
        out.push_back(command.substr(0, i) + sep + command.substr(i));
    }
  for (std::size_t n : {504, 600, 4096, 65536}) out.push_back("show log " + std::string(n, 'a'));
  out.push_back("show log ../../etc/master.passwd");
  out.push_back("show log /var/home/root/.ssh/authorized_keys");
  return out;
}

std::vector<std::string> hostile_values() {
  std::vector<std::string> out;
  for (const auto& prefix : {std::string("10"), std::string("messages"), std::string("ge-0/0/0"),
                             std::string("")})
    for (const auto& sep : separators)
      for (const auto& payload : payloads) out.push_back(prefix + sep + payload);
  out.push_back(std::string(4096, '1'));
  out.push_back("..");
  out.push_back("../../etc/passwd");
  out.push_back("");
  return out;
}

}  // namespace

TEST_CASE("thousands of generated hostile commands are all refused by the allowlist",
          "[allowlist][hostile]") {
  const auto inputs = hostile_commands();
  REQUIRE(inputs.size() > 5000);
  const auto accepted =
      accepted_of(inputs, [](const std::string& c) { return check_command(c).allowed(); });
  CHECK(accepted == std::vector<std::string>{});
}

TEST_CASE("thousands of generated hostile parameter values are all refused by render",
          "[render][hostile]") {
  const auto values = hostile_values();
  REQUIRE(values.size() > 2000);
  for (const auto& target :
       {std::pair<std::string, std::string>{"logs", "lines"}, {"logs", "file"},
        {"interface-detail", "interface"}}) {
    INFO(target.first << "." << target.second);
    const auto accepted = accepted_of(values, [&](const std::string& v) {
      return render(shipped(), target.first, {{target.second, v}}).ok();
    });
    CHECK(accepted == std::vector<std::string>{});
  }
}

TEST_CASE("hostile extra commands in an overlay never load", "[catalog][hostile]") {
  std::size_t loaded = 0;
  const auto inputs = hostile_commands();
  for (std::size_t i = 0; i < inputs.size(); i += 37) {
    std::string quoted;
    for (unsigned char c : inputs[i]) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", unsigned(c));
      quoted += hex;
    }
    try {
      build_collector_catalog({{"o.yaml", "extra_commands: [\"" + quoted + "\"]\n"}});
      ++loaded;
    } catch (const std::exception&) {
    }
  }
  CHECK(loaded == 0);
}

TEST_CASE("generated legitimate commands and values are all accepted", "[allowlist][render]") {
  std::vector<std::string> commands;
  for (const auto& subject : legit_subjects)
    for (const auto& pipe : legit_pipes) commands.push_back("show " + subject + pipe);
  const auto refused =
      accepted_of(commands, [](const std::string& c) { return !check_command(c).allowed(); });
  CHECK(refused == std::vector<std::string>{});

  std::vector<std::string> failures;
  for (int lines = 1; lines < 100000; lines = lines * 3 + 1)
    if (!render(shipped(), "logs", {{"lines", std::to_string(lines)}}).ok())
      failures.push_back(std::to_string(lines));
  for (const char* file : {"messages", "chassisd", "interactive-commands", "messages.0.gz"})
    if (!render(shipped(), "logs", {{"file", file}}).ok()) failures.push_back(file);
  for (const char* ifname : {"ge-0/0/0", "xe-1/2/3.100", "et-0/0/49", "ae0", "ae12.0", "lo0.0",
                             "irb.100", "fxp0", "em0", "reth1"})
    if (!render(shipped(), "interface-detail", {{"interface", ifname}}).ok())
      failures.push_back(ifname);
  for (const auto& [name, collector] : shipped().collectors)
    if (!render(shipped(), name, {}).ok()) failures.push_back(name);
  CHECK(failures == std::vector<std::string>{});
}
