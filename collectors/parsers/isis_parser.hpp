#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::collectors {

/// One adjacency from `show isis adjacency` (text or XML).
struct isis_adjacency {
  std::optional<std::string> member;
  std::optional<std::string> logical_system;
  std::optional<std::string> interface;
  std::optional<std::string> system;
  std::optional<long long> level;       ///< 1, 2, or 3 (= both levels)
  std::optional<std::string> state;     ///< Up, Down, Initializing, Rejected
  std::optional<long long> hold;        ///< seconds
  std::optional<std::string> snpa;      ///< MAC of the neighbor on LAN interfaces
};

/// Parses `show isis adjacency`, text or `| display xml`.
std::vector<isis_adjacency> parse_isis(std::string_view capture);

/// {"adjacencies": [{"member","logical_system","interface","system","level","state","hold","snpa"}]}
nlohmann::ordered_json to_json(const std::vector<isis_adjacency>& adjacencies);

}  // namespace tether::collectors
