#pragma once

#include <CLI/CLI.hpp>

namespace tether::agent {

/// Adds `collect`: the admin's local run of a catalog collector (`--collector`, `--param`) or
/// of read-only commands (`--command`, checked against the fixed rules) on inventory devices,
/// each output saved under --out as DEVICE/NN-COMMAND.txt, with a progress bar and a summary.
void add_collect_command(CLI::App& app, int& exit_code);

}  // namespace tether::agent
