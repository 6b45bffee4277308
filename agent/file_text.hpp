#pragma once

#include <optional>
#include <string>

namespace tether::agent {

/// The whole file (or standard input for `-`); nullopt when it cannot be read.
std::optional<std::string> read_text(const std::string& path);

}  // namespace tether::agent
