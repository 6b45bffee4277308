#pragma once

#include <CLI/CLI.hpp>

namespace tether::agent {

/// Adds `collect`: the admin's local run of read-only commands on inventory devices, with
/// each output saved under --out as DEVICE/NN-COMMAND.txt, a progress bar and a summary.
void add_collect_command(CLI::App& app, int& exit_code);

}  // namespace tether::agent
