#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::collectors {

/// A peer's prefix counts in one RIB (`inet.0: 682/684/684/0`).
struct bgp_rib_counts {
  std::optional<std::string> table;  ///< null when the counts were printed inline in the state column
  std::optional<long long> active;
  std::optional<long long> received;
  std::optional<long long> accepted;
  std::optional<long long> damped;
};

/// One BGP peer from `show bgp summary` (text or XML).
struct bgp_peer {
  std::optional<std::string> member;
  std::optional<std::string> logical_system;
  std::string address;
  std::optional<long long> as;
  std::optional<std::string> state;  ///< Established, Active, Connect, Idle, OpenSent, OpenConfirm
  std::optional<long long> flaps;
  std::optional<std::string> last_up_down;
  std::vector<bgp_rib_counts> ribs;
};

/// The `Groups: 14 Peers: 19 Down peers: 15` line of one summary.
struct bgp_totals {
  std::optional<std::string> member;
  std::optional<std::string> logical_system;
  std::optional<long long> groups;
  std::optional<long long> peers;
  std::optional<long long> down_peers;
};

/// Everything a capture of `show bgp summary` holds.
struct bgp_summary {
  std::vector<bgp_totals> totals;
  std::vector<bgp_peer> peers;
};

/// Parses `show bgp summary` (also `instance X`, `logical-system X`), text or `| display xml`.
bgp_summary parse_bgp(std::string_view capture);

/// {"totals": [...], "peers": [{"member","logical_system","peer","as","state","flaps","last_up_down","ribs":[...]}]}
nlohmann::ordered_json to_json(const bgp_summary& summary);

}  // namespace tether::collectors
