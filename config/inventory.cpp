#include "config/inventory.hpp"

#include <set>

#include "config/identifier.hpp"
#include "config/yaml_document.hpp"

namespace tether::config {

namespace {

std::optional<std::string> read_platform(yaml_document& doc, const YAML::Node& node,
                                         const std::string& field) {
  return read_scalar<std::string>(doc, node, field, [](std::string_view t, std::string& why) {
    if (t == "junos") return std::optional<std::string>(t);
    why = "expected one of: junos, got \"" + std::string(t) + "\"";
    return std::optional<std::string>();
  });
}

std::optional<device> read_device(yaml_document& doc, const YAML::Node& node,
                                  const std::string& path) {
  const std::size_t errors_before = doc.errors().size();
  yaml_map m(doc, node, path);
  if (!m.valid()) return std::nullopt;
  device d;
  auto name = read_identifier(doc, m.required("name", "a device name"), m.field("name"));
  auto host = read_string(doc, m.required("host", "an address or DNS name"), m.field("host"));
  auto port = read_integer(doc, m.optional("port"), m.field("port"), 1, 65535);
  auto platform = read_platform(doc, m.optional("platform"), m.field("platform"));
  d.serial = read_string(doc, m.optional("serial"), m.field("serial"));
  auto credential = read_identifier(
      doc, m.required("credential", "the name of an entry in the credentials file"),
      m.field("credential"));
  m.reject_unknown();
  if (doc.errors().size() != errors_before) return std::nullopt;
  d.name = *name;
  d.host = *host;
  if (port) d.port = std::uint16_t(*port);
  if (platform) d.platform = *platform;
  d.credential = *credential;
  return d;
}

}  // namespace

const device* inventory::find(const std::string& name) const {
  for (const auto& d : devices)
    if (d.name == name) return &d;
  return nullptr;
}

inventory load_inventory(const std::string& file) {
  yaml_document doc = yaml_document::load(file);
  inventory inv;
  if (doc.ok()) {
    yaml_map root(doc, doc.root(), "");
    YAML::Node list = root.required("devices", "a list of devices");
    root.reject_unknown();
    if (list.IsDefined() && !list.IsNull() && !list.IsSequence())
      doc.error(list, "devices", "expected a list of devices");
    std::set<std::string> names;
    for (std::size_t i = 0; list.IsSequence() && i < list.size(); ++i) {
      const std::string field = "devices[" + std::to_string(i) + "]";
      auto d = read_device(doc, list[i], field);
      if (!d) continue;
      if (!names.insert(d->name).second)
        doc.error(list[i]["name"], field + ".name", "duplicate device name \"" + d->name + "\"");
      inv.devices.push_back(std::move(*d));
    }
  }
  doc.throw_if_errors();
  return inv;
}

}  // namespace tether::config
