#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>

#include "collectors/end_of_support.hpp"
#include "config/inventory.hpp"

namespace tether::agent {

/// The inventory device parsed facts belong to: `device` when named, else the one whose
/// name is the facts' hostname, else the one registered with the facts' serial; nullptr
/// when none (the device is then unregistered).
const config::device* match_device(const config::inventory& inventory,
                                   const nlohmann::ordered_json& facts,
                                   const std::optional<std::string>& device);

/// Adds `"scope"` (`in`, `unregistered`, `serial-mismatch`, `end-of-support`) and
/// `"scope_check"` (the reasons) to parsed facts, judged on `day` (seed §2 and §7).
void add_scope(nlohmann::ordered_json& facts, const config::device* registered,
               const collectors::end_of_support_table& table, std::chrono::sys_days day);

}  // namespace tether::agent
