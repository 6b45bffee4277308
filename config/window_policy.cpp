#include "config/window_policy.hpp"

#include <algorithm>
#include <iterator>

#include "config/local_time.hpp"

namespace tether::config {

namespace {

/// One way of reading a window's times; an ambiguous wall time gives two.
struct reading {
  date::sys_seconds start;
  date::sys_seconds end;
  date::sys_seconds notified_at;
};

/// The instants a time stands for (one or two) and whether it was a valid single wall time.
struct instants {
  std::vector<date::sys_seconds> values;
  local_kind kind = local_kind::unique;
};

instants resolve(const window_policy& p, const time_spec& t) {
  local_resolution r = resolve_time(*p.zone, t);
  if (r.kind == local_kind::ambiguous) return {{r.earliest, r.latest}, r.kind};
  return {{r.earliest}, r.kind};
}

struct service_span {
  date::sys_seconds begin;
  date::sys_seconds end;
};

date::local_days local_date(const window_policy& p, date::sys_seconds t) {
  return date::floor<date::days>(p.zone->to_local(t));
}

service_span service_hours_of(const window_policy& p, date::local_days day) {
  return {first_instant_at_or_after(*p.zone, date::local_seconds(day) + p.service_start),
          last_instant_at_or_before(*p.zone, date::local_seconds(day) + p.service_end)};
}

bool is_service_day(const window_policy& p, date::local_days day) {
  return p.service_days[date::weekday(day).c_encoding()] && !p.holidays.contains(day);
}

std::set<violation> check(const window_policy& p, const reading& r) {
  std::set<violation> found;
  if (r.end <= r.start) found.insert({violation_code::non_positive_duration, {}});
  else if (r.end - r.start > p.max_window) found.insert({violation_code::duration_exceeds_max, {}});
  const date::local_days day = local_date(p, r.start);
  if (!p.service_days[date::weekday(day).c_encoding()])
    found.insert({violation_code::non_service_day, {}});
  if (p.holidays.contains(day)) found.insert({violation_code::holiday, {}});
  const service_span hours = service_hours_of(p, day);
  if (r.start < hours.begin || std::max(r.end, r.start) > hours.end)
    found.insert({violation_code::outside_service_hours, {}});
  if (r.start - r.notified_at < p.min_notice)
    found.insert({violation_code::insufficient_notice, {}});
  return found;
}

std::vector<reading> readings(const instants& start, const window_request& w,
                              const instants& end, const instants& notified) {
  std::vector<reading> out;
  for (auto s : start.values) {
    std::vector<date::sys_seconds> ends;
    if (w.duration) ends.push_back(s + *w.duration);
    else ends = end.values;
    for (auto e : ends)
      for (auto n : notified.values) out.push_back({s, e, n});
  }
  return out;
}

// A rule counts as broken only when it is broken however an ambiguous time is read.
std::set<violation> broken_in_every_reading(const window_policy& p, const std::vector<reading>& rs) {
  if (rs.empty()) return {};
  std::set<violation> common = check(p, rs.front());
  for (std::size_t i = 1; i < rs.size(); ++i) {
    std::set<violation> next = check(p, rs[i]), both;
    std::set_intersection(common.begin(), common.end(), next.begin(), next.end(),
                          std::inserter(both, both.end()));
    common = std::move(both);
  }
  return common;
}

window_verdict judge(const window_policy& p, const window_request& w) {
  const instants start = resolve(p, w.start);
  const instants end = w.end ? resolve(p, *w.end) : instants{};
  const instants notified = resolve(p, w.notified_at);
  std::set<violation> found = broken_in_every_reading(p, readings(start, w, end, notified));
  for (local_kind k : {start.kind, end.kind}) {
    if (k == local_kind::nonexistent) found.insert({violation_code::nonexistent_local_time, {}});
    if (k == local_kind::ambiguous) found.insert({violation_code::ambiguous_local_time, {}});
  }
  window_verdict v{w.id, {}, {}, {}};
  if (start.values.size() == 1) {
    v.start = start.values.front();
    if (w.duration) v.end = *v.start + *w.duration;
    else if (end.values.size() == 1) v.end = end.values.front();
  }
  v.violations.assign(found.begin(), found.end());
  return v;
}

void add_spacing_violations(const window_policy& p, std::vector<window_verdict>& verdicts) {
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    for (std::size_t j = i + 1; j < verdicts.size(); ++j) {
      auto& a = verdicts[i];
      auto& b = verdicts[j];
      if (!a.start || !b.start) continue;
      auto gap = *a.start > *b.start ? *a.start - *b.start : *b.start - *a.start;
      if (gap >= p.min_window_spacing) continue;
      a.violations.push_back({violation_code::too_close, b.id});
      b.violations.push_back({violation_code::too_close, a.id});
    }
  }
  for (auto& v : verdicts) {
    std::sort(v.violations.begin(), v.violations.end());
    v.violations.erase(std::unique(v.violations.begin(), v.violations.end()), v.violations.end());
  }
}

bool contains(const window_verdict& v, date::sys_seconds t) {
  return v.start && v.end && *v.start <= t && t < *v.end;
}

window_decision decide(const window_policy& p, const std::vector<window_verdict>& verdicts,
                       date::sys_seconds at) {
  window_decision d;
  const window_verdict* open = nullptr;
  bool inside_invalid = false;
  for (const auto& v : verdicts) {
    if (!contains(v, at)) continue;
    if (!v.valid()) inside_invalid = true;
    else if (!open || *v.start < *open->start) open = &v;
  }
  if (open && in_service_hours(p, at)) {
    d.allowed = true;
    d.window = open->id;
    d.closes_at = open->end;
  } else {
    d.reason = inside_invalid ? "window-invalid" : "no-window";
  }
  for (const auto& v : verdicts)
    if (v.valid() && v.start && *v.start > at && (!d.next_opens_at || *v.start < *d.next_opens_at))
      d.next_opens_at = v.start;
  return d;
}

}  // namespace

std::string violation::to_string() const {
  switch (code) {
    case violation_code::ambiguous_local_time: return "ambiguous-local-time";
    case violation_code::duration_exceeds_max: return "duration-exceeds-max";
    case violation_code::holiday: return "holiday";
    case violation_code::insufficient_notice: return "insufficient-notice";
    case violation_code::non_positive_duration: return "non-positive-duration";
    case violation_code::non_service_day: return "non-service-day";
    case violation_code::nonexistent_local_time: return "nonexistent-local-time";
    case violation_code::outside_service_hours: return "outside-service-hours";
    case violation_code::too_close: return "too-close:" + other;
  }
  return "unknown";
}

bool in_service_hours(const window_policy& p, date::sys_seconds t) {
  const date::local_days day = local_date(p, t);
  if (!is_service_day(p, day)) return false;
  const service_span hours = service_hours_of(p, day);
  return hours.begin <= t && t < hours.end;
}

schedule_verdict evaluate(const window_policy& policy, const std::vector<window_request>& windows,
                          std::optional<date::sys_seconds> at) {
  schedule_verdict out;
  for (const auto& w : windows) out.windows.push_back(judge(policy, w));
  add_spacing_violations(policy, out.windows);
  if (at) out.decision = decide(policy, out.windows, *at);
  return out;
}

}  // namespace tether::config
