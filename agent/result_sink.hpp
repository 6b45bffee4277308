#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "transport/frame.hpp"
#include "transport/spool.hpp"

namespace tether::agent {

/// Where the dispatcher puts what it produces: results into the spool (sent by the tunnel
/// when it can), refusals straight back to the console. The daemon adapts the tunnel
/// client to it; tests can record.
class result_sink {
 public:
  virtual ~result_sink() = default;

  /// Registers a new result (one collector on one device) for `request_id`.
  virtual transport::spool_write begin_result(std::uint64_t request_id, const std::string& collector,
                                              const std::string& device) = 0;
  /// Appends redacted result bytes.
  virtual transport::spool_write append(std::uint64_t result_id, std::span<const std::uint8_t> bytes) = 0;
  /// Ends a result with its status (window_closed + "truncated ..." when cut).
  virtual transport::spool_write finish(std::uint64_t result_id, transport::end_status status,
                                        const std::string& message) = 0;
  /// Tells the console that `request_id` was refused, with a stable reason code.
  virtual void deny(std::uint64_t request_id, const std::string& reason, const std::string& message) = 0;
  /// Writes from here to end_batch() may share one sync (many results finished at once,
  /// as at a window's end). By default each write is durable on its own.
  virtual void begin_batch() {}
  /// Makes the batch's writes durable.
  virtual void end_batch() {}
};

}  // namespace tether::agent
