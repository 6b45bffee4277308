#include <catch2/catch.hpp>

#include <string>

#include "tests/unit/transport/sample_frames.hpp"
#include "transport/frame_codec.hpp"

using namespace tether::transport;
using tether::transport::test::encoded;
using tether::transport::test::sample_frames;

namespace {

using bytes = std::vector<std::uint8_t>;

void put(bytes& out, std::uint64_t v, int size) {
  for (int i = size; i-- > 0;) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_text(bytes& out, std::string_view s) {
  put(out, s.size(), 2);
  out.insert(out.end(), s.begin(), s.end());
}

/// A frame built by hand, so tests can say things the encoder refuses to.
bytes raw(std::uint8_t type, std::uint32_t stream, const bytes& payload, std::uint8_t flags = 0) {
  bytes out;
  put(out, type, 1);
  put(out, flags, 1);
  put(out, stream, 4);
  put(out, payload.size(), 4);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

bytes hello_payload(std::string_view site, std::uint16_t min_v = 1, std::uint16_t max_v = 1,
                    std::int64_t time_ms = 1764000000000, std::string_view magic = "TTHR") {
  bytes p(magic.begin(), magic.end());
  put(p, min_v, 2);
  put(p, max_v, 2);
  put(p, static_cast<std::uint64_t>(time_ms), 8);
  put(p, 1764018000000, 8);
  put_text(p, site);
  put_text(p, "CHG-1");
  put_text(p, "tether 0.1.0");
  return p;
}

bytes deny_payload(std::uint64_t id, std::string_view reason, std::string_view message) {
  bytes p;
  put(p, id, 8);
  put_text(p, reason);
  put_text(p, message);
  return p;
}

bytes request_payload(std::uint64_t id, std::string_view json) {
  bytes p;
  put(p, id, 8);
  p.insert(p.end(), json.begin(), json.end());
  return p;
}

decode_error_code error_of(const bytes& b) {
  auto r = decode_frame(b);
  REQUIRE(r.state == decode_result::status::error);
  REQUIRE(r.error);
  INFO(r.error->message);
  return r.error->code;
}

constexpr auto T_HELLO = static_cast<std::uint8_t>(frame_type::hello);
constexpr auto T_GOAWAY = static_cast<std::uint8_t>(frame_type::goaway);
constexpr auto T_PING = static_cast<std::uint8_t>(frame_type::ping);
constexpr auto T_REQUEST = static_cast<std::uint8_t>(frame_type::request);
constexpr auto T_DENY = static_cast<std::uint8_t>(frame_type::deny);
constexpr auto T_DATA = static_cast<std::uint8_t>(frame_type::data);
constexpr auto T_CREDIT = static_cast<std::uint8_t>(frame_type::credit);
constexpr auto T_END = static_cast<std::uint8_t>(frame_type::end_stream);
constexpr auto T_ACK = static_cast<std::uint8_t>(frame_type::ack);
constexpr auto T_NOTICE = static_cast<std::uint8_t>(frame_type::notice);

}  // namespace

TEST_CASE("every frame type survives an encode and decode round trip", "[frame_codec]") {
  for (const auto& f : sample_frames()) {
    INFO(to_string(type_of(f)));
    const auto b = encoded(f);
    auto r = decode_frame(b);
    REQUIRE(r.state == decode_result::status::frame);
    CHECK(*r.value == f);
  }
}

TEST_CASE("a PING is encoded byte for byte as docs/protocol.md says", "[frame_codec]") {
  const bytes expected = {0x04, 0x00, 0, 0, 0, 0, 0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8};
  CHECK(encoded(ping{0x0102030405060708}) == expected);
}

TEST_CASE("a CREDIT carries its stream id in the header", "[frame_codec]") {
  const bytes expected = {0x22, 0x00, 0, 0, 0x01, 0x02, 0, 0, 0, 4, 0, 1, 0, 0};
  CHECK(encoded(credit{0x0102, 65536}) == expected);
}

TEST_CASE("frames fed in two pieces split at every byte decode the same", "[frame_codec]") {
  const auto frames = sample_frames();
  bytes stream;
  for (const auto& f : frames) {
    const auto b = encoded(f);
    stream.insert(stream.end(), b.begin(), b.end());
  }
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    frame_decoder d;
    std::vector<frame> got;
    auto drain = [&] {
      for (int guard = 0; guard < 100; ++guard) {
        auto r = d.next();
        REQUIRE(r.state != decode_result::status::error);
        if (r.state == decode_result::status::need_more) return;
        got.push_back(*r.value);
      }
      FAIL("decoder never asked for more");
    };
    d.feed(std::span(stream).first(split));
    drain();
    d.feed(std::span(stream).subspan(split));
    drain();
    INFO("split at " << split);
    REQUIRE(got == frames);
    CHECK(d.buffered() == 0);
  }
}

TEST_CASE("frames fed one byte at a time decode the same", "[frame_codec]") {
  const auto frames = sample_frames();
  frame_decoder d;
  std::vector<frame> got;
  for (const auto& f : frames)
    for (auto byte : encoded(f)) {
      d.feed(std::span(&byte, 1));
      auto r = d.next();
      REQUIRE(r.state != decode_result::status::error);
      if (r.value) got.push_back(*r.value);
    }
  CHECK(got == frames);
}

TEST_CASE("an oversized length is refused from the header alone", "[frame_codec]") {
  bytes header;
  put(header, T_DATA, 1);
  put(header, 0, 1);
  put(header, 1, 4);
  put(header, max_payload_size + 1, 4);
  frame_decoder d;
  d.feed(header);
  auto r = d.next();
  REQUIRE(r.state == decode_result::status::error);
  CHECK(r.error->code == decode_error_code::payload_too_large);

  SECTION("a decoder configured lower refuses at its own limit") {
    frame_decoder small({1000});
    small.feed(raw(T_REQUEST, 0, request_payload(1, "{\"a\":\"" + std::string(1000, 'x') + "\"}")));
    CHECK(small.next().error->code == decode_error_code::payload_too_large);
  }
}

TEST_CASE("a decode error is sticky", "[frame_codec]") {
  frame_decoder d;
  d.feed(raw(0x7f, 0, {}));
  CHECK(d.next().error->code == decode_error_code::unknown_type);
  d.feed(encoded(ping{1}));
  auto r = d.next();
  REQUIRE(r.state == decode_result::status::error);
  CHECK(r.error->code == decode_error_code::unknown_type);
}

TEST_CASE("the header's type, flags and stream id are validated", "[frame_codec]") {
  bytes nonce(8, 0);
  CHECK(error_of(raw(0x00, 0, nonce)) == decode_error_code::unknown_type);
  CHECK(error_of(raw(0x06, 0, nonce)) == decode_error_code::unknown_type);
  CHECK(error_of(raw(0xff, 0, nonce)) == decode_error_code::unknown_type);
  CHECK(error_of(raw(T_PING, 0, nonce, 0x01)) == decode_error_code::reserved_flags);
  CHECK(error_of(raw(T_PING, 5, nonce)) == decode_error_code::bad_stream_id);
  CHECK(error_of(raw(T_CREDIT, 0, {0, 0, 1, 0})) == decode_error_code::bad_stream_id);
}

TEST_CASE("a payload shorter or longer than its fields is refused", "[frame_codec]") {
  CHECK(error_of(raw(T_PING, 0, bytes(7, 0))) == decode_error_code::length_mismatch);
  CHECK(error_of(raw(T_PING, 0, bytes(9, 0))) == decode_error_code::length_mismatch);
  auto p = hello_payload("site");
  p.pop_back();
  CHECK(error_of(raw(T_HELLO, 0, p)) == decode_error_code::length_mismatch);
  auto whole = encoded(ping{1});
  whole.push_back(0);
  CHECK(error_of(whole) == decode_error_code::length_mismatch);
  CHECK(error_of(bytes{0x04, 0}) == decode_error_code::length_mismatch);
}

TEST_CASE("HELLO needs the magic and a sane version range", "[frame_codec]") {
  CHECK(error_of(raw(T_HELLO, 0, hello_payload("site", 1, 1, 1764000000000, "SSH-"))) ==
        decode_error_code::bad_magic);
  CHECK(error_of(raw(T_HELLO, 0, hello_payload("site", 0, 1))) == decode_error_code::bad_version);
  CHECK(error_of(raw(T_HELLO, 0, hello_payload("site", 3, 2))) == decode_error_code::bad_version);
  CHECK(decode_frame(raw(T_HELLO, 0, hello_payload("site", 1, 9))).state ==
        decode_result::status::frame);
  CHECK(error_of(raw(T_HELLO, 0, hello_payload("site", 1, 1, 0))) == decode_error_code::bad_value);
  CHECK(error_of(raw(T_HELLO, 0, hello_payload("site", 1, 1, -5))) == decode_error_code::bad_value);
}

TEST_CASE("HELLO_ACK limits are range-checked", "[frame_codec]") {
  auto with = [](std::uint16_t version, std::uint32_t credit_bytes, std::uint16_t streams,
                 std::uint32_t keepalive) {
    return encode(hello_ack{version, 1764000000000, credit_bytes, streams, keepalive, "console"});
  };
  CHECK_FALSE(with(1, 65536, 1, 1000).error);
  CHECK(with(2, 65536, 1, 1000).error->code == decode_error_code::bad_version);
  CHECK(with(0, 65536, 1, 1000).error->code == decode_error_code::bad_version);
  CHECK(with(1, 65535, 1, 1000).error->code == decode_error_code::bad_value);
  CHECK(with(1, 0x80000000u, 1, 1000).error->code == decode_error_code::bad_value);
  CHECK(with(1, 65536, 0, 1000).error->code == decode_error_code::bad_value);
  CHECK(with(1, 65536, 1025, 1000).error->code == decode_error_code::bad_value);
  CHECK(with(1, 65536, 1, 999).error->code == decode_error_code::bad_value);
  CHECK(with(1, 65536, 1, 600001).error->code == decode_error_code::bad_value);
}

TEST_CASE("name fields must be identifiers", "[frame_codec]") {
  for (std::string_view bad : std::initializer_list<std::string_view>{
           "", "a b", "-lead", "x/y", "caf\xc3\xa9", std::string_view("a\0b", 3)}) {
    INFO("site: " << bad);
    CHECK(error_of(raw(T_HELLO, 0, hello_payload(bad))) == decode_error_code::bad_identifier);
  }
  CHECK(error_of(raw(T_HELLO, 0, hello_payload(std::string(65, 'a')))) ==
        decode_error_code::bad_identifier);
  CHECK(encode(open_stream{1, 1, 1, "show version", "r1"}).error->code ==
        decode_error_code::bad_identifier);
  CHECK(encode(goaway{"", true, ""}).error->code == decode_error_code::bad_identifier);
}

TEST_CASE("message fields must be bounded UTF-8 without control characters", "[frame_codec]") {
  const auto ok = [](std::string_view m) {
    return decode_frame(raw(T_DENY, 0, deny_payload(1, "r", m))).state ==
           decode_result::status::frame;
  };
  CHECK(ok(""));
  CHECK(ok("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 tab\there\nnew line"));
  CHECK(ok(std::string(max_message_size, 'x')));
  for (std::string_view bad : std::initializer_list<std::string_view>{
           std::string_view("\xc3"),              // truncated sequence
           std::string_view("\xc0\xaf"),          // overlong '/'
           std::string_view("\xe0\x80\xaf"),      // overlong, three bytes
           std::string_view("\xed\xa0\x80"),      // UTF-16 surrogate
           std::string_view("\xf4\x90\x80\x80"),  // above U+10FFFF
           std::string_view("\xff"),              // never valid
           std::string_view("\x80"),              // lone continuation
           std::string_view("bell\x07"),          // control character
           std::string_view("esc\x1b[2J"),        // terminal escape
           std::string_view("nul\0", 4),          // NUL
           std::string_view("del\x7f"),           // DEL
       }) {
    INFO("message bytes: " << bad.size());
    CHECK(error_of(raw(T_DENY, 0, deny_payload(1, "r", bad))) == decode_error_code::bad_text);
  }
  CHECK(error_of(raw(T_DENY, 0, deny_payload(1, "r", std::string(max_message_size + 1, 'x')))) ==
        decode_error_code::bad_text);
  CHECK(encode(hello{1, 1, 1764000000000, 1764000000001, "s", "w", ""}).error->code ==
        decode_error_code::bad_text);
  CHECK(encode(hello{1, 1, 1764000000000, 1764000000001, "s", "w", "t\xc3\xa9"}).error->code ==
        decode_error_code::bad_text);
}

TEST_CASE("REQUEST carries exactly one JSON object within the limits", "[frame_codec]") {
  CHECK(decode_frame(raw(T_REQUEST, 0, request_payload(3, R"({"a":[1,{"b":"]]]"}]})"))).state ==
        decode_result::status::frame);
  for (std::string_view bad : {"", "[]", "42", "\"text\"", "{", "{\"a\":1} {}", "{\"a\":\"\xff\"}",
                               "{'a':1}"}) {
    INFO("json: " << bad);
    CHECK(error_of(raw(T_REQUEST, 0, request_payload(3, bad))) == decode_error_code::bad_json);
  }
  std::string deep = "{\"a\":" + std::string(max_request_depth, '[') +
                     std::string(max_request_depth, ']') + "}";
  CHECK(error_of(raw(T_REQUEST, 0, request_payload(3, deep))) == decode_error_code::bad_json);
  std::string big = "{\"a\":\"" + std::string(max_request_size, 'x') + "\"}";
  CHECK(error_of(raw(T_REQUEST, 0, request_payload(3, big))) == decode_error_code::bad_json);
  CHECK(error_of(raw(T_REQUEST, 0, request_payload(0, "{}"))) == decode_error_code::bad_value);
}

