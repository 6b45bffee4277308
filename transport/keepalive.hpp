#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace tether::transport {

/// When to probe a silent peer and how long to wait for any answer.
struct keepalive_settings {
  std::chrono::milliseconds interval{15000};  ///< PING after this much silence from the peer
  std::chrono::milliseconds timeout{30000};   ///< dead when a PING gets nothing for this long
};

/// What the connection must do now.
enum class keepalive_action {
  none,       ///< nothing until deadline()
  send_ping,  ///< send PING with ping_nonce()
  peer_dead,  ///< close the connection (GOAWAY peer-dead), reconnect with backoff
};

/// Dead-peer detection for one connection, as a pure state machine on injected time:
/// any frame from the peer proves it alive; after `interval` of silence one PING goes out;
/// if nothing at all arrives within `timeout` after it, the peer is dead (and stays dead).
class keepalive {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  /// A connection whose peer was last heard at `now` (the handshake).
  keepalive(keepalive_settings settings, time_point now);

  /// Any frame arrived from the peer at `now`.
  void on_frame_received(time_point now);

  /// A PONG arrived; returns the round-trip time when it answers the outstanding PING.
  std::optional<std::chrono::milliseconds> on_pong(std::uint64_t nonce, time_point now);

  /// What to do at `now`; `send_ping` marks the PING as sent.
  keepalive_action poll(time_point now);

  /// The nonce of the PING to send after poll() said send_ping.
  std::uint64_t ping_nonce() const { return nonce_; }

  /// The next instant poll() may answer something other than `none` (arm a timer for it).
  time_point deadline() const;

  /// Whether the peer has been declared dead.
  bool dead() const { return dead_; }

 private:
  keepalive_settings settings_;
  time_point last_received_;
  std::optional<time_point> ping_sent_;
  std::uint64_t nonce_ = 0;
  bool dead_ = false;
};

}  // namespace tether::transport
