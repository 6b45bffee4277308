#include "collectors/collector_catalog.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "collectors/byte_size.hpp"
#include "collectors/command_allowlist.hpp"
#include "collectors/command_template.hpp"
#include "config/config_error.hpp"
#include "config/duration.hpp"
#include "config/identifier.hpp"
#include "config/yaml_document.hpp"

namespace tether::collectors {

namespace {

using config::yaml_document;
using config::yaml_map;

constexpr std::chrono::seconds min_timeout{1};
constexpr std::chrono::seconds max_timeout{3600};
constexpr std::uint64_t min_output_cap = 1ULL << 10;
constexpr std::uint64_t max_output_cap = 1ULL << 30;
constexpr std::size_t max_pattern_bytes = 256;
constexpr std::size_t max_commands = 16;

// Bytes a parameter value must never contain; each becomes several probes.
const std::vector<std::string>& forbidden_fragments() {
  static const std::vector<std::string> fragments{
      "|", ";", "\n", "\r", "\t", " ", std::string(1, '\0'), "&", "`", "$(", "$", "{", "}",
      "\"", "'", "\\", "<", ">", "?", "!", "#", "~", "\x7f", "\x1b", "\xc3\xa9", "\xe2\x80\xa8"};
  return fragments;
}

std::string printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += char(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", unsigned(c));
      out += hex;
    }
  }
  return out;
}

std::optional<std::chrono::seconds> read_timeout(yaml_document& doc, const YAML::Node& node,
                                                 const std::string& field) {
  return config::read_scalar<std::chrono::seconds>(
      doc, node, field, [](std::string_view text, std::string& why) {
        auto d = config::parse_duration(text, why);
        if (d && (*d < min_timeout || *d > max_timeout)) {
          why = "expected a timeout from 1s to 1h, got \"" + std::string(text) + "\"";
          return std::optional<std::chrono::seconds>();
        }
        return d;
      });
}

std::optional<std::uint64_t> read_output_cap(yaml_document& doc, const YAML::Node& node,
                                             const std::string& field) {
  return config::read_scalar<std::uint64_t>(
      doc, node, field, [](std::string_view text, std::string& why) {
        auto size = parse_byte_size(text, why);
        if (size && (*size < min_output_cap || *size > max_output_cap)) {
          why = "expected an output cap from 1KiB to 1GiB, got \"" + std::string(text) + "\"";
          return std::optional<std::uint64_t>();
        }
        return size;
      });
}

std::optional<bool> read_bool(yaml_document& doc, const YAML::Node& node,
                              const std::string& field) {
  return config::read_scalar<bool>(doc, node, field, [](std::string_view text, std::string& why) {
    if (text == "true") return std::optional<bool>(true);
    if (text == "false") return std::optional<bool>(false);
    why = "expected true or false, got \"" + std::string(text) + "\"";
    return std::optional<bool>();
  });
}

/// Reports every duplicate key of a map whose keys are names, not fields.
void reject_duplicate_keys(yaml_document& doc, const YAML::Node& map, const std::string& path) {
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar() && !seen.insert(it->first.Scalar()).second)
      doc.error(it->first, path + "." + it->first.Scalar(), "duplicate key");
}

std::optional<std::regex> compile_pattern(yaml_document& doc, const YAML::Node& node,
                                          const std::string& field, const std::string& pattern) {
  if (pattern.size() > max_pattern_bytes) {
    doc.error(node, field, "pattern longer than " + std::to_string(max_pattern_bytes) + " bytes");
    return std::nullopt;
  }
  try {
    return std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    doc.error(node, field, std::string("not a valid ECMAScript regular expression: ") + e.what());
    return std::nullopt;
  }
}

/// Checks that the pattern refuses every hostile probe built around its default.
void check_probes(yaml_document& doc, const YAML::Node& node, const std::string& field,
                  const catalog_parameter& p) {
  for (const auto& probe : hostile_probes(p.default_value)) {
    if (!std::regex_match(probe, p.regex)) continue;
    doc.error(node, field,
              "pattern admits the hostile value \"" + printable(probe) +
                  "\"; a value must be one word without spaces, `|`, `;`, quotes or control "
                  "bytes");
    return;
  }
}

