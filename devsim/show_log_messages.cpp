#include <optional>
#include <regex>
#include <vector>

#include "devsim/command_outputs.hpp"
#include "devsim/rng.hpp"
#include "devsim/xml_writer.hpp"

namespace tether::devsim {

namespace {

// FNV-1a: std::hash differs between standard libraries, and the fleet must not.
std::uint64_t name_hash(const std::string& s) {
  std::uint64_t h = 14695981039346656037ULL;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

// Which events a log file holds: messages has everything; the others a slice.
std::uint64_t event_kind(const std::string& base, rng& r) {
  if (base == "chassisd") return r.chance(50) ? 7 : 10 + r.below(2);
  if (base == "interactive-commands") return r.chance(80) ? 5 : 6;
  if (base == "security") return r.chance(70) ? 4 : 12;
  return r.below(10);
}

std::string event(const device_identity& d, std::uint64_t kind, rng& r) {
  const interface_info& i = d.interfaces[r.below(d.interfaces.size())];
  const std::string pid = "[" + std::to_string(r.between(1000, 99999)) + "]";
  const std::string peer = "10." + std::to_string(d.index % 250) + "." +
                           std::to_string(r.below(40)) + ".2";
  switch (kind) {
    case 0: return "mib2d" + pid + ": SNMP_TRAP_LINK_DOWN: ifIndex " + std::to_string(r.between(500, 900)) + ", ifAdminStatus up(1), ifOperStatus down(2), ifName " + i.name;
    case 1: return "mib2d" + pid + ": SNMP_TRAP_LINK_UP: ifIndex " + std::to_string(r.between(500, 900)) + ", ifAdminStatus up(1), ifOperStatus up(1), ifName " + i.name;
    case 2: return "rpd" + pid + ": BGP_IO_ERROR_CLOSE_SESSION: BGP peer " + peer + " (External AS " + std::to_string(r.between(64512, 65534)) + "): Error event Operation timed out(60) for I/O session - closing it";
    case 3: return "rpd" + pid + ": RPD_OSPF_NBRUP: OSPF neighbor " + peer + " (realm ospf-v2 " + i.name + ".0 area 0.0.0.0) state changed from Loading to Full due to LoadDone (event reason: OSPF loading completed)";
    case 4: {
      const std::string host = std::to_string(r.between(2, 250));
      const std::string port = std::to_string(r.between(30000, 65000));
      return "sshd" + pid + ": Accepted publickey for noc from 172.16.0." + host + " port " + port +
             " ssh2: ED25519 SHA256:" + r.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 43);
    }
    case 5: return "mgd" + pid + ": UI_CMDLINE_READ_LINE: User 'noc', command 'show interfaces terse '";
    case 6: return "mgd" + pid + ": UI_COMMIT_COMPLETED: commit complete";
    case 7: return "chassisd" + pid + ": CHASSISD_SNMP_TRAP7: SNMP trap generated: Fan/Blower OK (jnxContentsContainerIndex 4, jnxContentsL1Index 1, jnxContentsL2Index 0, jnxContentsL3Index 0, jnxContentsDescr Fan Tray 0 Fan 1, jnxOperatingState/Temp 2)";
    case 8: return "kernel: tcp_timer_keep: Dropping socket connection due to keepalive timer expiration, idle 7200 secs";
    case 10: return "chassisd" + pid + ": CHASSISD_FRU_ONLINE_TIMEOUT: fru_online_timeout: attempt to bring FPC " + std::to_string(r.below(2)) + " online timed out, retrying";
    case 11: return "chassisd" + pid + ": CHASSISD_BLOWERS_SPEED: Fans and impellers are now running at normal speed";
    case 12: {
      const std::string host = std::to_string(r.between(2, 250));
      return "sshd" + pid + ": Failed password for invalid user admin from 192.0.2." + host +
             " port " + std::to_string(r.between(30000, 65000)) + " ssh2";
    }
    default: return "/usr/sbin/cron" + pid + ": (root) CMD (adjkerntz -a)";
  }
}

}  // namespace

std::optional<std::string> show_log(const device_identity& d, const std::string& file,
                                    output_format f) {
  static const std::regex names(
      "(messages|chassisd|interactive-commands|security|default-log-messages)(\\.([0-9]{1,2})\\.gz)?");
  std::smatch m;
  if (!std::regex_match(file, m, names)) return std::nullopt;
  const std::string base = m[1].str();
  const long long rotation = m[3].matched ? std::stoll(m[3].str()) + 1 : 0;
  rng r = rng(d.seed).fork(41 + std::uint64_t(rotation) * 97 + name_hash(base) % 1000);
  const std::size_t lines = base == "messages" ? 200 + d.config_scale * 20 : 60 + d.config_scale * 5;
  long long t = simulation_epoch - 86400 * 3 * (rotation + 1);
  std::string text = format_syslog_time(t) + "  " + d.hostname +
                     " newsyslog[" + std::to_string(r.between(1000, 9999)) +
                     "]: logfile turned over due to size>1024K\n";
  for (std::size_t i = 0; i < lines; ++i) {
    t += long(r.between(1, 3 * 86400 / lines * 2));
    text += format_syslog_time(t) + "  " + d.hostname + " " + event(d, event_kind(base, r), r) + "\n";
  }
  if (f == output_format::text) return text;
  std::string body = "    <output>\n" + xml_escape(text) + "    </output>\n";
  return rpc_reply(d.release, body, d.model.re_count > 1);
}

std::string show_log_messages(const device_identity& d, output_format f) {
  return *show_log(d, "messages", f);
}

}  // namespace tether::devsim
