#include "devsim/config_generator.hpp"

#include "devsim/neighbors.hpp"
#include "devsim/rng.hpp"
#include "devsim/xml_writer.hpp"

namespace tether::devsim {

namespace {

constexpr std::string_view crypt_alphabet =
    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// One rng draw per statement throughout: operand evaluation order is unspecified, and
// the same seed must give the same configuration whichever compiler built devsim.
std::string sha512_crypt(rng& r) {
  const std::string salt = r.text(crypt_alphabet, 16);
  return "\"$6$" + salt + "$" + r.text(crypt_alphabet, 86) + "\"";
}

std::string md5_crypt(rng& r) {
  const std::string salt = r.text(crypt_alphabet, 8);
  return "\"$1$" + salt + "$" + r.text(crypt_alphabet, 22) + "\"";
}

std::string random_prefix(rng& r) {
  const unsigned a = unsigned(r.between(11, 223));
  const unsigned b = unsigned(r.below(256));
  const unsigned c = unsigned(r.below(256));
  return std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c) + ".0/24";
}

std::string type9(rng& r) { return "\"" + junos_type9(r) + "\""; }

std::string pem_private_key(rng& r) {
  std::string pem = "-----BEGIN PRIVATE KEY-----\n";
  for (int i = 0; i < 15; ++i) pem += r.text(base64_alphabet, 64) + "\n";
  pem += r.text(base64_alphabet, 40) + "==\n-----END PRIVATE KEY-----\n";
  return "\"" + pem + "\"";
}

std::string ip(unsigned a, unsigned b, unsigned c, unsigned d) {
  return std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c) + "." +
         std::to_string(d);
}

void add_system(config_node& root, const device_identity& d, rng& r) {
  config_node& sys = root.container("system");
  sys.leaf("host-name", d.hostname);
  sys.leaf("time-zone", "UTC");
  sys.container("root-authentication").leaf("encrypted-password", sha512_crypt(r), true);
  sys.leaf("authentication-order", "[ tacplus radius password ]");
  config_node& login = sys.container("login");
  config_node& cls = login.named("class", "noc-read");
  cls.leaf("idle-timeout", "30");
  cls.leaf("permissions", "[ view view-configuration ]");
  const char* users[][2] = {{"admin", "super-user"}, {"noc", "noc-read"}, {"backup", "operator"}};
  unsigned uid = 2000;
  for (const auto& u : users) {
    config_node& user = login.named("user", u[0]);
    user.leaf("uid", std::to_string(++uid));
    user.leaf("class", u[1]);
    config_node& auth = user.container("authentication");
    auth.leaf("encrypted-password", uid == 2003 ? md5_crypt(r) : sha512_crypt(r), true);
    if (uid == 2001)
      auth.leaf("ssh-ed25519", "\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" +
                                   r.text(base64_alphabet, 43) + " admin@jump01\"");
  }
  config_node& services = sys.container("services");
  config_node& ssh = services.container("ssh");
  ssh.leaf("root-login", "deny");
  ssh.leaf("protocol-version", "v2");
  services.container("netconf").flag("ssh");
  for (unsigned i = 0; i < 2; ++i) {
    config_node& radius = sys.list("radius-server").entry("radius-server", ip(10, 10, 1, 10 + i));
    radius.leaf("secret", type9(r), true);
    radius.leaf("source-address", d.management_address);
  }
  for (unsigned i = 0; i < 2; ++i) {
    config_node& tac = sys.list("tacplus-server").entry("tacplus-server", ip(10, 10, 2, 10 + i));
    tac.leaf("secret", type9(r), true);
    tac.flag("single-connection");
  }
  config_node& syslog = sys.container("syslog");
  config_node& host = syslog.named("host", ip(10, 10, 3, 5));
  host.leaf("any", "notice");
  host.leaf("authorization", "info");
  config_node& messages = syslog.named("file", "messages");
  messages.leaf("any", "notice");
  messages.leaf("authorization", "info");
  config_node& ntp = sys.container("ntp");
  config_node& key = ntp.named("authentication-key", "1");
  key.leaf("type", "md5");
  key.leaf("value", type9(r), true);
  ntp.named("server", ip(10, 10, 4, 1)).leaf("key", "1");
  ntp.leaf("trusted-key", "1");
}

