#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "transport/frame.hpp"

namespace tether::agent {

/// What runs the console's requests while a window is open; the dispatcher implements it
/// and the session controller drives it. Every call comes on the daemon's io thread.
class request_handler {
 public:
  virtual ~request_handler() = default;

  /// A REQUEST from the console: checked, then run or denied (never throws).
  virtual void handle(const transport::request& request) = 0;
  /// A CANCEL from the console: stops that request's device sessions.
  virtual void cancel(std::uint64_t request_id) = 0;
  /// From T-5 min new requests are refused as `window-closing`.
  virtual void set_closing(bool closing) = 0;
  /// The window ended or was killed: every device session stops at once and partial
  /// results are finished as truncated. `why` goes into the results and the audit log.
  virtual void cut(const std::string& why) = 0;
  /// Requests still running.
  virtual std::size_t in_flight() const = 0;
};

}  // namespace tether::agent
