#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "transport/frame.hpp"
#include "transport/spool.hpp"
#include "transport/stream_table.hpp"

namespace tether::transport {

/// Frames to send now, or why the spool could not be read.
struct outbox_batch {
  std::vector<frame> frames;
  std::string error;   ///< a spool read failure or a damaged chunk; empty when fine
};

/// The agent's sending side for one connection: turns the spool's unacknowledged chunks into
/// OPEN_STREAM, DATA and END_STREAM frames, in spool order per result, within each stream's
/// credit and max_streams. Made fresh for every connection, so a reconnect resends every
/// unacknowledged chunk on new streams with the same result ids. No I/O besides the spool.
class outbox {
 public:
  /// Sends from `s` over the streams of one connection (both outlive the outbox).
  outbox(spool& s, outbound_streams& streams);

  /// Up to `max_frames` (at least 2) frames that may go out now. A result whose next chunk lacks credit
  /// (or a stream) waits without holding up other results.
  outbox_batch next(std::size_t max_frames = 64);

  /// Applies a CREDIT; a violation is the peer's protocol error.
  stream_check on_credit(const credit& c) { return streams_.on_credit(c); }

  /// Applies an ACK: deletes the acknowledged chunks from the spool; returns how many.
  std::size_t on_ack(const ack& a);

  /// Takes back a frame of next() once it is written: a DATA frame's storage holds the next
  /// chunk read from the spool (no allocation per chunk).
  void recycle(frame&& f);

 private:
  struct progress {
    std::uint32_t stream = 0;
    std::uint64_t next_sequence = 0;  ///< the first sequence not yet sent on this connection
    bool seen = false;                ///< listed at least once on this connection
    bool ended = false;
  };
  /// Appends the frame(s) for `ref` when it may go now; false when the result must wait.
  bool send(const chunk_ref& ref, progress& p, outbox_batch& batch);

  spool& spool_;
  outbound_streams& streams_;
  std::map<std::uint64_t, progress> results_;
  std::uint64_t from_ = 0;  ///< the spool position of the oldest chunk not sent on this connection
  static constexpr std::size_t max_spare = 64;
  std::vector<std::vector<std::uint8_t>> spare_;  ///< storage of sent DATA frames, for reuse
};

}  // namespace tether::transport
