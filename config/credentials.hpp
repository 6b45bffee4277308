#pragma once

#include <map>
#include <optional>
#include <string>

namespace tether::config {

/// How the agent logs in to a device; exactly one method is set. Secrets stay in memory
/// only: nothing here is ever logged, printed or sent.
struct credential {
  enum class method { key_file, agent, password };
  std::string name;
  std::string username;
  method how = method::key_file;
  std::string key_file;   // for key_file: a private key file, itself mode 0600
  std::string password;   // for password
};

/// The credentials file: named logins the inventory refers to.
struct credentials {
  std::map<std::string, credential> by_name;

  /// The credential called `name`, or nullptr.
  const credential* find(const std::string& name) const;
};

/// Loads a credentials file. Refuses a file (or a key file) that group or others may read,
/// with the command that fixes it. Errors never quote a secret. Throws config_failure.
credentials load_credentials(const std::string& file);

}  // namespace tether::config
