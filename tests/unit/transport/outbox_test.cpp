#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "transport/chunk_receiver.hpp"
#include "transport/frame_codec.hpp"
#include "transport/outbox.hpp"
#include "tests/support/temp_dir.hpp"

using namespace tether::transport;
namespace fs = std::filesystem;

namespace {

using tether::testing::temp_dir;

std::vector<std::uint8_t> chunk_bytes(std::uint64_t result, std::uint64_t sequence, std::size_t size) {
  std::vector<std::uint8_t> b(size, static_cast<std::uint8_t>('a' + sequence % 26));
  const auto tag = std::to_string(result) + ":" + std::to_string(sequence);
  std::copy(tag.begin(), tag.end(), b.begin());
  return b;
}

/// The console end of the test: stream checks, dedup, and a store that outlives connections.
struct console_end {
  chunk_receiver receiver;
  std::map<std::uint64_t, std::vector<std::vector<std::uint8_t>>> stored;
  std::map<std::uint64_t, end_status> ended;
  std::size_t duplicates = 0;

  /// Handles one frame from the agent; returns the frames to send back.
  std::vector<frame> receive(inbound_streams& in, const frame& f) {
    std::vector<frame> out;
    if (const auto* o = std::get_if<open_stream>(&f)) {
      const auto check = in.on_open(*o);
      INFO(check.violation);
      REQUIRE(check.ok);
    } else if (const auto* d = std::get_if<data>(&f)) {
      const auto check = in.on_data(*d);
      INFO(check.violation);
      REQUIRE(check.ok);
      const chunk_id id{check.result_id, d->sequence};
      const auto decision = receiver.accept(id, chunk_kind::data);
      INFO(decision.message);
      REQUIRE(decision.verdict != chunk_verdict::violation);
      if (decision.verdict == chunk_verdict::store) {
        stored[id.result_id].push_back(d->bytes);
        receiver.stored(id);
      } else {
        ++duplicates;
      }
      if (auto grant = in.on_consumed(d->stream, d->bytes.size())) out.push_back(credit{d->stream, grant});
    } else if (const auto* e = std::get_if<end_stream>(&f)) {
      const auto check = in.on_end(*e);
      INFO(check.violation);
      REQUIRE(check.ok);
      const chunk_id id{check.result_id, e->sequence};
      const auto decision = receiver.accept(id, chunk_kind::end);
      REQUIRE(decision.verdict != chunk_verdict::violation);
      if (decision.verdict == chunk_verdict::store) {
        ended[id.result_id] = e->status;
        receiver.stored(id);
      } else {
        ++duplicates;
      }
    } else {
      FAIL("unexpected frame from the agent");
    }
    return out;
  }
};

/// Frames through the real codec, as they would cross the wire.
std::vector<frame> over_the_wire(const std::vector<frame>& frames) {
  frame_decoder decoder;
  for (const auto& f : frames) {
    auto e = encode(f);
    INFO((e.error ? e.error->message : ""));
    REQUIRE_FALSE(e.error);
    decoder.feed(e.bytes);
  }
  std::vector<frame> out;
  for (auto r = decoder.next(); r.state == decode_result::status::frame; r = decoder.next())
    out.push_back(*r.value);
  REQUIRE(out.size() == frames.size());
  return out;
}

constexpr std::uint16_t max_streams = 2;
constexpr std::uint32_t window = 65536;

/// Runs one connection for at most `rounds` exchanges; when `cut` is set, the last round's
/// frames in both directions are lost, as when a connection drops.
void run_connection(spool& s, console_end& console, int rounds, bool cut) {
  outbound_streams streams(max_streams, window);
  outbox box(s, streams);
  inbound_streams in(max_streams, window);
  for (int round = 0; round < rounds; ++round) {
    auto batch = box.next();
    REQUIRE(batch.error.empty());
    if (batch.frames.empty() && s.pending().refs.empty()) return;
    const bool lost = cut && round == rounds - 1;
    std::vector<frame> replies;
    for (const auto& f : over_the_wire(batch.frames)) {
      auto r = console.receive(in, f);
      replies.insert(replies.end(), r.begin(), r.end());
    }
    while (auto a = console.receiver.take_ack()) replies.push_back(*a);
    if (lost) return;  // the console stored them, but its CREDIT and ACK never arrive
    for (const auto& f : over_the_wire(replies)) {
      if (const auto* c = std::get_if<credit>(&f)) {
        const auto check = box.on_credit(*c);
        INFO(check.violation);
        REQUIRE(check.ok);
      } else if (const auto* a = std::get_if<ack>(&f)) {
        box.on_ack(*a);
      }
    }
  }
}

}  // namespace

