#pragma once

#include <CLI/CLI.hpp>

namespace tether::agent {

/// Adds `inventory check` (connect to each device, verify its host key and login, run
/// `show version`) and `inventory trust` (pin the host keys of devices, after the admin
/// has confirmed each fingerprint).
void add_inventory_command(CLI::App& app, int& exit_code);

}  // namespace tether::agent
