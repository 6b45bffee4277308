#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <libssh/libssh.h>

#include "devsim/fleet.hpp"

namespace tether::devsim {

/// Where devsim writes in its state directory (see README.md for the formats).
struct state_paths {
  std::filesystem::path dir;
  std::filesystem::path inventory;     // inventory.yaml
  std::filesystem::path credentials;   // credentials.yaml (0600)
  std::filesystem::path known_hosts;   // known_hosts
  std::filesystem::path agent_config;  // agent.yaml
  std::filesystem::path client_key;    // client_ed25519 (0600), client_ed25519.pub
  std::filesystem::path host_keys;     // hostkeys/<name>.key (0600), <name>-changed.key

  /// The paths under `dir`.
  explicit state_paths(const std::filesystem::path& dir);
};

/// What the agent-side files say besides the fleet.
struct agent_settings {
  std::string site = "devsim";
  std::string timezone = "Europe/Amsterdam";
  std::string console_endpoint = "127.0.0.1:8443";
  std::string username = "tether";
  std::string password;  // also accepted by every device (credential devsim-password)
};

/// Loads an ed25519 private key from `path`, or creates one there (mode 0600) when the
/// file does not exist, so a restarted devsim keeps its identities. Throws on failure.
ssh_key load_or_create_key(const std::filesystem::path& path);

/// "ssh-ed25519 AAAA..." for a key.
std::string public_key_line(ssh_key key);

/// Writes `content` to `path` atomically (temporary file + rename) with `mode`.
void write_file(const std::filesystem::path& path, const std::string& content, unsigned mode);

/// inventory.yaml: every device with its host, port, serial (the inventory serial, which
/// --unregistered makes differ) and the credential devsim-key.
std::string inventory_yaml(const fleet& f, const std::vector<std::uint16_t>& ports,
                           const std::string& host);

/// credentials.yaml: devsim-key (username + key_file) and devsim-password.
std::string credentials_yaml(const state_paths& paths, const agent_settings& settings);

/// known_hosts: `[host]:port ssh-ed25519 AAAA...` per device, with the key each device
/// is supposed to have (not the one a hostkey-change device serves).
std::string known_hosts_text(const std::vector<std::string>& public_keys,
                             const std::vector<std::uint16_t>& ports, const std::string& host);

/// agent.yaml pointing at the files above.
std::string agent_yaml(const state_paths& paths, const agent_settings& settings);

}  // namespace tether::devsim