// Merges containers with the same keyword that add_system created one per entry.
void merge_containers(config_node& node) {
  std::list<config_node> merged;
  for (config_node& c : node.children) {
    config_node* same = nullptr;
    if (c.type == config_node::kind::container)
      for (config_node& m : merged)
        if (m.type == config_node::kind::container && m.keyword == c.keyword) same = &m;
    if (same)
      for (config_node& g : c.children) same->children.push_back(std::move(g));
    else
      merged.push_back(std::move(c));
  }
  node.children = std::move(merged);
  for (config_node& c : node.children) merge_containers(c);
}

void add_unit(config_node& iface, const std::string& unit, const std::string& address) {
  config_node& u = iface.named("unit", unit);
  config_node& fam = u.named("family", "inet");
  fam.value_is_element = true;
  if (!address.empty()) fam.named("address", address);
}

void add_interfaces(config_node& root, const device_identity& d, rng& r) {
  config_node& ifs = root.container("interfaces");
  std::size_t extra_units = d.config_scale > 1 ? d.config_scale * 10 : 0;
  for (const interface_info& i : d.interfaces) {
    if (i.address.empty()) continue;
    config_node& iface = ifs.entry("interface", i.name);
    iface.leaf("description", junos_quote(i.description));
    if (extra_units > 0) {
      iface.flag("vlan-tagging");
      const std::size_t here = std::min<std::size_t>(extra_units, 200);
      for (std::size_t v = 0; v < here; ++v) {
        const std::string vlan = std::to_string(100 + v);
        config_node& u = iface.named("unit", vlan);
        u.leaf("description", junos_quote("customer " + std::to_string(r.between(1000, 9999))));
        u.leaf("vlan-id", vlan);
        config_node& fam = u.named("family", "inet");
        fam.value_is_element = true;
        fam.named("address", ip(100, unsigned(64 + v / 256 % 64), unsigned(v % 256),
                                unsigned(1 + 4 * r.below(60))) + "/30");
      }
      extra_units -= here;
    }
    add_unit(iface, "0", i.address);
  }
  config_node& mgmt = ifs.entry("interface", d.model.management);
  add_unit(mgmt, "0", d.management_address + "/24");
  config_node& lo = ifs.entry("interface", "lo0");
  config_node& lo_unit = lo.named("unit", "0");
  config_node& lo_inet = lo_unit.named("family", "inet");
  lo_inet.value_is_element = true;
  lo_inet.container("filter").leaf("input", "protect-re");
  lo_inet.named("address", d.router_id + "/32");
}

void add_snmp(config_node& root, const device_identity& d, rng& r) {
  config_node& snmp = root.container("snmp");
  snmp.leaf("location", junos_quote("DC " + d.hostname.substr(0, 3) + ", rack " +
                                    std::to_string(r.between(1, 40))));
  snmp.leaf("contact", junos_quote("noc@example.net"));
  config_node& ro = snmp.named("community", "ro-" + r.text("abcdefghijkmnpqrstuvwxyz23456789", 12));
  ro.leaf("authorization", "read-only");
  ro.list("clients").entry("clients", "10.10.0.0/16");
  config_node& user = snmp.container("v3").container("usm").container("local-engine")
                          .named("user", "nms");
  user.container("authentication-sha").leaf("authentication-key", type9(r), true);
  user.container("privacy-aes128").leaf("privacy-key", type9(r), true);
  snmp.named("trap-group", "nms").list("targets").entry("targets", "10.10.3.6");
}

