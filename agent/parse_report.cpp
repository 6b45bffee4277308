#include "agent/parse_report.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

#include "common/text_table.hpp"

namespace tether::agent {

namespace {

std::string cell(const nlohmann::ordered_json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

/// A list of objects as a table whose columns are the first record's keys, indented.
void write_table(std::ostringstream& out, const nlohmann::ordered_json& records) {
  std::vector<std::string> columns;
  for (const auto& [key, value] : records.front().items()) columns.push_back(key);
  common::text_table t(columns);
  for (const auto& record : records) {
    std::vector<std::string> row;
    for (const auto& column : columns)
      row.push_back(record.is_object() && record.contains(column) ? cell(record[column]) : "-");
    t.add(std::move(row));
  }
  std::istringstream lines(t.str());
  for (std::string line; std::getline(lines, line);) out << "  " << line << "\n";
}

}  // namespace

namespace {

/// Writes one object's fields; nested objects (the routing collector's parts) recurse
/// with their key as a prefix: `bgp.peers:`.
void write_object(std::ostringstream& out, const nlohmann::ordered_json& object, const std::string& prefix) {
  for (const auto& [key, value] : object.items()) {
    const auto name = prefix + key;
    if (value.is_object()) {
      write_object(out, value, name + ".");
    } else if (value.is_array() && !value.empty() && value.front().is_object()) {
      out << name << ":\n";
      write_table(out, value);
    } else if (value.is_array() && value.empty()) {
      out << name << ": (none)\n";
    } else {
      out << name << ": " << cell(value) << "\n";
    }
  }
}

}  // namespace

std::string parse_report_table(const nlohmann::ordered_json& result) {
  std::ostringstream out;
  if (!result.is_object()) return cell(result) + "\n";
  write_object(out, result, "");
  return out.str();
}

}  // namespace tether::agent
