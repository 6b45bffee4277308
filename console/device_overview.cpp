#include "console/device_overview.hpp"

namespace tether::console {

namespace {

using nlohmann::json;

/// `object[key]` when it is a string, else null.
json string_or_null(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? *it : json(nullptr);
}

/// The sum of the members' active alarm counts, or null when no summary says.
json active_alarms(const json& parsed) {
  const auto summaries = parsed.find("summaries");
  if (summaries == parsed.end() || !summaries->is_array() || summaries->empty()) return nullptr;
  std::int64_t total = 0;
  for (const auto& s : *summaries) {
    const auto active = s.find("active");
    if (active == s.end() || !active->is_number_integer()) return nullptr;
    total += active->get<std::int64_t>();
  }
  return total;
}

json empty_row(const std::string& device) {
  return {{"device", device}, {"hostname", nullptr}, {"model", nullptr}, {"release", nullptr},
          {"serial", nullptr}, {"scope", nullptr}, {"alarms", nullptr}};
}

}  // namespace

void device_overview::add(const std::string& device, const std::string& collector, const json& document) {
  if (!document.is_object() || document.value("status", "") != "ok") return;
  const auto parsed = document.find("parsed");
  if (parsed == document.end() || !parsed->is_object()) return;
  if (collector != "facts" && collector != "alarms") return;
  if (!devices_.contains(device)) devices_[device] = empty_row(device);
  auto& row = devices_[device];
  if (collector == "alarms") {
    row["alarms"] = active_alarms(*parsed);
    return;
  }
  row["hostname"] = string_or_null(*parsed, "hostname");
  row["model"] = string_or_null(*parsed, "model");
  row["release"] = string_or_null(*parsed, "version");
  row["serial"] = string_or_null(*parsed, "serial");
  const auto scope = document.find("scope");
  row["scope"] = scope != document.end() && scope->is_object() ? string_or_null(*scope, "verdict") : json(nullptr);
}

json device_overview::rows() const {
  json out = json::array();
  for (const auto& [name, row] : devices_.items()) out.push_back(row);
  return out;
}

}  // namespace tether::console
