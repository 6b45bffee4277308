#include <catch2/catch.hpp>

#include "transport/frame_codec.hpp"
#include "transport/stream_table.hpp"

using namespace tether::transport;

namespace {
data chunk(std::uint32_t stream, std::uint64_t sequence, std::size_t size) {
  return make_data(stream, sequence, std::vector<std::uint8_t>(size, 'x'));
}
}  // namespace

TEST_CASE("each side may send only its own frame types", "[stream_table]") {
  CHECK(may_send(tunnel_role::agent, frame_type::hello));
  CHECK_FALSE(may_send(tunnel_role::console, frame_type::hello));
  CHECK(may_send(tunnel_role::console, frame_type::request));
  CHECK_FALSE(may_send(tunnel_role::agent, frame_type::request));
  CHECK_FALSE(may_send(tunnel_role::console, frame_type::data));
  CHECK_FALSE(may_send(tunnel_role::agent, frame_type::credit));
  CHECK_FALSE(may_send(tunnel_role::agent, frame_type::ack));
  CHECK_FALSE(may_send(tunnel_role::console, frame_type::audit_checkpoint));
  for (auto t : {frame_type::ping, frame_type::pong, frame_type::goaway}) {
    CHECK(may_send(tunnel_role::agent, t));
    CHECK(may_send(tunnel_role::console, t));
  }
}

TEST_CASE("the agent opens streams with increasing ids up to max_streams", "[stream_table]") {
  outbound_streams out(2, 65536);
  CHECK(out.open(100) == 1u);
  CHECK(out.open(101) == 2u);
  CHECK_FALSE(out.open(102));  // two open: wait for an END
  out.close(1);
  CHECK(out.open(102) == 3u);  // ids are never reused
  CHECK(out.open_count() == 2);
}

TEST_CASE("the agent sends within credit and resumes on CREDIT", "[stream_table]") {
  outbound_streams out(4, 65536);
  const auto s = *out.open(100);
  CHECK(out.try_send(s, 65536));
  CHECK_FALSE(out.try_send(s, 1));
  CHECK(out.on_credit({s, 1000}).ok);
  CHECK(out.available(s) == 1000);
  CHECK(out.try_send(s, 1000));
  CHECK_FALSE(out.try_send(99, 1));
}

TEST_CASE("CREDIT that crossed an END is ignored; for a stream never opened it is a violation", "[stream_table]") {
  outbound_streams out(4, 65536);
  const auto s = *out.open(100);
  out.close(s);
  CHECK(out.on_credit({s, 1000}).ok);
  const auto never = out.on_credit({s + 1, 1000});
  CHECK_FALSE(never.ok);
  CHECK_THAT(never.violation, Catch::Contains("never opened"));
  const auto t = *out.open(101);
  CHECK_FALSE(out.on_credit({t, max_credit_window}).ok);  // 65536 + 2^31 - 1 overflows
}

TEST_CASE("the console refuses stream ids that do not increase or exceed max_streams", "[stream_table]") {
  inbound_streams in(2, 65536);
  CHECK(in.on_open({3, 1, 100, "c", "d"}).ok);
  CHECK_FALSE(in.on_open({3, 1, 101, "c", "d"}).ok);
  CHECK_FALSE(in.on_open({2, 1, 101, "c", "d"}).ok);
  CHECK_FALSE(in.on_open({4, 1, 100, "c", "d"}).ok);  // result 100 is already on stream 3
  CHECK(in.on_open({5, 1, 101, "c", "d"}).ok);
  const auto third = in.on_open({6, 1, 102, "c", "d"});
  CHECK_FALSE(third.ok);
  CHECK_THAT(third.violation, Catch::Contains("more than 2 streams"));
}

TEST_CASE("the console refuses DATA beyond credit or on a stream that is not open", "[stream_table]") {
  inbound_streams in(4, 65536);
  REQUIRE(in.on_open({1, 1, 100, "c", "d"}).ok);
  const auto first = in.on_data(chunk(1, 0, 65536));
  CHECK(first.ok);
  CHECK(first.result_id == 100);
  const auto over = in.on_data(chunk(1, 1, 1));
  CHECK_FALSE(over.ok);
  CHECK_THAT(over.violation, Catch::Contains("1 bytes with 0 bytes of credit"));
  CHECK(in.on_consumed(1, 65536) == 65536);
  CHECK(in.on_data(chunk(1, 1, 1)).ok);
  CHECK_FALSE(in.on_data(chunk(2, 0, 1)).ok);
  CHECK(in.on_end({1, 2, end_status::ok, ""}).result_id == 100);
  CHECK_FALSE(in.on_data(chunk(1, 2, 1)).ok);
  CHECK_FALSE(in.on_end({1, 2, end_status::ok, ""}).ok);
  CHECK(in.on_consumed(1, 1) == 0);
}
