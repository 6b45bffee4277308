#pragma once

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace tether::testing {

/// A YAML tree as JSON, for comparing expected outputs written in YAML: plain `true`,
/// `false` and `null` become JSON literals, every other scalar a string.
inline nlohmann::ordered_json yaml_to_json(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return nullptr;
  if (node.IsScalar()) {
    const bool plain = node.Tag() != "!";
    if (plain && node.Scalar() == "true") return true;
    if (plain && node.Scalar() == "false") return false;
    if (plain && (node.Scalar() == "null" || node.Scalar() == "~")) return nullptr;
    return node.Scalar();
  }
  if (node.IsSequence()) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& item : node) out.push_back(yaml_to_json(item));
    return out;
  }
  auto out = nlohmann::ordered_json::object();
  for (auto it = node.begin(); it != node.end(); ++it)
    out[it->first.Scalar()] = yaml_to_json(it->second);
  return out;
}

}  // namespace tether::testing
