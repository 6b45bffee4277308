#include "collectors/parsers/core_dumps_parser.hpp"

#include "collectors/parsers/json_fields.hpp"
#include "collectors/parsers/junos_capture.hpp"

namespace tether::collectors {
namespace {

/// `-rw-r--r--  1 root  wheel    1252383 Aug 8   2019 /var/crash/core.riot.mpc0.1565307741.1716.gz`
std::optional<core_dump> listing_line(std::string_view line) {
  const auto w = words(line);
  if (w.size() != 9 || w[0].size() != 10 || w[0].front() != '-' || !to_count(w[1]) ||
      w[8].front() != '/') {
    return std::nullopt;
  }
  core_dump dump;
  dump.path = std::string(w[8]);
  dump.size = to_count(w[4]);
  dump.date = std::string(w[5]) + " " + std::string(w[6]) + " " + std::string(w[7]);
  return dump;
}

void parse_text(const std::vector<std::string_view>& lines, std::vector<core_dump>& out) {
  for (const auto& cl : context_lines(lines)) {
    if (cl.boundary) continue;
    if (auto dump = listing_line(cl.line)) {
      dump->member = cl.member;
      out.push_back(std::move(*dump));
    }
  }
}

void parse_xml(const pugi::xml_document& doc, std::vector<core_dump>& out) {
  for (const auto& file : descendants_named(doc, "file-information")) {
    core_dump dump;
    dump.member = xml_member(file);
    dump.path = child_text(file, "file-name").value_or("");
    if (dump.path.empty()) continue;
    dump.size = child_count(file, "file-size");
    const auto date = child_named(file, "file-date");
    // The listing's own words, single-spaced as in the text parse: `Apr 2   2025` -> `Apr 2 2025`.
    std::string listed;
    for (const auto word : words(date.attribute("junos:format").value())) {
      listed += (listed.empty() ? "" : " ") + std::string(word);
    }
    dump.date = non_empty(listed);
    out.push_back(std::move(dump));
  }
}

}  // namespace

std::vector<core_dump> parse_core_dumps(std::string_view capture) {
  std::vector<core_dump> out;
  visit_capture(
      capture, [&](const auto& lines) { parse_text(lines, out); },
      [&](const pugi::xml_document& doc) { parse_xml(doc, out); });
  return out;
}

nlohmann::ordered_json to_json(const std::vector<core_dump>& dumps) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& d : dumps) {
    list.push_back({{"member", json_or_null(d.member)},
                    {"path", d.path},
                    {"size", json_or_null(d.size)},
                    {"date", json_or_null(d.date)}});
  }
  return {{"core_dumps", std::move(list)}};
}

}  // namespace tether::collectors
