#include "config/yaml_document.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

namespace tether::config {

yaml_document yaml_document::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    yaml_document doc(path);
    doc.errors_.push_back({path, 0, 0, "", "cannot read the file"});
    return doc;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

yaml_document yaml_document::parse(const std::string& text, std::string name) {
  yaml_document doc(std::move(name));
  try {
    doc.root_ = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    doc.errors_.push_back({doc.file_, e.mark.line + 1, e.mark.column + 1, "",
                           "not valid YAML: " + e.msg});
  }
  return doc;
}

void yaml_document::error(const YAML::Node& at, std::string field, std::string message) {
  int line = 0, column = 0;
  if (at.IsDefined() && !at.Mark().is_null()) {
    line = at.Mark().line + 1;
    column = at.Mark().column + 1;
  }
  errors_.push_back({file_, line, column, std::move(field), std::move(message)});
}

void yaml_document::throw_if_errors() const {
  if (!errors_.empty()) throw config_failure(errors_);
}

yaml_map::yaml_map(yaml_document& doc, const YAML::Node& node, std::string path)
    : doc_(doc), node_(node), path_(std::move(path)) {
  valid_ = node.IsDefined() && node.IsMap();
  if (!valid_) doc_.error(node, path_.empty() ? "(top level)" : path_, "expected a map of keys");
}

YAML::Node yaml_map::optional(std::string_view key) {
  asked_.emplace(key);
  if (!valid_) return YAML::Node(YAML::NodeType::Undefined);
  for (auto it = node_.begin(); it != node_.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
  return YAML::Node(YAML::NodeType::Undefined);
}

YAML::Node yaml_map::required(std::string_view key, std::string_view expected) {
  YAML::Node value = optional(key);
  if (valid_ && (!value.IsDefined() || value.IsNull()))
    doc_.error(value.IsDefined() ? value : node_, field(key),
               "missing; expected " + std::string(expected));
  return value;
}

std::string yaml_map::field(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void yaml_map::reject_unknown() {
  if (!valid_) return;
  std::set<std::string> seen;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : "(complex key)";
    if (!seen.insert(key).second) {
      doc_.error(it->first, field(key), "duplicate key");
    } else if (!asked_.contains(key)) {
      std::string known;
      for (const auto& k : asked_) known += (known.empty() ? "" : ", ") + k;
      doc_.error(it->first, field(key), "unknown key; expected one of: " + known);
    }
  }
}

std::optional<std::string> read_string(yaml_document& doc, const YAML::Node& node,
                                       const std::string& field) {
  return read_scalar<std::string>(doc, node, field,
                                  [](std::string_view text, std::string& why) {
                                    if (text.empty()) {
                                      why = "expected a non-empty value";
                                      return std::optional<std::string>();
                                    }
                                    return std::optional<std::string>(text);
                                  });
}

std::optional<long long> read_integer(yaml_document& doc, const YAML::Node& node,
                                      const std::string& field, long long lo, long long hi) {
  return read_scalar<long long>(
      doc, node, field, [lo, hi](std::string_view text, std::string& why) {
        long long value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi) {
          why = "expected a whole number from " + std::to_string(lo) + " to " +
                std::to_string(hi) + ", got \"" + std::string(text) + "\"";
          return std::optional<long long>();
        }
        return std::optional<long long>(value);
      });
}

}  // namespace tether::config