TEST_CASE("numbers and enums outside their ranges are refused", "[frame_codec]") {
  CHECK(encode(cancel{0}).error->code == decode_error_code::bad_value);
  CHECK(encode(deny{0, "r", ""}).error->code == decode_error_code::bad_value);
  CHECK(encode(open_stream{1, 1, 0, "c", "d"}).error->code == decode_error_code::bad_value);
  CHECK(encode(open_stream{1, 0, 1, "c", "d"}).error->code == decode_error_code::bad_value);
  CHECK(encode(open_stream{1, 1ull << 63, 1, "c", "d"}).error->code ==
        decode_error_code::bad_value);
  CHECK(encode(credit{1, 0}).error->code == decode_error_code::bad_value);
  CHECK(encode(credit{1, max_credit_window + 1}).error->code == decode_error_code::bad_value);
  CHECK(encode(ack{}).error->code == decode_error_code::bad_value);
  CHECK(encode(ack{std::vector<chunk_id>(max_ack_entries + 1)}).error->code ==
        decode_error_code::bad_value);
  CHECK_FALSE(encode(ack{std::vector<chunk_id>(max_ack_entries)}).error);
  CHECK(encode(ack{{{1ull << 63, 0}}}).error->code == decode_error_code::bad_value);
  CHECK(encode(notice{notice_kind::window_closing, 0, ""}).error->code ==
        decode_error_code::bad_value);
  CHECK(encode(audit_checkpoint{1, -1, {}, {}}).error->code == decode_error_code::bad_value);
  CHECK(encode(end_stream{1, 1ull << 63, end_status::ok, ""}).error->code ==
        decode_error_code::bad_value);

  bytes end_payload;
  put(end_payload, 1, 8);
  put(end_payload, 9, 1);
  put_text(end_payload, "");
  CHECK(error_of(raw(T_END, 1, end_payload)) == decode_error_code::bad_value);

  bytes notice_payload;
  put(notice_payload, 0, 1);
  put(notice_payload, 1764000000000, 8);
  put_text(notice_payload, "");
  CHECK(error_of(raw(T_NOTICE, 0, notice_payload)) == decode_error_code::bad_value);
  notice_payload[0] = 6;
  CHECK(error_of(raw(T_NOTICE, 0, notice_payload)) == decode_error_code::bad_value);

  bytes goaway_payload;
  put_text(goaway_payload, "shutdown");
  put(goaway_payload, 2, 1);
  put_text(goaway_payload, "");
  CHECK(error_of(raw(T_GOAWAY, 0, goaway_payload)) == decode_error_code::bad_value);

  bytes ack_payload;
  put(ack_payload, 2, 2);
  put(ack_payload, 1, 8);
  put(ack_payload, 1, 8);
  CHECK(error_of(raw(T_ACK, 0, ack_payload)) == decode_error_code::length_mismatch);
}

