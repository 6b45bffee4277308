#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "collectors/collector_catalog.hpp"
#include "config/config_error.hpp"
#include "tests/support/temp_dir.hpp"

using namespace tether::collectors;
namespace fs = std::filesystem;

namespace {

const std::string shipped = std::string(TETHER_SOURCE_DIR) + "/collectors/catalog/junos.yaml";

/// Every error message of building the catalog from `sources`; empty when it loads.
std::vector<std::string> errors_of(const std::vector<catalog_source>& sources) {
  try {
    build_collector_catalog(sources);
  } catch (const tether::config::config_failure& failure) {
    std::vector<std::string> out;
    for (const auto& e : failure.errors()) out.push_back(e.to_string());
    return out;
  }
  return {};
}

std::vector<std::string> errors_of(const std::string& text) {
  return errors_of({{"t.yaml", text}});
}

using tether::testing::temp_dir;

const char* const minimal = R"(collectors:
  uptime:
    description: how long the device has been up
    commands:
      - show system uptime
)";

}  // namespace

TEST_CASE("the shipped catalog loads with every collector the issue names", "[catalog]") {
  const collector_catalog catalog = load_collector_catalog(shipped, "");
  for (const char* name : {"facts", "config", "alarms", "logs", "interfaces", "routing",
                           "core-dumps", "support-info"}) {
    INFO(name);
    REQUIRE(catalog.find(name) != nullptr);
    CHECK(catalog.find(name)->redact);
  }
  const collector_definition& facts = *catalog.find("facts");
  CHECK(facts.commands == std::vector<std::string>{"show version", "show chassis hardware"});
  CHECK(facts.parser == std::optional<std::string>("facts"));
  CHECK(catalog.find("config")->commands.front() == "show configuration | display set");
  CHECK(catalog.find("config")->output_cap == 64ULL << 20);
  CHECK(catalog.find("config")->parser == std::nullopt);
  const collector_definition& logs = *catalog.find("logs");
  REQUIRE(logs.parameter("lines") != nullptr);
  CHECK(logs.parameter("lines")->default_value == "200");
  CHECK(logs.parameter("lines")->accepts("10"));
  CHECK_FALSE(logs.parameter("lines")->accepts("10 | save /tmp/x"));
  CHECK(catalog.find("support-info")->timeout == std::chrono::minutes(30));
  CHECK(catalog.extra_commands.empty());
}

TEST_CASE("fields left out take their documented defaults", "[catalog]") {
  const collector_catalog catalog = build_collector_catalog({{"t.yaml", minimal}});
  const collector_definition& c = *catalog.find("uptime");
  CHECK(c.timeout == std::chrono::seconds(60));
  CHECK(c.output_cap == 16ULL << 20);
  CHECK(c.parser == std::nullopt);
  CHECK(c.redact);
  CHECK(c.defined_in == "t.yaml");
}

TEST_CASE("a collector whose command the allowlist refuses is an error at the command",
          "[catalog]") {
  const auto errors = errors_of(R"(collectors:
  bad:
    description: reboots
    commands:
      - show version
      - request system reboot
)");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("t.yaml:6:9: collectors.bad.commands[1]: renders \"request system "
                        "reboot\" which the command allowlist refuses (forbidden-verb: ",
                        0) == 0);
}

TEST_CASE("unknown keys, bad values and missing fields are all reported with positions",
          "[catalog]") {
  const auto errors = errors_of(R"(collectors:
  one:
    description: x
    commands: [show version]
    timeout: 2h
    output_cap: 64MB
    redact: yes
    colour: blue
  two:
    commands: [show chassis alarms]
    parser: "no such parser!"
verbose: true
)");
  REQUIRE(errors.size() == 7);
  CHECK(errors[0] == "t.yaml:5:14: collectors.one.timeout: expected a timeout from 1s to 1h, got \"2h\"");
  CHECK(errors[1].rfind("t.yaml:6:17: collectors.one.output_cap: expected a size such as", 0) == 0);
  CHECK(errors[2] == "t.yaml:7:13: collectors.one.redact: expected true or false, got \"yes\"");
  CHECK(errors[3].rfind("t.yaml:8:5: collectors.one.colour: unknown key; expected one of: ", 0) == 0);
  CHECK(errors[4] == "t.yaml:10:5: collectors.two.description: missing; expected one line");
  CHECK(errors[5].rfind("t.yaml:11:13: collectors.two.parser: expected a name", 0) == 0);
  CHECK(errors[6].rfind("t.yaml:12:1: verbose: unknown key", 0) == 0);
}

TEST_CASE("placeholders must name parameters and parameters must be used", "[catalog]") {
  const auto errors = errors_of(R"(collectors:
  logs:
    description: x
    commands:
      - show log messages | last {count}
      - show log {file
    parameters:
      lines: {pattern: "[0-9]+", default: "10"}
)");
  REQUIRE(errors.size() == 3);
  CHECK(errors[0] == "t.yaml:5:9: collectors.logs.commands[0]: placeholder {count} names no "
                     "parameter of this collector");
  CHECK(errors[1].rfind("t.yaml:6:9: collectors.logs.commands[1]: a placeholder is `{name}`", 0) == 0);
  CHECK(errors[2] == "t.yaml:8:14: collectors.logs.parameters.lines: declared but no command "
                     "uses {lines}");
}

TEST_CASE("a default must match its pattern", "[catalog]") {
  const auto errors = errors_of(R"(collectors:
  logs:
    description: x
    commands: ["show log messages | last {lines}"]
    parameters:
      lines:
        pattern: "[1-9][0-9]*"
        default: "0"
)");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "t.yaml:8:18: collectors.logs.parameters.lines.default: \"0\" does not "
                     "match the pattern [1-9][0-9]*");
}

