#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "transport/frame.hpp"

namespace tether::transport {

/// What each side requires of the other's handshake frame.
struct handshake_policy {
  std::uint16_t min_version = protocol_version_min;
  std::uint16_t max_version = protocol_version_max;
  std::chrono::milliseconds max_clock_skew{60000};  ///< more apart than this is refused
};

/// The console's answer to a HELLO: the version to put in HELLO_ACK, or the GOAWAY to send.
struct hello_verdict {
  std::optional<std::uint16_t> version;  ///< set when accepted
  std::optional<goaway> refusal;         ///< set when refused
};

/// Console side: picks the highest common version, refuses a clock more than the allowed
/// skew from `console_now_ms` and a window already closed. Pure.
hello_verdict evaluate_hello(const hello& h, std::int64_t console_now_ms,
                             const handshake_policy& policy = {});

/// Agent side: the HELLO_ACK must pick a version the HELLO offered and carry a clock within
/// the allowed skew of `agent_now_ms`; returns the GOAWAY to send when it does not. Pure.
std::optional<goaway> evaluate_hello_ack(const hello& sent, const hello_ack& ack,
                                         std::int64_t agent_now_ms,
                                         const handshake_policy& policy = {});

}  // namespace tether::transport
