#include "devsim/state_dir.hpp"

#include <fstream>
#include <stdexcept>
#include <sys/stat.h>

namespace tether::devsim {

namespace fs = std::filesystem;

namespace {

// YAML double-quoted scalar.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

state_paths::state_paths(const fs::path& d)
    : dir(fs::absolute(d).lexically_normal()),
      inventory(dir / "inventory.yaml"),
      credentials(dir / "credentials.yaml"),
      known_hosts(dir / "known_hosts"),
      agent_config(dir / "agent.yaml"),
      client_key(dir / "client_ed25519"),
      host_keys(dir / "hostkeys") {}

ssh_key load_or_create_key(const fs::path& path) {
  ssh_key key = nullptr;
  if (fs::exists(path)) {
    if (ssh_pki_import_privkey_file(path.c_str(), nullptr, nullptr, nullptr, &key) != SSH_OK)
      throw std::runtime_error(path.string() + ": not a private key libssh can read");
    return key;
  }
  if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK)
    throw std::runtime_error("cannot generate an ed25519 key");
  const mode_t old = ::umask(077);
  const int rc = ssh_pki_export_privkey_file(key, nullptr, nullptr, nullptr, path.c_str());
  ::umask(old);
  if (rc != SSH_OK) {
    ssh_key_free(key);
    throw std::runtime_error(path.string() + ": cannot write the private key");
  }
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  return key;
}

std::string public_key_line(ssh_key key) {
  char* b64 = nullptr;
  if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK) throw std::runtime_error("cannot export a public key");
  std::string line = std::string(ssh_key_type_to_char(ssh_key_type(key))) + " " + b64;
  ssh_string_free_char(b64);
  return line;
}

void write_file(const fs::path& path, const std::string& content, unsigned mode) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) throw std::runtime_error(tmp.string() + ": cannot write");
  }
  fs::permissions(tmp, static_cast<fs::perms>(mode));
  fs::rename(tmp, path);
}

std::string inventory_yaml(const fleet& f, const std::vector<std::uint16_t>& ports,
                           const std::string& host) {
  std::string out = "# Written by tether-devsim: the simulated fleet.\ndevices:\n";
  for (std::size_t i = 0; i < f.devices.size(); ++i) {
    const simulated_device& d = f.devices[i];
    out += "  - name: " + d.identity.name + "\n";
    out += "    host: " + host + "\n";
    out += "    port: " + std::to_string(ports[i]) + "\n";
    out += "    platform: junos\n";
    out += "    serial: " + quoted(d.inventory_serial) + "\n";
    out += "    credential: devsim-key\n";
  }
  return out;
}

std::string credentials_yaml(const state_paths& paths, const agent_settings& s) {
  return "# Written by tether-devsim. Secret: mode 0600.\ncredentials:\n"
         "  devsim-key:\n"
         "    username: " + quoted(s.username) + "\n"
         "    key_file: " + quoted(paths.client_key.string()) + "\n"
         "  devsim-password:\n"
         "    username: " + quoted(s.username) + "\n"
         "    password: " + quoted(s.password) + "\n";
}

std::string known_hosts_text(const std::vector<std::string>& public_keys,
                             const std::vector<std::uint16_t>& ports, const std::string& host) {
  std::string out;
  for (std::size_t i = 0; i < public_keys.size(); ++i) {
    const std::string who = ports[i] == 22 ? host : "[" + host + "]:" + std::to_string(ports[i]);
    out += who + " " + public_keys[i] + "\n";
  }
  return out;
}

std::string agent_yaml(const state_paths& paths, const agent_settings& s) {
  const fs::path& d = paths.dir;
  return "# Written by tether-devsim: an agent configuration for the simulated fleet.\n"
         "site: " + s.site + "\n"
         "policy:\n"
         "  timezone: " + s.timezone + "\n"
         "console:\n"
         "  endpoint: " + quoted(s.console_endpoint) + "\n"
         "  ca: " + quoted((d / "console-ca.pem").string()) + "\n"
         "  cert: " + quoted((d / "agent.pem").string()) + "\n"
         "  key: " + quoted((d / "agent.key").string()) + "\n"
         "paths:\n"
         "  state_dir: " + quoted((d / "agent-state").string()) + "\n"
         "  inventory: " + quoted(paths.inventory.string()) + "\n"
         "  credentials: " + quoted(paths.credentials.string()) + "\n"
         "  known_hosts: " + quoted(paths.known_hosts.string()) + "\n";
}

}  // namespace tether::devsim
