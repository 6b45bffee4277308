#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::collectors {

/// One address of a protocol family on a logical interface (`10.0.0.1/24`, `--> 0/0`).
struct interface_address {
  std::optional<std::string> protocol;
  std::optional<std::string> local;
  std::optional<std::string> remote;
};

/// One physical or logical interface from `show interfaces terse` (or its XML).
struct interface_entry {
  std::optional<std::string> member;
  std::string name;
  std::optional<std::string> admin;  ///< "up" / "down"
  std::optional<std::string> link;   ///< "up" / "down"
  std::vector<std::string> protocols;
  std::vector<interface_address> addresses;
};

/// Parses `show interfaces terse` text or `| display xml` (also `show interfaces` XML).
std::vector<interface_entry> parse_interfaces(std::string_view capture);

/// {"interfaces": [{"member","name","admin","link","protocols":[],"addresses":[{"protocol","local","remote"}]}]}
nlohmann::ordered_json to_json(const std::vector<interface_entry>& interfaces);

}  // namespace tether::collectors
