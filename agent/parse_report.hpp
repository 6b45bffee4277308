#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace tether::agent {

/// A parser's JSON result as a short readable report: scalar fields as `key: value`
/// lines, each list of records as an aligned table; null shows as `-`.
std::string parse_report_table(const nlohmann::ordered_json& result);

}  // namespace tether::agent
