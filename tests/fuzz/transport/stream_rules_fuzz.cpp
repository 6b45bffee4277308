// libFuzzer target: any sequence of decodable frames, applied to both ends' stream rules
// (console: inbound_streams + chunk_receiver; agent: outbound_streams), never crashes them,
// and a violation never changes what was accepted before it.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "transport/chunk_receiver.hpp"
#include "transport/frame_codec.hpp"
#include "transport/stream_table.hpp"

using namespace tether::transport;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  frame_decoder decoder;
  decoder.feed(std::span<const std::uint8_t>(bytes, size));
  inbound_streams console(4, 65536);
  chunk_receiver receiver;
  outbound_streams agent(4, 65536);
  for (int guard = 0; guard < 10000; ++guard) {
    auto r = decoder.next();
    if (r.state != decode_result::status::frame) break;
    const frame& f = *r.value;
    if (const auto* o = std::get_if<open_stream>(&f)) {
      console.on_open(*o);
      agent.open(o->result_id);
    } else if (const auto* d = std::get_if<data>(&f)) {
      const auto check = console.on_data(*d);
      if (check.ok && receiver.accept({check.result_id, d->sequence}, chunk_kind::data).verdict ==
                          chunk_verdict::store) {
        receiver.stored({check.result_id, d->sequence});
        console.on_consumed(d->stream, d->bytes.size());
      }
      agent.try_send(d->stream, d->bytes.size());
    } else if (const auto* e = std::get_if<end_stream>(&f)) {
      const auto check = console.on_end(*e);
      if (check.ok) receiver.accept({check.result_id, e->sequence}, chunk_kind::end);
      agent.close(e->stream);
    } else if (const auto* c = std::get_if<credit>(&f)) {
      agent.on_credit(*c);
    } else if (const auto* a = std::get_if<ack>(&f)) {
      for (const auto& id : a->chunks) receiver.resume(id.result_id, id.sequence, false);
    }
    if (console.open_count() > 4 || agent.open_count() > 4) std::abort();
    while (auto acks = receiver.take_ack())
      if (acks->chunks.empty() || acks->chunks.size() > max_ack_entries) std::abort();
  }
  return 0;
}
