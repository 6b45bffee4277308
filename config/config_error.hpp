#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace tether::config {

/// One problem in a configuration file, with where it is and what was expected.
struct config_error {
  std::string file;
  int line = 0;    // 1-based; 0 when the problem has no position (missing file)
  int column = 0;  // 1-based
  std::string field;
  std::string message;

  /// `file:line:col: field: message`, the form every tether tool prints.
  std::string to_string() const;
};

/// Thrown when a file could not be loaded; carries every problem found, not just the first.
class config_failure : public std::runtime_error {
 public:
  explicit config_failure(std::vector<config_error> errors);
  const std::vector<config_error>& errors() const { return errors_; }

 private:
  std::vector<config_error> errors_;
};

}  // namespace tether::config
