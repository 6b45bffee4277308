#include "collectors/parsers/ospf_parser.hpp"

#include "collectors/parsers/json_fields.hpp"
#include "collectors/parsers/junos_capture.hpp"

namespace tether::collectors {
namespace {

enum class ospf_table { none, v2, v3 };

ospf_table table_header(const std::vector<std::string_view>& w) {
  // v2: Address Interface State ID Pri Dead     v3: ID Interface State Pri Dead
  if (w.size() == 6 && w[0] == "Address" && w[1] == "Interface" && w[2] == "State" && w[3] == "ID") {
    return ospf_table::v2;
  }
  if (w.size() == 5 && w[0] == "ID" && w[1] == "Interface" && w[2] == "State" && w[3] == "Pri") {
    return ospf_table::v3;
  }
  return ospf_table::none;
}

void parse_text(const std::vector<std::string_view>& lines, std::vector<ospf_neighbor>& out) {
  auto table = ospf_table::none;
  ospf_neighbor* current = nullptr;
  for (const auto& cl : context_lines(lines)) {
    const auto w = words(cl.line);
    if (cl.boundary || w.empty()) {
      table = ospf_table::none;
      current = nullptr;
      continue;
    }
    if (auto header = table_header(w); header != ospf_table::none) {
      table = header;
      current = nullptr;
      continue;
    }
    if (table == ospf_table::v3 && w.size() == 2 && w[0] == "Neighbor-address" && current) {
      current->address = std::string(w[1]);
      continue;
    }
    ospf_neighbor n;
    n.member = cl.member;
    n.logical_system = cl.logical_system;
    if (table == ospf_table::v2 && w.size() == 6 && to_count(w[4]) && to_count(w[5])) {
      n.version = "ospf";
      n.address = std::string(w[0]);
      n.interface = std::string(w[1]);
      n.state = std::string(w[2]);
      n.router_id = std::string(w[3]);
      n.priority = to_count(w[4]);
      n.dead = to_count(w[5]);
    } else if (table == ospf_table::v3 && w.size() == 5 && to_count(w[3]) && to_count(w[4])) {
      n.version = "ospf3";
      n.router_id = std::string(w[0]);
      n.interface = std::string(w[1]);
      n.state = std::string(w[2]);
      n.priority = to_count(w[3]);
      n.dead = to_count(w[4]);
    } else {
      current = nullptr;
      continue;
    }
    out.push_back(std::move(n));
    current = &out.back();
  }
}

void parse_xml(const pugi::xml_document& doc, std::vector<ospf_neighbor>& out) {
  for (const auto* kind : {"ospf-neighbor", "ospf3-neighbor"}) {
    for (const auto& node : descendants_named(doc, kind)) {
      ospf_neighbor n;
      n.member = xml_member(node);
      n.version = std::string_view(kind) == "ospf-neighbor" ? "ospf" : "ospf3";
      n.address = child_text(node, "neighbor-address");
      n.interface = child_text(node, "interface-name");
      n.state = child_text(node, "ospf-neighbor-state");
      n.router_id = child_text(node, "neighbor-id");
      n.priority = child_count(node, "neighbor-priority");
      n.dead = child_count(node, "activity-timer");
      if (n.interface || n.router_id || n.address) out.push_back(std::move(n));
    }
  }
}

}  // namespace

std::vector<ospf_neighbor> parse_ospf(std::string_view capture) {
  std::vector<ospf_neighbor> out;
  visit_capture(
      capture, [&](const auto& lines) { parse_text(lines, out); },
      [&](const pugi::xml_document& doc) { parse_xml(doc, out); });
  return out;
}

nlohmann::ordered_json to_json(const std::vector<ospf_neighbor>& neighbors) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& n : neighbors) {
    list.push_back({{"member", json_or_null(n.member)},
                    {"logical_system", json_or_null(n.logical_system)},
                    {"version", n.version},
                    {"address", json_or_null(n.address)},
                    {"interface", json_or_null(n.interface)},
                    {"state", json_or_null(n.state)},
                    {"router_id", json_or_null(n.router_id)},
                    {"priority", json_or_null(n.priority)},
                    {"dead", json_or_null(n.dead)}});
  }
  return {{"neighbors", std::move(list)}};
}

}  // namespace tether::collectors
