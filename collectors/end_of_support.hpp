#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tether::collectors {

/// One Junos release train and the last day the vendor supports it.
struct eos_train {
  std::string train;                    // `21.4`, `15.1X49`
  std::chrono::sys_days end_of_support;  // last day of support
};

/// The End-of-Support table shipped as data (`junos-eos.yaml`): where it came from, when
/// it was taken, and the trains it knows.
struct end_of_support_table {
  std::string file;
  std::string source;  // the vendor page it was compiled from
  std::chrono::sys_days taken{};
  std::string note;
  std::vector<eos_train> trains;

  /// The entry for `train`, or nullptr when the table does not know it.
  const eos_train* find(std::string_view train) const;
};

/// Where the shipped table is installed.
inline constexpr std::string_view shipped_eos_table_path = "/usr/share/tether/junos-eos.yaml";

/// Parses a table from `text` as if read from a file called `name`. Throws
/// config::config_failure listing every problem.
end_of_support_table parse_end_of_support_table(const std::string& text, std::string name);

/// Loads the table from `file`. Throws config::config_failure listing every problem.
end_of_support_table load_end_of_support_table(const std::string& file);

/// Parses `YYYY-MM-DD` (a real calendar date) or returns nothing.
std::optional<std::chrono::sys_days> parse_iso_date(std::string_view text);

/// `YYYY-MM-DD`.
std::string format_iso_date(std::chrono::sys_days day);

}  // namespace tether::collectors
