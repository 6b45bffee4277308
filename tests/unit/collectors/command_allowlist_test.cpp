#include <catch2/catch.hpp>

#include <string>

#include "collectors/command_allowlist.hpp"

using tether::collectors::check_command;
using tether::collectors::command_rule;

namespace {
command_rule rule_of(const std::string& command) { return check_command(command).rule; }
}  // namespace

TEST_CASE("read-only show commands and their allowed pipes are accepted", "[allowlist]") {
  for (const char* command : {
           "show version",
           "show chassis hardware",
           "show configuration | display set",
           "show configuration | display xml",
           "show interfaces terse | match ge- | except down",
           "show log messages | last 200",
           "show log messages | last",
           "show route summary | no-more",
           "show bgp summary | count",
           "show interfaces ge-0/0/0.100 extensive | find Errors | trim 5",
           "show configuration | compare rollback 1",
           "show route 10.0.0.0/8 exact",
           "request support information",
           "request support information | no-more",
       }) {
    INFO(command);
    CHECK(check_command(command).allowed());
  }
}

TEST_CASE("only show commands are allowed, each refused verb with its own reason",
          "[allowlist]") {
  for (const char* verb : {"configure", "edit", "set", "delete", "request", "start", "file",
                           "restart", "clear", "test", "op", "monitor", "commit", "rollback"}) {
    INFO(verb);
    CHECK(rule_of(std::string(verb) + " something") == command_rule::forbidden_verb);
  }
  CHECK(rule_of("request system reboot") == command_rule::forbidden_verb);
  CHECK(rule_of("request support information brief") == command_rule::forbidden_verb);
  CHECK(rule_of("start shell") == command_rule::forbidden_verb);
  CHECK(check_command("start shell").detail.find("shell") != std::string::npos);
  CHECK(rule_of("cli show version") == command_rule::not_show);
  CHECK(rule_of("Show version") == command_rule::not_show);
  CHECK(rule_of("show") == command_rule::malformed);
}

TEST_CASE("pipes that write, load, loop or talk are refused", "[allowlist]") {
  CHECK(rule_of("show configuration | save /var/tmp/x") == command_rule::forbidden_pipe);
  CHECK(rule_of("show configuration | load merge x") == command_rule::forbidden_pipe);
  CHECK(rule_of("show version | append x") == command_rule::forbidden_pipe);
  CHECK(rule_of("show version | tee x") == command_rule::forbidden_pipe);
  CHECK(rule_of("show version | request message all") == command_rule::forbidden_pipe);
  CHECK(rule_of("show interfaces | refresh 1") == command_rule::forbidden_pipe);
  CHECK(rule_of("show route | resolve") == command_rule::forbidden_pipe);
  CHECK(rule_of("show version | hold") == command_rule::forbidden_pipe);
  CHECK(rule_of("show version | frobnicate") == command_rule::forbidden_pipe);
  CHECK(rule_of("request support information | last 10") == command_rule::forbidden_pipe);
  CHECK(rule_of("request support information | save x") == command_rule::forbidden_pipe);
  CHECK(rule_of("request support information | no-more | no-more") ==
        command_rule::forbidden_pipe);
}

TEST_CASE("allowed pipes with wrong arguments are refused", "[allowlist]") {
  CHECK(rule_of("show log messages | last ten") == command_rule::pipe_argument);
  CHECK(rule_of("show log messages | last 0") == command_rule::pipe_argument);
  CHECK(rule_of("show log messages | last 99999999") == command_rule::pipe_argument);
  CHECK(rule_of("show version | no-more please") == command_rule::pipe_argument);
  CHECK(rule_of("show version | match") == command_rule::pipe_argument);
  CHECK(rule_of("show version | match a b") == command_rule::pipe_argument);
  CHECK(rule_of("show configuration | display html") == command_rule::pipe_argument);
  CHECK(rule_of("show configuration | compare /var/tmp/x") == command_rule::pipe_argument);
  CHECK(rule_of("show configuration | compare rollback 50") == command_rule::pipe_argument);
}

TEST_CASE("separators, control bytes and non-ASCII are refused wherever they are",
          "[allowlist]") {
  for (const std::string& bad : std::initializer_list<std::string>{";", "&", "`", "$", "\n", "\r", "\t", std::string(1, '\0'), "\x1b",
                                "\x7f", "\"", "'", "\\", "<", ">", "?", "!", "#", "{", "}", "~",
                                "\xc3\xa9"}) {
    INFO(bad);
    CHECK(rule_of("show version" + bad) == command_rule::forbidden_byte);
    CHECK(rule_of(bad + "show version") == command_rule::forbidden_byte);
    CHECK(rule_of("show " + bad + " version") == command_rule::forbidden_byte);
  }
  CHECK(check_command("show version\nconfigure").detail == "byte 0x0a at offset 12");
}

TEST_CASE("commands must be canonical words and bounded in size", "[allowlist]") {
  CHECK(rule_of("") == command_rule::empty);
  CHECK(rule_of("show  version") == command_rule::malformed);
  CHECK(rule_of(" show version") == command_rule::malformed);
  CHECK(rule_of("show version ") == command_rule::malformed);
  CHECK(rule_of("show version|save x") == command_rule::malformed);
  CHECK(rule_of("show version | | no-more") == command_rule::malformed);
  CHECK(rule_of("| no-more") == command_rule::empty);
  CHECK(rule_of("show log " + std::string(600, 'a')) == command_rule::too_long);
  CHECK(check_command("show log " + std::string(503, 'a')).allowed());  // exactly 512 bytes
  CHECK(rule_of("show version | count | count | count | count | count") ==
        command_rule::too_many_pipes);
}

TEST_CASE("show log reads files by name only and no word may climb directories",
          "[allowlist]") {
  CHECK(rule_of("show log /etc/master.passwd") == command_rule::path_traversal);
  CHECK(rule_of("show log ../../etc/passwd") == command_rule::path_traversal);
  CHECK(rule_of("show interfaces ge-0/0/0..1") == command_rule::path_traversal);
  CHECK(check_command("show log chassisd").allowed());
}

TEST_CASE("rule codes are stable strings", "[allowlist]") {
  CHECK(to_string(command_rule::forbidden_byte) == "forbidden-byte");
  CHECK(to_string(command_rule::forbidden_verb) == "forbidden-verb");
  CHECK(to_string(command_rule::forbidden_pipe) == "forbidden-pipe");
  CHECK(to_string(command_rule::too_long) == "too-long");
}
