#include "agent/facts_scope.hpp"

#include "collectors/scope_check.hpp"

namespace tether::agent {

namespace {
std::optional<std::string> text_field(const nlohmann::ordered_json& facts, const char* key) {
  auto it = facts.find(key);
  if (it == facts.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}
}  // namespace

const config::device* match_device(const config::inventory& inventory,
                                   const nlohmann::ordered_json& facts,
                                   const std::optional<std::string>& device) {
  if (device) return inventory.find(*device);
  if (auto host = text_field(facts, "hostname"))
    if (const auto* d = inventory.find(*host)) return d;
  if (auto serial = text_field(facts, "serial"))
    for (const auto& d : inventory.devices)
      if (d.serial == serial) return &d;
  return nullptr;
}

void add_scope(nlohmann::ordered_json& facts, const config::device* registered,
               const collectors::end_of_support_table& table, std::chrono::sys_days day) {
  const auto result = collectors::scope_check(
      table, registered ? registered->serial : std::nullopt, text_field(facts, "serial"),
      text_field(facts, "version"), day);
  facts["device"] = registered ? nlohmann::ordered_json(registered->name) : nullptr;
  facts["scope"] = std::string(collectors::to_string(result.verdict));
  facts["scope_check"] = collectors::scope_json(result);
}

}  // namespace tether::agent
