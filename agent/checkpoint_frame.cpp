#include "agent/checkpoint_frame.hpp"

#include <string_view>

namespace tether::agent {

namespace {

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <std::size_t N>
bool from_hex(std::string_view hex, std::array<std::uint8_t, N>& out) {
  if (hex.size() != 2 * N) return false;
  for (std::size_t i = 0; i < N; ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = std::uint8_t(hi * 16 + lo);
  }
  return true;
}

}  // namespace

std::optional<transport::audit_checkpoint> checkpoint_frame(const audit_anchor& anchor,
                                                            std::int64_t at_ms) {
  transport::audit_checkpoint c;
  c.audit_sequence = anchor.seq;
  c.at_ms = at_ms;
  if (!from_hex(anchor.hash, c.chain_head) || !from_hex(anchor.signature, c.ed25519))
    return std::nullopt;
  return c;
}

}  // namespace tether::agent
