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

/// The daemon's control socket: where tetherctl reaches it and which group may.
struct control_settings {
  std::string socket = "/run/tether/control.sock";
  std::string group = "tether";  // members may use the socket (mode 0660)
};

/// A SIEM that receives a copy of the audit log (RFC 5424).
struct syslog_target {
  std::string transport = "tcp";  // tcp (octet counting) or udp
  std::string host;               // an IP address
  std::uint16_t port = 514;
};

/// The audit log's files and where a copy goes.
struct audit_settings {
  std::string log;                     // default: <state_dir>/audit.log
  std::string key;                     // Ed25519 key; default: <state_dir>/audit.key
  std::uint64_t checkpoint_every = 1000;  // records between signed checkpoints
  std::optional<syslog_target> syslog;
};

/// The agent configuration (`/etc/tether/agent.yaml`): which site this is, its window
/// policy, the console it dials out to, and its paths.
struct agent_config {
  std::string file;  // where it was loaded from
  std::string site;
  window_policy policy;
  console_endpoint console;
  agent_paths paths;
  control_settings control;
  audit_settings audit;
};

/// Loads and checks an agent configuration. Relative paths are taken from the file's folder.
/// Throws config_failure listing every problem.
agent_config load_agent_config(const std::string& file);

}  // namespace tether::config
