#pragma once

#include <string>
#include <string_view>

namespace tether::agent {

/// Whether a record reached stable storage, and why not.
struct audit_write_status {
  bool ok = true;
  std::string error;
};

/// Where audit records go: the role the log writes through. `write` returns only once the
/// line is durable (or has certainly failed), so the caller can refuse the action.
class audit_sink {
 public:
  virtual ~audit_sink() = default;
  /// Writes whole record lines (one, or a group), newlines included, durably.
  virtual audit_write_status write(std::string_view line) = 0;
};

}  // namespace tether::agent
