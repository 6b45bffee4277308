#pragma once

#include <CLI/CLI.hpp>

namespace tether::console {

/// Registers `tether-console run` (an engineer command over the console's Unix socket).
void add_run_command(CLI::App& app, int& exit_code);

}  // namespace tether::console
