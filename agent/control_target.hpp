#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace tether::agent {

/// Where tetherctl finds the daemon: `--socket PATH`, else the `control.socket` of
/// `--config FILE` (default /etc/tether/agent.yaml).
struct control_target {
  std::string config_file = "/etc/tether/agent.yaml";
  std::string socket;
  bool json = false;

  /// Adds --config, --socket and --json to `command`.
  void add_options(CLI::App* command);
  /// The socket path (reads the configuration when --socket was not given; throws
  /// config_failure when it cannot).
  std::string socket_path() const;
  /// Sends `request` and returns the daemon's answer; throws std::runtime_error when
  /// there is none.
  nlohmann::json call(const nlohmann::json& request) const;
};

}  // namespace tether::agent
