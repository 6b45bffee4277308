#include "collectors/parsers/isis_parser.hpp"

#include "collectors/parsers/json_fields.hpp"
#include "collectors/parsers/junos_capture.hpp"

namespace tether::collectors {
namespace {

bool is_header(const std::vector<std::string_view>& w) {
  // Interface  System  L State  Hold (secs) SNPA
  return w.size() >= 5 && w[0] == "Interface" && w[1] == "System" && w[2] == "L" && w[3] == "State";
}

void parse_text(const std::vector<std::string_view>& lines, std::vector<isis_adjacency>& out) {
  bool in_table = false;
  for (const auto& cl : context_lines(lines)) {
    const auto w = words(cl.line);
    if (cl.boundary || w.empty()) {
      in_table = false;
      continue;
    }
    if (is_header(w)) {
      in_table = true;
      continue;
    }
    // interface system level state hold [snpa]
    if (!in_table || w.size() < 5 || w.size() > 6 || !to_count(w[2]) || !to_count(w[4])) continue;
    isis_adjacency a;
    a.member = cl.member;
    a.logical_system = cl.logical_system;
    a.interface = std::string(w[0]);
    a.system = std::string(w[1]);
    a.level = to_count(w[2]);
    a.state = std::string(w[3]);
    a.hold = to_count(w[4]);
    if (w.size() == 6) a.snpa = std::string(w[5]);
    out.push_back(std::move(a));
  }
}

void parse_xml(const pugi::xml_document& doc, std::vector<isis_adjacency>& out) {
  for (const auto& node : descendants_named(doc, "isis-adjacency")) {
    isis_adjacency a;
    a.member = xml_member(node);
    a.interface = child_text(node, "interface-name");
    a.system = child_text(node, "system-name");
    a.level = child_count(node, "level");
    a.state = child_text(node, "adjacency-state");
    a.hold = child_count(node, "holdtime");
    a.snpa = child_text(node, "snpa");
    if (a.interface || a.system) out.push_back(std::move(a));
  }
}

}  // namespace

std::vector<isis_adjacency> parse_isis(std::string_view capture) {
  std::vector<isis_adjacency> out;
  visit_capture(
      capture, [&](const auto& lines) { parse_text(lines, out); },
      [&](const pugi::xml_document& doc) { parse_xml(doc, out); });
  return out;
}

nlohmann::ordered_json to_json(const std::vector<isis_adjacency>& adjacencies) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& a : adjacencies) {
    list.push_back({{"member", json_or_null(a.member)},
                    {"logical_system", json_or_null(a.logical_system)},
                    {"interface", json_or_null(a.interface)},
                    {"system", json_or_null(a.system)},
                    {"level", json_or_null(a.level)},
                    {"state", json_or_null(a.state)},
                    {"hold", json_or_null(a.hold)},
                    {"snpa", json_or_null(a.snpa)}});
  }
  return {{"adjacencies", std::move(list)}};
}

}  // namespace tether::collectors
