#include "transport/outbox.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

namespace tether::transport {

outbox::outbox(spool& s, outbound_streams& streams) : spool_(s), streams_(streams) {}

outbox_batch outbox::next(std::size_t max_frames) {
  outbox_batch batch;
  // Every chunk before from_ went out on this connection (or is acknowledged): list from there,
  // a page at a time, so a pass reads about the chunks it sends, not thousands ahead of them.
  const std::size_t page = std::clamp<std::size_t>(max_frames, 2, 256);
  constexpr std::size_t max_listed = 4096;  // a pass looks at most this far ahead
  std::optional<std::uint64_t> first_unsent;  // where the next pass must start again
  std::set<std::uint64_t> waiting;  // results whose next chunk cannot go in this pass
  auto from = from_;
  bool full = false;
  for (std::size_t listed = 0; listed < max_listed && !full;) {
    auto listing = spool_.pending(page, from);
    if (!listing.error.empty()) batch.error = std::move(listing.error);
    for (const auto& ref : listing.refs) {
      if (batch.frames.size() + 2 > max_frames) {  // room for OPEN_STREAM + DATA
        if (!first_unsent) first_unsent = ref.position;
        full = true;
        break;
      }
      auto& p = results_[ref.id.result_id];
      if (!p.seen) {
        // The first chunk listed is the result's oldest unacknowledged one: resume there.
        p.seen = true;
        p.next_sequence = ref.id.sequence;
      }
      if (p.ended || ref.id.sequence < p.next_sequence) continue;  // sent on this connection
      if (waiting.count(ref.id.result_id) || !send(ref, p, batch)) {
        waiting.insert(ref.id.result_id);
        if (!first_unsent) first_unsent = ref.position;
      }
    }
    listed += listing.refs.size();
    if (!full && !listing.refs.empty()) from = listing.refs.back().position + 1;
    if (listing.refs.size() < page || !batch.error.empty()) break;  // the end, or a read error
  }
  from_ = first_unsent ? *first_unsent : from;
  return batch;
}

void outbox::recycle(frame&& f) {
  auto* d = std::get_if<data>(&f);
  if (d == nullptr || spare_.size() >= max_spare) return;
  spare_.push_back(std::move(d->bytes));
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
  std::vector<std::uint8_t> buffer;
  if (!spare_.empty()) {
    buffer = std::move(spare_.back());
    spare_.pop_back();
  }
  auto c = spool_.chunk(ref.id, std::move(buffer));
  if (!c) return false;  // acknowledged meanwhile, or a read error the next pass retries
  // The digest is the one the spool computed from these bytes when it committed them; the
  // console verifies it (a chunk damaged on the agent's disk is refused there), so the agent
  // does not hash 1 GiB a second time on the way out.
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
