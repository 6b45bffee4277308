#include "agent/window_report.hpp"

#include <cstdio>
#include <sstream>

#include "config/duration.hpp"
#include "config/local_time.hpp"

namespace tether::agent {

namespace {

using config::format_duration;
using config::format_utc;
using config::violation_code;

nlohmann::ordered_json utc_or_null(const std::optional<date::sys_seconds>& t) {
  return t ? nlohmann::ordered_json(format_utc(*t)) : nlohmann::ordered_json(nullptr);
}

template <class T>
nlohmann::ordered_json value_or_null(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

std::string local(const config::window_policy& p, date::sys_seconds t, const char* format) {
  return date::format(format, date::make_zoned(p.zone, t));
}

std::string clock(std::chrono::minutes m) {
  char text[8];
  std::snprintf(text, sizeof text, "%02d:%02d", int(m.count() / 60), int(m.count() % 60));
  return text;
}

std::string day_name(const config::window_policy& p, date::sys_seconds t) {
  return local(p, t, "%A");
}

// Only the notice needs the notification instant; it is read as the engine reads it.
date::sys_seconds notified(const config::window_policy& p,
                                          const config::window_request& r) {
  return config::resolve_time(*p.zone, r.notified_at).earliest;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

nlohmann::ordered_json window_report_json(const config::schedule_verdict& verdict) {
  nlohmann::ordered_json out;
  out["windows"] = nlohmann::ordered_json::array();
  for (const auto& w : verdict.windows) {
    nlohmann::ordered_json violations = nlohmann::ordered_json::array();
    for (const auto& v : w.violations) violations.push_back(v.to_string());
    out["windows"].push_back({{"id", w.id},
                              {"valid", w.valid()},
                              {"violations", violations},
                              {"start", utc_or_null(w.start)},
                              {"end", utc_or_null(w.end)}});
  }
  out["decision"] = nullptr;
  if (const auto& d = verdict.decision) {
    out["decision"] = {{"allowed", d->allowed},
                       {"reason", value_or_null(d->reason)},
                       {"window", value_or_null(d->window)},
                       {"closes_at", utc_or_null(d->closes_at)},
                       {"next_opens_at", utc_or_null(d->next_opens_at)}};
  }
  return out;
}

std::string describe(const config::violation& v, const config::window_policy& p,
                     const config::window_verdict& w, const config::window_request& r) {
  const std::string hours = clock(p.service_start) + "-" + clock(p.service_end);
  const bool timed = w.start && w.end;
  switch (v.code) {
    case violation_code::non_positive_duration: return "ends before or when it starts";
    case violation_code::duration_exceeds_max:
      return (timed ? "lasts " + format_duration(*w.end - *w.start) + ", " : std::string()) +
             "longer than the " + format_duration(p.max_window) + " maximum";
    case violation_code::non_service_day:
      return (w.start ? day_name(p, *w.start) : std::string("the day")) +
             " is not a service day";
    case violation_code::holiday:
      return (w.start ? local(p, *w.start, "%Y-%m-%d") : std::string("the day")) +
             " is a holiday";
    case violation_code::outside_service_hours:
      return "runs outside service hours " + hours + " " + p.timezone;
    case violation_code::insufficient_notice:
      return (w.start ? "notified " + format_duration(*w.start - notified(p, r)) + " ahead; "
                      : std::string()) +
             format_duration(p.min_notice) + " notice required";
    case violation_code::too_close:
      return "starts less than " + format_duration(p.min_window_spacing) + " from " + v.other;
    case violation_code::nonexistent_local_time:
      return "a local time falls in a daylight-saving gap (the clock skips it)";
    case violation_code::ambiguous_local_time:
      return "a local time happens twice (daylight-saving overlap); give an offset";
  }
  return v.to_string();
}

std::string window_report_table(const config::window_policy& p,
                                const std::vector<config::window_request>& windows,
                                const config::schedule_verdict& verdict,
                                std::optional<date::sys_seconds> at) {
  std::ostringstream out;
  out << "Site time " << p.timezone << "; service " << clock(p.service_start) << "-"
      << clock(p.service_end) << ", windows at most " << format_duration(p.max_window)
      << ", starts " << format_duration(p.min_window_spacing) << " apart, "
      << format_duration(p.min_notice) << " notice\n\n";
  out << pad("WINDOW", 14) << pad("LOCAL START", 26) << pad("LOCAL END", 12) << pad("LENGTH", 8)
      << "VERDICT\n";
  std::size_t valid = 0;
  for (std::size_t i = 0; i < verdict.windows.size(); ++i) {
    const auto& w = verdict.windows[i];
    const bool timed = w.start && w.end;
    out << pad(w.id, 13) << ' '
        << pad(w.start ? local(p, *w.start, "%a %Y-%m-%d %H:%M %Z") : "(ambiguous)", 25) << ' '
        << pad(w.end ? local(p, *w.end, "%H:%M %Z") : "-", 11) << ' '
        << pad(timed ? format_duration(*w.end - *w.start) : "-", 7) << ' ';
    if (w.valid()) {
      out << "valid\n";
      ++valid;
      continue;
    }
    out << "INVALID\n";
    for (const auto& v : w.violations)
      out << std::string(14, ' ') << "- " << describe(v, p, w, windows[i]) << "\n";
  }
  out << "\n" << valid << " of " << verdict.windows.size() << " windows valid\n";
  if (verdict.decision && at) {
    const auto& d = *verdict.decision;
    out << "At " << local(p, *at, "%a %Y-%m-%d %H:%M %Z") << ": ";
    if (d.allowed)
      out << "OPEN in " << *d.window << ", closes in " << format_duration(*d.closes_at - *at)
          << " (" << local(p, *d.closes_at, "%H:%M %Z") << ")";
    else
      out << "CLOSED (" << *d.reason << ")";
    if (d.next_opens_at)
      out << "; next window opens in " << format_duration(*d.next_opens_at - *at) << " ("
          << local(p, *d.next_opens_at, "%a %Y-%m-%d %H:%M %Z") << ")";
    else if (!d.allowed)
      out << "; no valid window opens later";
    out << "\n";
  }
  return out.str();
}

}  // namespace tether::agent
