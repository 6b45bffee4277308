#include "config/windows_file.hpp"

#include <set>

#include "config/duration.hpp"

namespace tether::config {

namespace {

constexpr std::string_view time_expected =
    "a time such as 2026-12-08T10:00 (site-local) or 2026-12-08T09:00:00Z";

std::optional<time_spec> read_time(yaml_document& doc, const YAML::Node& node,
                                   const std::string& field) {
  return read_scalar<time_spec>(doc, node, field, parse_time);
}

}  // namespace

std::optional<window_request> read_window(yaml_document& doc, const YAML::Node& node,
                                          const std::string& path) {
  const std::size_t errors_before = doc.errors().size();
  yaml_map m(doc, node, path);
  if (!m.valid()) return std::nullopt;
  window_request w;
  auto id = read_string(doc, m.required("id", "a change id such as CHG-1001"), m.field("id"));
  auto start = read_time(doc, m.required("start", time_expected), m.field("start"));
  YAML::Node duration_node = m.optional("duration");
  YAML::Node end_node = m.optional("end");
  w.duration = read_scalar<std::chrono::seconds>(doc, duration_node, m.field("duration"),
                                                 parse_duration);
  w.end = read_time(doc, end_node, m.field("end"));
  auto notified = read_time(doc, m.required("notified_at", time_expected), m.field("notified_at"));
  const bool has_duration = duration_node.IsDefined() && !duration_node.IsNull();
  const bool has_end = end_node.IsDefined() && !end_node.IsNull();
  if (has_duration && has_end)
    doc.error(end_node, m.field("end"), "give either duration or end, not both");
  if (!has_duration && !has_end)
    doc.error(node, m.field("duration"), "missing; expected a duration (4h) or an end time");
  m.reject_unknown();
  if (doc.errors().size() != errors_before) return std::nullopt;
  w.id = *id;
  w.start = *start;
  w.notified_at = *notified;
  return w;
}

std::vector<window_request> load_windows(const std::string& file) {
  yaml_document doc = yaml_document::load(file);
  std::vector<window_request> windows;
  if (doc.ok()) {
    const YAML::Node list = doc.root().IsMap() ? doc.root()["windows"]
                                               : YAML::Node(YAML::NodeType::Undefined);
    if (!list) {
      doc.error(doc.root(), "windows", "missing; expected a top-level windows: list");
    } else if (!list.IsSequence() && !list.IsNull()) {
      doc.error(list, "windows", "expected a list of windows");
    } else {
      std::set<std::string> ids;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string field = "windows[" + std::to_string(i) + "]";
        auto w = read_window(doc, list[i], field);
        if (w && !ids.insert(w->id).second)
          doc.error(list[i]["id"], field + ".id", "duplicate window id \"" + w->id + "\"");
        if (w) windows.push_back(std::move(*w));
      }
    }
  }
  doc.throw_if_errors();
  return windows;
}

}  // namespace tether::config
