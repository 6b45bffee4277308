#pragma once

#include <CLI/CLI.hpp>

namespace tether::console {

/// Registers `tether-console anchors` (an engineer command over the console's Unix socket).
void add_anchors_command(CLI::App& app, int& exit_code);

}  // namespace tether::console
