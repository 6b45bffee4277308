#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "collectors/collector_catalog.hpp"
#include "collectors/end_of_support.hpp"
#include "collectors/fleet_runner.hpp"
#include "collectors/site_key.hpp"
#include "config/agent_config.hpp"
#include "config/credentials.hpp"
#include "config/inventory.hpp"

namespace tether::agent {

/// Everything the dispatcher checks requests against and runs them with, loaded once per
/// window by the daemon: the site, the window, the inventory, logins, pins, the catalog,
/// the site redaction key and the End-of-Support table.
struct dispatcher_setup {
  std::string site;
  std::string window;
  config::inventory inventory{};
  config::credentials logins{};
  std::string known_hosts;
  collectors::collector_catalog catalog{};
  collectors::site_key key;
  collectors::end_of_support_table end_of_support{};
  collectors::fleet_options fleet{};  // concurrency, retries, SSH settings (limits: per collector)
  std::size_t max_requests = 8;      // requests running at once; more are denied `busy`
  std::function<std::chrono::system_clock::time_point()> clock = std::chrono::system_clock::now;
};

/// The setup of window `window` from the agent configuration: its inventory, credentials
/// and known_hosts, the shipped catalog with the admin's overlays, the shipped End-of-Support
/// table and the site key `state_dir/site.key` (created 0600 on first use, as `tetherctl
/// redact` does). Throws config::config_failure or std::runtime_error saying what is wrong.
dispatcher_setup load_dispatcher_setup(const config::agent_config& agent, const std::string& window);

}  // namespace tether::agent
