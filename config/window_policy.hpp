#pragma once

#include <date/tz.h>

#include <array>
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/time_spec.hpp"

namespace tether::config {

using namespace std::chrono_literals;

/// A site's rules for when the vendor may be connected; the defaults are the contract's
/// (seed §5: 09:00-17:00 Mon-Fri without holidays; §6.2: one window of at most 5 h per
/// 24 h; §4: 14 days' notice). Pure data: no clock, no I/O.
struct window_policy {
  std::string timezone;                 // IANA name, as written
  const date::time_zone* zone = nullptr;
  std::chrono::minutes service_start = 9h;
  std::chrono::minutes service_end = 17h;  // up to 24h, the end of the day
  std::array<bool, 7> service_days{false, true, true, true, true, true, false};  // Sun..Sat
  std::set<date::local_days> holidays;
  std::chrono::seconds max_window = 5h;
  std::chrono::seconds min_window_spacing = 24h;
  std::chrono::seconds min_notice = std::chrono::days(14);
  bool allow_unsynchronized_clock = false;  // open windows while the kernel says unsynced
  std::chrono::seconds closing_lead = 5min;  // from end - this, new requests are refused
};

/// A change window as proposed or registered: either a duration or an end is given.
struct window_request {
  std::string id;
  time_spec start;
  std::optional<std::chrono::seconds> duration;
  std::optional<time_spec> end;
  time_spec notified_at;
};

/// Why a window may not open.
enum class violation_code {
  ambiguous_local_time,
  duration_exceeds_max,
  holiday,
  insufficient_notice,
  non_positive_duration,
  non_service_day,
  nonexistent_local_time,
  outside_service_hours,
  too_close,
};

/// One broken rule; `other` names the window a `too-close` start is near.
struct violation {
  violation_code code;
  std::string other;

  /// The stable code: `holiday`, `too-close:CHG-2`, ...
  std::string to_string() const;
  bool operator<(const violation& o) const { return to_string() < o.to_string(); }
  bool operator==(const violation& o) const = default;
};

/// The verdict on one window: its instants (null when a wall time is ambiguous) and the
/// rules it breaks, sorted by code.
struct window_verdict {
  std::string id;
  std::vector<violation> violations;
  std::optional<date::sys_seconds> start;
  std::optional<date::sys_seconds> end;

  bool valid() const { return violations.empty(); }
};

/// May the vendor be connected at a given instant, and until when or from when.
struct window_decision {
  bool allowed = false;
  std::optional<std::string> reason;  // "no-window" | "window-invalid" when not allowed
  std::optional<std::string> window;
  std::optional<date::sys_seconds> closes_at;
  std::optional<date::sys_seconds> next_opens_at;
};

/// The verdicts on a whole schedule, in input order, and the decision at `at` if asked.
struct schedule_verdict {
  std::vector<window_verdict> windows;
  std::optional<window_decision> decision;
};

/// Applies `policy` to every window, and to each pair of windows for their spacing; with
/// `at`, decides whether the vendor may be connected at that instant.
schedule_verdict evaluate(const window_policy& policy, const std::vector<window_request>& windows,
                          std::optional<date::sys_seconds> at);

/// Whether `t` lies inside the service hours of a service day that is not a holiday.
bool in_service_hours(const window_policy& policy, date::sys_seconds t);

}  // namespace tether::config
