#pragma once

#include <cstddef>
#include <string>

#include "agent/audit_sink.hpp"

namespace tether::agent {

/// A test double that accepts `successes` lines and then fails every write, like a full disk.
class failing_audit_sink : public audit_sink {
 public:
  explicit failing_audit_sink(std::size_t successes = 0) : successes_(successes) {}
  audit_write_status write(std::string_view line) override {
    if (written_ < successes_) {
      ++written_;
      accepted += line;
      return {};
    }
    ++failures;
    return {false, "no space left on device (failing_audit_sink)"};
  }
  std::string accepted;
  std::size_t failures = 0;

 private:
  std::size_t successes_;
  std::size_t written_ = 0;
};

}  // namespace tether::agent
