#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/collector_catalog.hpp"

namespace tether::collectors {

/// Why a request for device commands was refused. The codes are stable (audit, console).
enum class denial_reason {
  unknown_collector,   // no such collector in the catalog
  unknown_parameter,   // a parameter the collector does not take
  parameter_mismatch,  // a value that is not one word matching the parameter's pattern
  forbidden_command,   // a rendered command the fixed rules refuse (catalog or extra command)
  unknown_command,     // an exact command that is not in the admin's extra_commands
};

/// The stable code for a reason: `unknown-collector`, `parameter-mismatch`, ...
std::string_view to_string(denial_reason reason);

/// A refused request: the stable reason and a detail for people.
struct denial {
  denial_reason reason;
  std::string detail;
};

/// The device commands a request renders to, or why it was refused.
struct rendered_commands {
  std::vector<std::string> commands;  // empty when denied
  std::optional<denial> denied;

  bool ok() const { return !denied; }
};

/// Parameter values as the engineer sent them, by name.
using parameter_values = std::map<std::string, std::string, std::less<>>;

/// Renders collector `name` with `values`: a missing parameter takes its default, an unknown
/// one is refused, each value must be accepted by its parameter, and every rendered command
/// must pass the fixed rules (check_command) whatever the catalog says.
rendered_commands render(const collector_catalog& catalog, std::string_view name,
                         const parameter_values& values);

/// Renders one of the admin's extra read-only commands, given exactly as listed.
rendered_commands render_extra_command(const collector_catalog& catalog,
                                       std::string_view command);

}  // namespace tether::collectors
