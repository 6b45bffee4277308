#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace tether::common {

/// A plain text table for people (tetherctl, tether-console): columns padded to their
/// widest cell, the last column left ragged.
class text_table {
 public:
  explicit text_table(std::vector<std::string> headers) { rows_.push_back(std::move(headers)); }

  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  std::string str() const {
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
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += '\n';
    }
    return out;
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace tether::common
