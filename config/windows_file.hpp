#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/window_policy.hpp"
#include "config/yaml_document.hpp"

namespace tether::config {

/// Reads one window entry (`id`, `start`, `duration` or `end`, `notified_at`).
std::optional<window_request> read_window(yaml_document& doc, const YAML::Node& node,
                                          const std::string& path);

/// Loads the top-level `windows:` list of a YAML file; ids must be unique.
/// Throws config_failure listing every problem.
std::vector<window_request> load_windows(const std::string& file);

}  // namespace tether::config
