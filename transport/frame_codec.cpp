#include "transport/frame_codec.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>

#include "common/json_nesting.hpp"
#include "config/identifier.hpp"
#include "transport/sha256.hpp"

namespace tether::transport {

namespace {

constexpr std::uint8_t magic[4] = {'T', 'T', 'H', 'R'};
constexpr std::uint64_t max_id = std::numeric_limits<std::int64_t>::max();
/// Unix ms of 9999-12-31T23:59:59Z: later instants are not clock readings.
constexpr std::int64_t max_time_ms = 253402300799000;
constexpr std::size_t max_software_size = 64;

/// Internal: thrown by field readers, caught once in decode_payload and turned into a value.
struct decode_failure {
  decode_error error;
};

[[noreturn]] void fail(decode_error_code code, std::string message) {
  throw decode_failure{{code, std::move(message)}};
}

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if ((c & 0xe0) == 0xc0) {
      extra = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    constexpr std::uint32_t min_for[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_for[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += extra + 1;
  }
  return true;
}

/// Text for humans: UTF-8, no control characters but tab and newline, bounded.
void check_text(const char* field, std::string_view s, std::size_t max) {
  if (s.size() > max)
    fail(decode_error_code::bad_text,
         std::string(field) + ": " + std::to_string(s.size()) + " bytes, at most " +
             std::to_string(max));
  if (!is_valid_utf8(s)) fail(decode_error_code::bad_text, std::string(field) + ": not UTF-8");
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n') || u == 0x7f)
      fail(decode_error_code::bad_text, std::string(field) + ": control character");
  }
}

void check_identifier(const char* field, std::string_view s) {
  if (!config::is_identifier(s))
    fail(decode_error_code::bad_identifier,
         std::string(field) + ": " + config::identifier_expected(s.substr(0, 80)));
}

void check_printable(const char* field, std::string_view s) {
  if (s.empty() || s.size() > max_software_size ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e; }))
    fail(decode_error_code::bad_text,
         std::string(field) + ": expected 1-64 printable ASCII characters");
}

void check_range(const char* field, std::uint64_t v, std::uint64_t lo, std::uint64_t hi) {
  if (v < lo || v > hi)
    fail(decode_error_code::bad_value, std::string(field) + ": " + std::to_string(v) +
                                           " outside " + std::to_string(lo) + ".." +
                                           std::to_string(hi));
}

void check_time(const char* field, std::int64_t ms) {
  if (ms <= 0 || ms > max_time_ms)
    fail(decode_error_code::bad_value,
         std::string(field) + ": " + std::to_string(ms) + " is not a Unix time in ms");
}

/// A JSON object within the size and nesting limits, in UTF-8; fails otherwise.
void check_json_object(std::string_view text) {
  if (text.size() > max_request_size)
    fail(decode_error_code::bad_json, "json: " + std::to_string(text.size()) +
                                          " bytes, at most " + std::to_string(max_request_size));
  if (!is_valid_utf8(text)) fail(decode_error_code::bad_json, "json: not UTF-8");
  if (common::json_nests_deeper_than(text, max_request_depth))
    fail(decode_error_code::bad_json,
         "json: nested deeper than " + std::to_string(max_request_depth));
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded()) fail(decode_error_code::bad_json, "json: not valid JSON");
  if (!parsed.is_object()) fail(decode_error_code::bad_json, "json: not a JSON object");
}

/// Reads big-endian fields from one payload; running short is a length mismatch.
class reader {
 public:
  explicit reader(std::span<const std::uint8_t> in) : in_(in) {}

