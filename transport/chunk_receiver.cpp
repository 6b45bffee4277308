#include "transport/chunk_receiver.hpp"

namespace tether::transport {

void chunk_receiver::resume(std::uint64_t result_id, std::uint64_t next_sequence, bool finished) {
  results_[result_id] = {next_sequence, finished && next_sequence > 0};
}

chunk_decision chunk_receiver::accept(chunk_id id, chunk_kind kind) {
  auto& p = results_[id.result_id];
  if (id.sequence < p.next) {
    pending_acks_.push_back(id);
    return {chunk_verdict::duplicate, {}};
  }
  const auto where = "result " + std::to_string(id.result_id) + " chunk " +
                     std::to_string(id.sequence) + ": ";
  if (p.finished)
    return {chunk_verdict::violation, where + "after the result's END"};
  if (id.sequence > p.next)
    return {chunk_verdict::violation,
            where + "expected sequence " + std::to_string(p.next) + " (a gap)"};
  ++p.next;
  p.finished = kind == chunk_kind::end;
  return {chunk_verdict::store, {}};
}

void chunk_receiver::stored(chunk_id id) { pending_acks_.push_back(id); }

std::optional<ack> chunk_receiver::take_ack() {
  if (pending_acks_.empty()) return std::nullopt;
  ack a;
  while (!pending_acks_.empty() && a.chunks.size() < max_ack_entries) {
    a.chunks.push_back(pending_acks_.front());
    pending_acks_.pop_front();
  }
  return a;
}

std::uint64_t chunk_receiver::next_sequence(std::uint64_t result_id) const {
  const auto it = results_.find(result_id);
  return it == results_.end() ? 0 : it->second.next;
}

}  // namespace tether::transport
