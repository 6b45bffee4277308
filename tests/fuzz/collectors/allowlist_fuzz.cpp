// libFuzzer: whatever the allowlist accepts starts with `show ` or is the support-info
// command, is at most 512 bytes and holds only command bytes; whatever render accepts as
// a parameter value ends up verbatim in a command the allowlist accepts.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "collectors/collector_catalog.hpp"
#include "collectors/command_allowlist.hpp"
#include "collectors/command_renderer.hpp"

using namespace tether::collectors;

namespace {

const collector_catalog& catalog() {
  static const collector_catalog c = build_collector_catalog({{"fuzz.yaml", R"(collectors:
  logs:
    description: log lines
    commands: ["show log {file} | last {lines}"]
    parameters:
      file: {pattern: "[a-z][a-z0-9.-]*", default: messages}
      lines: {pattern: "[1-9][0-9]{0,4}", default: "200"}
)"}});
  return c;
}

void require(bool condition) {
  if (!condition) std::abort();
}

void check_accepted(std::string_view command) {
  require(command.size() <= max_command_bytes);
  for (unsigned char c : command) require(is_command_byte(c));
  const bool show = command.rfind("show ", 0) == 0;
  const bool support = command == support_information_command ||
                       command == std::string(support_information_command) + " | no-more";
  require(show || support);
  require(command.find('\n') == std::string_view::npos);
  require(command.find(';') == std::string_view::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  if (check_command(input).allowed()) check_accepted(input);
  for (const char* parameter : {"file", "lines"}) {
    const rendered_commands r = render(catalog(), "logs", {{parameter, input}});
    if (!r.ok()) continue;
    require(r.commands.size() == 1);
    require(check_command(r.commands[0]).allowed());
    check_accepted(r.commands[0]);
    require(r.commands[0].find(input) != std::string::npos);
  }
  return 0;
}
