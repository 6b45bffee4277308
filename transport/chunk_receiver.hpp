#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "transport/frame.hpp"

namespace tether::transport {

/// What the console does with an arriving chunk.
enum class chunk_verdict {
  store,      ///< new: store it durably, then call stored()
  duplicate,  ///< already stored (a resend after reconnect): drop it; it is acknowledged again
  violation,  ///< a gap, or a chunk after the result's END: protocol error
};

/// The verdict and, for a violation, what was wrong.
struct chunk_decision {
  chunk_verdict verdict = chunk_verdict::store;
  std::string message;
};

/// The console's dedup rule, pure: per result, chunks must arrive in sequence from 0; one
/// already stored is dropped (and acknowledged again so the agent can delete it); nothing
/// may follow END. It also queues the ACK entries to send once chunks are durable.
/// Console-side code kept in transport/ so that agent tests can run both ends. Memory: the
/// console resumes a result from its store on OPEN_STREAM and forgets it after its END, so
/// only the results of open streams are held.
class chunk_receiver {
 public:
  /// Restores what the console's store already holds: sequences below `next_sequence`
  /// (and, when `finished`, the END at next_sequence - 1).
  void resume(std::uint64_t result_id, std::uint64_t next_sequence, bool finished);

  /// Drops what is known about a result (after its END is stored and acknowledged).
  void forget(std::uint64_t result_id) { results_.erase(result_id); }

  /// Decides about chunk `id` of `kind`; `store` reserves its place in the sequence.
  chunk_decision accept(chunk_id id, chunk_kind kind);

  /// The chunk accepted with `store` is now stored durably: queue its acknowledgement.
  void stored(chunk_id id);

  /// Up to max_ack_entries queued acknowledgements as one ACK frame, or nothing.
  std::optional<ack> take_ack();

  /// The next sequence expected for a result (0 for an unknown result).
  std::uint64_t next_sequence(std::uint64_t result_id) const;

 private:
  struct progress {
    std::uint64_t next = 0;
    bool finished = false;
  };
  std::map<std::uint64_t, progress> results_;
  std::deque<chunk_id> pending_acks_;
};

}  // namespace tether::transport
