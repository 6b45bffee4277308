#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "transport/frame.hpp"
#include "transport/stream_credit.hpp"

namespace tether::transport {

/// Which end of the tunnel a connection object is.
enum class tunnel_role { agent, console };

/// Whether `role` may send frames of `type` (the direction column of docs/protocol.md);
/// a frame from the wrong side is a protocol error (`unexpected-frame`).
bool may_send(tunnel_role role, frame_type type);

/// The verdict on one stream frame: fine (with the result it belongs to) or a violation.
struct stream_check {
  bool ok = true;
  std::uint64_t result_id = 0;   ///< the stream's result, when ok and known
  std::string violation;         ///< why it is a protocol error, when not ok
};

/// The agent's streams on one connection: allocates ids (1, 2, 3, ... never reused), holds
/// each stream's send credit, and applies the console's CREDIT frames. Pure.
class outbound_streams {
 public:
  /// Limits from HELLO_ACK.
  outbound_streams(std::uint16_t max_streams, std::uint32_t initial_credit);

  /// A new stream for `result_id`; nothing while max_streams are open (wait for an END).
  std::optional<std::uint32_t> open(std::uint64_t result_id);

  /// Spends credit for a DATA chunk; false when the stream is not open or the chunk does not
  /// fit (then wait for CREDIT and stop reading the device's output).
  bool try_send(std::uint32_t stream, std::size_t bytes);

  /// Applies a CREDIT. Credit for a stream already ended is ignored (it crossed our END);
  /// for a stream never opened, or beyond 2^31 - 1, it is a violation.
  stream_check on_credit(const credit& c);

  /// The stream's END_STREAM went out: forget it.
  void close(std::uint32_t stream);

  /// Credit left on an open stream (0 when not open).
  std::uint32_t available(std::uint32_t stream) const;

  /// Streams open now.
  std::size_t open_count() const { return streams_.size(); }

 private:
  struct entry {
    std::uint64_t result_id;
    send_credit credit;
  };
  std::uint16_t max_streams_;
  std::uint32_t initial_credit_;
  std::uint32_t last_id_ = 0;
  std::map<std::uint32_t, entry> streams_;
};

/// The console's view of the agent's streams: checks every stream frame (ids increase and
/// are never reused, at most max_streams open, one open stream per result, DATA within
/// credit, nothing on a stream that is not open) and decides the CREDIT to return. Pure.
class inbound_streams {
 public:
  /// Limits this console sent in HELLO_ACK.
  inbound_streams(std::uint16_t max_streams, std::uint32_t initial_credit);

  /// Checks an OPEN_STREAM and opens the stream.
  stream_check on_open(const open_stream& f);

  /// Checks a DATA frame against the stream and its credit; ok carries the result id.
  stream_check on_data(const data& f);

  /// Checks an END_STREAM and closes the stream; ok carries the result id.
  stream_check on_end(const end_stream& f);

  /// The chunk's bytes were stored; returns the CREDIT to send for the stream (0: none yet).
  std::uint32_t on_consumed(std::uint32_t stream, std::size_t bytes);

  /// Streams open now.
  std::size_t open_count() const { return streams_.size(); }

 private:
  struct entry {
    std::uint64_t result_id;
    receive_credit credit;
  };
  stream_check violation(std::string why) const { return {false, 0, std::move(why)}; }
  std::uint16_t max_streams_;
  std::uint32_t initial_credit_;
  std::uint32_t last_id_ = 0;
  std::map<std::uint32_t, entry> streams_;
};

}  // namespace tether::transport
