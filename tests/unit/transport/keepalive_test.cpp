#include <catch2/catch.hpp>

#include "transport/keepalive.hpp"

using namespace std::chrono_literals;
using tether::transport::keepalive;
using tether::transport::keepalive_action;
using tether::transport::keepalive_settings;

namespace {
/// A fake clock: instants are offsets from an arbitrary epoch.
keepalive::time_point at(std::chrono::milliseconds offset) {
  return keepalive::time_point(std::chrono::hours(1000)) + offset;
}
const keepalive_settings settings{10s, 20s};
}  // namespace

TEST_CASE("a chatty peer is never pinged", "[keepalive]") {
  keepalive k(settings, at(0s));
  for (int s = 1; s <= 100; ++s) {
    k.on_frame_received(at(std::chrono::seconds(s * 5)));
    CHECK(k.poll(at(std::chrono::seconds(s * 5) + 1ms)) == keepalive_action::none);
  }
  CHECK(k.deadline() == at(500s + 10s));
}

TEST_CASE("silence for one interval sends exactly one PING", "[keepalive]") {
  keepalive k(settings, at(0s));
  CHECK(k.poll(at(9999ms)) == keepalive_action::none);
  CHECK(k.deadline() == at(10s));
  CHECK(k.poll(at(10s)) == keepalive_action::send_ping);
  const auto nonce = k.ping_nonce();
  CHECK(k.poll(at(11s)) == keepalive_action::none);
  CHECK(k.poll(at(29s)) == keepalive_action::none);
  CHECK(k.ping_nonce() == nonce);
  CHECK(k.deadline() == at(30s));
}

TEST_CASE("a peer silent for the timeout after a PING is dead, and stays dead", "[keepalive]") {
  keepalive k(settings, at(0s));
  REQUIRE(k.poll(at(10s)) == keepalive_action::send_ping);
  CHECK(k.poll(at(29999ms)) == keepalive_action::none);
  CHECK(k.poll(at(30s)) == keepalive_action::peer_dead);
  CHECK(k.dead());
  k.on_frame_received(at(31s));
  CHECK(k.poll(at(31s)) == keepalive_action::peer_dead);
}

TEST_CASE("a PONG answers the PING, measures the round trip and resets the interval", "[keepalive]") {
  keepalive k(settings, at(0s));
  REQUIRE(k.poll(at(10s)) == keepalive_action::send_ping);
  CHECK(k.on_pong(k.ping_nonce() + 1, at(10100ms)) == std::nullopt);  // not ours, but alive
  CHECK(k.poll(at(12s)) == keepalive_action::none);
  REQUIRE(k.poll(at(20100ms)) == keepalive_action::send_ping);
  CHECK(k.on_pong(k.ping_nonce(), at(20350ms)) == 250ms);
  CHECK(k.poll(at(30s)) == keepalive_action::none);
  CHECK(k.deadline() == at(30350ms));
  CHECK_FALSE(k.dead());
}

TEST_CASE("any frame after a PING proves the peer alive", "[keepalive]") {
  keepalive k(settings, at(0s));
  REQUIRE(k.poll(at(10s)) == keepalive_action::send_ping);
  k.on_frame_received(at(25s));
  CHECK(k.poll(at(31s)) == keepalive_action::none);
  CHECK(k.poll(at(35s)) == keepalive_action::send_ping);
}

TEST_CASE("an instant older than the last frame does not move time back", "[keepalive]") {
  keepalive k(settings, at(0s));
  k.on_frame_received(at(50s));
  k.on_frame_received(at(40s));
  CHECK(k.deadline() == at(60s));
}
