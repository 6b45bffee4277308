#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tether::config {

/// One End User device the vendor may look at, as the admin registered it.
struct device {
  std::string name;                   // inventory name, e.g. edge1
  std::string host;                   // address or DNS name
  std::uint16_t port = 22;
  std::string platform = "junos";
  std::optional<std::string> serial;  // chassis serial as registered with the vendor
  std::string credential;             // a name in the credentials file
};

/// The End User's devices in scope (seed §2: registered by serial number).
struct inventory {
  std::vector<device> devices;

  /// The device called `name`, or nullptr.
  const device* find(const std::string& name) const;
};

/// Loads an inventory file (`devices:` list). Throws config_failure listing every problem.
inventory load_inventory(const std::string& file);

}  // namespace tether::config