std::optional<catalog_parameter> read_parameter(yaml_document& doc, const YAML::Node& key,
                                                const YAML::Node& node, const std::string& path) {
  const std::size_t errors_before = doc.errors().size();
  catalog_parameter p;
  p.name = key.IsScalar() ? key.Scalar() : "";
  if (!is_parameter_name(p.name))
    doc.error(key, path, "a parameter name is a-z, 0-9 and _, starting with a letter");
  yaml_map m(doc, node, path);
  if (!m.valid()) return std::nullopt;
  const YAML::Node pattern_node = m.required("pattern", "a regular expression");
  auto pattern = config::read_string(doc, pattern_node, m.field("pattern"));
  const YAML::Node default_node = m.required("default", "a value matching the pattern");
  auto default_value = config::read_string(doc, default_node, m.field("default"));
  auto description = config::read_string(doc, m.optional("description"), m.field("description"));
  m.reject_unknown();
  if (!pattern) return std::nullopt;
  auto regex = compile_pattern(doc, pattern_node, m.field("pattern"), *pattern);
  if (!regex || !default_value || doc.errors().size() != errors_before) return std::nullopt;
  p.pattern = *pattern;
  p.regex = std::move(*regex);
  p.default_value = *default_value;
  p.description = description.value_or("");
  if (!p.accepts(p.default_value))
    doc.error(default_node, m.field("default"),
              "\"" + printable(p.default_value) + "\" does not match the pattern " + p.pattern);
  check_probes(doc, pattern_node, m.field("pattern"), p);
  if (doc.errors().size() != errors_before) return std::nullopt;
  return p;
}

/// Reads the parameters into `c`; returns every declared name, valid or not, so that a
/// placeholder naming a broken parameter is not reported twice.
std::set<std::string> read_parameters(yaml_document& doc, const YAML::Node& node,
                                      const std::string& path, collector_definition& c) {
  std::set<std::string> declared;
  if (!node.IsDefined() || node.IsNull()) return declared;
  if (!node.IsMap()) {
    doc.error(node, path, "expected a map of parameter names to {pattern, default}");
    return declared;
  }
  reject_duplicate_keys(doc, node, path);
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string name = it->first.IsScalar() ? it->first.Scalar() : "(complex key)";
    declared.insert(name);
    if (auto p = read_parameter(doc, it->first, it->second, path + "." + name))
      c.parameters.push_back(std::move(*p));
  }
  return declared;
}

/// Reads the command templates and checks each placeholder names a parameter.
void read_commands(yaml_document& doc, const YAML::Node& node, const std::string& path,
                   collector_definition& c, const std::set<std::string>& declared,
                   std::set<std::string>& used,
                   std::vector<YAML::Node>& nodes) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsSequence() || node.size() == 0 || node.size() > max_commands) {
    doc.error(node, path, "expected a list of 1 to " + std::to_string(max_commands) + " commands");
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string field = path + "[" + std::to_string(i) + "]";
    auto text = config::read_string(doc, node[i], field);
    if (!text) continue;
    std::string why;
    auto names = template_placeholders(*text, why);
    if (!names) {
      doc.error(node[i], field, why);
      continue;
    }
    for (const auto& n : *names) {
      if (!declared.contains(n))
        doc.error(node[i], field, "placeholder {" + n + "} names no parameter of this collector");
      used.insert(n);
    }
    c.commands.push_back(*text);
    nodes.push_back(node[i]);
  }
}

/// Every command, rendered with the defaults, must pass the fixed rules.
void check_rendered_defaults(yaml_document& doc, const std::string& path,
                             const collector_definition& c, const std::vector<YAML::Node>& nodes) {
  for (std::size_t i = 0; i < c.commands.size(); ++i) {
    const std::string rendered = fill_template(c.commands[i], [&](std::string_view name) {
      const catalog_parameter* p = c.parameter(name);
      return p ? p->default_value : std::string();
    });
    const command_check check = check_command(rendered);
    if (!check.allowed())
      doc.error(nodes[i], path + "[" + std::to_string(i) + "]",
                "renders \"" + printable(rendered) + "\" which the command allowlist refuses (" +
                    std::string(to_string(check.rule)) + ": " + check.detail + ")");
  }
}