TEST_CASE("a pattern that could admit a separator or control byte is refused", "[catalog]") {
  for (const char* pattern : {".*", ".+", "[^ ]+", "[0-9|]+", "[0-9]+.?", "[0-9;]+",
                              "[\\s\\S]+", "[0-9]+(\\s.*)?", "\\d+[^0-9]?"}) {
    INFO(pattern);
    const auto errors = errors_of(std::string(R"(collectors:
  logs:
    description: x
    commands: ["show log messages | last {lines}"]
    parameters:
      lines:
        pattern: ')") + pattern + R"('
        default: "10"
)");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].rfind("t.yaml:7:18: collectors.logs.parameters.lines.pattern: pattern "
                          "admits the hostile value",
                          0) == 0);
  }
}

TEST_CASE("an invalid regular expression is reported at its pattern", "[catalog]") {
  const auto errors = errors_of(R"(collectors:
  logs:
    description: x
    commands: ["show log messages | last {lines}"]
    parameters:
      lines: {pattern: "[0-9", default: "10"}
)");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("t.yaml:6:24: collectors.logs.parameters.lines.pattern: not a valid "
                        "ECMAScript regular expression",
                        0) == 0);
}

TEST_CASE("syntax errors and duplicate names are reported", "[catalog]") {
  CHECK(errors_of("collectors: [unclosed\n").at(0).rfind("t.yaml:2:1: not valid YAML", 0) == 0);
  const auto errors = errors_of(std::string(minimal) + R"(  uptime:
    description: again
    commands: [show system uptime]
)");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "t.yaml:6:3: collectors.uptime: duplicate key");
}

TEST_CASE("an overlay adds, replaces and removes collectors and lists extra commands",
          "[catalog]") {
  temp_dir dir;
  dir.write("20-narrow.yaml", "remove: [support-info, config]\n");
  dir.write("10-extend.yaml", R"(collectors:
  facts:
    description: facts, quicker
    commands: [show version]
    timeout: 10s
  uptime:
    description: uptime
    commands: [show system uptime]
extra_commands:
  - show system users
  - show ntp associations
)");
  dir.write("README", "not yaml, ignored\n");
  const collector_catalog catalog = load_collector_catalog(shipped, dir.path.string());
  CHECK(catalog.find("support-info") == nullptr);
  CHECK(catalog.find("config") == nullptr);
  REQUIRE(catalog.find("facts") != nullptr);
  CHECK(catalog.find("facts")->commands == std::vector<std::string>{"show version"});
  CHECK(catalog.find("facts")->timeout == std::chrono::seconds(10));
  CHECK(catalog.find("facts")->defined_in == (dir.path / "10-extend.yaml").string());
  CHECK(catalog.find("uptime") != nullptr);
  CHECK(catalog.find("logs") != nullptr);
  CHECK(catalog.extra_commands ==
        std::vector<std::string>{"show system users", "show ntp associations"});
}

TEST_CASE("overlays are applied in sorted order so a later file sees an earlier one",
          "[catalog]") {
  CHECK(errors_of({{"a.yaml", minimal}, {"b.yaml", "remove: [uptime]\n"}}).empty());
  const auto errors = errors_of({{"a.yaml", "remove: [uptime]\n"}, {"b.yaml", minimal}});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "a.yaml:1:10: remove[0]: no collector \"uptime\" to remove");
}

TEST_CASE("an overlay cannot lift the fixed rules through extra commands", "[catalog]") {
  const auto errors = errors_of({{"shipped.yaml", minimal},
                                 {"overlay.yaml", R"(extra_commands:
  - show system users
  - start shell
  - show configuration | save /var/tmp/x
)"}});
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].rfind("overlay.yaml:3:5: extra_commands[1]: the command allowlist refuses "
                        "\"start shell\" (forbidden-verb: ",
                        0) == 0);
  CHECK(errors[1].rfind("overlay.yaml:4:5: extra_commands[2]: the command allowlist refuses", 0) == 0);
}

TEST_CASE("problems in several files are all reported together", "[catalog]") {
  temp_dir dir;
  dir.write("a.yaml", "remove: [nosuch]\n");
  dir.write("b.yaml", "collectors: {x: {description: d, commands: [clear bgp neighbor]}}\n");
  try {
    load_collector_catalog(shipped, dir.path.string());
    FAIL("expected config_failure");
  } catch (const tether::config::config_failure& failure) {
    REQUIRE(failure.errors().size() == 2);
    CHECK(failure.errors()[0].file == (dir.path / "a.yaml").string());
    CHECK(failure.errors()[1].file == (dir.path / "b.yaml").string());
  }
}

TEST_CASE("a missing shipped catalog is an error and a missing admin directory is not",
          "[catalog]") {
  temp_dir dir;
  CHECK_THROWS_AS(load_collector_catalog((dir.path / "none.yaml").string(), ""),
                  tether::config::config_failure);
  CHECK(load_collector_catalog(shipped, (dir.path / "absent").string()).find("facts"));
  const std::string file = dir.write("file.yaml", "remove: []\n");
  CHECK_THROWS_AS(load_collector_catalog(shipped, file), tether::config::config_failure);
}
