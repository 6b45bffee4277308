#include <cstdio>

#include "devsim/command_outputs.hpp"
#include "devsim/neighbors.hpp"
#include "devsim/rng.hpp"
#include "devsim/xml_writer.hpp"

namespace tether::devsim {

namespace {

/// Message counters of one BGP session, derived from how long it has been up.
struct counters {
  std::uint64_t in, out, flaps;
};

counters counters_of(const neighbor& n, rng& r) {
  if (!n.established) return {0, 0, r.below(5)};
  return {n.uptime_seconds / 30 + r.below(100), n.uptime_seconds / 30 + r.below(100),
          r.below(20)};
}

}  // namespace

std::string show_bgp_summary(const device_identity& d, output_format f) {
  const auto peers = neighbors_of(d);
  rng r = rng(d.seed).fork(51);
  std::uint64_t total = 0, active = 0, down = 0;
  for (const neighbor& n : peers) {
    total += n.prefixes;
    active += n.prefixes * 3 / 4;
    down += n.established ? 0 : 1;
  }
  const std::string groups = std::to_string(peers.empty() ? 0 : 1 + peers.size() / 8);
  if (f == output_format::text) {
    if (peers.empty()) return "BGP is not running\n";
    char buf[256];
    std::string out = "Threading mode: BGP I/O\nDefault eBGP mode: advertise - accept, receive - accept\n";
    out += "Groups: " + groups + " Peers: " + std::to_string(peers.size()) +
           " Down peers: " + std::to_string(down) + "\n";
    out += "Table          Tot Paths  Act Paths Suppressed    History Damp State    Pending\n";
    std::snprintf(buf, sizeof buf, "inet.0\n               %10lu %10lu %10d %10d %10d %10d\n",
                  (unsigned long)total, (unsigned long)active, 0, 0, 0, 0);
    out += buf;
    out += "Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn "
           "State|#Active/Received/Accepted/Damped...\n";
    for (const neighbor& n : peers) {
      const counters c = counters_of(n, r);
      std::snprintf(buf, sizeof buf, "%-20s %7u %10lu %10lu %7d %7lu %11s ", n.address.c_str(),
                    n.peer_as, (unsigned long)c.in, (unsigned long)c.out, 0,
                    (unsigned long)c.flaps, junos_duration(n.uptime_seconds).c_str());
      out += buf;
      if (n.established)
        out += "Establ\n  inet.0: " + std::to_string(n.prefixes * 3 / 4) + "/" +
               std::to_string(n.prefixes) + "/" + std::to_string(n.prefixes) + "/0\n";
      else
        out += (r.chance(50) ? "Active\n" : "Connect\n");
    }
    return out;
  }
  xml_writer x;
  x.open("bgp-information", junos_namespace(d.release, "junos-routing"));
  x.leaf("bgp-thread-mode", "BGP I/O");
  x.leaf("group-count", groups);
  x.leaf("peer-count", std::to_string(peers.size()));
  x.leaf("down-peer-count", std::to_string(down));
  x.open("bgp-rib", "junos:style=\"brief\"");
  x.leaf("name", "inet.0");
  x.leaf("total-prefix-count", std::to_string(total));
  x.leaf("received-prefix-count", std::to_string(total));
  x.leaf("accepted-prefix-count", std::to_string(total));
  x.leaf("active-prefix-count", std::to_string(active));
  x.leaf("suppressed-prefix-count", "0");
  x.leaf("history-prefix-count", "0");
  x.leaf("damped-prefix-count", "0");
  x.leaf("pending-prefix-count", "0");
  x.close("bgp-rib");
  for (const neighbor& n : peers) {
    const counters c = counters_of(n, r);
    x.open("bgp-peer", "junos:style=\"terse\" heading=\"Peer                     AS      "
                       "InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/"
                       "Accepted/Damped...\"");
    x.leaf("peer-address", n.address);
    x.leaf("peer-as", std::to_string(n.peer_as));
    x.leaf("input-messages", std::to_string(c.in));
    x.leaf("output-messages", std::to_string(c.out));
    x.leaf("route-queue-count", "0");
    x.leaf("flap-count", std::to_string(c.flaps));
    x.leaf("elapsed-time", junos_duration(n.uptime_seconds),
           "junos:seconds=\"" + std::to_string(n.uptime_seconds) + "\"");
    if (n.established) {
      x.leaf("peer-state", "Established", "junos:format=\"Establ\"");
      x.open("bgp-rib");
      x.leaf("name", "inet.0");
      x.leaf("active-prefix-count", std::to_string(n.prefixes * 3 / 4));
      x.leaf("received-prefix-count", std::to_string(n.prefixes));
      x.leaf("accepted-prefix-count", std::to_string(n.prefixes));
      x.leaf("suppressed-prefix-count", "0");
      x.close("bgp-rib");
    } else {
      x.leaf("peer-state", r.chance(50) ? "Active" : "Connect");
    }
    x.close("bgp-peer");
  }
  x.close("bgp-information");
  return rpc_reply(d.release, x.str(), d.model.re_count > 1);
}

}  // namespace tether::devsim
