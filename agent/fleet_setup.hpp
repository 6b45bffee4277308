#pragma once

#include <string>
#include <vector>

#include "collectors/fleet_runner.hpp"
#include "config/agent_config.hpp"
#include "config/credentials.hpp"
#include "config/inventory.hpp"

namespace tether::agent {

/// What a local device run needs: the agent configuration, the inventory and the
/// credentials, all loaded and checked.
struct fleet_setup {
  config::agent_config agent;
  config::inventory devices;
  config::credentials logins;
};

/// Loads the configuration at `config_file` and the files it names. Throws config_failure.
fleet_setup load_fleet_setup(const std::string& config_file);

/// The targets for `names` (inventory names, or the single word `all`). Throws
/// std::invalid_argument naming an unknown device or a missing credential.
std::vector<collectors::fleet_target> select_targets(const fleet_setup& setup,
                                                     const std::vector<std::string>& names);

/// Runs the fleet to completion on a private io_context (for tetherctl's local runs).
std::vector<collectors::command_outcome> run_fleet_now(
    const std::vector<collectors::fleet_target>& targets, const std::vector<std::string>& commands,
    const collectors::fleet_options& options, collectors::fleet_consumer& consumer);

}  // namespace tether::agent
