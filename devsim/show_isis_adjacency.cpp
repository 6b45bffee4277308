#include <cstdio>

#include "devsim/command_outputs.hpp"
#include "devsim/neighbors.hpp"
#include "devsim/rng.hpp"
#include "devsim/xml_writer.hpp"

namespace tether::devsim {

std::string show_isis_adjacency(const device_identity& d, output_format f) {
  const auto all = neighbors_of(d);
  rng r = rng(d.seed).fork(71);
  if (f == output_format::text) {
    std::string out = "Interface             System         L State         Hold (secs) SNPA\n";
    for (const neighbor& n : all) {
      char buf[256];
      std::snprintf(buf, sizeof buf, "%-21s %-14s %1d %-13s %11lu\n", n.interface.c_str(),
                    n.hostname.c_str(), 2, n.established ? "Up" : "Initializing",
                    (unsigned long)r.between(19, 27));
      out += buf;
    }
    return out;
  }
  xml_writer x;
  x.open("isis-adjacency-information", junos_namespace(d.release, "junos-routing") +
                                           " junos:style=\"brief\"");
  for (const neighbor& n : all) {
    x.open("isis-adjacency");
    x.leaf("interface-name", n.interface);
    x.leaf("system-name", n.hostname);
    x.leaf("level", "2");
    x.leaf("adjacency-state", n.established ? "Up" : "Initializing");
    x.leaf("holdtime", std::to_string(r.between(19, 27)));
    x.close("isis-adjacency");
  }
  x.close("isis-adjacency-information");
  return rpc_reply(d.release, x.str(), d.model.re_count > 1);
}

}  // namespace tether::devsim
