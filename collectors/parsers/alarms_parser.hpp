#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::collectors {

/// One active alarm from `show chassis alarms` / `show system alarms` (text or XML).
struct alarm_entry {
  std::optional<std::string> member;
  std::optional<std::string> time;         ///< as printed: `2020-07-16 13:38:21 EST`
  std::optional<std::string> alarm_class;  ///< Major / Minor
  std::optional<std::string> description;
  std::optional<std::string> type;         ///< XML only (Chassis, Configuration, License ...)
};

/// One `N alarms currently active` summary (0 for `No alarms currently active`).
struct alarm_summary {
  std::optional<std::string> member;
  long long active = 0;
};

/// Every alarm the capture lists, plus each summary's active count, in order.
struct alarm_report {
  std::vector<alarm_summary> summaries;
  std::vector<alarm_entry> alarms;
};

/// Parses `show chassis alarms` / `show system alarms`, text or `| display xml`.
alarm_report parse_alarms(std::string_view capture);

/// {"summaries": [{"member","active"}], "alarms": [{"member","time","class","description","type"}]}
nlohmann::ordered_json to_json(const alarm_report& report);

}  // namespace tether::collectors
