#pragma once

#include <string>
#include <vector>

#include "agent/audit_sink.hpp"

namespace tether::agent {

/// A test double that keeps every line it was given, in order.
class memory_audit_sink : public audit_sink {
 public:
  audit_write_status write(std::string_view line) override {
    lines.emplace_back(line);
    return {};
  }
  /// Everything written, as it would be in a file.
  std::string text() const {
    std::string out;
    for (const auto& l : lines) out += l;
    return out;
  }
  std::vector<std::string> lines;
};

}  // namespace tether::agent
