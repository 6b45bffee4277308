#include "collectors/parsers/alarms_parser.hpp"

#include "collectors/parsers/json_fields.hpp"
#include "collectors/parsers/junos_capture.hpp"

namespace tether::collectors {
namespace {

/// Column starts of the `Alarm time  Class  Description` header.
struct alarm_columns {
  bool seen = false;
  std::size_t time = 0;
  std::size_t alarm_class = 0;
};

/// The active count of a summary line: `2 alarms currently active`, `No alarms currently active`.
std::optional<long long> summary_count(std::string_view line) {
  const auto w = words(line);
  if (w.size() != 4 || (w[1] != "alarms" && w[1] != "alarm") || w[2] != "currently" ||
      w[3] != "active") {
    return std::nullopt;
  }
  if (w[0] == "No" || w[0] == "no") return 0;
  return to_count(w[0]);
}

void parse_text(const std::vector<std::string_view>& lines, alarm_report& report) {
  alarm_columns table;
  for (const auto& cl : context_lines(lines)) {
    const auto t = trim(cl.line);
    if (cl.boundary || t.empty()) {
      table = alarm_columns{};
      continue;
    }
    if (auto count = summary_count(t)) {
      report.summaries.push_back({cl.member, *count});
      continue;
    }
    const auto w = words(t);
    if (w.size() >= 4 && w[0] == "Alarm" && w[1] == "time" && w[2] == "Class") {
      table = alarm_columns{true, cl.line.find("Alarm"), cl.line.find("Class")};
      if (table.alarm_class <= table.time) table = alarm_columns{};
      continue;
    }
    if (!table.seen || cl.line.size() <= table.alarm_class) continue;
    // time | class | description: the time has blanks in it, so cut at the Class column.
    const auto time = trim(cl.line.substr(table.time, table.alarm_class - table.time));
    const auto rest = words(cl.line.substr(table.alarm_class));
    if (time.empty() || rest.empty() || cl.line[table.alarm_class - 1] != ' ') continue;
    alarm_entry alarm;
    alarm.member = cl.member;
    alarm.time = non_empty(time);
    alarm.alarm_class = std::string(rest.front());
    const auto after_class = cl.line.find(rest.front(), table.alarm_class) + rest.front().size();
    alarm.description = non_empty(cl.line.substr(after_class));
    report.alarms.push_back(std::move(alarm));
  }
}

void parse_xml(const pugi::xml_document& doc, alarm_report& report) {
  for (const auto& info : descendants_named(doc, "alarm-information")) {
    const auto summary = child_named(info, "alarm-summary");
    if (child_named(summary, "no-active-alarms")) {
      report.summaries.push_back({xml_member(info), 0});
    } else if (auto count = child_text(summary, "active-alarm-count")) {
      if (auto value = to_count(*count)) report.summaries.push_back({xml_member(info), *value});
    }
    for (auto detail = info.first_child(); detail; detail = detail.next_sibling()) {
      if (local_name(detail) != "alarm-detail") continue;
      report.alarms.push_back({xml_member(info), child_text(detail, "alarm-time"),
                               child_text(detail, "alarm-class"),
                               child_text(detail, "alarm-description"),
                               child_text(detail, "alarm-type")});
    }
  }
}

}  // namespace

alarm_report parse_alarms(std::string_view capture) {
  alarm_report report;
  visit_capture(
      capture, [&](const auto& lines) { parse_text(lines, report); },
      [&](const pugi::xml_document& doc) { parse_xml(doc, report); });
  return report;
}

nlohmann::ordered_json to_json(const alarm_report& report) {
  auto alarms = nlohmann::ordered_json::array();
  for (const auto& a : report.alarms) {
    alarms.push_back({{"member", json_or_null(a.member)},
                      {"time", json_or_null(a.time)},
                      {"class", json_or_null(a.alarm_class)},
                      {"description", json_or_null(a.description)},
                      {"type", json_or_null(a.type)}});
  }
  auto summaries = nlohmann::ordered_json::array();
  for (const auto& s : report.summaries) {
    summaries.push_back({{"member", json_or_null(s.member)}, {"active", s.active}});
  }
  return {{"summaries", std::move(summaries)}, {"alarms", std::move(alarms)}};
}

}  // namespace tether::collectors
