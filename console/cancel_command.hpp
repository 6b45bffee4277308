#pragma once

#include <CLI/CLI.hpp>

namespace tether::console {

/// Registers `tether-console cancel SITE REQUEST_ID`: the agent stops the request's runs
/// (they end `cancelled`). Exit 0 when the CANCEL is on its way, 2 on an error.
void add_cancel_command(CLI::App& app, int& exit_code);

}  // namespace tether::console
