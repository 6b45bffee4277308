#pragma once

#include <CLI/CLI.hpp>

namespace tether::console {

/// Registers `tether-console notes` (an engineer command over the console's Unix socket).
void add_notes_command(CLI::App& app, int& exit_code);

}  // namespace tether::console
