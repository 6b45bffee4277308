#pragma once

#include <CLI/CLI.hpp>

namespace tether::console {

/// Registers `tether-console devices` (an engineer command over the console's Unix socket).
void add_devices_command(CLI::App& app, int& exit_code);

}  // namespace tether::console
