#include <catch2/catch.hpp>

#include "transport/handshake.hpp"

using namespace tether::transport;

namespace {
constexpr std::int64_t now = 1764000000000;
hello hello_at(std::int64_t agent_ms, std::uint16_t lo = 1, std::uint16_t hi = 1) {
  return hello{lo, hi, agent_ms, now + 3600000, "ams-dc1", "CHG-1001", "tether 0.1.0"};
}
}  // namespace

TEST_CASE("clocks up to 60 s apart are accepted, more are refused with a retry hint", "[handshake]") {
  CHECK(evaluate_hello(hello_at(now), now).version == 1);
  CHECK(evaluate_hello(hello_at(now + 60000), now).version == 1);
  CHECK(evaluate_hello(hello_at(now - 60000), now).version == 1);
  const auto ahead = evaluate_hello(hello_at(now + 60001), now);
  REQUIRE(ahead.refusal);
  CHECK_FALSE(ahead.version);
  CHECK(ahead.refusal->code == "clock-skew");
  CHECK(ahead.refusal->retry);
  CHECK_THAT(ahead.refusal->message, Catch::StartsWith("agent clock is 60.0 s ahead of the console's clock"));
  const auto behind = evaluate_hello(hello_at(now - 75000), now);
  REQUIRE(behind.refusal);
  CHECK_THAT(behind.refusal->message, Catch::Contains("75.0 s behind"));
}

TEST_CASE("the console picks the highest version both sides speak", "[handshake]") {
  CHECK(evaluate_hello(hello_at(now, 1, 5), now).version == 1);
  handshake_policy newer{1, 3, std::chrono::milliseconds(60000)};
  CHECK(evaluate_hello(hello_at(now, 2, 5), now, newer).version == 3);
  const auto none = evaluate_hello(hello_at(now, 2, 5), now);
  REQUIRE(none.refusal);
  CHECK(none.refusal->code == "version-unsupported");
  CHECK_FALSE(none.refusal->retry);
}

TEST_CASE("a HELLO for a window that has closed is refused for good", "[handshake]") {
  auto h = hello_at(now);
  h.window_closes_at_ms = now;
  const auto v = evaluate_hello(h, now);
  REQUIRE(v.refusal);
  CHECK(v.refusal->code == "window-closed");
  CHECK_FALSE(v.refusal->retry);
}

TEST_CASE("the agent refuses a HELLO_ACK with a version it did not offer or a skewed clock", "[handshake]") {
  const auto sent = hello_at(now);
  hello_ack ack{1, now + 1000, 262144, 16, 15000, "console"};
  CHECK_FALSE(evaluate_hello_ack(sent, ack, now));
  ack.version = 2;
  CHECK(evaluate_hello_ack(sent, ack, now)->code == "version-unsupported");
  ack.version = 1;
  ack.console_time_ms = now - 61000;
  const auto skew = evaluate_hello_ack(sent, ack, now);
  REQUIRE(skew);
  CHECK(skew->code == "clock-skew");
  CHECK_THAT(skew->message, Catch::StartsWith("console clock is 61.0 s behind the agent's clock"));
}