  template <typename T>
  T number(const char* field) {
    static_assert(std::is_integral_v<T>);
    need(sizeof(T), field);
    std::make_unsigned_t<T> v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) v = static_cast<decltype(v)>((v << 8) | in_[pos_ + i]);
    pos_ += sizeof(T);
    return static_cast<T>(v);
  }

  std::uint64_t id(const char* field, std::uint64_t lo) {
    const auto v = number<std::uint64_t>(field);
    check_range(field, v, lo, max_id);
    return v;
  }

  std::int64_t time(const char* field) {
    const auto v = number<std::int64_t>(field);
    check_time(field, v);
    return v;
  }

  std::string text(const char* field) {
    const auto size = number<std::uint16_t>(field);
    need(size, field);
    std::string s(reinterpret_cast<const char*>(in_.data() + pos_), size);
    pos_ += size;
    return s;
  }

  template <std::size_t N>
  std::array<std::uint8_t, N> fixed(const char* field) {
    need(N, field);
    std::array<std::uint8_t, N> out{};
    std::memcpy(out.data(), in_.data() + pos_, N);
    pos_ += N;
    return out;
  }

  std::span<const std::uint8_t> rest() {
    auto r = in_.subspan(pos_);
    pos_ = in_.size();
    return r;
  }

  void finish() const {
    if (pos_ != in_.size())
      fail(decode_error_code::length_mismatch,
           std::to_string(in_.size() - pos_) + " bytes after the last field");
  }

 private:
  void need(std::size_t n, const char* field) const {
    if (in_.size() - pos_ < n)
      fail(decode_error_code::length_mismatch, std::string(field) + ": payload ends early");
  }

  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
};

/// Appends big-endian fields.
class writer {
 public:
  writer() = default;
  /// Writes into `reuse` (emptied first), keeping its capacity.
  explicit writer(std::vector<std::uint8_t> reuse) : out_(std::move(reuse)) { out_.clear(); }

