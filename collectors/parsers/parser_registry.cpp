#include "collectors/parsers/parser_registry.hpp"

#include <array>
#include <utility>

#include "collectors/parsers/alarms_parser.hpp"
#include "collectors/parsers/bgp_parser.hpp"
#include "collectors/parsers/core_dumps_parser.hpp"
#include "collectors/parsers/facts_parser.hpp"
#include "collectors/parsers/interfaces_parser.hpp"
#include "collectors/parsers/isis_parser.hpp"
#include "collectors/parsers/ospf_parser.hpp"
#include "collectors/parsers/route_summary_parser.hpp"

namespace tether::collectors {
namespace {

nlohmann::ordered_json parse_all_facts(const std::vector<std::string>& captures) {
  device_facts facts;
  for (const auto& capture : captures) merge_facts(facts, parse_facts(capture));
  return to_json(facts);
}

/// Parses each capture with `parse` and concatenates the lists of every key of the result.
template <typename Parse>
nlohmann::ordered_json concatenated(const std::vector<std::string>& captures, Parse parse) {
  nlohmann::ordered_json all;
  for (const auto& capture : captures) {
    auto one = to_json(parse(capture));
    if (all.is_null()) {
      all = std::move(one);
      continue;
    }
    for (auto& [key, value] : one.items()) {
      for (auto& item : value) all[key].push_back(std::move(item));
    }
  }
  if (all.is_null()) all = to_json(parse(std::string_view{}));
  return all;
}

nlohmann::ordered_json parse_all_interfaces(const std::vector<std::string>& captures) {
  return concatenated(captures, parse_interfaces);
}

nlohmann::ordered_json parse_all_alarms(const std::vector<std::string>& captures) {
  return concatenated(captures, parse_alarms);
}

nlohmann::ordered_json parse_all_bgp(const std::vector<std::string>& captures) {
  return concatenated(captures, parse_bgp);
}

nlohmann::ordered_json parse_all_ospf(const std::vector<std::string>& captures) {
  return concatenated(captures, parse_ospf);
}

nlohmann::ordered_json parse_all_isis(const std::vector<std::string>& captures) {
  return concatenated(captures, parse_isis);
}

nlohmann::ordered_json parse_all_route_summary(const std::vector<std::string>& captures) {
  return concatenated(captures, parse_route_summary);
}

nlohmann::ordered_json parse_all_core_dumps(const std::vector<std::string>& captures) {
  return concatenated(captures, parse_core_dumps);
}

/// The catalog's `routing` collector runs bgp, ospf, isis and route-summary commands in one
/// capture; each parser picks out its own command's output.
nlohmann::ordered_json parse_all_routing(const std::vector<std::string>& captures) {
  return {{"bgp", parse_all_bgp(captures)},
          {"ospf", parse_all_ospf(captures)},
          {"isis", parse_all_isis(captures)},
          {"route_summary", parse_all_route_summary(captures)}};
}

using entry = std::pair<std::string_view, nlohmann::ordered_json (*)(const std::vector<std::string>&)>;

constexpr std::array<entry, 9> registry{{
    {"facts", &parse_all_facts},
    {"interfaces", &parse_all_interfaces},
    {"alarms", &parse_all_alarms},
    {"bgp", &parse_all_bgp},
    {"ospf", &parse_all_ospf},
    {"isis", &parse_all_isis},
    {"route-summary", &parse_all_route_summary},
    {"core-dumps", &parse_all_core_dumps},
    {"routing", &parse_all_routing},
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
