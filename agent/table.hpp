#pragma once

#include <string>
#include <vector>

namespace tether::agent {

/// A plain text table: columns padded to their widest cell, the last column left ragged.
class table {
 public:
  explicit table(std::vector<std::string> headers);
  void add(std::vector<std::string> row);
  std::string str() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace tether::agent