  template <typename T>
  void number(T v) {
    static_assert(std::is_integral_v<T>);
    auto u = static_cast<std::make_unsigned_t<T>>(v);
    for (std::size_t i = sizeof(T); i-- > 0;) out_.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
  }
  void text(const std::string& s) {
    // Longer text fails the decode check below (bad_text); the cut keeps the length field honest.
    const auto size = static_cast<std::uint16_t>(std::min<std::size_t>(s.size(), 0xffff));
    number(size);
    bytes({reinterpret_cast<const std::uint8_t*>(s.data()), size});
  }
  void bytes(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void reserve(std::size_t n) { out_.reserve(n); }
  /// Overwrites the 32-bit field at `offset` (written earlier as a placeholder).
  void patch(std::size_t offset, std::uint32_t v) {
    for (std::size_t i = 0; i < 4; ++i) out_[offset + i] = static_cast<std::uint8_t>(v >> (8 * (3 - i)));
  }
  std::vector<std::uint8_t>& out() { return out_; }

 private:
  std::vector<std::uint8_t> out_;
};

struct header {
  frame_type type;
  std::uint32_t stream;
  std::uint32_t length;
};

/// How much work a decode does beyond the rules: the encoder's self-check skips the copy
/// of DATA bytes, and the digest when it is trusted.
struct decode_options {
  bool verify_digest = true;
  bool keep_bytes = true;
};

std::optional<decode_error> check_header(std::span<const std::uint8_t> b, const decoder_limits& limits,
                                         header& h) {
  reader r(b.first(frame_header_size));
  const auto type = r.number<std::uint8_t>("type");
  const auto flags = r.number<std::uint8_t>("flags");
  h.stream = r.number<std::uint32_t>("stream");
  h.length = r.number<std::uint32_t>("length");
  if (!is_known_frame_type(type))
    return decode_error{decode_error_code::unknown_type,
                        "type: " + std::to_string(type) + " is not a frame type of version 1"};
  h.type = static_cast<frame_type>(type);
  if (flags != 0)
    return decode_error{decode_error_code::reserved_flags, "flags: must be 0"};
  if (is_stream_frame(h.type) && h.stream == 0)
    return decode_error{decode_error_code::bad_stream_id,
                        std::string(to_string(h.type)) + " needs a nonzero stream id"};
  if (!is_stream_frame(h.type) && h.stream != 0)
    return decode_error{decode_error_code::bad_stream_id,
                        std::string(to_string(h.type)) + " must travel on stream 0"};
  const auto limit = std::min(limits.max_payload, max_payload_size);
  if (h.length > limit)
    return decode_error{decode_error_code::payload_too_large,
                        "length: " + std::to_string(h.length) + " bytes, at most " +
                            std::to_string(limit)};
  return std::nullopt;
}

frame decode_body(const header& h, reader& r, const decode_options& options) {
  switch (h.type) {
    case frame_type::hello: {
      if (r.fixed<4>("magic") != std::array<std::uint8_t, 4>{'T', 'T', 'H', 'R'})
        fail(decode_error_code::bad_magic, "magic: not a tether HELLO");
      hello f;
      f.min_version = r.number<std::uint16_t>("min_version");
      f.max_version = r.number<std::uint16_t>("max_version");
      if (f.min_version == 0 || f.min_version > f.max_version)
        fail(decode_error_code::bad_version, "min_version..max_version: empty range");
      f.agent_time_ms = r.time("agent_time_ms");
      f.window_closes_at_ms = r.time("window_closes_at_ms");
      f.site_id = r.text("site_id");
      check_identifier("site_id", f.site_id);
      f.window_id = r.text("window_id");
      check_identifier("window_id", f.window_id);
      f.agent_software = r.text("agent_software");
      check_printable("agent_software", f.agent_software);
      return f;
    }
    case frame_type::hello_ack: {
      hello_ack f;
      f.version = r.number<std::uint16_t>("version");
      if (f.version < protocol_version_min || f.version > protocol_version_max)
        fail(decode_error_code::bad_version,
             "version: " + std::to_string(f.version) + " is not spoken here");
      f.console_time_ms = r.time("console_time_ms");
      f.initial_stream_credit = r.number<std::uint32_t>("initial_stream_credit");
      check_range("initial_stream_credit", f.initial_stream_credit, max_chunk_size,
                  max_credit_window);
      f.max_streams = r.number<std::uint16_t>("max_streams");
      check_range("max_streams", f.max_streams, 1, 1024);
      f.keepalive_interval_ms = r.number<std::uint32_t>("keepalive_interval_ms");
      check_range("keepalive_interval_ms", f.keepalive_interval_ms, 1000, 600000);
      f.console_id = r.text("console_id");
      check_identifier("console_id", f.console_id);
      return f;
    }
    case frame_type::goaway: {
      goaway f;
      f.code = r.text("code");
      check_identifier("code", f.code);
      const auto retry = r.number<std::uint8_t>("retry");
      check_range("retry", retry, 0, 1);
      f.retry = retry == 1;
      f.message = r.text("message");
      check_text("message", f.message, max_message_size);
      return f;
    }
    case frame_type::ping:
      return ping{r.number<std::uint64_t>("nonce")};
    case frame_type::pong:
      return pong{r.number<std::uint64_t>("nonce")};
    case frame_type::request: {
      request f;
      f.request_id = r.id("request_id", 1);
      const auto rest = r.rest();
      f.json.assign(reinterpret_cast<const char*>(rest.data()), rest.size());
      check_json_object(f.json);
      return f;
    }
    case frame_type::cancel:
      return cancel{r.id("request_id", 1)};
    case frame_type::deny: {
      deny f;
      f.request_id = r.id("request_id", 1);
      f.reason = r.text("reason");
      check_identifier("reason", f.reason);
      f.message = r.text("message");
      check_text("message", f.message, max_message_size);
      return f;
    }
    case frame_type::open_stream: {
      open_stream f;
      f.stream = h.stream;
      f.request_id = r.id("request_id", 1);
      f.result_id = r.id("result_id", 1);
      f.collector = r.text("collector");
      check_identifier("collector", f.collector);
      f.device = r.text("device");
      check_identifier("device", f.device);
      return f;
    }
    case frame_type::data: {
      data f;
      f.stream = h.stream;
      f.sequence = r.id("sequence", 0);
      f.sha256 = r.fixed<32>("sha256");
      const auto rest = r.rest();
      check_range("bytes", rest.size(), 1, max_chunk_size);
      if (options.verify_digest && sha256(rest) != f.sha256)
        fail(decode_error_code::digest_mismatch, "sha256: does not match the chunk bytes");
      if (options.keep_bytes) f.bytes.assign(rest.begin(), rest.end());
      return f;
    }
    case frame_type::credit: {
      credit f;
      f.stream = h.stream;
      f.bytes = r.number<std::uint32_t>("bytes");
      check_range("bytes", f.bytes, 1, max_credit_window);
      return f;
    }
    case frame_type::end_stream: {
      end_stream f;
      f.stream = h.stream;
      f.sequence = r.id("sequence", 0);
      const auto status = r.number<std::uint8_t>("status");
      check_range("status", status, 0, static_cast<std::uint8_t>(end_status::agent_error));
      f.status = static_cast<end_status>(status);
      f.message = r.text("message");
      check_text("message", f.message, max_message_size);
      return f;
    }
    case frame_type::ack: {
      ack f;
      const auto count = r.number<std::uint16_t>("count");
      check_range("count", count, 1, max_ack_entries);
      f.chunks.reserve(count);
      for (std::uint16_t i = 0; i < count; ++i) {
        chunk_id c;
        c.result_id = r.id("result_id", 0);
        c.sequence = r.id("sequence", 0);
        f.chunks.push_back(c);
      }
      return f;
    }
    case frame_type::notice: {
      notice f;
      const auto kind = r.number<std::uint8_t>("kind");
      check_range("kind", kind, 1, static_cast<std::uint8_t>(notice_kind::spool_pressure));
      f.kind = static_cast<notice_kind>(kind);
      f.at_ms = r.time("at_ms");
      f.message = r.text("message");
      check_text("message", f.message, max_message_size);
      return f;
    }
    case frame_type::audit_checkpoint: {
      audit_checkpoint f;
      f.audit_sequence = r.id("audit_sequence", 0);
      f.at_ms = r.time("at_ms");
      f.chain_head = r.fixed<32>("chain_head");
      f.ed25519 = r.fixed<64>("ed25519");
      return f;
    }
  }
  fail(decode_error_code::unknown_type, "type: not a frame type");
}

decode_result decode_payload(const header& h, std::span<const std::uint8_t> payload,
                             const decode_options& options = {}) {
  try {
    reader r(payload);
    frame f = decode_body(h, r, options);
    r.finish();
    return {decode_result::status::frame, std::move(f), std::nullopt};
  } catch (decode_failure& failure) {
    failure.error.message = std::string(to_string(h.type)) + " " + failure.error.message;
    return {decode_result::status::error, std::nullopt, std::move(failure.error)};
  }
}

decode_result error_result(decode_error e) {
  return {decode_result::status::error, std::nullopt, std::move(e)};
}

void write_body(writer& w, const frame& f) {
  std::visit(
      [&w](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, hello>) {
          w.bytes(magic);
          w.number(v.min_version);
          w.number(v.max_version);
          w.number(v.agent_time_ms);
          w.number(v.window_closes_at_ms);
          w.text(v.site_id);
          w.text(v.window_id);
          w.text(v.agent_software);
        } else if constexpr (std::is_same_v<T, hello_ack>) {
          w.number(v.version);
          w.number(v.console_time_ms);
          w.number(v.initial_stream_credit);
          w.number(v.max_streams);
          w.number(v.keepalive_interval_ms);
          w.text(v.console_id);
        } else if constexpr (std::is_same_v<T, goaway>) {
          w.text(v.code);
          w.number(static_cast<std::uint8_t>(v.retry ? 1 : 0));
          w.text(v.message);
        } else if constexpr (std::is_same_v<T, ping> || std::is_same_v<T, pong>) {
          w.number(v.nonce);
        } else if constexpr (std::is_same_v<T, request>) {
          w.number(v.request_id);
          w.bytes({reinterpret_cast<const std::uint8_t*>(v.json.data()), v.json.size()});
        } else if constexpr (std::is_same_v<T, cancel>) {
          w.number(v.request_id);
        } else if constexpr (std::is_same_v<T, deny>) {
          w.number(v.request_id);
          w.text(v.reason);
          w.text(v.message);
        } else if constexpr (std::is_same_v<T, open_stream>) {
          w.number(v.request_id);
          w.number(v.result_id);
          w.text(v.collector);
          w.text(v.device);
        } else if constexpr (std::is_same_v<T, data>) {
          w.number(v.sequence);
          w.bytes(v.sha256);
          w.bytes(v.bytes);
        } else if constexpr (std::is_same_v<T, credit>) {
          w.number(v.bytes);
        } else if constexpr (std::is_same_v<T, end_stream>) {
          w.number(v.sequence);
          w.number(static_cast<std::uint8_t>(v.status));
          w.text(v.message);
        } else if constexpr (std::is_same_v<T, ack>) {
          w.number(static_cast<std::uint16_t>(std::min<std::size_t>(v.chunks.size(), 0xffff)));
          for (const auto& c : v.chunks) {
            w.number(c.result_id);
            w.number(c.sequence);
          }
        } else if constexpr (std::is_same_v<T, notice>) {
          w.number(static_cast<std::uint8_t>(v.kind));
          w.number(v.at_ms);
          w.text(v.message);
        } else if constexpr (std::is_same_v<T, audit_checkpoint>) {
          w.number(v.audit_sequence);
          w.number(v.at_ms);
          w.bytes(v.chain_head);
          w.bytes(v.ed25519);
        }
      },
      f);
}

}  // namespace

