// libFuzzer target: arbitrary bytes, fed whole and in pieces, never crash the frame decoder,
// and every frame it accepts encodes back to the very bytes it came from.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "transport/frame_codec.hpp"

using namespace tether::transport;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  // The first byte picks a piece size so that split points get exercised too.
  const std::size_t piece = size == 0 ? 1 : 1 + data[0] % 64;
  frame_decoder decoder;
  std::size_t offset = 0;
  std::size_t frames = 0;
  while (offset < size) {
    const auto n = std::min(piece, size - offset);
    decoder.feed(input.subspan(offset, n));
    offset += n;
    for (;;) {
      auto r = decoder.next();
      if (r.state != decode_result::status::frame) break;
      ++frames;
      auto again = encode(*r.value);
      if (again.error) std::abort();  // accepted by the decoder, refused by the encoder
      auto back = decode_frame(again.bytes);
      if (!back.value || !(*back.value == *r.value)) std::abort();
      if (frames > size) std::abort();  // more frames than bytes: the decoder loops
    }
  }
  (void)decode_frame(input);
  return 0;
}
