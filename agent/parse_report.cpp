#include "agent/parse_report.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

namespace tether::agent {

namespace {

std::string cell(const nlohmann::ordered_json& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

/// A list of objects as a table whose columns are the first record's keys.
void write_table(std::ostringstream& out, const nlohmann::ordered_json& records) {
  std::vector<std::string> columns;
  for (const auto& [key, value] : records.front().items()) columns.push_back(key);
  std::vector<std::vector<std::string>> rows{columns};
  for (const auto& record : records) {
    std::vector<std::string> row;
    for (const auto& column : columns) {
      row.push_back(record.is_object() && record.contains(column) ? cell(record[column]) : "-");
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> widths(columns.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line = "  ";
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  }
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
