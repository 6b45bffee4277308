#include "config/agent_config.hpp"

#include <cctype>
#include <filesystem>

#include "config/identifier.hpp"
#include "config/policy_file.hpp"
#include "config/yaml_document.hpp"

namespace tether::config {

namespace {

struct host_port {
  std::string host;
  std::uint16_t port;
};

// `host:port` or `[v6]:port`.
std::optional<host_port> parse_endpoint(std::string_view text, std::string& why) {
  why = "expected host:port such as console.vendor.example:443 or [::1]:8443, got \"" +
        std::string(text) + "\"";
  std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;
  }
  unsigned value = 0;
  if (port.empty() || port.size() > 5) return std::nullopt;
  for (char c : port) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + unsigned(c - '0');
  }
  if (value == 0 || value > 65535) return std::nullopt;
  return host_port{std::string(host), std::uint16_t(value)};
}

std::optional<std::string> parse_pin(std::string_view text, std::string& why) {
  bool ok = text.size() == 64;
  for (char c : text) ok = ok && std::isxdigit(static_cast<unsigned char>(c));
  if (ok) return std::string(text);
  why = "expected the SHA-256 of the console's public key as 64 hex digits";
  return std::nullopt;
}

std::string resolve_path(const std::string& base_dir, const std::string& p) {
  if (p.empty() || p.front() == '/') return p;
  return (std::filesystem::path(base_dir) / p).lexically_normal().string();
}

void read_console(yaml_map& root, agent_config& c, const std::string& dir) {
  yaml_document& doc = root.doc();
  yaml_map m(doc, root.required("console", "a console: map"), "console");
  if (!m.valid()) return;
  auto ep = read_scalar<host_port>(doc, m.required("endpoint", "host:port"),
                                   m.field("endpoint"), parse_endpoint);
  auto server_name = read_string(doc, m.optional("server_name"), m.field("server_name"));
  auto ca = read_string(doc, m.required("ca", "a CA bundle file"), m.field("ca"));
  auto cert = read_string(doc, m.required("cert", "the agent's certificate file"), m.field("cert"));
  auto key = read_string(doc, m.required("key", "the agent's private key file"), m.field("key"));
  c.console.pin_sha256 = read_scalar<std::string>(doc, m.optional("pin_sha256"),
                                                  m.field("pin_sha256"), parse_pin);
  c.console.proxy = read_string(doc, m.optional("proxy"), m.field("proxy"));
  m.reject_unknown();
  if (ep) {
    c.console.host = ep->host;
    c.console.port = ep->port;
    c.console.server_name = server_name ? *server_name : ep->host;
  }
  if (ca) c.console.ca_file = resolve_path(dir, *ca);
  if (cert) c.console.cert_file = resolve_path(dir, *cert);
  if (key) c.console.key_file = resolve_path(dir, *key);
}

void read_paths(yaml_map& root, agent_config& c, const std::string& dir) {
  YAML::Node node = root.optional("paths");
  if (node.IsDefined()) {
    yaml_map m(root.doc(), node, "paths");
    for (auto [key, target] : {std::pair{"state_dir", &c.paths.state_dir},
                               std::pair{"inventory", &c.paths.inventory},
                               std::pair{"credentials", &c.paths.credentials},
                               std::pair{"known_hosts", &c.paths.known_hosts},
                               std::pair{"catalog_dir", &c.paths.catalog_dir}})
      if (auto v = read_string(root.doc(), m.optional(key), m.field(key))) *target = *v;
    m.reject_unknown();
  }
  for (auto* p : {&c.paths.state_dir, &c.paths.inventory, &c.paths.credentials,
                  &c.paths.known_hosts, &c.paths.catalog_dir})
    *p = resolve_path(dir, *p);
}

void read_control(yaml_map& root, agent_config& c, const std::string& dir) {
  YAML::Node node = root.optional("control");
  if (node.IsDefined() && !node.IsNull()) {
    yaml_map m(root.doc(), node, "control");
    if (!m.valid()) return;
    if (auto v = read_string(root.doc(), m.optional("socket"), m.field("socket")))
      c.control.socket = resolve_path(dir, *v);
    if (auto v = read_string(root.doc(), m.optional("group"), m.field("group"))) c.control.group = *v;
    m.reject_unknown();
  }
}

std::optional<std::string> parse_syslog_transport(std::string_view text, std::string& why) {
  if (text == "tcp" || text == "udp") return std::string(text);
  why = "expected tcp or udp, got \"" + std::string(text) + "\"";
  return std::nullopt;
}

void read_syslog(yaml_map& audit, agent_config& c) {
  YAML::Node node = audit.optional("syslog");
  if (!node.IsDefined() || node.IsNull()) return;
  yaml_document& doc = audit.doc();
  yaml_map m(doc, node, audit.field("syslog"));
  if (!m.valid()) return;
  syslog_target t;
  auto ep = read_scalar<host_port>(doc, m.required("endpoint", "ip:port of the SIEM"),
                                   m.field("endpoint"), parse_endpoint);
  if (auto v = read_scalar<std::string>(doc, m.optional("transport"), m.field("transport"),
                                        parse_syslog_transport))
    t.transport = *v;
  m.reject_unknown();
  if (!ep) return;
  t.host = ep->host;
  t.port = ep->port;
  c.audit.syslog = t;
}

void read_audit(yaml_map& root, agent_config& c, const std::string& dir) {
  YAML::Node node = root.optional("audit");
  if (node.IsDefined() && !node.IsNull()) {
    yaml_map m(root.doc(), node, "audit");
    if (!m.valid()) return;
    if (auto v = read_string(root.doc(), m.optional("log"), m.field("log"))) c.audit.log = *v;
    if (auto v = read_string(root.doc(), m.optional("key"), m.field("key"))) c.audit.key = *v;
    if (auto v = read_integer(root.doc(), m.optional("checkpoint_every"),
                              m.field("checkpoint_every"), 1, 1000000))
      c.audit.checkpoint_every = std::uint64_t(*v);
    read_syslog(m, c);
    m.reject_unknown();
  }
  const std::string state = c.paths.state_dir;
  c.audit.log = c.audit.log.empty() ? state + "/audit.log" : resolve_path(dir, c.audit.log);
  c.audit.key = c.audit.key.empty() ? state + "/audit.key" : resolve_path(dir, c.audit.key);
}

}  // namespace

agent_config load_agent_config(const std::string& file) {
  yaml_document doc = yaml_document::load(file);
  agent_config c;
  c.file = file;
  const std::string dir = std::filesystem::path(file).parent_path().string();
  if (doc.ok()) {
    yaml_map root(doc, doc.root(), "");
    if (root.valid()) {
      auto site = read_identifier(doc, root.required("site", "the site id"), "site");
      if (site) c.site = *site;
      YAML::Node policy = root.required("policy", "a policy: map with at least a timezone");
      if (policy.IsDefined() && !policy.IsNull())
        if (auto p = read_window_policy(doc, policy, "policy")) c.policy = *p;
      read_console(root, c, dir);
      read_paths(root, c, dir);
      read_control(root, c, dir);
      read_audit(root, c, dir);
      root.reject_unknown();
    }
  }
  doc.throw_if_errors();
  return c;
}

}  // namespace tether::config
