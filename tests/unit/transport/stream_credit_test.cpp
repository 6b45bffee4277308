#include <catch2/catch.hpp>

#include "transport/frame.hpp"
#include "transport/stream_credit.hpp"

using namespace tether::transport;

TEST_CASE("a sender spends its initial credit and then must wait", "[stream_credit]") {
  send_credit c(100'000);
  CHECK(c.can_send(65536));
  CHECK(c.consume(65536) == credit_status::ok);
  CHECK(c.available() == 100'000 - 65536);
  CHECK_FALSE(c.can_send(65536));
  CHECK(c.consume(65536) == credit_status::exceeded);
  CHECK(c.available() == 100'000 - 65536);  // a refused consume changes nothing
  CHECK(c.consume(100'000 - 65536) == credit_status::ok);
  CHECK(c.available() == 0);
  CHECK_FALSE(c.can_send(1));
}

TEST_CASE("a grant lets the sender continue", "[stream_credit]") {
  send_credit c(65536);
  REQUIRE(c.consume(65536) == credit_status::ok);
  CHECK(c.grant(32768) == credit_status::ok);
  CHECK(c.can_send(32768));
  CHECK_FALSE(c.can_send(32769));
}

TEST_CASE("a grant past 2^31 - 1 is a protocol error and changes nothing", "[stream_credit]") {
  send_credit c(max_credit_window - 10);
  CHECK(c.grant(11) == credit_status::overflow);
  CHECK(c.available() == max_credit_window - 10);
  CHECK(c.grant(10) == credit_status::ok);
  CHECK(c.available() == max_credit_window);
  CHECK(c.grant(1) == credit_status::overflow);
}

TEST_CASE("zero-byte sends and grants are invalid", "[stream_credit]") {
  send_credit c(65536);
  CHECK_FALSE(c.can_send(0));
  CHECK(c.consume(0) == credit_status::invalid);
  CHECK(c.grant(0) == credit_status::invalid);
  CHECK(c.available() == 65536);
}

TEST_CASE("a receiver refuses DATA beyond the credit it granted", "[stream_credit]") {
  receive_credit r(65536);
  CHECK(r.on_data(65536) == credit_status::ok);
  CHECK(r.outstanding() == 0);
  CHECK(r.on_data(1) == credit_status::exceeded);
  CHECK(r.buffered() == 65536);
  CHECK(r.on_data(0) == credit_status::invalid);
}

TEST_CASE("a receiver grants in batches of half its window as the consumer drains", "[stream_credit]") {
  receive_credit r(100'000);
  REQUIRE(r.on_data(60'000) == credit_status::ok);
  CHECK(r.on_consumed(20'000) == 0);   // 20 000 < 50 000: wait
  CHECK(r.on_consumed(30'000) == 50'000);
  CHECK(r.outstanding() == 90'000);
  CHECK(r.buffered() == 10'000);
  CHECK(r.on_consumed(10'001) == 0);   // more than was received: refused
  CHECK(r.buffered() == 10'000);
}

TEST_CASE("a slow consumer bounds what the receiver buffers and stalls the sender", "[stream_credit]") {
  // Sender and receiver in lock step: the consumer takes one chunk per three sent.
  send_credit sender(262144);
  receive_credit receiver(262144);
  const std::size_t chunk = 16384;
  std::size_t sent = 0;
  std::size_t stalls = 0;
  for (int round = 0; round < 1000; ++round) {
    for (int i = 0; i < 3; ++i) {
      if (!sender.can_send(chunk)) {
        ++stalls;
        break;
      }
      REQUIRE(sender.consume(chunk) == credit_status::ok);
      REQUIRE(receiver.on_data(chunk) == credit_status::ok);
      sent += chunk;
    }
    CHECK(receiver.buffered() <= receiver.window());
    CHECK(std::size_t{receiver.outstanding()} + receiver.buffered() <= receiver.window());
    if (receiver.buffered() >= chunk)
      if (auto grant = receiver.on_consumed(chunk)) REQUIRE(sender.grant(grant) == credit_status::ok);
  }
  CHECK(stalls > 0);
  CHECK(sent > 262144);  // credit came back: the stream kept moving
}
