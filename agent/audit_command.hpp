#pragma once

#include <CLI/CLI.hpp>

namespace tether::agent {

/// Adds `audit` with `verify` (exit 0 intact, 1 tampered, 2 unreadable), `show` (a table,
/// filtered by --since / --window) and `export` (jsonl or RFC 5424 lines): offline tools
/// for the security team, reading the log named by --log or the agent's
/// (<paths.state_dir>/audit.log) with --config.
void add_audit_command(CLI::App& app, int& exit_code);

}  // namespace tether::agent