TEST_CASE("DATA must carry 1 to 64 KiB whose SHA-256 matches", "[frame_codec]") {
  const bytes one(1, 'x');
  const bytes max(max_chunk_size, 'x');
  CHECK_FALSE(encode(make_data(1, 0, one)).error);
  CHECK_FALSE(encode(make_data(1, 0, max)).error);
  CHECK(encode(make_data(1, 0, bytes{})).error->code == decode_error_code::bad_value);
  CHECK(encode(make_data(1, 0, bytes(max_chunk_size + 1, 'x'))).error->code ==
        decode_error_code::bad_value);

  auto tampered = encoded(make_data(1, 0, bytes{'a', 'b', 'c'}));
  tampered.back() = 'd';
  CHECK(error_of(tampered) == decode_error_code::digest_mismatch);
  auto wrong_digest = make_data(1, 0, one);
  wrong_digest.sha256[0] ^= 1;
  CHECK(encode(wrong_digest).error->code == decode_error_code::digest_mismatch);
}

TEST_CASE("a trusted DATA digest is not rehashed by the encoder but still checked by the decoder",
          "[frame_codec]") {
  const bytes payload{'a', 'b', 'c'};
  const frame good = make_data(1, 0, payload);
  CHECK(encode(good, digest_check::trusted).bytes == encode(good).bytes);
  auto wrong = make_data(1, 0, payload);
  wrong.sha256[0] ^= 1;
  const auto sent = encode(wrong, digest_check::trusted);  // the spool's word is taken
  REQUIRE_FALSE(sent.error);
  CHECK(error_of(sent.bytes) == decode_error_code::digest_mismatch);  // the console's is not
  // Every other rule still holds for a trusted digest.
  CHECK(encode(make_data(1, 0, bytes{}), digest_check::trusted).error->code == decode_error_code::bad_value);
}

TEST_CASE("encoding into a reused buffer gives the same bytes", "[frame_codec]") {
  const frame f = make_data(3, 7, bytes(1000, 'q'));
  std::vector<std::uint8_t> old(70000, 0xee);
  CHECK(encode(f, digest_check::verify, std::move(old)).bytes == encode(f).bytes);
  const frame small = credit{3, 4096};
  CHECK(encode(small, digest_check::verify, std::vector<std::uint8_t>(5, 1)).bytes == encode(small).bytes);
}

TEST_CASE("an error names the frame type and the field", "[frame_codec]") {
  auto r = encode(credit{1, 0});
  REQUIRE(r.error);
  CHECK(r.bytes.empty());
  CHECK_THAT(r.error->message, Catch::StartsWith("CREDIT bytes: 0 outside 1.."));
  CHECK(std::string(to_string(r.error->code)) == "bad-value");
}
