#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tether::config {

/// Parses `90m`, `4h30m`, `14d`, `30s`: whole numbers with units d, h, m, s, largest first,
/// each at most once. Sets `why` and returns nothing when the text is not such a duration.
std::optional<std::chrono::seconds> parse_duration(std::string_view text, std::string& why);

/// A form parse_duration reads back: `4h30m`, `36h`, `14d`, `0s` (days only from two days
/// on, as people say them); negative with `-`.
std::string format_duration(std::chrono::seconds d);

}  // namespace tether::config
