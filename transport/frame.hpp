#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace tether::transport {

/// The protocol versions this build speaks; HELLO offers the range, HELLO_ACK picks one.
inline constexpr std::uint16_t protocol_version_min = 1;
inline constexpr std::uint16_t protocol_version_max = 1;

/// Bytes of the fixed frame header: type, flags, stream id, payload length.
inline constexpr std::size_t frame_header_size = 10;
/// The largest payload any peer may send (1 MiB); a decoder may be configured lower.
inline constexpr std::uint32_t max_payload_size = 1024 * 1024;
/// The largest result chunk a DATA frame carries (64 KiB); the spool cuts output to this.
inline constexpr std::uint32_t max_chunk_size = 64 * 1024;
/// The largest credit window a stream may hold (2^31 - 1 bytes, as in HTTP/2).
inline constexpr std::uint32_t max_credit_window = 0x7fffffff;
/// The largest JSON text of a REQUEST (64 KiB) and its deepest nesting.
inline constexpr std::uint32_t max_request_size = 64 * 1024;
inline constexpr int max_request_depth = 16;
/// The longest human-readable message (DENY, END_STREAM, NOTICE, GOAWAY), in bytes.
inline constexpr std::size_t max_message_size = 1024;
/// The most chunk ids one ACK frame carries.
inline constexpr std::uint16_t max_ack_entries = 1024;

/// The wire code of each frame type; the numbers are part of the protocol.
enum class frame_type : std::uint8_t {
  hello = 0x01,
  hello_ack = 0x02,
  goaway = 0x03,
  ping = 0x04,
  pong = 0x05,
  request = 0x10,
  cancel = 0x11,
  deny = 0x12,
  open_stream = 0x20,
  data = 0x21,
  credit = 0x22,
  end_stream = 0x23,
  ack = 0x24,
  notice = 0x30,
  audit_checkpoint = 0x31,
};

/// How a result stream ended; the numbers are part of the protocol.
enum class end_status : std::uint8_t {
  ok = 0,               ///< the collector ran and all its output was sent
  denied = 1,           ///< policy refused the run after the stream opened
  timeout = 2,          ///< the device did not answer in time
  auth_failed = 3,      ///< the device refused the credentials
  host_key_changed = 4, ///< the device's SSH host key no longer matches the pin
  device_error = 5,     ///< the device answered with an error
  cancelled = 6,        ///< the console cancelled the request
  window_closed = 7,    ///< the change window ended while the collector ran
  agent_error = 8,      ///< the agent failed (spool, parser, internal error)
};

/// Why the agent sends a NOTICE; the numbers are part of the protocol.
enum class notice_kind : std::uint8_t {
  window_closing = 1,       ///< T-15 min and T-5 min before the window closes
  window_closed = 2,        ///< the window is over; GOAWAY follows
  session_killed = 3,       ///< the site admin ended the session
  device_out_of_scope = 4,  ///< a device is unregistered or past End of Support
  spool_pressure = 5,       ///< the spool is near its bound; results will be refused
};

/// SHA-256 digest bytes.
using digest = std::array<std::uint8_t, 32>;
/// Ed25519 signature bytes.
using signature = std::array<std::uint8_t, 64>;

/// Agent -> console, first frame: who is calling, what it speaks, its clock, its window.
struct hello {
  std::uint16_t min_version = protocol_version_min;
  std::uint16_t max_version = protocol_version_max;
  std::int64_t agent_time_ms = 0;         ///< agent's clock, Unix ms, for the skew check
  std::int64_t window_closes_at_ms = 0;   ///< end of the change window, Unix ms
  std::string site_id;                    ///< identifier
  std::string window_id;                  ///< identifier
  std::string agent_software;             ///< e.g. "tether 0.1.0", printable ASCII
  bool operator==(const hello&) const = default;
};

/// Console -> agent, answer to HELLO: the chosen version and the session's limits.
struct hello_ack {
  std::uint16_t version = protocol_version_max;
  std::int64_t console_time_ms = 0;       ///< console's clock, Unix ms
  std::uint32_t initial_stream_credit = 256 * 1024;  ///< bytes each new stream may send
  std::uint16_t max_streams = 16;         ///< concurrently open streams
  std::uint32_t keepalive_interval_ms = 15000;  ///< PING after this much silence
  std::string console_id;                 ///< identifier
  bool operator==(const hello_ack&) const = default;
};

/// Either side: the connection is closing, with a reason code and whether to redial.
struct goaway {
  std::string code;      ///< identifier, e.g. "clock-skew", "window-closed"
  bool retry = false;    ///< true: reconnecting later may succeed
  std::string message;   ///< UTF-8 for humans
  bool operator==(const goaway&) const = default;
};