const char* to_string(decode_error_code code) {
  switch (code) {
    case decode_error_code::unknown_type: return "unknown-type";
    case decode_error_code::reserved_flags: return "reserved-flags";
    case decode_error_code::bad_stream_id: return "bad-stream-id";
    case decode_error_code::payload_too_large: return "payload-too-large";
    case decode_error_code::length_mismatch: return "length-mismatch";
    case decode_error_code::bad_magic: return "bad-magic";
    case decode_error_code::bad_version: return "bad-version";
    case decode_error_code::bad_identifier: return "bad-identifier";
    case decode_error_code::bad_text: return "bad-text";
    case decode_error_code::bad_json: return "bad-json";
    case decode_error_code::bad_value: return "bad-value";
    case decode_error_code::digest_mismatch: return "digest-mismatch";
  }
  return "unknown";
}

frame_decoder::frame_decoder(decoder_limits limits) : limits_(limits) {}

void frame_decoder::feed(std::span<const std::uint8_t> bytes) {
  if (error_) return;
  // Drop what was consumed before growing, so the buffer stays near one frame.
  if (consumed_ > 0 && consumed_ >= buffer_.size() / 2) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(consumed_));
    consumed_ = 0;
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

decode_result frame_decoder::next() {
  if (error_) return error_result(*error_);
  const auto pending = std::span<const std::uint8_t>(buffer_).subspan(consumed_);
  if (pending.size() < frame_header_size) return {};
  header h{};
  if (auto e = check_header(pending, limits_, h)) {
    error_ = e;
    return error_result(*e);
  }
  if (pending.size() - frame_header_size < h.length) return {};
  auto result = decode_payload(h, pending.subspan(frame_header_size, h.length));
  consumed_ += frame_header_size + h.length;
  if (result.error) error_ = result.error;
  return result;
}

