#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::collectors {

/// Parses the saved outputs of one collector (each a whole capture, in order) into JSON.
using capture_parser = std::function<nlohmann::ordered_json(const std::vector<std::string>& captures)>;

/// The parser for a collector name (facts, interfaces, alarms, bgp, ospf, isis,
/// route-summary, core-dumps, and routing = bgp + ospf + isis + route-summary of one
/// capture, as the catalog's `routing` collector runs them); nullopt for any other name.
std::optional<capture_parser> find_parser(std::string_view collector);

/// Every collector name that has a parser, in the order they are documented.
std::vector<std::string> parser_names();

}  // namespace tether::collectors