void add_protocols(config_node& root, const device_identity& d, rng& r) {
  const auto peers = neighbors_of(d);
  config_node& ro = root.container("routing-options");
  ro.leaf("router-id", d.router_id);
  ro.leaf("autonomous-system", std::to_string(d.local_as));
  ro.container("static").named("route", "0.0.0.0/0").leaf("next-hop", ip(172, 16, 0, 1));
  config_node& protocols = root.container("protocols");
  config_node& bgp = protocols.container("bgp");
  config_node& ibgp = bgp.named("group", "IBGP");
  ibgp.leaf("type", "internal");
  ibgp.leaf("local-address", d.router_id);
  ibgp.leaf("authentication-key", type9(r), true);
  config_node& ebgp = bgp.named("group", "EBGP");
  ebgp.leaf("type", "external");
  ebgp.leaf("authentication-key-chain", "bgp-keys");
  ebgp.leaf("import", "[ BOGONS-IN PEER-IN ]");
  for (const neighbor& n : peers) {
    config_node& group = n.peer_as == d.local_as ? ibgp : ebgp;
    config_node& nb = group.named("neighbor", n.address);
    nb.leaf("description", n.hostname);
    if (&group == &ebgp) nb.leaf("peer-as", std::to_string(n.peer_as));
  }
  config_node& area = protocols.container("ospf").named("area", "0.0.0.0");
  for (const neighbor& n : peers) {
    config_node& oi = area.named("interface", n.interface);
    oi.leaf("interface-type", "p2p");
    oi.container("authentication").named("md5", "1").leaf("key", type9(r), true);
  }
  area.named("interface", "lo0.0").flag("passive");
  config_node& isis = protocols.container("isis");
  for (const neighbor& n : peers) isis.named("interface", n.interface).flag("point-to-point");
  config_node& level = isis.named("level", "2");
  level.leaf("authentication-key", type9(r), true);
  level.leaf("authentication-type", "md5");
  protocols.container("lldp").named("interface", "all");
}

void add_policies(config_node& root, const device_identity& d, rng& r) {
  config_node& po = root.container("policy-options");
  const std::size_t lists = 2 + d.config_scale / 4;
  for (std::size_t l = 0; l < lists; ++l) {
    config_node& pl = po.named("prefix-list", l == 0 ? "MGMT-HOSTS" : "CUSTOMER-" + std::to_string(l));
    const std::size_t entries = l == 0 ? 4 : 5 + d.config_scale * 4;
    for (std::size_t e = 0; e < entries; ++e)
      pl.entry("prefix-list-item", random_prefix(r));
  }
  config_node& bogons = po.named("policy-statement", "BOGONS-IN");
  config_node& t1 = bogons.named("term", "bogons");
  t1.container("from").leaf("route-filter", "10.0.0.0/8 orlonger");
  t1.container("then").flag("reject");
  config_node& peer_in = po.named("policy-statement", "PEER-IN");
  config_node& t2 = peer_in.named("term", "tag");
  t2.container("then").leaf("community", "add PEERS");
  po.named("community", "PEERS").leaf("members", std::to_string(d.local_as) + ":100");
}

void add_firewall(config_node& root, const device_identity& d, rng& r) {
  config_node& filter = root.container("firewall").named("family", "inet");
  filter.value_is_element = true;
  config_node& f = filter.named("filter", "protect-re");
  const char* ports[] = {"ssh", "snmp", "ntp", "bgp", "netconf", "https", "syslog", "tacacs"};
  const std::size_t terms = 6 + d.config_scale * 8;
  for (std::size_t t = 0; t < terms; ++t) {
    config_node& term = f.named("term", "allow-" + std::string(ports[t % 8]) + "-" + std::to_string(t));
    config_node& from = term.container("from");
    from.list("source-prefix-list").entry("source-prefix-list", t % 3 == 0 ? "MGMT-HOSTS" : "CUSTOMER-1");
    from.leaf("protocol", t % 8 == 2 || t % 8 == 1 ? "udp" : "tcp");
    from.leaf("destination-port", ports[t % 8]);
    config_node& then = term.container("then");
    if (r.chance(30)) then.leaf("count", "c-" + std::to_string(t));
    then.flag("accept");
  }
  config_node& last = f.named("term", "discard-rest");
  config_node& then = last.container("then");
  then.flag("syslog");
  then.flag("discard");
}

