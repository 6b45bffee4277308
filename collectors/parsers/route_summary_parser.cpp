#include "collectors/parsers/route_summary_parser.hpp"

#include "collectors/parsers/json_fields.hpp"
#include "collectors/parsers/junos_capture.hpp"

namespace tether::collectors {
namespace {

/// A word without the punctuation the summary wraps numbers in: `(929` -> `929`, `active,` -> `active`.
std::string_view bare(std::string_view word) {
  while (!word.empty() && (word.front() == '(')) word.remove_prefix(1);
  while (!word.empty() && (word.back() == ',' || word.back() == ')' || word.back() == ':')) {
    word.remove_suffix(1);
  }
  return word;
}

/// `inet.0: 929 destinations, 1615 routes (929 active, 0 holddown, 0 hidden)`
std::optional<route_table_summary> table_line(const std::vector<std::string_view>& w) {
  if (w.size() != 11 || w[0].back() != ':' || bare(w[2]) != "destinations" || bare(w[4]) != "routes" ||
      bare(w[6]) != "active" || bare(w[8]) != "holddown" || bare(w[10]) != "hidden") {
    return std::nullopt;
  }
  route_table_summary t;
  t.table = std::string(bare(w[0]));
  t.destinations = to_count(bare(w[1]));
  t.routes = to_count(bare(w[3]));
  t.active = to_count(bare(w[5]));
  t.holddown = to_count(bare(w[7]));
  t.hidden = to_count(bare(w[9]));
  if (t.table.empty()) return std::nullopt;
  return t;
}

/// `Direct:      6 routes,      6 active`
std::optional<route_protocol_count> protocol_line(const std::vector<std::string_view>& w) {
  if (w.size() != 5 || w[0].size() < 2 || w[0].back() != ':' || bare(w[2]) != "routes" ||
      bare(w[4]) != "active") {
    return std::nullopt;
  }
  return route_protocol_count{std::string(bare(w[0])), to_count(w[1]), to_count(w[3])};
}

route_router_summary& router_for(route_summary& out, const context_line& cl, bool& open) {
  if (!open) {
    out.routers.push_back({cl.member, cl.logical_system, std::nullopt, std::nullopt});
    open = true;
  }
  return out.routers.back();
}

void parse_text(const std::vector<std::string_view>& lines, route_summary& out) {
  route_table_summary* current = nullptr;
  bool router_open = false;
  for (const auto& cl : context_lines(lines)) {
    const auto t = trim(cl.line);
    if (cl.boundary) {
      current = nullptr;
      router_open = false;
      continue;
    }
    if (t.rfind("Autonomous system number:", 0) == 0) {
      router_for(out, cl, router_open).autonomous_system = non_empty(t.substr(25));
      continue;
    }
    if (t.rfind("Router ID:", 0) == 0) {
      router_for(out, cl, router_open).router_id = non_empty(t.substr(10));
      continue;
    }
    const auto w = words(t);
    if (w.empty()) {
      current = nullptr;  // a blank line ends a table's block
      continue;
    }
    if (auto table = table_line(w)) {
      table->member = cl.member;
      table->logical_system = cl.logical_system;
      out.tables.push_back(std::move(*table));
      current = &out.tables.back();
      continue;
    }
    // Other lines inside a table's block (`Restart Complete`, `Limit/Threshold: ...`) are skipped.
    if (auto protocol = protocol_line(w); protocol && current) {
      current->protocols.push_back(std::move(*protocol));
    }
  }
}

void parse_xml(const pugi::xml_document& doc, route_summary& out) {
  for (const auto& info : descendants_named(doc, "route-summary-information")) {
    const auto member = xml_member(info);
    out.routers.push_back({member, std::nullopt, child_text(info, "as-number"), child_text(info, "router-id")});
    for (auto node = info.first_child(); node; node = node.next_sibling()) {
      if (local_name(node) != "route-table") continue;
      route_table_summary t;
      t.member = member;
      t.table = child_text(node, "table-name").value_or("");
      if (t.table.empty()) continue;
      t.destinations = child_count(node, "destination-count");
      t.routes = child_count(node, "total-route-count");
      t.active = child_count(node, "active-route-count");
      t.holddown = child_count(node, "holddown-route-count");
      t.hidden = child_count(node, "hidden-route-count");
      for (auto p = node.first_child(); p; p = p.next_sibling()) {
        if (local_name(p) != "protocols") continue;
        if (auto name = child_text(p, "protocol-name")) {
          t.protocols.push_back({*name, child_count(p, "protocol-route-count"),
                                 child_count(p, "active-route-count")});
        }
      }
      out.tables.push_back(std::move(t));
    }
  }
}

}  // namespace

route_summary parse_route_summary(std::string_view capture) {
  route_summary out;
  visit_capture(
      capture, [&](const auto& lines) { parse_text(lines, out); },
      [&](const pugi::xml_document& doc) { parse_xml(doc, out); });
  return out;
}

nlohmann::ordered_json to_json(const route_summary& summary) {
  auto routers = nlohmann::ordered_json::array();
  for (const auto& r : summary.routers) {
    routers.push_back({{"member", json_or_null(r.member)},
                       {"logical_system", json_or_null(r.logical_system)},
                       {"autonomous_system", json_or_null(r.autonomous_system)},
                       {"router_id", json_or_null(r.router_id)}});
  }
  auto tables = nlohmann::ordered_json::array();
  for (const auto& t : summary.tables) {
    auto protocols = nlohmann::ordered_json::array();
    for (const auto& p : t.protocols) {
      protocols.push_back({{"protocol", p.protocol},
                           {"routes", json_or_null(p.routes)},
                           {"active", json_or_null(p.active)}});
    }
    tables.push_back({{"member", json_or_null(t.member)},
                      {"logical_system", json_or_null(t.logical_system)},
                      {"table", t.table},
                      {"destinations", json_or_null(t.destinations)},
                      {"routes", json_or_null(t.routes)},
                      {"active", json_or_null(t.active)},
                      {"holddown", json_or_null(t.holddown)},
                      {"hidden", json_or_null(t.hidden)},
                      {"protocols", std::move(protocols)}});
  }
  return {{"routers", std::move(routers)}, {"tables", std::move(tables)}};
}

}  // namespace tether::collectors
