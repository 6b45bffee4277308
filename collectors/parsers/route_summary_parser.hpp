#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::collectors {

/// Routes of one protocol in one table (`BGP: 1366 routes, 682 active`).
struct route_protocol_count {
  std::string protocol;
  std::optional<long long> routes;
  std::optional<long long> active;
};

/// One routing table's line of `show route summary`.
struct route_table_summary {
  std::optional<std::string> member;
  std::optional<std::string> logical_system;
  std::string table;
  std::optional<long long> destinations;
  std::optional<long long> routes;
  std::optional<long long> active;
  std::optional<long long> holddown;
  std::optional<long long> hidden;
  std::vector<route_protocol_count> protocols;
};

/// The router-level lines of one summary (`Autonomous system number:`, `Router ID:`).
struct route_router_summary {
  std::optional<std::string> member;
  std::optional<std::string> logical_system;
  std::optional<std::string> autonomous_system;
  std::optional<std::string> router_id;
};

/// Everything a capture of `show route summary` holds.
struct route_summary {
  std::vector<route_router_summary> routers;
  std::vector<route_table_summary> tables;
};

/// Parses `show route summary`, text or `| display xml`.
route_summary parse_route_summary(std::string_view capture);

/// {"routers": [{"member","logical_system","autonomous_system","router_id"}],
///  "tables": [{"member","logical_system","table","destinations","routes","active","holddown","hidden","protocols":[...]}]}
nlohmann::ordered_json to_json(const route_summary& summary);

}  // namespace tether::collectors
