#include "transport/keepalive.hpp"

#include <algorithm>

namespace tether::transport {

keepalive::keepalive(keepalive_settings settings, time_point now)
    : settings_(settings), last_received_(now) {}

void keepalive::on_frame_received(time_point now) {
  if (dead_) return;
  // A steady clock does not go back; a caller passing an older instant changes nothing.
  last_received_ = std::max(last_received_, now);
  ping_sent_.reset();
}

std::optional<std::chrono::milliseconds> keepalive::on_pong(std::uint64_t nonce, time_point now) {
  if (dead_) return std::nullopt;
  const auto sent = ping_sent_;
  on_frame_received(now);
  if (!sent || nonce != nonce_ || now < *sent) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - *sent);
}

keepalive_action keepalive::poll(time_point now) {
  if (dead_) return keepalive_action::peer_dead;
  if (ping_sent_) {
    if (now - *ping_sent_ < settings_.timeout) return keepalive_action::none;
    dead_ = true;
    return keepalive_action::peer_dead;
  }
  if (now - last_received_ < settings_.interval) return keepalive_action::none;
  ping_sent_ = now;
  ++nonce_;
  return keepalive_action::send_ping;
}

keepalive::time_point keepalive::deadline() const {
  if (dead_) return last_received_;
  if (ping_sent_) return *ping_sent_ + settings_.timeout;
  return last_received_ + settings_.interval;
}

}  // namespace tether::transport
