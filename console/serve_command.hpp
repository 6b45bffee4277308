#pragma once

#include <CLI/CLI.hpp>

namespace tether::console {

/// Registers `tether-console serve`: the agents' TLS listener, the result index and the
/// engineers' socket, from `--config FILE` and/or flags (flags win). Runs until SIGINT or
/// SIGTERM. Exit codes: 0 stopped cleanly, 1 could not start (port, files), 2 bad config.
void add_serve_command(CLI::App& app, int& exit_code);

}  // namespace tether::console
