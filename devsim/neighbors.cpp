#include "devsim/neighbors.hpp"

#include <cstdio>

#include "devsim/rng.hpp"

namespace tether::devsim {

std::vector<neighbor> neighbors_of(const device_identity& d) {
  std::vector<neighbor> out;
  rng r = rng(d.seed).fork(11);
  for (const interface_info& i : d.interfaces) {
    if (i.address.empty()) continue;
    neighbor n;
    n.interface = i.name + ".0";
    n.local_address = i.address.substr(0, i.address.find('/'));
    n.address = n.local_address.substr(0, n.local_address.rfind('.')) + ".2";
    const unsigned peer = unsigned(r.between(1, 999));
    n.hostname = "peer-" + std::to_string(peer);
    n.router_id = "10.254." + std::to_string(peer / 256) + "." + std::to_string(peer % 256);
    n.peer_as = r.chance(50) ? d.local_as : std::uint32_t(r.between(64512, 65534));
    n.established = i.up && r.chance(85);
    n.uptime_seconds = r.between(30, 90 * 86400);
    n.prefixes = n.established ? std::uint32_t(r.between(1, 2000)) : 0;
    out.push_back(std::move(n));
  }
  return out;
}

std::string junos_duration(std::uint64_t s) {
  const std::uint64_t weeks = s / 604800, days = s / 86400 % 7, h = s / 3600 % 24,
                      m = s / 60 % 60, sec = s % 60;
  char buf[64];
  if (weeks > 0)
    std::snprintf(buf, sizeof buf, "%luw%lud %lu:%02lu:%02lu", (unsigned long)weeks,
                  (unsigned long)days, (unsigned long)h, (unsigned long)m, (unsigned long)sec);
  else if (days > 0)
    std::snprintf(buf, sizeof buf, "%lud %lu:%02lu:%02lu", (unsigned long)days,
                  (unsigned long)h, (unsigned long)m, (unsigned long)sec);
  else if (s >= 60)
    std::snprintf(buf, sizeof buf, "%lu:%02lu:%02lu", (unsigned long)h, (unsigned long)m,
                  (unsigned long)sec);
  else
    std::snprintf(buf, sizeof buf, "%lu", (unsigned long)sec);
  return buf;
}

}  // namespace tether::devsim
