#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace tether::collectors {

/// One parameter a collector takes: a value must match `pattern` as a whole.
struct catalog_parameter {
  std::string name;
  std::string pattern;  // ECMAScript regex as written in the catalog
  std::regex regex;     // `pattern`, compiled; matched against the whole value
  std::string default_value;
  std::string description;

  /// Whether `value` is one CLI word (see is_parameter_byte), at most
  /// max_parameter_bytes long, and matches the pattern as a whole.
  bool accepts(std::string_view value) const;
};

/// A named, read-only diagnostic the vendor engineer may run: its command templates
/// (`show log messages | last {lines}`) and how to run them.
struct collector_definition {
  std::string name;
  std::string description;
  std::vector<std::string> commands;          // templates with `{param}` placeholders
  std::vector<catalog_parameter> parameters;  // in catalog order
  std::chrono::seconds timeout{60};
  std::uint64_t output_cap = 16ULL << 20;  // bytes, for all commands together
  std::optional<std::string> parser;       // a parser name, or none (raw text)
  bool redact = true;
  std::string defined_in;  // the file that (last) defined it

  /// The parameter called `name`, or nullptr.
  const catalog_parameter* parameter(std::string_view name) const;
};

/// The collectors the agent may run and the admin's extra read-only commands, after the
/// shipped catalog and every admin overlay have been applied.
struct collector_catalog {
  std::map<std::string, collector_definition, std::less<>> collectors;
  std::vector<std::string> extra_commands;  // exact commands, each passing check_command

  /// The collector called `name`, or nullptr.
  const collector_definition* find(std::string_view name) const;
};

/// The text of one catalog file and the name its errors carry.
struct catalog_source {
  std::string name;
  std::string text;
};

/// Longest parameter value accepted, in bytes.
inline constexpr std::size_t max_parameter_bytes = 128;
/// Where the shipped catalog is installed.
inline constexpr std::string_view shipped_catalog_path = "/usr/share/tether/junos.yaml";
/// Where an admin's overlays (`*.yaml`) are read from.
inline constexpr std::string_view admin_catalog_dir = "/etc/tether/catalog.d";

/// Applies `sources` in order (the shipped catalog first, then overlays) and validates the
/// result. Throws config::config_failure carrying every problem of every source.
collector_catalog build_collector_catalog(const std::vector<catalog_source>& sources);

/// Loads the shipped catalog `shipped_file`, then every `*.yaml` in `admin_dir` in sorted
/// order. A missing `admin_dir` means no overlays; an empty `admin_dir` skips them.
/// Throws config::config_failure carrying every problem found.
collector_catalog load_collector_catalog(const std::string& shipped_file,
                                         const std::string& admin_dir);

/// The hostile values a parameter pattern must refuse, derived from its default: each
/// forbidden byte alone, around and inside the default, and a few injection shapes.
std::vector<std::string> hostile_probes(std::string_view default_value);

}  // namespace tether::collectors