/// Either side: liveness probe, echoed in a PONG.
struct ping {
  std::uint64_t nonce = 0;
  bool operator==(const ping&) const = default;
};

/// Either side: the answer to a PING with the same nonce.
struct pong {
  std::uint64_t nonce = 0;
  bool operator==(const pong&) const = default;
};

/// Console -> agent: run something; the JSON object is validated by the dispatcher.
struct request {
  std::uint64_t request_id = 0;  ///< nonzero, chosen by the console
  std::string json;              ///< a JSON object, UTF-8
  bool operator==(const request&) const = default;
};

/// Console -> agent: stop a request and every stream it opened.
struct cancel {
  std::uint64_t request_id = 0;
  bool operator==(const cancel&) const = default;
};

/// Agent -> console: a request was refused, with a stable reason code.
struct deny {
  std::uint64_t request_id = 0;
  std::string reason;    ///< identifier, e.g. "device-not-in-inventory"
  std::string message;   ///< UTF-8 for humans
  bool operator==(const deny&) const = default;
};

/// Agent -> console: a result stream for one collector run on one device.
struct open_stream {
  std::uint32_t stream = 0;        ///< nonzero, chosen by the agent
  std::uint64_t request_id = 0;    ///< the REQUEST this serves
  std::uint64_t result_id = 0;     ///< nonzero, stable across reconnects (spool key)
  std::string collector;           ///< identifier
  std::string device;              ///< identifier
  bool operator==(const open_stream&) const = default;
};

/// Agent -> console: one spooled chunk of a result, with its digest.
struct data {
  std::uint32_t stream = 0;
  std::uint64_t sequence = 0;      ///< chunk number within the result, from 0
  digest sha256{};                 ///< SHA-256 of `bytes`
  std::vector<std::uint8_t> bytes; ///< 1..max_chunk_size bytes
  bool operator==(const data&) const = default;
};

/// Console -> agent: the stream may send this many more DATA bytes.
struct credit {
  std::uint32_t stream = 0;
  std::uint32_t bytes = 0;         ///< 1..max_credit_window
  bool operator==(const credit&) const = default;
};

/// Agent -> console: the result is complete; itself a spooled chunk with `sequence`.
struct end_stream {
  std::uint32_t stream = 0;
  std::uint64_t sequence = 0;      ///< one past the last DATA sequence
  end_status status = end_status::ok;
  std::string message;
  bool operator==(const end_stream&) const = default;
};

/// What a spooled chunk is: result bytes (sent as DATA) or the result's end (END_STREAM).
enum class chunk_kind : std::uint8_t { data = 0, end = 1 };

/// The identity of a spooled chunk: result id and sequence (result 0: audit checkpoints).
struct chunk_id {
  std::uint64_t result_id = 0;
  std::uint64_t sequence = 0;
  auto operator<=>(const chunk_id&) const = default;
};

/// Console -> agent: these chunks (or checkpoints) are stored durably; the agent may delete them.
struct ack {
  std::vector<chunk_id> chunks;    ///< 1..max_ack_entries entries
  bool operator==(const ack&) const = default;
};

/// Agent -> console: something the engineer must see (window closing, session killed).
struct notice {
  notice_kind kind = notice_kind::window_closing;
  std::int64_t at_ms = 0;          ///< the instant it refers to, Unix ms (e.g. closes_at)
  std::string message;
  bool operator==(const notice&) const = default;
};

/// Agent -> console: the audit chain head, signed, for the console to anchor.
struct audit_checkpoint {
  std::uint64_t audit_sequence = 0;  ///< index of the last audit record covered
  std::int64_t at_ms = 0;
  digest chain_head{};               ///< hash of that record in the chain
  signature ed25519{};               ///< agent key over the checkpoint
  bool operator==(const audit_checkpoint&) const = default;
};

/// Any frame of the protocol.
using frame = std::variant<hello, hello_ack, goaway, ping, pong, request, cancel, deny,
                           open_stream, data, credit, end_stream, ack, notice,
                           audit_checkpoint>;

/// The wire type of a frame value.
frame_type type_of(const frame& f);

/// The stream id a frame travels on (0 for connection frames).
std::uint32_t stream_of(const frame& f);

/// The stable name of an end status ("ok", "auth_failed"), as docs/protocol.md spells it.
const char* to_string(end_status status);

/// The stable name of a notice kind ("window_closing").
const char* to_string(notice_kind kind);

/// The protocol name of a frame type ("HELLO", "DATA"), or "UNKNOWN".
const char* to_string(frame_type type);

/// Whether `type` is a frame type of this protocol version.
bool is_known_frame_type(std::uint8_t type);

/// Whether frames of `type` travel on a nonzero stream id.
bool is_stream_frame(frame_type type);

}  // namespace tether::transport
