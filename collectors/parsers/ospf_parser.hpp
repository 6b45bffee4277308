#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::collectors {

/// One neighbor from `show ospf neighbor` or `show ospf3 neighbor` (text or XML).
struct ospf_neighbor {
  std::optional<std::string> member;
  std::optional<std::string> logical_system;
  std::string version;                      ///< "ospf" (v2) or "ospf3"
  std::optional<std::string> address;       ///< v2: the Address column; v3: `Neighbor-address`
  std::optional<std::string> interface;
  std::optional<std::string> state;         ///< Full, 2Way, Init, ExStart ...
  std::optional<std::string> router_id;
  std::optional<long long> priority;
  std::optional<long long> dead;            ///< seconds until the neighbor is declared dead
};

/// Parses `show ospf neighbor` / `show ospf3 neighbor`, text or `| display xml`.
std::vector<ospf_neighbor> parse_ospf(std::string_view capture);

/// {"neighbors": [{"member","logical_system","version","address","interface","state","router_id","priority","dead"}]}
nlohmann::ordered_json to_json(const std::vector<ospf_neighbor>& neighbors);

}  // namespace tether::collectors
