#pragma once

#include <CLI/CLI.hpp>

namespace tether::agent {

/// `tetherctl session list [--window ID] [--json]` and `tetherctl session show REQUEST
/// [--window ID] [--device D] [--document] [--json]`: the session transcripts, offline.
void add_session_command(CLI::App& app, int& exit_code);

}  // namespace tether::agent
