#pragma once

#include <CLI/CLI.hpp>

namespace tether::agent {

/// Adds `window` and its `check` subcommand: offline evaluation of a proposed schedule
/// against a site policy (exit 0 all valid, 1 some invalid, 2 malformed input).
void add_window_command(CLI::App& app, int& exit_code);

}  // namespace tether::agent
