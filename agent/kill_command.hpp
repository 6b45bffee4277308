#pragma once

#include <CLI/CLI.hpp>

namespace tether::agent {

/// Adds `tetherctl kill`: ends the session at once and revokes its window.
void add_kill_command(CLI::App& app, int& exit_code);

}  // namespace tether::agent
