#pragma once

#include <CLI/CLI.hpp>

namespace tether::console {

/// Registers `tether-console ca init` and `ca issue`: create the console's CA and issue
/// site and console certificates. Exit codes: 0 written, 1 refused or failed (files exist,
/// no CA, I/O), 2 malformed input.
void add_ca_command(CLI::App& app, int& exit_code);

}  // namespace tether::console
