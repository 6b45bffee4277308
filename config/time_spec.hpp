#pragma once

#include <date/date.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace tether::config {

/// A moment as written in a file: an absolute instant (`Z` or `+hh:mm`) or a site-local
/// wall time, which only the site's time zone turns into an instant.
struct time_spec {
  std::variant<date::sys_seconds, date::local_seconds> value;

  bool is_local() const { return std::holds_alternative<date::local_seconds>(value); }
  date::sys_seconds absolute() const { return std::get<date::sys_seconds>(value); }
  date::local_seconds local() const { return std::get<date::local_seconds>(value); }
};

/// Parses `2026-12-08T10:00` (wall time, seconds optional), or RFC 3339 with `Z` or an
/// offset: `2026-12-08T09:00:00Z`, `2026-12-08T10:00:00+01:00`. Fractions of a second are
/// dropped. Sets `why` and returns nothing otherwise.
std::optional<time_spec> parse_time(std::string_view text, std::string& why);

/// Parses a calendar date `2026-12-25`.
std::optional<date::year_month_day> parse_date(std::string_view text, std::string& why);

/// Parses a time of day `09:00`; `24:00` (the end of the day) only when `allow_end_of_day`.
std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text, std::string& why,
                                                      bool allow_end_of_day);

/// `2026-12-08T09:00:00Z`: the form every tether output uses for instants.
std::string format_utc(date::sys_seconds t);

}  // namespace tether::config
