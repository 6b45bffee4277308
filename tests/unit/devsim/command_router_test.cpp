#include <catch2/catch.hpp>

#include <algorithm>
#include <pugixml.hpp>

#include "devsim/command_outputs.hpp"
#include "devsim/command_router.hpp"

using namespace tether::devsim;

namespace {

const command_router& router() {
  static const command_router r(make_device_identity(3, 10, 7));
  return r;
}

command_reply exec(std::string_view line) { return router().run(line, cli_mode::exec); }

std::size_t lines(const std::string& s) { return std::size_t(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("a command line is routed to its generator", "[devsim][router]") {
  const device_identity& d = router().device();
  CHECK(exec("show version").text == show_version(d, output_format::text));
  CHECK(exec("show chassis hardware").text == show_chassis_hardware(d, output_format::text));
  CHECK(exec("request support information").text ==
        request_support_information(d, output_format::text));
  CHECK(exec("  show   bgp summary  ").text == show_bgp_summary(d, output_format::text));
}

TEST_CASE("words may be abbreviated to a unique prefix", "[devsim][router]") {
  const device_identity& d = router().device();
  CHECK(exec("sh ver").text == show_version(d, output_format::text));
  CHECK(exec("show chas hard").text == show_chassis_hardware(d, output_format::text));
  CHECK(exec("sh int te | display xml").text == show_interfaces_terse(d, output_format::xml));
}

TEST_CASE("pipes select xml, set form, the last lines, matches and counts", "[devsim][router]") {
  const device_identity& d = router().device();
  CHECK(exec("show version | display xml").text == show_version(d, output_format::xml));
  CHECK(exec("show version | no-more").text == show_version(d, output_format::text));
  const std::string set = exec("show configuration | display set").text;
  CHECK(set.rfind("set version ", 0) == 0);
  CHECK(exec("show configuration | display set | match host-name").text ==
        "set system host-name " + d.hostname + "\n");
  const std::string last = exec("show log messages | last 5").text;
  CHECK(lines(last) == 5);
  const std::string all = show_log_messages(d, output_format::text);
  CHECK(all.substr(all.size() - last.size()) == last);
  CHECK(exec("show version | count").text.rfind("Count: ", 0) == 0);
  CHECK(exec("show version | except JUNOS").text.find("JUNOS") == std::string::npos);
  pugi::xml_document doc;
  CHECK(doc.load_string(exec("show configuration | display xml").text.c_str()));
}

TEST_CASE("unknown commands get Junos's error text", "[devsim][router]") {
  SECTION("exec mode answers on one line") {
    CHECK(exec("foo").text == "error: unknown command: foo\n");
    CHECK(exec("show foo").text == "error: syntax error, expecting <command>: foo\n");
    CHECK(exec("show version | frobnicate").text ==
          "error: syntax error, expecting <command>: frobnicate\n");
    CHECK(exec("show version extra").type == command_reply::kind::error);
    CHECK(exec("show").text == "error: syntax error, expecting <command>.\n");
    // `last` with an empty quoted count (found by the fuzzer: it used to throw).
    CHECK(exec("show version | last \"").type == command_reply::kind::error);
    CHECK(exec("show version | last x").type == command_reply::kind::error);
    CHECK(exec("set cli screen-length \"").type == command_reply::kind::error);
  }
  SECTION("interactive mode puts a caret under the word") {
    const std::string prompt = "tether@host> ";
    const command_reply r = router().run("show foo", cli_mode::interactive, prompt.size());
    CHECK(r.type == command_reply::kind::error);
    CHECK(r.text == std::string(prompt.size() + 5, ' ') + "^\nsyntax error, expecting <command>.\n");
    CHECK(router().run("foo", cli_mode::interactive, 4).text == "    ^\nunknown command.\n");
  }
  SECTION("ambiguous abbreviations list the completions") {
    const command_reply r = exec("show c");
    CHECK(r.type == command_reply::kind::error);
    CHECK(r.text.find("'c' is ambiguous.") != std::string::npos);
    CHECK(r.text.find("  chassis\n") != std::string::npos);
  }
}

TEST_CASE("cli settings and exit are understood", "[devsim][router]") {
  CHECK(exec("set cli screen-length 0").text == "Screen length set to 0\n");
  CHECK(exec("set cli screen-length x").type == command_reply::kind::error);
  CHECK(router().run("exit", cli_mode::interactive).type == command_reply::kind::exit);
  CHECK(router().run("quit", cli_mode::interactive).type == command_reply::kind::exit);
  CHECK(exec("").text.empty());
}

TEST_CASE("the huge fault makes show configuration at least that large", "[devsim][router]") {
  const command_router huge(make_device_identity(1, 1, 1), 2 * 1024 * 1024);
  CHECK(huge.run("show configuration", cli_mode::exec).text.size() >= 2 * 1024 * 1024);
  CHECK(huge.run("show version", cli_mode::exec).text.size() < 10000);
}

TEST_CASE("log files and interfaces are named as the catalog names them", "[devsim][router]") {
  const device_identity& d = router().device();
  CHECK(exec("show log messages").text == show_log_messages(d, output_format::text));
  for (const char* file : {"chassisd", "interactive-commands", "security", "default-log-messages",
                           "messages.0.gz", "security.3.gz"}) {
    INFO(file);
    const command_reply r = exec(std::string("show log ") + file + " | last 20");
    CHECK(r.type == command_reply::kind::output);
    CHECK(lines(r.text) == 20);
  }
  CHECK(exec("show log messages.0.gz").text != exec("show log messages").text);
  CHECK(exec("show log nosuchfile").text == "error: could not resolve file: nosuchfile\n");
  const std::string name = d.interfaces.front().name;
  const command_reply ext = exec("show interfaces " + name + " extensive");
  CHECK(ext.text.rfind("Physical interface: " + name + ", Enabled, Physical link is ", 0) == 0);
  CHECK(ext.text.find("Traffic statistics:") != std::string::npos);
  pugi::xml_document doc;
  REQUIRE(doc.load_string(exec("show interfaces " + name + " extensive | display xml").text.c_str()));
  CHECK(std::string(doc.select_node("//physical-interface/name").node().child_value()) == name);
  CHECK(exec("show interfaces xe-9/9/9 extensive").text == "error: device xe-9/9/9 not found\n");
  CHECK(exec("show interfaces " + name + " bogus").type == command_reply::kind::error);
  CHECK(exec("show interfaces terse").text == show_interfaces_terse(d, output_format::text));
}
