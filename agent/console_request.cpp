#include "agent/console_request.hpp"

#include <nlohmann/json.hpp>

#include <set>

#include "common/json_nesting.hpp"
#include "transport/frame.hpp"

namespace tether::agent {

namespace {

using json = nlohmann::json;

constexpr std::size_t max_name_bytes = 256;  // collector, device and parameter names

request_parse_result refuse(request_parse_result r, std::string message) {
  r.denied = request_denial{"malformed-request", std::move(message)};
  return r;
}

// Printable UTF-8: no C0 controls and no DEL (the text goes into audit records and tables).
bool printable(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

bool good_name(const json& value) {
  if (!value.is_string()) return false;
  const auto& s = value.get_ref<const std::string&>();
  return !s.empty() && s.size() <= max_name_bytes && printable(s);
}

// Parses with a callback that refuses a key repeated within one object (nlohmann would
// silently keep the last one, so two readers could see two different requests).
std::optional<json> parse_strict(std::string_view text, std::string& why) {
  std::vector<std::set<std::string>> keys;
  bool duplicate = false;
  auto check = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) keys.emplace_back();
    else if (event == json::parse_event_t::object_end && !keys.empty()) keys.pop_back();
    else if (event == json::parse_event_t::key && !keys.empty() &&
             !keys.back().insert(parsed.get<std::string>()).second)
      duplicate = true;
    return true;
  };
  try {
    json value = json::parse(text.begin(), text.end(), check);
    if (duplicate) {
      why = "a key appears twice in one object";
      return std::nullopt;
    }
    return value;
  } catch (const json::exception& e) {
    why = std::string("not JSON: ") + e.what();
    return std::nullopt;
  }
}

// Reads the fields into r.partial, refusing anything not in the contract.
request_parse_result read_fields(const json& doc) {
  request_parse_result r;
  auto& q = r.partial;
  if (auto it = doc.find("engineer"); it != doc.end() && it->is_string())
    q.engineer = it->get<std::string>().substr(0, max_engineer_bytes);
  if (auto it = doc.find("collector"); it != doc.end() && it->is_string())
    q.collector = it->get<std::string>().substr(0, max_name_bytes);
  for (const auto& [key, value] : doc.items())
    if (key != "collector" && key != "devices" && key != "params" && key != "engineer")
      return refuse(std::move(r), "unknown key \"" + key.substr(0, 64) +
                                      "\" (allowed: collector, devices, params, engineer)");
  const auto engineer = doc.find("engineer");
  if (engineer == doc.end() || !engineer->is_string() || engineer->get_ref<const std::string&>().empty() ||
      engineer->get_ref<const std::string&>().size() > max_engineer_bytes ||
      !printable(engineer->get_ref<const std::string&>()))
    return refuse(std::move(r), "\"engineer\" must be 1-128 bytes of printable text");
  const auto collector = doc.find("collector");
  if (collector == doc.end() || !good_name(*collector))
    return refuse(std::move(r), "\"collector\" must be a collector name (1-256 printable bytes)");
  if (auto devices = doc.find("devices"); devices != doc.end()) {
    if (!devices->is_array() || devices->size() > max_request_devices)
      return refuse(std::move(r), "\"devices\" must be an array of at most 4096 device names");
    std::set<std::string> seen;
    for (const auto& d : *devices) {
      if (!good_name(d)) return refuse(std::move(r), "\"devices\" holds something that is not a device name");
      if (!seen.insert(d.get<std::string>()).second)
        return refuse(std::move(r), "device \"" + d.get<std::string>() + "\" is named twice");
      q.devices.push_back(d.get<std::string>());
    }
  }
  if (auto params = doc.find("params"); params != doc.end()) {
    if (!params->is_object() || params->size() > max_request_params)
      return refuse(std::move(r), "\"params\" must be an object of at most 32 parameters");
    for (const auto& [name, value] : params->items()) {
      if (name.empty() || name.size() > max_name_bytes || !printable(name))
        return refuse(std::move(r), "a parameter name must be 1-256 printable bytes");
      if (!value.is_string() || value.get_ref<const std::string&>().size() > max_param_value_bytes)
        return refuse(std::move(r), "parameter \"" + name + "\" must be a string of at most 1024 bytes");
      q.params[name] = value.get<std::string>();
    }
  }
  r.request = q;
  return r;
}

}  // namespace

request_parse_result parse_console_request(std::string_view json_text) {
  request_parse_result r;
  if (json_text.size() > transport::max_request_size)
    return refuse(std::move(r), "the request is larger than 65536 bytes");
  if (common::json_nests_deeper_than(json_text, transport::max_request_depth))
    return refuse(std::move(r), "the request nests deeper than 16 levels");
  std::string why;
  const auto doc = parse_strict(json_text, why);
  if (!doc) return refuse(std::move(r), why);
  if (!doc->is_object()) return refuse(std::move(r), "the request must be a JSON object");
  return read_fields(*doc);
}

}  // namespace tether::agent
