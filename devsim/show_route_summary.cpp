#include <cstdio>
#include <vector>

#include "devsim/command_outputs.hpp"
#include "devsim/neighbors.hpp"
#include "devsim/xml_writer.hpp"

namespace tether::devsim {

namespace {

/// Routes of one protocol in a routing table.
struct protocol_routes {
  std::string name;
  std::uint64_t routes, active;
};

std::vector<protocol_routes> inet0(const device_identity& d) {
  std::uint64_t direct = 2, bgp = 0, bgp_active = 0, ospf = 0;
  for (const interface_info& i : d.interfaces) direct += i.address.empty() ? 0 : 1;
  for (const neighbor& n : neighbors_of(d)) {
    bgp += n.prefixes;
    bgp_active += n.prefixes * 3 / 4;
    ospf += n.established ? 3 : 0;
  }
  return {{"Direct", direct, direct},
          {"Local", direct, direct},
          {"OSPF", ospf, ospf > 0 ? ospf - 1 : 0},
          {"BGP", bgp, bgp_active},
          {"Static", 1, 1}};
}

}  // namespace

std::string show_route_summary(const device_identity& d, output_format f) {
  const auto protocols = inet0(d);
  std::uint64_t routes = 0, active = 0;
  for (const auto& p : protocols) {
    routes += p.routes;
    active += p.active;
  }
  if (f == output_format::text) {
    char buf[256];
    std::string out = "Autonomous system number: " + std::to_string(d.local_as) +
                      "\nRouter ID: " + d.router_id + "\n\n";
    std::snprintf(buf, sizeof buf,
                  "inet.0: %lu destinations, %lu routes (%lu active, 0 holddown, 0 hidden)\n",
                  (unsigned long)active, (unsigned long)routes, (unsigned long)active);
    out += buf;
    for (const auto& p : protocols) {
      std::snprintf(buf, sizeof buf, "%17s: %6lu routes, %6lu active\n", p.name.c_str(),
                    (unsigned long)p.routes, (unsigned long)p.active);
      out += buf;
    }
    return out;
  }
  xml_writer x;
  x.open("route-summary-information", junos_namespace(d.release, "junos-routing"));
  x.leaf("as-number", std::to_string(d.local_as));
  x.leaf("router-id", d.router_id);
  x.open("route-table");
  x.leaf("table-name", "inet.0");
  x.leaf("destination-count", std::to_string(active));
  x.leaf("total-route-count", std::to_string(routes));
  x.leaf("active-route-count", std::to_string(active));
  x.leaf("holddown-route-count", "0");
  x.leaf("hidden-route-count", "0");
  for (const auto& p : protocols) {
    x.open("protocols");
    x.leaf("protocol-name", p.name);
    x.leaf("protocol-route-count", std::to_string(p.routes));
    x.leaf("active-route-count", std::to_string(p.active));
    x.close("protocols");
  }
  x.close("route-table");
  x.close("route-summary-information");
  return rpc_reply(d.release, x.str(), d.model.re_count > 1);
}

}  // namespace tether::devsim
