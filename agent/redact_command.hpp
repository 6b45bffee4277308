#pragma once

#include <CLI/CLI.hpp>

namespace tether::agent {

/// Adds `redact FILE|- [--config FILE]`: prints the input exactly as the agent would send
/// it, every secret replaced by its `<redacted:XXXXXXXX>` token (exit 0; 2 when the input
/// or the configuration cannot be used).
void add_redact_command(CLI::App& app, int& exit_code);

}  // namespace tether::agent
