#pragma once

#include <vector>

#include "transport/frame.hpp"
#include "transport/frame_codec.hpp"

namespace tether::transport::test {

/// One valid frame of every type, with fields away from their defaults.
inline std::vector<frame> sample_frames() {
  const std::vector<std::uint8_t> chunk = {'s', 'h', 'o', 'w', ' ', 'v', 'e', 'r', '\n', 0x00, 0xff};
  audit_checkpoint checkpoint{42, 1764000000000, {}, {}};
  checkpoint.chain_head.fill(0xab);
  checkpoint.ed25519.fill(0xcd);
  return {
      hello{1, 1, 1764000000123, 1764018000000, "ams-dc1", "CHG-1001", "tether 0.1.0"},
      hello_ack{1, 1764000000456, 262144, 16, 15000, "vendor-console"},
      goaway{"clock-skew", false, "agent clock is 75 s ahead of the console"},
      ping{0x0102030405060708},
      pong{0x0102030405060708},
      request{7, R"({"collector":"show-version","devices":["r1"],"params":{}})"},
      cancel{7},
      deny{7, "device-not-in-inventory", "r9 is not in the inventory"},
      open_stream{1, 7, 1001, "show-version", "r1.ams"},
      make_data(1, 0, chunk),
      credit{1, 65536},
      end_stream{1, 1, end_status::timeout, "no prompt after 30 s"},
      ack{{{1001, 0}, {1001, 1}, {0, 42}}},
      notice{notice_kind::window_closing, 1764018000000, "window CHG-1001 closes in 15 min"},
      checkpoint,
  };
}

/// The encoded bytes of `f`; fails the test when it does not encode.
inline std::vector<std::uint8_t> encoded(const frame& f) {
  auto r = encode(f);
  if (r.error) throw std::runtime_error("sample frame does not encode: " + r.error->message);
  return r.bytes;
}

}  // namespace tether::transport::test
