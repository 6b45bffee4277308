#pragma once

#include <CLI/CLI.hpp>

namespace tether::agent {

/// Adds `tetherctl status`: the daemon's window, time left, tunnel, requests, spool.
void add_status_command(CLI::App& app, int& exit_code);

}  // namespace tether::agent
