#include "collectors/command_renderer.hpp"

#include <algorithm>

#include "collectors/command_allowlist.hpp"
#include "collectors/command_template.hpp"

namespace tether::collectors {

namespace {

rendered_commands deny(denial_reason reason, std::string detail) {
  return {{}, denial{reason, std::move(detail)}};
}

/// A value for messages: cut short and with non-printable bytes shown as `?`.
std::string shown(std::string_view value) {
  std::string out;
  for (unsigned char c : value.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? char(c) : '?';
  return value.size() > 40 ? out + "..." : out;
}

rendered_commands check_all(std::vector<std::string> commands) {
  for (const auto& command : commands) {
    const command_check check = check_command(command);
    if (!check.allowed())
      return deny(denial_reason::forbidden_command,
                  std::string(to_string(check.rule)) + ": " + check.detail);
  }
  return {std::move(commands), std::nullopt};
}

}  // namespace

std::string_view to_string(denial_reason reason) {
  switch (reason) {
    case denial_reason::unknown_collector: return "unknown-collector";
    case denial_reason::unknown_parameter: return "unknown-parameter";
    case denial_reason::parameter_mismatch: return "parameter-mismatch";
    case denial_reason::forbidden_command: return "forbidden-command";
    case denial_reason::unknown_command: return "unknown-command";
  }
  return "unknown";
}

rendered_commands render(const collector_catalog& catalog, std::string_view name,
                         const parameter_values& values) {
  const collector_definition* collector = catalog.find(name);
  if (!collector) return deny(denial_reason::unknown_collector, "\"" + shown(name) + "\"");
  for (const auto& [key, value] : values) {
    const catalog_parameter* p = collector->parameter(key);
    if (!p)
      return deny(denial_reason::unknown_parameter,
                  collector->name + " takes no parameter \"" + shown(key) + "\"");
    if (!p->accepts(value))
      return deny(denial_reason::parameter_mismatch,
                  key + "=\"" + shown(value) + "\" does not match " + p->pattern);
  }
  std::vector<std::string> commands;
  for (const auto& text : collector->commands)
    commands.push_back(fill_template(text, [&](std::string_view placeholder) {
      auto given = values.find(placeholder);
      if (given != values.end()) return given->second;
      const catalog_parameter* p = collector->parameter(placeholder);
      return p ? p->default_value : std::string("{") + std::string(placeholder) + "}";
    }));
  return check_all(std::move(commands));
}

rendered_commands render_extra_command(const collector_catalog& catalog,
                                       std::string_view command) {
  const auto& extra = catalog.extra_commands;
  if (std::find(extra.begin(), extra.end(), command) == extra.end())
    return deny(denial_reason::unknown_command, "\"" + shown(command) + "\" is not listed");
  return check_all({std::string(command)});
}

}  // namespace tether::collectors
