#include "collectors/parsers/interfaces_parser.hpp"

#include "collectors/parsers/json_fields.hpp"
#include "collectors/parsers/junos_capture.hpp"

namespace tether::collectors {
namespace {

bool is_status(std::string_view word) { return word == "up" || word == "down"; }

/// Without a header to give the Local column: addresses have digits with `.`, `:` or `/`.
bool looks_like_address(std::string_view word) {
  const bool digit = word.find_first_of("0123456789") != std::string_view::npos;
  return digit && (word.find_first_of(".:/") != std::string_view::npos || word.rfind("0x", 0) == 0);
}

bool looks_like_row(const std::vector<std::string_view>& w) {
  return w.size() >= 3 && is_status(w[1]) && is_status(w[2]);
}

/// Column starts of the `Interface  Admin Link Proto  Local  Remote` header.
struct terse_columns {
  bool seen = false;
  std::size_t indent = 0;
  std::size_t local = 0;
};

std::optional<terse_columns> terse_header(std::string_view line) {
  const auto w = words(line);
  if (w.size() < 4 || w[0] != "Interface" || w[1] != "Admin" || w[2] != "Link" || w[3] != "Proto") {
    return std::nullopt;
  }
  terse_columns columns;
  columns.seen = true;
  columns.indent = line.find("Interface");
  columns.local = line.find("Local");
  if (columns.local == std::string_view::npos) columns.local = line.size();
  return columns;
}

/// Reads `[proto] [local [--> remote]]` words of a terse row into the interface.
void add_family_words(std::vector<std::string_view> w, bool starts_with_protocol,
                      interface_entry& entry) {
  std::size_t i = 0;
  if (starts_with_protocol && i < w.size()) entry.protocols.emplace_back(w[i++]);
  if (i >= w.size()) return;
  interface_address address;
  if (!entry.protocols.empty()) address.protocol = entry.protocols.back();
  address.local = std::string(w[i++]);
  if (i + 1 < w.size() && w[i] == "-->") address.remote = std::string(w[i + 1]);
  entry.addresses.push_back(std::move(address));
}

void parse_text(const std::vector<std::string_view>& lines, std::vector<interface_entry>& out) {
  terse_columns table;
  interface_entry* current = nullptr;
  for (const auto& cl : context_lines(lines)) {
    if (cl.boundary || trim(cl.line).empty()) {
      table = terse_columns{};
      current = nullptr;
      continue;
    }
    if (auto header = terse_header(cl.line)) {
      table = *header;
      current = nullptr;
      continue;
    }
    const auto line = cl.line;
    const auto first = line.find_first_not_of(' ');
    const auto w = words(line);
    if (!table.seen && looks_like_row(w)) {
      // `show interfaces X terse` of one interface prints no header.
      table = terse_columns{true, first, std::string_view::npos};
    }
    if (!table.seen) continue;
    if (first <= table.indent) {
      current = nullptr;
      // name admin link [proto [local [--> remote]]]
      if (!looks_like_row(w)) continue;
      interface_entry entry;
      entry.member = cl.member;
      entry.name = std::string(w[0]);
      entry.admin = std::string(w[1]);
      entry.link = std::string(w[2]);
      add_family_words({w.begin() + 3, w.end()}, true, entry);
      out.push_back(std::move(entry));
      current = &out.back();
      continue;
    }
    if (!current) continue;
    // A continuation row: a new protocol family (Proto column) or another address (Local column).
    const bool protocol_first = table.local == std::string_view::npos
                                    ? !looks_like_address(w.front())
                                    : first < table.local;
    add_family_words(w, protocol_first, *current);
  }
}

interface_entry entry_from_xml(const pugi::xml_node& node) {
  interface_entry entry;
  entry.member = xml_member(node);
  entry.name = child_text(node, "name").value_or("");
  entry.admin = child_text(node, "admin-status");
  entry.link = child_text(node, "oper-status");
  for (auto family = node.first_child(); family; family = family.next_sibling()) {
    if (local_name(family) != "address-family") continue;
    const auto protocol = child_text(family, "address-family-name");
    if (protocol) entry.protocols.push_back(*protocol);
    for (auto address = family.first_child(); address; address = address.next_sibling()) {
      if (local_name(address) != "interface-address") continue;
      entry.addresses.push_back(
          {protocol, child_text(address, "ifa-local"), child_text(address, "ifa-destination")});
    }
  }
  return entry;
}

void parse_xml(const pugi::xml_document& doc, std::vector<interface_entry>& out) {
  for (const auto& physical : descendants_named(doc, "physical-interface")) {
    auto entry = entry_from_xml(physical);
    if (!entry.name.empty()) out.push_back(std::move(entry));
    for (auto logical = physical.first_child(); logical; logical = logical.next_sibling()) {
      if (local_name(logical) != "logical-interface") continue;
      auto unit = entry_from_xml(logical);
      if (!unit.name.empty()) out.push_back(std::move(unit));
    }
  }
}

}  // namespace

std::vector<interface_entry> parse_interfaces(std::string_view capture) {
  std::vector<interface_entry> out;
  visit_capture(
      capture, [&](const auto& lines) { parse_text(lines, out); },
      [&](const pugi::xml_document& doc) { parse_xml(doc, out); });
  return out;
}

nlohmann::ordered_json to_json(const std::vector<interface_entry>& interfaces) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& entry : interfaces) {
    auto addresses = nlohmann::ordered_json::array();
    for (const auto& a : entry.addresses) {
      addresses.push_back({{"protocol", json_or_null(a.protocol)},
                           {"local", json_or_null(a.local)},
                           {"remote", json_or_null(a.remote)}});
    }
    list.push_back({{"member", json_or_null(entry.member)},
                    {"name", entry.name},
                    {"admin", json_or_null(entry.admin)},
                    {"link", json_or_null(entry.link)},
                    {"protocols", entry.protocols},
                    {"addresses", std::move(addresses)}});
  }
  return {{"interfaces", std::move(list)}};
}

}  // namespace tether::collectors
