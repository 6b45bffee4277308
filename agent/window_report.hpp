#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "config/window_policy.hpp"

namespace tether::agent {

/// The verdict as `tetherctl window check --json` prints it (see ARCHITECTURE.md):
/// windows in input order, times in UTC, `decision` null unless a time was asked about.
nlohmann::ordered_json window_report_json(const config::schedule_verdict& verdict);

/// The same verdict as a table a person reads at a glance: one row per window in the
/// site's local time, each violation in words, and the decision with the time until the
/// next open or close.
std::string window_report_table(const config::window_policy& policy,
                                const std::vector<config::window_request>& windows,
                                const config::schedule_verdict& verdict,
                                std::optional<date::sys_seconds> at);

/// One violation in words, e.g. "Saturday is not a service day".
std::string describe(const config::violation& v, const config::window_policy& policy,
                     const config::window_verdict& window, const config::window_request& request);

}  // namespace tether::agent
