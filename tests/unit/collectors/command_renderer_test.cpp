#include <catch2/catch.hpp>

#include <string>

#include "collectors/collector_catalog.hpp"
#include "collectors/command_renderer.hpp"

using namespace tether::collectors;

namespace {

const collector_catalog& shipped() {
  static const collector_catalog catalog = load_collector_catalog(
      std::string(TETHER_SOURCE_DIR) + "/collectors/catalog/junos.yaml", "");
  return catalog;
}

}  // namespace

TEST_CASE("a collector renders its commands with defaults for missing parameters",
          "[render]") {
  const rendered_commands r = render(shipped(), "logs", {});
  REQUIRE(r.ok());
  CHECK(r.commands == std::vector<std::string>{"show log messages | last 200"});
  const rendered_commands facts = render(shipped(), "facts", {});
  REQUIRE(facts.ok());
  CHECK(facts.commands == std::vector<std::string>{"show version", "show chassis hardware"});
}

TEST_CASE("given parameters that match their patterns are rendered", "[render]") {
  const rendered_commands r = render(shipped(), "logs", {{"lines", "50"}, {"file", "chassisd"}});
  REQUIRE(r.ok());
  CHECK(r.commands == std::vector<std::string>{"show log chassisd | last 50"});
  const rendered_commands i = render(shipped(), "interface-detail", {{"interface", "xe-1/2/3.100"}});
  REQUIRE(i.ok());
  CHECK(i.commands == std::vector<std::string>{"show interfaces xe-1/2/3.100 extensive"});
}

TEST_CASE("requests outside the catalog are denied with stable reason codes", "[render]") {
  const rendered_commands unknown = render(shipped(), "shell", {});
  REQUIRE(unknown.denied);
  CHECK(to_string(unknown.denied->reason) == "unknown-collector");

  const rendered_commands extra = render(shipped(), "logs", {{"count", "5"}});
  REQUIRE(extra.denied);
  CHECK(to_string(extra.denied->reason) == "unknown-parameter");

  const rendered_commands injected = render(shipped(), "logs", {{"lines", "10 | save /tmp/x"}});
  REQUIRE(injected.denied);
  CHECK(to_string(injected.denied->reason) == "parameter-mismatch");
  CHECK(injected.commands.empty());

  const rendered_commands newline = render(shipped(), "logs", {{"lines", "10\nconfigure"}});
  REQUIRE(newline.denied);
  CHECK(newline.denied->reason == denial_reason::parameter_mismatch);
  CHECK(newline.denied->detail.find('\n') == std::string::npos);

  CHECK(render(shipped(), "logs", {{"lines", std::string(200, '1')}}).denied->reason ==
        denial_reason::parameter_mismatch);
}

TEST_CASE("a value the pattern admits is still refused when the rendered command breaks a "
          "fixed rule",
          "[render]") {
  // An overlay with a permissive-looking pattern: `..` is one word and passes the probes,
  // but no rendered command may climb directories.
  const collector_catalog catalog = build_collector_catalog({{"t.yaml", R"(collectors:
  file-log:
    description: a log by name
    commands: ["show log {name}"]
    parameters:
      name: {pattern: "[a-z.]+", default: messages}
)"}});
  const rendered_commands r = render(catalog, "file-log", {{"name", ".."}});
  REQUIRE(r.denied);
  CHECK(r.denied->reason == denial_reason::forbidden_command);
  CHECK(r.denied->detail.rfind("path-traversal", 0) == 0);
}

TEST_CASE("extra commands run only when listed exactly", "[render]") {
  const collector_catalog catalog = build_collector_catalog(
      {{"t.yaml", "extra_commands: [show system users]\n"}});
  const rendered_commands ok = render_extra_command(catalog, "show system users");
  REQUIRE(ok.ok());
  CHECK(ok.commands == std::vector<std::string>{"show system users"});
  const rendered_commands other = render_extra_command(catalog, "show system users | save x");
  REQUIRE(other.denied);
  CHECK(to_string(other.denied->reason) == "unknown-command");
}
