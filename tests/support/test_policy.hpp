#pragma once

#include <string>

namespace tether::testing {

/// The `policy:` lines of an agent configuration for tests that run real windows: any hour
/// of any day, no notice and no spacing (so a window can start seconds ahead), a trusted
/// clock not required. `extra` adds lines inside the section (e.g. "  closing_lead: 0s\n").
inline std::string permissive_policy_yaml(const std::string& extra = "") {
  return "policy:\n"
         "  timezone: UTC\n"
         "  service_hours: {start: \"00:00\", end: \"24:00\"}\n"
         "  service_days: [mon, tue, wed, thu, fri, sat, sun]\n"
         "  min_notice: 0s\n"
         "  min_window_spacing: 0s\n"
         "  max_window: 5h\n"
         "  allow_unsynchronized_clock: true\n" + extra;
}

}  // namespace tether::testing
