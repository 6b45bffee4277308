#include <catch2/catch.hpp>

#include "transport/chunk_receiver.hpp"

using namespace tether::transport;

TEST_CASE("chunks in sequence are stored and acknowledged after they are durable", "[chunk_receiver]") {
  chunk_receiver r;
  CHECK(r.accept({5, 0}, chunk_kind::data).verdict == chunk_verdict::store);
  CHECK(r.accept({5, 1}, chunk_kind::data).verdict == chunk_verdict::store);
  CHECK_FALSE(r.take_ack());  // nothing is durable yet
  r.stored({5, 0});
  r.stored({5, 1});
  auto a = r.take_ack();
  REQUIRE(a);
  CHECK(a->chunks == std::vector<chunk_id>{{5, 0}, {5, 1}});
  CHECK_FALSE(r.take_ack());
  CHECK(r.next_sequence(5) == 2);
}

TEST_CASE("a resent chunk already stored is dropped and acknowledged again", "[chunk_receiver]") {
  chunk_receiver r;
  r.resume(5, 3, false);  // the store holds 0, 1, 2 from before the reconnect
  CHECK(r.accept({5, 1}, chunk_kind::data).verdict == chunk_verdict::duplicate);
  CHECK(r.accept({5, 2}, chunk_kind::data).verdict == chunk_verdict::duplicate);
  CHECK(r.accept({5, 3}, chunk_kind::data).verdict == chunk_verdict::store);
  auto a = r.take_ack();
  REQUIRE(a);
  CHECK(a->chunks == std::vector<chunk_id>{{5, 1}, {5, 2}});
}

TEST_CASE("a gap in the sequence is a protocol violation", "[chunk_receiver]") {
  chunk_receiver r;
  REQUIRE(r.accept({5, 0}, chunk_kind::data).verdict == chunk_verdict::store);
  const auto d = r.accept({5, 2}, chunk_kind::data);
  CHECK(d.verdict == chunk_verdict::violation);
  CHECK_THAT(d.message, Catch::Contains("expected sequence 1"));
  CHECK(r.accept({6, 1}, chunk_kind::data).verdict == chunk_verdict::violation);
}

TEST_CASE("nothing new may follow a result's END, but resends of it are duplicates", "[chunk_receiver]") {
  chunk_receiver r;
  REQUIRE(r.accept({5, 0}, chunk_kind::data).verdict == chunk_verdict::store);
  REQUIRE(r.accept({5, 1}, chunk_kind::end).verdict == chunk_verdict::store);
  CHECK(r.accept({5, 2}, chunk_kind::data).verdict == chunk_verdict::violation);
  CHECK(r.accept({5, 1}, chunk_kind::end).verdict == chunk_verdict::duplicate);
  r.resume(6, 4, true);
  CHECK(r.accept({6, 4}, chunk_kind::data).verdict == chunk_verdict::violation);
  CHECK(r.accept({6, 3}, chunk_kind::end).verdict == chunk_verdict::duplicate);
}

TEST_CASE("acknowledgements are batched at most 1024 per ACK frame", "[chunk_receiver]") {
  chunk_receiver r;
  for (std::uint64_t i = 0; i < 1500; ++i) {
    REQUIRE(r.accept({1, i}, chunk_kind::data).verdict == chunk_verdict::store);
    r.stored({1, i});
  }
  auto first = r.take_ack();
  auto second = r.take_ack();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->chunks.size() == max_ack_entries);
  CHECK(second->chunks.size() == 1500 - max_ack_entries);
  CHECK(second->chunks.back() == chunk_id{1, 1499});
  CHECK_FALSE(r.take_ack());
}

TEST_CASE("a forgotten result is restored from the store before its resend", "[chunk_receiver]") {
  chunk_receiver r;
  REQUIRE(r.accept({5, 0}, chunk_kind::data).verdict == chunk_verdict::store);
  REQUIRE(r.accept({5, 1}, chunk_kind::end).verdict == chunk_verdict::store);
  r.forget(5);
  CHECK(r.next_sequence(5) == 0);
  r.resume(5, 2, true);  // what the console's store says on the next OPEN_STREAM
  CHECK(r.accept({5, 1}, chunk_kind::end).verdict == chunk_verdict::duplicate);
}
