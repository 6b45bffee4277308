#include <cstdio>
#include <vector>

#include "devsim/command_outputs.hpp"
#include "devsim/rng.hpp"
#include "devsim/xml_writer.hpp"

namespace tether::devsim {

namespace {

/// Counters and attributes of one interface, drawn from the device's seed.
struct interface_stats {
  unsigned ifindex, snmp_index;
  std::string mac, speed;
  unsigned long long in_bytes, out_bytes, in_packets, out_packets, in_bps, out_bps;
  unsigned carrier_transitions, input_errors;
  long long last_flap;
};

interface_stats stats_of(const device_identity& d, std::size_t position, const interface_info& i) {
  rng r = rng(d.seed).fork(101 + position);
  interface_stats s{};
  s.ifindex = unsigned(150 + position);
  s.snmp_index = unsigned(500 + position);
  char mac[32];
  std::snprintf(mac, sizeof mac, "2c:6b:f5:%02x:%02x:%02x", unsigned(d.index % 256),
                unsigned(r.below(256)), unsigned(position % 256));
  s.mac = mac;
  s.speed = i.name[0] == 'e' ? "100Gbps" : i.name[0] == 'x' ? "10Gbps" : "1000mbps";
  const bool used = !i.address.empty() && i.up;
  s.in_bytes = used ? r.between(1ULL << 30, 1ULL << 44) : 0;
  s.out_bytes = used ? r.between(1ULL << 30, 1ULL << 44) : 0;
  s.in_packets = s.in_bytes / 700;
  s.out_packets = s.out_bytes / 700;
  s.in_bps = used ? r.between(1000, 4000000000ULL) : 0;
  s.out_bps = used ? r.between(1000, 4000000000ULL) : 0;
  s.carrier_transitions = unsigned(r.below(12));
  s.input_errors = r.chance(10) ? unsigned(r.between(1, 5000)) : 0;
  s.last_flap = simulation_epoch - long(r.between(3600, 200 * 86400));
  return s;
}

std::string text_of(const device_identity& d, const interface_info& i, const interface_stats& s) {
  char buf[512];
  std::string out = "Physical interface: " + i.name + ", Enabled, Physical link is " +
                    (i.up ? "Up" : "Down") + "\n";
  std::snprintf(buf, sizeof buf, "  Interface index: %u, SNMP ifIndex: %u, Generation: %u\n",
                s.ifindex, s.snmp_index, s.ifindex + 3);
  out += buf;
  if (!i.description.empty()) out += "  Description: " + i.description + "\n";
  out += "  Link-level type: Ethernet, MTU: 1514, MRU: 1522, LAN-PHY mode, Speed: " + s.speed +
         ", BPDU Error: None, Loop Detect PDU Error: None, Ethernet-Switching Error: None, "
         "MAC-REWRITE Error: None, Loopback: None, Source filtering: Disabled, Flow control: Enabled\n";
  out += "  Pad to minimum frame size: Disabled\n";
  out += std::string("  Device flags   : Present Running") + (i.up ? "" : " Down") + "\n";
  out += "  Interface flags: SNMP-Traps Internal: 0x4000\n  Link flags     : None\n";
  out += "  CoS queues     : 8 supported, 8 maximum usable queues\n";
  out += "  Hold-times     : Up 0 ms, Down 0 ms\n";
  out += "  Current address: " + s.mac + ", Hardware address: " + s.mac + "\n";
  out += "  Last flapped   : " + format_utc(s.last_flap) + "\n";
  out += "  Statistics last cleared: Never\n  Traffic statistics:\n";
  std::snprintf(buf, sizeof buf,
                "   Input  bytes  : %20llu %20llu bps\n   Output bytes  : %20llu %20llu bps\n"
                "   Input  packets: %20llu %20llu pps\n   Output packets: %20llu %20llu pps\n",
                s.in_bytes, s.in_bps, s.out_bytes, s.out_bps, s.in_packets, s.in_bps / 5600,
                s.out_packets, s.out_bps / 5600);
  out += buf;
  std::snprintf(buf, sizeof buf,
                "  Input errors:\n    Errors: %u, Drops: 0, Framing errors: %u, Runts: 0, Policed "
                "discards: 0, L3 incompletes: 0, L2 channel errors: 0, L2 mismatch timeouts: 0, "
                "FIFO errors: 0, Resource errors: 0\n  Output errors:\n    Carrier transitions: %u, "
                "Errors: 0, Drops: 0, Collisions: 0, Aged packets: 0, FIFO errors: 0, HS link CRC "
                "errors: 0, MTU errors: 0, Resource errors: 0\n",
                s.input_errors, s.input_errors, s.carrier_transitions);
  out += buf;
  if (!i.address.empty()) {
    const std::string local = i.address.substr(0, i.address.find('/'));
    const std::string net = local.substr(0, local.rfind('.')) + ".0/30";
    const std::string broadcast = local.substr(0, local.rfind('.')) + ".3";
    std::snprintf(buf, sizeof buf, "\n  Logical interface %s.0 (Index %u) (SNMP ifIndex %u) (Generation %u)\n",
                  i.name.c_str(), s.ifindex + 190, s.snmp_index + 20, s.ifindex - 1);
    out += buf;
    out += "    Flags: Up SNMP-Traps 0x4004000 Encapsulation: ENET2\n";
    std::snprintf(buf, sizeof buf, "    Input packets : %llu\n    Output packets: %llu\n",
                  s.in_packets, s.out_packets);
    out += buf;
    out += "    Protocol inet, MTU: 1500\n      Flags: Sendbcast-pkt-to-re\n"
           "      Addresses, Flags: Is-Preferred Is-Primary\n"
           "        Destination: " + net + ", Local: " + local + ", Broadcast: " + broadcast + "\n";
  }
  (void)d;
  return out;
}

std::string xml_of(const device_identity& d, const interface_info& i, const interface_stats& s) {
  xml_writer x;
  x.open("interface-information", junos_namespace(d.release, "junos-interface") +
                                      " junos:style=\"normal\"");
  x.open("physical-interface");
  x.leaf("name", i.name);
  x.leaf("admin-status", "up", "junos:format=\"Enabled\"");
  x.leaf("oper-status", i.up ? "up" : "down");
  x.leaf("local-index", std::to_string(s.ifindex));
  x.leaf("snmp-index", std::to_string(s.snmp_index));
  if (!i.description.empty()) x.leaf("description", i.description);
  x.leaf("link-level-type", "Ethernet");
  x.leaf("mtu", "1514");
  x.leaf("speed", s.speed);
  x.leaf("current-physical-address", s.mac);
  x.leaf("hardware-physical-address", s.mac);
  x.leaf("interface-flapped", format_utc(s.last_flap),
         "junos:seconds=\"" + std::to_string(s.last_flap) + "\"");
  x.open("traffic-statistics", "junos:style=\"verbose\"");
  x.leaf("input-bytes", std::to_string(s.in_bytes));
  x.leaf("input-bps", std::to_string(s.in_bps));
  x.leaf("output-bytes", std::to_string(s.out_bytes));
  x.leaf("output-bps", std::to_string(s.out_bps));
  x.leaf("input-packets", std::to_string(s.in_packets));
  x.leaf("output-packets", std::to_string(s.out_packets));
  x.close("traffic-statistics");
  x.open("input-error-list");
  x.leaf("input-errors", std::to_string(s.input_errors));
  x.leaf("input-drops", "0");
  x.leaf("framing-errors", std::to_string(s.input_errors));
  x.close("input-error-list");
  x.open("output-error-list");
  x.leaf("carrier-transitions", std::to_string(s.carrier_transitions));
  x.leaf("output-errors", "0");
  x.leaf("output-drops", "0");
  x.close("output-error-list");
  if (!i.address.empty()) {
    x.open("logical-interface");
    x.leaf("name", i.name + ".0");
    x.open("address-family");
    x.leaf("address-family-name", "inet");
    x.open("interface-address");
    x.leaf("ifa-local", i.address.substr(0, i.address.find('/')));
    x.close("interface-address");
    x.close("address-family");
    x.close("logical-interface");
  }
  x.close("physical-interface");
  x.close("interface-information");
  return rpc_reply(d.release, x.str(), d.model.re_count > 1);
}

}  // namespace

std::optional<std::string> show_interface_extensive(const device_identity& d,
                                                    const std::string& name, output_format f) {
  // NAME or NAME.UNIT; only unit 0 is configured on the simulated devices.
  const auto dot = name.find('.');
  const std::string physical = name.substr(0, dot);
  const bool logical = dot != std::string::npos;
  if (logical && name.substr(dot + 1) != "0") return std::nullopt;
  std::vector<interface_info> all = d.interfaces;
  all.push_back({d.model.management, d.management_address + "/24", "", true});
  all.push_back({"lo0", d.router_id + "/32", "", true});
  for (std::size_t p = 0; p < all.size(); ++p) {
    const interface_info& i = all[p];
    if (i.name != physical || (logical && i.address.empty())) continue;
    const interface_stats s = stats_of(d, p, i);
    if (f == output_format::xml) return xml_of(d, i, s);
    std::string text = text_of(d, i, s);
    if (logical) text = text.substr(text.find("  Logical interface"));
    return text;
  }
  return std::nullopt;
}

}  // namespace tether::devsim
