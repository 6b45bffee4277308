#pragma once

#include <optional>
#include <string>

#include "config/window_policy.hpp"
#include "config/yaml_document.hpp"

namespace tether::config {

/// Reads a `policy:` map; only `timezone` is required, every other key defaults to the
/// contract. Problems are recorded in `doc`; nothing is returned if there were any.
std::optional<window_policy> read_window_policy(yaml_document& doc, const YAML::Node& node,
                                                const std::string& path);

/// Loads the top-level `policy:` map of any YAML file (an agent configuration qualifies).
/// Throws config_failure listing every problem.
window_policy load_window_policy(const std::string& file);

}  // namespace tether::config