std::optional<collector_definition> read_collector(yaml_document& doc, const YAML::Node& key,
                                                   const YAML::Node& node,
                                                   const std::string& path) {
  const std::size_t errors_before = doc.errors().size();
  collector_definition c;
  c.name = key.IsScalar() ? key.Scalar() : "";
  c.defined_in = doc.file();
  if (!config::is_identifier(c.name)) doc.error(key, path, config::identifier_expected(c.name));
  yaml_map m(doc, node, path);
  if (!m.valid()) return std::nullopt;
  auto description =
      config::read_string(doc, m.required("description", "one line"), m.field("description"));
  const YAML::Node parameters = m.optional("parameters");
  const auto declared = read_parameters(doc, parameters, m.field("parameters"), c);
  std::set<std::string> used;
  std::vector<YAML::Node> command_nodes;
  read_commands(doc, m.required("commands", "a list of show commands"), m.field("commands"), c,
                declared, used, command_nodes);
  auto timeout = read_timeout(doc, m.optional("timeout"), m.field("timeout"));
  auto cap = read_output_cap(doc, m.optional("output_cap"), m.field("output_cap"));
  auto parser = config::read_identifier(doc, m.optional("parser"), m.field("parser"));
  auto redact = read_bool(doc, m.optional("redact"), m.field("redact"));
  m.reject_unknown();
  for (const auto& p : c.parameters)
    if (!used.contains(p.name))
      doc.error(parameters[p.name], m.field("parameters") + "." + p.name,
                "declared but no command uses {" + p.name + "}");
  if (doc.errors().size() != errors_before) return std::nullopt;
  check_rendered_defaults(doc, m.field("commands"), c, command_nodes);
  if (doc.errors().size() != errors_before) return std::nullopt;
  c.description = *description;
  if (timeout) c.timeout = *timeout;
  if (cap) c.output_cap = *cap;
  c.parser = parser;
  if (redact) c.redact = *redact;
  return c;
}

void apply_remove(yaml_document& doc, const YAML::Node& node, collector_catalog& catalog) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsSequence()) {
    doc.error(node, "remove", "expected a list of collector names");
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string field = "remove[" + std::to_string(i) + "]";
    auto name = config::read_identifier(doc, node[i], field);
    if (!name) continue;
    if (catalog.collectors.erase(*name) == 0)
      doc.error(node[i], field, "no collector \"" + *name + "\" to remove");
  }
}

void apply_collectors(yaml_document& doc, const YAML::Node& node, collector_catalog& catalog) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    doc.error(node, "collectors", "expected a map of collector names to definitions");
    return;
  }
  reject_duplicate_keys(doc, node, "collectors");
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string name = it->first.IsScalar() ? it->first.Scalar() : "(complex key)";
    if (auto c = read_collector(doc, it->first, it->second, "collectors." + name))
      catalog.collectors.insert_or_assign(c->name, std::move(*c));
  }
}

void apply_extra_commands(yaml_document& doc, const YAML::Node& node,
                          collector_catalog& catalog) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsSequence()) {
    doc.error(node, "extra_commands", "expected a list of show commands");
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string field = "extra_commands[" + std::to_string(i) + "]";
    auto text = config::read_string(doc, node[i], field);
    if (!text) continue;
    const command_check check = check_command(*text);
    if (!check.allowed()) {
      doc.error(node[i], field,
                "the command allowlist refuses \"" + printable(*text) + "\" (" +
                    std::string(to_string(check.rule)) + ": " + check.detail + ")");
      continue;
    }
    auto& extra = catalog.extra_commands;
    if (std::find(extra.begin(), extra.end(), *text) == extra.end()) extra.push_back(*text);
  }
}

