#pragma once

#include <CLI/CLI.hpp>

namespace tether::console {

/// Registers `tether-console ca init`, `ca issue` and `ca list`: create the console's CA,
/// issue site and console certificates, and list them with expiry warnings. Exit codes:
/// 0 done, 1 refused or failed (files exist, no CA, I/O) or, for `list`, a certificate
/// invalid or expiring, 2 malformed input.
void add_ca_command(CLI::App& app, int& exit_code);

}  // namespace tether::console
