#include "transport/outbox.hpp"

#include <set>
#include <string>

#include "transport/sha256.hpp"

namespace tether::transport {

outbox::outbox(spool& s, outbound_streams& streams) : spool_(s), streams_(streams) {}

outbox_batch outbox::next(std::size_t max_frames) {
  outbox_batch batch;
  auto listing = spool_.pending();
  batch.error = std::move(listing.error);
  std::set<std::uint64_t> waiting;  // results whose next chunk cannot go in this pass
  for (const auto& ref : listing.refs) {
    if (batch.frames.size() + 2 > max_frames) break;  // room for OPEN_STREAM + DATA
    if (waiting.count(ref.id.result_id)) continue;
    auto& p = results_[ref.id.result_id];
    if (!p.seen) {
      // The first chunk listed is the result's oldest unacknowledged one: resume there.
      p.seen = true;
      p.next_sequence = ref.id.sequence;
    }
    if (p.ended || ref.id.sequence < p.next_sequence) continue;  // sent on this connection
    if (!send(ref, p, batch)) waiting.insert(ref.id.result_id);
    if (!batch.error.empty()) break;
  }
  return batch;
}

bool outbox::send(const chunk_ref& ref, progress& p, outbox_batch& batch) {
  if (ref.id.sequence != p.next_sequence) return false;  // an earlier chunk is not listed yet
  if (p.stream == 0) {
    const auto result = spool_.result(ref.id.result_id);
    if (!result) return false;
    const auto stream = streams_.open(ref.id.result_id);
    if (!stream) return false;  // max_streams open: wait for an END
    p.stream = *stream;
    batch.frames.push_back(open_stream{p.stream, result->request_id, result->result_id,
                                       result->collector, result->device});
  }
  if (ref.kind == chunk_kind::data && streams_.available(p.stream) < ref.size) return false;
  auto c = spool_.chunk(ref.id);
  if (!c) return false;  // acknowledged meanwhile, or a read error the next pass retries
  if (sha256(c->bytes) != c->sha256) {
    batch.error = "spool chunk " + std::to_string(ref.id.result_id) + "/" +
                  std::to_string(ref.id.sequence) + " does not match its SHA-256";
    return false;
  }
  if (c->kind == chunk_kind::data) {
    streams_.try_send(p.stream, c->bytes.size());
    batch.frames.push_back(data{p.stream, ref.id.sequence, c->sha256, std::move(c->bytes)});
  } else {
    batch.frames.push_back(end_stream{p.stream, ref.id.sequence, c->status,
                                      std::string(c->bytes.begin(), c->bytes.end())});
    streams_.close(p.stream);
    p.ended = true;
  }
  ++p.next_sequence;
  return true;
}

std::size_t outbox::on_ack(const ack& a) { return spool_.acknowledge(a.chunks); }

}  // namespace tether::transport
