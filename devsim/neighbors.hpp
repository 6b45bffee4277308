#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devsim/device_identity.hpp"

namespace tether::devsim {

/// A routing adjacency of a simulated device over one of its configured interfaces.
struct neighbor {
  std::string interface;     // et-0/0/1.0
  std::string local_address; // 10.3.1.1
  std::string address;       // the peer's interface address, 10.3.1.2
  std::string hostname;      // the peer's name (IS-IS system id)
  std::string router_id;     // the peer's router id
  std::uint32_t peer_as = 0;
  bool established = true;   // BGP Establ / OSPF Full / IS-IS Up
  std::uint64_t uptime_seconds = 0;
  std::uint32_t prefixes = 0;  // BGP prefixes received
};

/// The device's neighbours: one per addressed interface, deterministic from its identity.
std::vector<neighbor> neighbors_of(const device_identity& d);

/// Junos's BGP "Last Up/Dwn" form: 3w2d 4:19:15, 1d 2:03:04, 4:19:15, 59.
std::string junos_duration(std::uint64_t seconds);

}  // namespace tether::devsim