/// Applies one file: removals first, then added or replaced collectors, then extra commands.
void apply_document(yaml_document& doc, collector_catalog& catalog) {
  if (!doc.ok()) return;
  yaml_map root(doc, doc.root(), "");
  const YAML::Node remove = root.optional("remove");
  const YAML::Node collectors = root.optional("collectors");
  const YAML::Node extra = root.optional("extra_commands");
  root.reject_unknown();
  if (!root.valid()) return;
  apply_remove(doc, remove, catalog);
  apply_collectors(doc, collectors, catalog);
  apply_extra_commands(doc, extra, catalog);
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

bool catalog_parameter::accepts(std::string_view value) const {
  if (value.empty() || value.size() > max_parameter_bytes) return false;
  for (unsigned char c : value)
    if (!is_parameter_byte(c)) return false;
  return std::regex_match(value.begin(), value.end(), regex);
}

const catalog_parameter* collector_definition::parameter(std::string_view name) const {
  for (const auto& p : parameters)
    if (p.name == name) return &p;
  return nullptr;
}

const collector_definition* collector_catalog::find(std::string_view name) const {
  auto it = collectors.find(name);
  return it == collectors.end() ? nullptr : &it->second;
}

std::vector<std::string> hostile_probes(std::string_view default_value) {
  const std::string d(default_value);
  std::vector<std::string> probes;
  for (const auto& f : forbidden_fragments()) {
    probes.push_back(f);
    for (const std::string& word : {d, std::string("1"), std::string("a"), std::string("ge-0/0/0")}) {
      probes.push_back(word + f);
      probes.push_back(f + word);
      for (std::size_t k = 1; k < word.size(); ++k)
        probes.push_back(word.substr(0, k) + f + word.substr(k));
    }
    probes.push_back(d + f + "save /var/tmp/x");
    probes.push_back(d + " " + f + " save /var/tmp/x");
  }
  probes.push_back(d + " | save /var/tmp/x");
  probes.push_back(d + "\nconfigure");
  probes.push_back(d + "; request system reboot");
  return probes;
}

collector_catalog build_collector_catalog(const std::vector<catalog_source>& sources) {
  collector_catalog catalog;
  std::vector<config::config_error> errors;
  for (const auto& source : sources) {
    yaml_document doc = yaml_document::parse(source.text, source.name);
    apply_document(doc, catalog);
    // Within one file, problems are reported in the order they appear in it.
    std::vector<config::config_error> found = doc.errors();
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    errors.insert(errors.end(), found.begin(), found.end());
  }
  if (!errors.empty()) throw config::config_failure(std::move(errors));
  return catalog;
}

collector_catalog load_collector_catalog(const std::string& shipped_file,
                                         const std::string& admin_dir) {
  namespace fs = std::filesystem;
  std::vector<catalog_source> sources;
  std::vector<config::config_error> errors;
  std::vector<std::string> files{shipped_file};
  std::error_code ec;
  if (!admin_dir.empty() && fs::exists(admin_dir, ec)) {
    if (!fs::is_directory(admin_dir, ec)) {
      errors.push_back({admin_dir, 0, 0, "", "expected a directory of *.yaml overlays"});
    } else {
      std::vector<std::string> overlays;
      for (const auto& entry : fs::directory_iterator(admin_dir, ec))
        if (entry.path().extension() == ".yaml") overlays.push_back(entry.path().string());
      if (ec) errors.push_back({admin_dir, 0, 0, "", "cannot list the directory: " + ec.message()});
      std::sort(overlays.begin(), overlays.end());
      files.insert(files.end(), overlays.begin(), overlays.end());
    }
  }
  for (const auto& file : files) {
    auto text = read_file(file);
    if (!text) errors.push_back({file, 0, 0, "", "cannot read the file"});
    else sources.push_back({file, std::move(*text)});
  }
  if (!errors.empty()) throw config::config_failure(std::move(errors));
  return build_collector_catalog(sources);
}

}  // namespace tether::collectors
