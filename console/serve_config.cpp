#include "console/serve_config.hpp"

#include <filesystem>

#include "config/yaml_document.hpp"

namespace tether::console {

namespace {

/// A path from the file, taken relative to the file's folder.
std::string relative_to(const std::string& file, const std::string& path) {
  const std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  return (std::filesystem::path(file).parent_path() / p).lexically_normal().string();
}

}  // namespace

serve_config_result load_serve_config(const std::string& file) {
  serve_config_result out;
  auto doc = config::yaml_document::load(file);
  if (doc.ok()) {
    config::yaml_map m(doc, doc.root(), "");
    if (m.valid()) {
      auto text = [&](const char* key, std::string& into, bool path) {
        const auto node = m.optional(key);
        if (!node.IsDefined() || node.IsNull()) return;
        if (auto v = config::read_string(doc, node, m.field(key))) into = path ? relative_to(file, *v) : *v;
      };
      text("listen", out.value.listen, false);
      text("cert", out.value.cert_file, true);
      text("key", out.value.key_file, true);
      text("ca", out.value.ca_file, true);
      text("data_dir", out.value.data_dir, true);
      text("socket", out.value.socket, true);
      text("console_id", out.value.console_id, false);
      if (const auto node = m.optional("keepalive_seconds"); node.IsDefined() && !node.IsNull()) {
        if (auto v = config::read_integer(doc, node, m.field("keepalive_seconds"), 1, 600))
          out.value.keepalive_seconds = static_cast<int>(*v);
      }
      if (const auto node = m.optional("listen"); node.IsDefined() && node.IsScalar()) {
        if (const auto parsed = parse_listen(node.Scalar()); !parsed.error.empty())
          doc.error(node, m.field("listen"), parsed.error);
      }
      m.reject_unknown();
    }
  }
  out.errors = doc.errors();
  return out;
}

std::vector<std::string> missing_fields(const serve_config& c) {
  std::vector<std::string> missing;
  if (c.listen.empty()) missing.push_back("--listen");
  if (c.cert_file.empty()) missing.push_back("--cert");
  if (c.key_file.empty()) missing.push_back("--key");
  if (c.ca_file.empty()) missing.push_back("--ca");
  if (c.data_dir.empty()) missing.push_back("--data-dir");
  return missing;
}

listen_address parse_listen(const std::string& text) {
  listen_address out;
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    out.error = "expected HOST:PORT, e.g. 0.0.0.0:8443 or [::]:8443";
    return out;
  }
  out.host = text.substr(0, colon);
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']')
    out.host = out.host.substr(1, out.host.size() - 2);
  const auto port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) > 65535) {
    out.error = "port \"" + port + "\" is not 0..65535";
    return out;
  }
  out.port = static_cast<unsigned short>(std::stoul(port));
  return out;
}

}  // namespace tether::console
