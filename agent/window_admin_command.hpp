#pragma once

#include <CLI/CLI.hpp>

namespace tether::agent {

/// Adds `window add|list|show|cancel` (through the daemon's control socket) to the
/// `window` command that add_window_command created.
void add_window_admin_command(CLI::App& app, int& exit_code);

}  // namespace tether::agent