namespace {

/// decode_frame with `options`: the encoder's self-check.
decode_result decode_checked(std::span<const std::uint8_t> bytes, decoder_limits limits,
                             const decode_options& options) {
  if (bytes.size() < frame_header_size)
    return error_result({decode_error_code::length_mismatch, "header: fewer than 10 bytes"});
  header h{};
  if (auto e = check_header(bytes, limits, h)) return error_result(*e);
  if (bytes.size() - frame_header_size != h.length)
    return error_result({decode_error_code::length_mismatch,
                         "length: header says " + std::to_string(h.length) + ", payload has " +
                             std::to_string(bytes.size() - frame_header_size)});
  return decode_payload(h, bytes.subspan(frame_header_size), options);
}

}  // namespace

decode_result decode_frame(std::span<const std::uint8_t> bytes, decoder_limits limits) {
  return decode_checked(bytes, limits, {});
}

encode_result encode(const frame& f, digest_check check) {
  return encode(f, check, {});
}

encode_result encode(const frame& f, digest_check check, std::vector<std::uint8_t> buffer) {
  writer w(std::move(buffer));
  if (const auto* d = std::get_if<data>(&f))  // header, sequence, digest, bytes: one allocation
    w.reserve(frame_header_size + 8 + d->sha256.size() + d->bytes.size());
  w.number(static_cast<std::uint8_t>(type_of(f)));
  w.number(static_cast<std::uint8_t>(0));
  w.number(stream_of(f));
  w.number(std::uint32_t{0});  // the payload length, patched below
  write_body(w, f);
  const auto length = w.out().size() - frame_header_size;
  w.patch(6, static_cast<std::uint32_t>(std::min<std::size_t>(length, 0xffffffffu)));
  // The decoder is the single statement of the rules: never emit what a peer would reject.
  // The self-check copies nothing out, and hashes DATA bytes only when the digest is not trusted.
  const decode_options options{check == digest_check::verify, false};
  auto checked = decode_checked(w.out(), {}, options);
  if (checked.error) return {{}, std::move(checked.error)};
  return {std::move(w.out()), std::nullopt};
}

data make_data(std::uint32_t stream, std::uint64_t sequence, std::span<const std::uint8_t> bytes) {
  return data{stream, sequence, sha256(bytes), {bytes.begin(), bytes.end()}};
}

}  // namespace tether::transport
