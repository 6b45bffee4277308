#include "collectors/parsers/facts_parser.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "collectors/parsers/json_fields.hpp"
#include "collectors/parsers/junos_capture.hpp"

namespace tether::collectors {
namespace {

/// A release string seen in show version output; lower rank = more authoritative line.
struct version_candidate {
  int rank;
  std::string value;
};

/// What one member block (re0, node1, fpc0, or a whole single-RE output) says.
struct member_block {
  std::optional<std::string> hostname;
  std::optional<std::string> model;
  std::optional<version_candidate> version;
  std::optional<std::string> serial;
  std::vector<hardware_module> modules;
};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

/// True for release strings (12.3R12.4, 15.1X49-D100.6, 17.4-20170706_dev_common.0), false
/// for the build stamps of 15.1+ packages (20170619.183714_fbsd-builder_stable_10).
bool looks_like_release(std::string_view value) {
  std::size_t digits = 0;
  while (digits < value.size() && std::isdigit(static_cast<unsigned char>(value[digits]))) ++digits;
  return digits >= 1 && digits <= 2 && digits + 1 < value.size() && value[digits] == '.' &&
         std::isdigit(static_cast<unsigned char>(value[digits + 1]));
}

/// The release named by one show version line (or package comment), with its rank.
std::optional<version_candidate> version_from_line(std::string_view line) {
  const auto t = trim(line);
  if (starts_with(t, "Junos:")) {
    auto value = trim(t.substr(6));
    value = value.substr(0, value.find_first_of(" \t"));
    if (looks_like_release(value)) return version_candidate{0, std::string(value)};
    return std::nullopt;
  }
  // Releases before the `Junos:` line existed name the release in package lines.
  static constexpr std::array<std::string_view, 4> packages{
      "JUNOS Software Release [", "JUNOS Base OS boot [", "JUNOS Base OS Software Suite [",
      "JUNOS Kernel Software Suite ["};
  for (std::size_t rank = 0; rank < packages.size(); ++rank) {
    if (!starts_with(t, packages[rank])) continue;
    auto value = t.substr(packages[rank].size());
    const auto close = value.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    value = trim(value.substr(0, close));
    if (!looks_like_release(value)) return std::nullopt;
    return version_candidate{static_cast<int>(rank) + 1, std::string(value)};
  }
  return std::nullopt;
}

void offer_version(member_block& block, std::optional<version_candidate> candidate) {
  if (candidate && (!block.version || candidate->rank < block.version->rank)) {
    block.version = std::move(candidate);
  }
}

/// Copies a finished member block into the device facts: first member wins each field.
void flush(member_block& block, device_facts& facts) {
  if (!facts.hostname) facts.hostname = block.hostname;
  if (!facts.model) facts.model = block.model;
  if (!facts.version && block.version) facts.version = block.version->value;
  if (!facts.serial) facts.serial = block.serial;
  facts.modules.insert(facts.modules.end(), block.modules.begin(), block.modules.end());
  block = member_block{};
}

/// Column layout of a `show chassis hardware` table, from its `Item  Version ...` header.
struct inventory_columns {
  std::size_t item = 0;
  std::vector<std::pair<std::size_t, std::string_view>> starts;  // sorted by position
};

std::optional<inventory_columns> inventory_header(std::string_view line) {
  const auto item = line.find("Item");
  if (item == std::string_view::npos || !trim(line.substr(0, item)).empty()) return std::nullopt;
  if (line.find("Part number") == std::string_view::npos ||
      line.find("Serial number") == std::string_view::npos) {
    return std::nullopt;
  }
  inventory_columns columns;
  columns.item = item;
  for (std::string_view heading :
       {"Version", "Part number", "Serial number", "Description", "FRU model number", "CLEI code"}) {
    const auto at = line.find(heading);
    if (at != std::string_view::npos) columns.starts.emplace_back(at, heading);
  }
  std::sort(columns.starts.begin(), columns.starts.end());
  return columns;
}

/// Splits a table row at the header's column starts. Junos pads each column to its
/// width, so a value begins exactly at its column; a value wider than its column pushes
/// the rest of the row right. A row that fits neither (a disk line of `show chassis
/// hardware detail`, output whose indentation was lost) is refused: nullopt, never a guess.
std::optional<std::vector<std::string_view>> split_row(std::string_view row,
                                                       const inventory_columns& columns) {
  std::vector<std::size_t> cuts{columns.item};
  std::size_t shift = 0;
  for (const auto& [start, heading] : columns.starts) {
    std::size_t cut = std::max(start + shift, cuts.back());
    if (cut < row.size() && row[cut - 1] != ' ') {
      const auto end = row.find(' ', cut);
      if (end == std::string_view::npos) return std::nullopt;
      shift += end + 1 - cut;
      cut = end + 1;
    }
    cuts.push_back(cut);
  }
  cuts.push_back(std::max(row.size(), cuts.back()));
  std::vector<std::string_view> fields;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    const auto from = std::min(cuts[i], row.size());
    const auto to = std::min(cuts[i + 1], row.size());
    const auto region = row.substr(from, to - from);
    const auto value = trim(region);
    if (!value.empty() && region.front() == ' ') return std::nullopt;
    fields.push_back(value);
  }
  // Item names are words separated by single spaces ("Routing Engine 0").
  if (fields.front().find("  ") != std::string_view::npos) return std::nullopt;
  return fields;
}

/// Reads one inventory row into the block: the Chassis row gives the serial, other
/// rows at the table's own indentation are modules; indented sub-modules are skipped.
void inventory_row(std::string_view row, const inventory_columns& columns, member_block& block) {
  const auto indent = row.find_first_not_of(' ');
  if (indent == std::string_view::npos || indent != columns.item) return;
  // `show chassis hardware extensive` interleaves EEPROM dumps (`Jedec Code:`,
  // `Board Information Record:`, `Address 0x00: ...`): no inventory row ends in a colon.
  if (trim(row).back() == ':') return;
  const auto split = split_row(row, columns);
  if (!split) return;
  const auto& fields = *split;
  const auto name = fields.front();
  if (name.empty() || name.find(':') != std::string_view::npos) return;
  hardware_module module;
  module.name = non_empty(name);
  for (std::size_t i = 0; i < columns.starts.size(); ++i) {
    const auto heading = columns.starts[i].second;
    const auto value = non_empty(fields[i + 1]);
    if (heading == "Version") module.version = value;
    if (heading == "Part number") module.part_number = value;
    if (heading == "Serial number") module.serial = value;
    if (heading == "Description") module.description = value;
  }
  if (name == "Chassis") {
    if (!block.serial) block.serial = module.serial;
    return;
  }
  block.modules.push_back(std::move(module));
}

void parse_text(const std::vector<std::string_view>& lines, device_facts& facts) {
  member_block block;
  std::optional<inventory_columns> table;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto line = lines[i];
    const auto t = trim(line);
    if (member_header(lines, i) || is_cli_chrome(line)) {
      flush(block, facts);
      table.reset();
      continue;
    }
    if (table) {
      if (t.empty() || starts_with(t, "Hardware inventory")) {
        table.reset();
      } else {
        inventory_row(line, *table, block);
      }
      continue;
    }
    if (auto header = inventory_header(line)) {
      table = std::move(header);
      continue;
    }
    if (starts_with(t, "Hostname:") && !block.hostname) block.hostname = non_empty(t.substr(9));
    if (starts_with(t, "Model:") && !block.model) block.model = non_empty(t.substr(6));
    offer_version(block, version_from_line(t));
  }
  flush(block, facts);
}

