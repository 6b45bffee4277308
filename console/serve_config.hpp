#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config_error.hpp"

namespace tether::console {

/// What `tether-console serve` needs; a config file fills it, flags override field by field.
struct serve_config {
  std::string listen;        ///< HOST:PORT (IPv6 as [::1]:PORT) for agents
  std::string cert_file;     ///< the console's certificate
  std::string key_file;      ///< its key (0600)
  std::string ca_file;       ///< the CA that signs agent certificates
  std::string data_dir;      ///< index.sqlite, results/, console.sock
  std::string socket;        ///< the engineer socket; empty: DATA_DIR/console.sock
  std::string console_id = "console";
  int keepalive_seconds = 15;
};

/// A serve_config read from a YAML file, or every problem found (file:line:col: field: ...).
struct serve_config_result {
  serve_config value;
  std::vector<config::config_error> errors;
};

/// Reads `file` (keys: listen, cert, key, ca, data_dir, socket, console_id,
/// keepalive_seconds); relative paths are taken from the file's folder.
serve_config_result load_serve_config(const std::string& file);

/// Checks that every required field is set (after flags); the missing ones, named as flags.
std::vector<std::string> missing_fields(const serve_config& c);

/// HOST:PORT split into an address and a port, or an error message.
struct listen_address {
  std::string host;
  unsigned short port = 0;
  std::string error;
};
listen_address parse_listen(const std::string& text);

}  // namespace tether::console