TEST_CASE("every chunk reaches the console exactly once across a dropped connection", "[outbox]") {
  temp_dir dir;
  auto opened = spool::open(dir.path / "spool.db");
  REQUIRE(opened.value);
  auto& s = *opened.value;

  // Three results, more than max_streams, chunks larger than half the window.
  std::map<std::uint64_t, std::vector<std::vector<std::uint8_t>>> expected;
  std::vector<std::uint64_t> results;
  for (int i = 0; i < 3; ++i) results.push_back(s.begin_result(7, "show-version", "r" + std::to_string(i)).id.result_id);
  auto produce = [&](std::uint64_t r, int chunks, std::size_t size) {
    for (int i = 0; i < chunks; ++i) {
      const auto seq = expected[r].size();
      expected[r].push_back(chunk_bytes(r, seq, size));
      REQUIRE(s.append(r, expected[r].back()).status == spool_status::ok);
    }
  };
  produce(results[0], 6, 40000);
  produce(results[1], 3, 1000);
  produce(results[2], 4, 65536);
  REQUIRE(s.finish(results[1], end_status::ok, "").status == spool_status::ok);

  console_end console;
  run_connection(s, console, 4, true);  // drops after four rounds
  CHECK_FALSE(s.pending().refs.empty());

  // The collector went on while the tunnel was down.
  produce(results[0], 2, 30000);
  REQUIRE(s.finish(results[0], end_status::ok, "").status == spool_status::ok);
  REQUIRE(s.finish(results[2], end_status::timeout, "no prompt").status == spool_status::ok);

  run_connection(s, console, 200, false);

  CHECK(s.pending().refs.empty());
  CHECK(s.used_bytes() == 0);
  for (auto r : results) {
    INFO("result " << r);
    CHECK(console.stored[r] == expected[r]);
    CHECK_FALSE(s.result(r));
  }
  CHECK(console.ended[results[0]] == end_status::ok);
  CHECK(console.ended[results[2]] == end_status::timeout);
  CHECK(console.duplicates > 0);  // what was stored before the drop came again and was dropped
}

TEST_CASE("a result waiting for credit does not hold up the others", "[outbox]") {
  temp_dir dir;
  auto opened = spool::open(dir.path / "spool.db");
  REQUIRE(opened.value);
  auto& s = *opened.value;
  const auto slow = s.begin_result(1, "c", "slow").id.result_id;
  const auto quick = s.begin_result(1, "c", "quick").id.result_id;
  s.append(slow, std::vector<std::uint8_t>(65536, 's'));
  s.append(slow, std::vector<std::uint8_t>(10, 's'));
  s.append(quick, std::vector<std::uint8_t>(10, 'q'));
  outbound_streams streams(4, window);
  outbox box(s, streams);
  const auto batch = box.next();
  REQUIRE(batch.error.empty());
  // OPEN slow, DATA slow/0 (uses the whole window), OPEN quick, DATA quick/0.
  REQUIRE(batch.frames.size() == 4);
  CHECK(std::get<data>(batch.frames[1]).sequence == 0);
  CHECK(std::get<open_stream>(batch.frames[2]).result_id == quick);
  CHECK(std::get<data>(batch.frames[3]).bytes.size() == 10);
  CHECK(box.next().frames.empty());  // slow/1 waits for credit
  REQUIRE(box.on_credit({std::get<open_stream>(batch.frames[0]).stream, 10}).ok);
  const auto after = box.next();
  REQUIRE(after.frames.size() == 1);
  CHECK(std::get<data>(after.frames[0]).sequence == 1);
}

TEST_CASE("no more than max_streams results are streamed at once", "[outbox]") {
  temp_dir dir;
  auto opened = spool::open(dir.path / "spool.db");
  REQUIRE(opened.value);
  auto& s = *opened.value;
  for (int i = 0; i < 3; ++i) {
    const auto r = s.begin_result(1, "c", "d" + std::to_string(i)).id.result_id;
    s.append(r, std::vector<std::uint8_t>(10, 'x'));
  }
  outbound_streams streams(2, window);
  outbox box(s, streams);
  const auto batch = box.next();
  std::size_t opens = 0;
  for (const auto& f : batch.frames) opens += std::holds_alternative<open_stream>(f) ? 1 : 0;
  CHECK(opens == 2);
  CHECK(streams.open_count() == 2);
}

TEST_CASE("a backlog longer than one listing page goes out once, in order, in bounded passes", "[outbox]") {
  temp_dir dir;
  auto opened = spool::open(dir.path / "spool.db");
  REQUIRE(opened.value);
  auto& s = *opened.value;
  const auto r = s.begin_result(1, "c", "big").id.result_id;
  constexpr std::uint64_t chunks = 700;  // more than the outbox's 256-row listing page
  for (std::uint64_t i = 0; i < chunks; ++i) REQUIRE(s.append(r, chunk_bytes(r, i, 100)).status == spool_status::ok);
  outbound_streams streams(1, max_credit_window);
  outbox box(s, streams);
  std::uint64_t next = 0;
  for (int pass = 0; pass < 100 && next < chunks; ++pass) {
    auto batch = box.next(16);
    REQUIRE(batch.error.empty());
    REQUIRE_FALSE(batch.frames.empty());
    CHECK(batch.frames.size() <= 16);
    for (auto& f : batch.frames) {
      if (const auto* d = std::get_if<data>(&f)) {
        REQUIRE(d->sequence == next);
        CHECK(d->bytes == chunk_bytes(r, next, 100));
        ++next;
      }
      box.recycle(std::move(f));  // the storage is reused for the next chunks read
    }
  }
  CHECK(next == chunks);
  CHECK(box.next().frames.empty());  // everything went out on this connection
  CHECK(s.pending().refs.size() == chunks);  // and waits for the console's ACK
}
