#include "config/policy_file.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <string_view>

#include "config/duration.hpp"

namespace tether::config {

namespace {

constexpr std::array<std::string_view, 7> day_names{"sun", "mon", "tue", "wed",
                                                    "thu", "fri", "sat"};
constexpr std::array<std::string_view, 7> full_day_names{
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

std::optional<unsigned> parse_weekday(std::string_view text, std::string& why) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  for (unsigned i = 0; i < 7; ++i)
    if (lower == day_names[i] || lower == full_day_names[i]) return i;
  why = "expected a day: mon, tue, wed, thu, fri, sat or sun, got \"" + std::string(text) + "\"";
  return std::nullopt;
}

const date::time_zone* read_zone(yaml_document& doc, const YAML::Node& node,
                                 const std::string& field) {
  auto name = read_string(doc, node, field);
  if (!name) return nullptr;
  try {
    return date::locate_zone(*name);
  } catch (const std::exception&) {
    doc.error(node, field, "unknown time zone \"" + *name +
                               "\"; expected an IANA name such as Europe/Amsterdam");
    return nullptr;
  }
}

std::optional<std::chrono::seconds> read_duration(yaml_document& doc, const YAML::Node& node,
                                                  const std::string& field) {
  return read_scalar<std::chrono::seconds>(doc, node, field, parse_duration);
}

void read_service_hours(yaml_map& m, window_policy& p) {
  YAML::Node node = m.optional("service_hours");
  if (!node.IsDefined()) return;
  yaml_map hours(m.doc(), node, m.field("service_hours"));
  auto parse_start = [](std::string_view t, std::string& why) {
    return parse_time_of_day(t, why, false);
  };
  auto parse_end = [](std::string_view t, std::string& why) {
    return parse_time_of_day(t, why, true);
  };
  auto start = read_scalar<std::chrono::minutes>(
      m.doc(), hours.required("start", "a time of day such as 09:00"), hours.field("start"),
      parse_start);
  YAML::Node end_node = hours.required("end", "a time of day such as 17:00 or 24:00");
  auto end = read_scalar<std::chrono::minutes>(m.doc(), end_node, hours.field("end"), parse_end);
  hours.reject_unknown();
  if (start && end && *start >= *end)
    m.doc().error(end_node, hours.field("end"), "expected an end later than the start");
  if (start) p.service_start = *start;
  if (end) p.service_end = *end;
}

void read_service_days(yaml_map& m, window_policy& p) {
  YAML::Node node = m.optional("service_days");
  if (!node.IsDefined()) return;
  const std::string field = m.field("service_days");
  if (!node.IsSequence() || node.size() == 0) {
    m.doc().error(node, field, "expected a non-empty list of days such as [mon, tue, wed]");
    return;
  }
  p.service_days.fill(false);
  for (const auto& day : node)
    if (auto d = read_scalar<unsigned>(m.doc(), day, field, parse_weekday)) p.service_days[*d] = true;
}

std::optional<date::year_month_day> read_holiday(yaml_document& doc, const YAML::Node& entry,
                                                 const std::string& field) {
  if (!entry.IsMap()) return read_scalar<date::year_month_day>(doc, entry, field, parse_date);
  yaml_map named(doc, entry, field);
  auto day = read_scalar<date::year_month_day>(
      doc, named.required("date", "a date such as 2026-12-25"), named.field("date"), parse_date);
  read_string(doc, named.optional("name"), named.field("name"));
  named.reject_unknown();
  return day;
}

void read_holidays(yaml_map& m, window_policy& p) {
  YAML::Node node = m.optional("holidays");
  if (!node.IsDefined() || node.IsNull()) return;
  const std::string field = m.field("holidays");
  if (!node.IsSequence()) {
    m.doc().error(node, field, "expected a list of dates such as [2026-12-25, 2027-01-01]");
    return;
  }
  for (const auto& entry : node)
    if (auto day = read_holiday(m.doc(), entry, field)) p.holidays.insert(date::local_days(*day));
}

void read_limit(yaml_map& m, std::string_view key, std::chrono::seconds& out, bool positive) {
  YAML::Node node = m.optional(key);
  auto d = read_duration(m.doc(), node, m.field(key));
  if (!d) return;
  if (positive && d->count() == 0) {
    m.doc().error(node, m.field(key), "expected a duration longer than zero");
    return;
  }
  out = *d;
}

std::optional<bool> parse_bool(std::string_view text, std::string& why) {
  if (text == "true") return true;
  if (text == "false") return false;
  why = "expected true or false, got \"" + std::string(text) + "\"";
  return std::nullopt;
}

}  // namespace

std::optional<window_policy> read_window_policy(yaml_document& doc, const YAML::Node& node,
                                                const std::string& path) {
  const std::size_t errors_before = doc.errors().size();
  yaml_map m(doc, node, path);
  if (!m.valid()) return std::nullopt;
  window_policy p;
  YAML::Node tz = m.required("timezone", "an IANA time zone such as Europe/Amsterdam");
  p.zone = read_zone(doc, tz, m.field("timezone"));
  if (p.zone) p.timezone = tz.Scalar();
  read_service_hours(m, p);
  read_service_days(m, p);
  read_holidays(m, p);
  read_limit(m, "max_window", p.max_window, true);
  read_limit(m, "min_window_spacing", p.min_window_spacing, false);
  read_limit(m, "min_notice", p.min_notice, false);
  read_limit(m, "closing_lead", p.closing_lead, false);
  if (auto b = read_scalar<bool>(doc, m.optional("allow_unsynchronized_clock"),
                                 m.field("allow_unsynchronized_clock"), parse_bool))
    p.allow_unsynchronized_clock = *b;
  m.reject_unknown();
  if (doc.errors().size() != errors_before) return std::nullopt;
  return p;
}

window_policy load_window_policy(const std::string& file) {
  yaml_document doc = yaml_document::load(file);
  std::optional<window_policy> policy;
  if (doc.ok()) {
    if (!doc.root().IsMap() || !doc.root()["policy"]) {
      doc.error(doc.root(), "policy", "missing; expected a top-level policy: map");
    } else {
      policy = read_window_policy(doc, doc.root()["policy"], "policy");
    }
  }
  doc.throw_if_errors();
  return *policy;
}

}  // namespace tether::config
