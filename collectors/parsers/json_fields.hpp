#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace tether::collectors {

/// An optional value as JSON: the value, or null when it is unknown.
template <typename T>
nlohmann::ordered_json json_or_null(const std::optional<T>& value) {
  if (!value) return nullptr;
  return nlohmann::ordered_json(*value);
}

}  // namespace tether::collectors
