#pragma once

#include <CLI/CLI.hpp>

namespace tether::agent {

/// Adds `parse COLLECTOR FILE... [--json]`: offline parsing of saved Junos output
/// (exit 0 parsed, 2 unknown collector or unreadable file).
void add_parse_command(CLI::App& app, int& exit_code);

}  // namespace tether::agent
