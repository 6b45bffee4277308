#include "agent/table.hpp"

#include <algorithm>

namespace tether::agent {

table::table(std::vector<std::string> headers) { rows_.push_back(std::move(headers)); }

void table::add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

std::string table::str() const {
  std::vector<std::size_t> width;
  for (const auto& row : rows_) {
    width.resize(std::max(width.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size()) out.append(width[i] - row[i].size() + 2, ' ');
    }
    out += '\n';
  }
  return out;
}

}  // namespace tether::agent
