#include "collectors/parsers/parser_registry.hpp"

#include <array>
#include <utility>

#include "collectors/parsers/facts_parser.hpp"

namespace tether::collectors {
namespace {

nlohmann::ordered_json parse_all_facts(const std::vector<std::string>& captures) {
  device_facts facts;
  for (const auto& capture : captures) merge_facts(facts, parse_facts(capture));
  return to_json(facts);
}

using entry = std::pair<std::string_view, nlohmann::ordered_json (*)(const std::vector<std::string>&)>;

constexpr std::array<entry, 1> registry{{
    {"facts", &parse_all_facts},
}};

}  // namespace

std::optional<capture_parser> find_parser(std::string_view collector) {
  for (const auto& [name, parse] : registry) {
    if (name == collector) return capture_parser(parse);
  }
  return std::nullopt;
}

std::vector<std::string> parser_names() {
  std::vector<std::string> names;
  for (const auto& [name, parse] : registry) names.emplace_back(name);
  return names;
}

}  // namespace tether::collectors