void add_security(config_node& root, const device_identity& d, rng& r) {
  config_node& sec = root.container("security");
  config_node& chain = sec.container("authentication-key-chains").named("key-chain", "bgp-keys");
  for (int k = 0; k < 2; ++k) {
    config_node& key = chain.named("key", std::to_string(k));
    key.leaf("secret", type9(r), true);
    key.leaf("start-time", k == 0 ? "\"2026-1-1.00:00:00 +0000\"" : "\"2027-1-1.00:00:00 +0000\"");
  }
  config_node& ike = sec.container("ike");
  config_node& prop = ike.named("proposal", "IKE-AES256");
  prop.leaf("authentication-method", "pre-shared-keys");
  prop.leaf("dh-group", "group14");
  prop.leaf("authentication-algorithm", "sha-256");
  prop.leaf("encryption-algorithm", "aes-256-cbc");
  config_node& pol = ike.named("policy", "IKE-POL");
  pol.leaf("mode", "main");
  pol.leaf("proposals", "IKE-AES256");
  pol.container("pre-shared-key").leaf("ascii-text", type9(r), true);
  config_node& gw = ike.named("gateway", "GW-DR");
  gw.leaf("ike-policy", "IKE-POL");
  gw.leaf("address", ip(192, 0, 2, unsigned(d.index % 250 + 1)));
  gw.leaf("external-interface", d.interfaces.front().name + ".0");
  config_node& ipsec = sec.container("ipsec");
  config_node& ip_prop = ipsec.named("proposal", "ESP-AES256");
  ip_prop.leaf("protocol", "esp");
  ip_prop.leaf("encryption-algorithm", "aes-256-gcm");
  ipsec.named("policy", "IPSEC-POL").leaf("proposals", "ESP-AES256");
  config_node& vpn = ipsec.named("vpn", "VPN-DR");
  vpn.leaf("bind-interface", "st0.0");
  config_node& vike = vpn.container("ike");
  vike.leaf("gateway", "GW-DR");
  vike.leaf("ipsec-policy", "IPSEC-POL");
  config_node& cert = sec.container("certificates").named("local", "devsim-local");
  cert.leaf("", pem_private_key(r), true);
}

void pad_to(config_node& root, std::size_t min_bytes, rng& r) {
  config_node* po = nullptr;
  for (config_node& c : root.children)
    if (c.keyword == "policy-options") po = &c;
  std::size_t size = render_hierarchy(root).size();
  std::size_t list = 0;
  while (size < min_bytes) {
    config_node& pl = po->named("prefix-list", "BULK-" + std::to_string(++list));
    const std::size_t want = std::min<std::size_t>((min_bytes - size) / 20 + 1, 20000);
    for (std::size_t e = 0; e < want; ++e)
      pl.entry("prefix-list-item", random_prefix(r));
    if (list % 16 == 0 || size + want * 20 >= min_bytes) size = render_hierarchy(root).size();
    else size += want * 20;
  }
}

}  // namespace

std::string junos_type9(rng& r) {
  static constexpr std::string_view alphabet =
      "QzF3n6/9CAtpu0O1IEhSyrlMLx7-dbNs2aZUDjHikqfwY54PXGVv8ToKWeRgJc.";
  return "$9$" + r.text(alphabet, std::size_t(r.between(18, 60)));
}

config_node build_configuration(const device_identity& d, std::size_t min_bytes) {
  rng r = rng(d.seed).fork(91);
  config_node root;
  root.leaf("version", d.release);
  add_system(root, d, r);
  merge_containers(root);
  add_interfaces(root, d, r);
  add_snmp(root, d, r);
  add_protocols(root, d, r);
  add_policies(root, d, r);
  add_firewall(root, d, r);
  add_security(root, d, r);
  if (min_bytes > 0) pad_to(root, min_bytes, r);
  return root;
}

std::string render_configuration(const device_identity& d, const config_node& root,
                                 const std::vector<std::string>& path, config_form form) {
  const std::vector<const config_node*> chain = root.find(path);
  if (!path.empty() && chain.empty()) return {};
  const config_node* at = chain.empty() ? &root : chain.back();
  std::string prefix = "set";
  for (const std::string& p : path) prefix += " " + p;
  const long long commit = simulation_epoch - 86400 - long(d.index % 86400);
  switch (form) {
    case config_form::hierarchy: {
      std::string out;
      if (path.empty()) out = "## Last commit: " + format_utc(commit) + " by admin\n";
      return out + render_hierarchy(*at);
    }
    case config_form::set:
      return render_set(*at, prefix);
    case config_form::xml: {
      std::string body = "    <configuration junos:commit-seconds=\"" + std::to_string(commit) +
                         "\" junos:commit-localtime=\"" + format_utc(commit) +
                         "\" junos:commit-user=\"admin\">\n";
      // Ancestors of a sub-hierarchy wrap it, as Junos does.
      std::string open, close;
      int depth = 2;
      for (const config_node* n : chain) {
        auto [o, c] = xml_ancestor(*n, depth);
        open += o;
        close = c + close;
        depth += n->type == config_node::kind::named && n->value_is_element ? 2 : 1;
      }
      body += open + render_xml(*at, depth) + close + "    </configuration>\n";
      return rpc_reply(d.release, body, d.model.re_count > 1);
    }
  }
  return {};
}

}  // namespace tether::devsim
