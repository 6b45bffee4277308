#include <cstdio>

#include "devsim/command_outputs.hpp"
#include "devsim/neighbors.hpp"
#include "devsim/rng.hpp"
#include "devsim/xml_writer.hpp"

namespace tether::devsim {

std::string show_ospf_neighbor(const device_identity& d, output_format f) {
  const auto all = neighbors_of(d);
  rng r = rng(d.seed).fork(61);
  if (f == output_format::text) {
    std::string out = "Address          Interface              State           ID               Pri  Dead\n";
    for (const neighbor& n : all) {
      if (!n.established) continue;
      char buf[256];
      std::snprintf(buf, sizeof buf, "%-16s %-22s %-15s %-16s %4d %5lu\n", n.address.c_str(),
                    n.interface.c_str(), "Full", n.router_id.c_str(), 128,
                    (unsigned long)r.between(30, 39));
      out += buf;
    }
    return out;
  }
  xml_writer x;
  x.open("ospf-neighbor-information", junos_namespace(d.release, "junos-routing"));
  for (const neighbor& n : all) {
    if (!n.established) continue;
    x.open("ospf-neighbor");
    x.leaf("neighbor-address", n.address);
    x.leaf("interface-name", n.interface);
    x.leaf("ospf-neighbor-state", "Full");
    x.leaf("neighbor-id", n.router_id);
    x.leaf("neighbor-priority", "128");
    x.leaf("activity-timer", std::to_string(r.between(30, 39)));
    x.close("ospf-neighbor");
  }
  x.close("ospf-neighbor-information");
  return rpc_reply(d.release, x.str(), d.model.re_count > 1);
}

}  // namespace tether::devsim
