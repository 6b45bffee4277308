#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "config/window_policy.hpp"

namespace tether::config {

/// Where the vendor's console is and how the agent proves itself to it and checks it.
struct console_endpoint {
  std::string host;
  std::uint16_t port = 443;
  std::string server_name;                // name checked in the console's certificate
  std::string ca_file;                    // CA bundle the console's certificate must chain to
  std::string cert_file;                  // the agent's client certificate
  std::string key_file;                   // its private key
  std::optional<std::string> pin_sha256;  // SPKI SHA-256 of the console, 64 hex digits
  std::optional<std::string> proxy;       // http://[user:pass@]host:port for HTTP CONNECT
};

/// The files and folders the agent reads and writes.
struct agent_paths {
  std::string state_dir = "/var/lib/tether";
  std::string inventory = "/etc/tether/inventory.yaml";
  std::string credentials = "/etc/tether/credentials.yaml";
  std::string known_hosts = "/etc/tether/known_hosts";
  std::string catalog_dir = "/etc/tether/catalog.d";  // the admin's catalog overlays
};

/// The agent configuration (`/etc/tether/agent.yaml`): which site this is, its window
/// policy, the console it dials out to, and its paths.
struct agent_config {
  std::string file;  // where it was loaded from
  std::string site;
  window_policy policy;
  console_endpoint console;
  agent_paths paths;
};

/// Loads and checks an agent configuration. Relative paths are taken from the file's folder.
/// Throws config_failure listing every problem.
agent_config load_agent_config(const std::string& file);

}  // namespace tether::config