void parse_software_information(const pugi::xml_node& node, device_facts& facts) {
  member_block block;
  block.hostname = child_text(node, "host-name");
  block.model = child_text(node, "product-model");
  if (auto version = child_text(node, "junos-version"); version && looks_like_release(*version)) {
    block.version = version_candidate{0, *version};
  }
  for (auto child = node.first_child(); child; child = child.next_sibling()) {
    if (local_name(child) != "package-information") continue;
    if (auto comment = child_text(child, "comment")) offer_version(block, version_from_line(*comment));
  }
  flush(block, facts);
}

hardware_module module_from_xml(const pugi::xml_node& node) {
  return hardware_module{child_text(node, "name"), child_text(node, "version"),
                         child_text(node, "part-number"), child_text(node, "serial-number"),
                         child_text(node, "description")};
}

void parse_chassis(const pugi::xml_node& chassis, device_facts& facts) {
  member_block block;
  block.serial = child_text(chassis, "serial-number");
  for (auto child = chassis.first_child(); child; child = child.next_sibling()) {
    if (local_name(child) == "chassis-module") block.modules.push_back(module_from_xml(child));
  }
  flush(block, facts);
}

void parse_xml(const pugi::xml_document& doc, device_facts& facts) {
  for (const auto& node : descendants_named(doc, "software-information")) {
    parse_software_information(node, facts);
  }
  for (const auto& inventory : descendants_named(doc, "chassis-inventory")) {
    for (auto child = inventory.first_child(); child; child = child.next_sibling()) {
      if (local_name(child) == "chassis") parse_chassis(child, facts);
    }
  }
}

nlohmann::ordered_json module_json(const hardware_module& module) {
  return {{"name", json_or_null(module.name)},
          {"version", json_or_null(module.version)},
          {"part_number", json_or_null(module.part_number)},
          {"serial", json_or_null(module.serial)},
          {"description", json_or_null(module.description)}};
}

}  // namespace

device_facts parse_facts(std::string_view capture) {
  device_facts facts;
  visit_capture(
      capture, [&](const auto& lines) { parse_text(lines, facts); },
      [&](const pugi::xml_document& doc) { parse_xml(doc, facts); });
  return facts;
}

void merge_facts(device_facts& facts, const device_facts& later) {
  if (!facts.hostname) facts.hostname = later.hostname;
  if (!facts.model) facts.model = later.model;
  if (!facts.version) facts.version = later.version;
  if (!facts.serial) facts.serial = later.serial;
  facts.modules.insert(facts.modules.end(), later.modules.begin(), later.modules.end());
}

nlohmann::ordered_json to_json(const device_facts& facts) {
  nlohmann::ordered_json modules = nlohmann::ordered_json::array();
  for (const auto& module : facts.modules) modules.push_back(module_json(module));
  return {{"hostname", json_or_null(facts.hostname)},
          {"model", json_or_null(facts.model)},
          {"version", json_or_null(facts.version)},
          {"serial", json_or_null(facts.serial)},
          {"modules", std::move(modules)}};
}

}  // namespace tether::collectors
