#include "config/credentials.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include "config/identifier.hpp"
#include "config/yaml_document.hpp"

namespace tether::config {

namespace {

// A secret-bearing file must not be readable or writable by anyone but its owner.
std::optional<std::string> too_open(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return "cannot read the file";
  if ((st.st_mode & 077) == 0) return std::nullopt;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", unsigned(st.st_mode & 07777));
  return std::string("readable by group or others (mode ") + mode + "); run: chmod 600 " + path;
}

std::optional<credential> read_credential(yaml_document& doc, const std::string& name,
                                          const YAML::Node& node, const std::string& dir) {
  const std::size_t errors_before = doc.errors().size();
  const std::string path = "credentials." + name;
  yaml_map m(doc, node, path);
  if (!m.valid()) return std::nullopt;
  credential c;
  c.name = name;
  auto user = read_string(doc, m.required("username", "the login name on the device"),
                          m.field("username"));
  YAML::Node key = m.optional("key_file"), agent = m.optional("agent"),
             password = m.optional("password");
  const int methods = int(key.IsDefined()) + int(agent.IsDefined()) + int(password.IsDefined());
  if (methods != 1)
    doc.error(node, path, "expected exactly one of key_file, agent: true, password");
  if (auto k = read_string(doc, key, m.field("key_file"))) {
    c.how = credential::method::key_file;
    c.key_file = (std::filesystem::path(dir) / *k).string();  // an absolute *k stays as is
    if (auto why = too_open(c.key_file)) doc.error(key, m.field("key_file"), c.key_file + ": " + *why);
  }
  if (agent.IsDefined()) {
    c.how = credential::method::agent;
    if (!agent.IsScalar() || agent.Scalar() != "true")
      doc.error(agent, m.field("agent"), "expected true (use the ssh-agent at SSH_AUTH_SOCK)");
  }
  if (password.IsDefined()) {
    c.how = credential::method::password;
    if (!password.IsScalar() || password.Scalar().empty())
      doc.error(password, m.field("password"), "expected a non-empty password");
    else
      c.password = password.Scalar();
  }
  m.reject_unknown();
  if (doc.errors().size() != errors_before) return std::nullopt;
  c.username = *user;
  return c;
}

}  // namespace

const credential* credentials::find(const std::string& name) const {
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : &it->second;
}

credentials load_credentials(const std::string& file) {
  if (auto why = too_open(file)) throw config_failure({{file, 0, 0, "", *why}});
  yaml_document doc = yaml_document::load(file);
  credentials out;
  const std::string dir = std::filesystem::path(file).parent_path().string();
  if (doc.ok()) {
    yaml_map root(doc, doc.root(), "");
    yaml_map entries(doc, root.required("credentials", "a map of named logins"), "credentials");
    root.reject_unknown();
    for (auto it = entries.node().begin(); entries.valid() && it != entries.node().end(); ++it) {
      const std::string name = it->first.Scalar();
      entries.optional(name);
      if (!is_identifier(name)) doc.error(it->first, "credentials." + name, identifier_expected(name));
      else if (auto c = read_credential(doc, name, it->second, dir)) out.by_name[name] = *c;
    }
    entries.reject_unknown();
  }
  doc.throw_if_errors();
  return out;
}

}  // namespace tether::config
