#include "transport/frame.hpp"

#include <string_view>
#include <type_traits>

namespace tether::transport {

namespace {
template <typename T>
constexpr frame_type type_code() {
  if constexpr (std::is_same_v<T, hello>) return frame_type::hello;
  else if constexpr (std::is_same_v<T, hello_ack>) return frame_type::hello_ack;
  else if constexpr (std::is_same_v<T, goaway>) return frame_type::goaway;
  else if constexpr (std::is_same_v<T, ping>) return frame_type::ping;
  else if constexpr (std::is_same_v<T, pong>) return frame_type::pong;
  else if constexpr (std::is_same_v<T, request>) return frame_type::request;
  else if constexpr (std::is_same_v<T, cancel>) return frame_type::cancel;
  else if constexpr (std::is_same_v<T, deny>) return frame_type::deny;
  else if constexpr (std::is_same_v<T, open_stream>) return frame_type::open_stream;
  else if constexpr (std::is_same_v<T, data>) return frame_type::data;
  else if constexpr (std::is_same_v<T, credit>) return frame_type::credit;
  else if constexpr (std::is_same_v<T, end_stream>) return frame_type::end_stream;
  else if constexpr (std::is_same_v<T, ack>) return frame_type::ack;
  else if constexpr (std::is_same_v<T, notice>) return frame_type::notice;
  else return frame_type::audit_checkpoint;
}
}  // namespace

frame_type type_of(const frame& f) {
  return std::visit([](const auto& v) { return type_code<std::decay_t<decltype(v)>>(); }, f);
}

std::uint32_t stream_of(const frame& f) {
  return std::visit(
      [](const auto& v) -> std::uint32_t {
        if constexpr (requires { v.stream; }) return v.stream;
        else return 0;
      },
      f);
}

const char* to_string(frame_type type) {
  switch (type) {
    case frame_type::hello: return "HELLO";
    case frame_type::hello_ack: return "HELLO_ACK";
    case frame_type::goaway: return "GOAWAY";
    case frame_type::ping: return "PING";
    case frame_type::pong: return "PONG";
    case frame_type::request: return "REQUEST";
    case frame_type::cancel: return "CANCEL";
    case frame_type::deny: return "DENY";
    case frame_type::open_stream: return "OPEN_STREAM";
    case frame_type::data: return "DATA";
    case frame_type::credit: return "CREDIT";
    case frame_type::end_stream: return "END_STREAM";
    case frame_type::ack: return "ACK";
    case frame_type::notice: return "NOTICE";
    case frame_type::audit_checkpoint: return "AUDIT_CHECKPOINT";
  }
  return "UNKNOWN";
}

bool is_known_frame_type(std::uint8_t type) {
  return std::string_view(to_string(static_cast<frame_type>(type))) != "UNKNOWN";
}

bool is_stream_frame(frame_type type) {
  return type == frame_type::open_stream || type == frame_type::data ||
         type == frame_type::credit || type == frame_type::end_stream;
}

const char* to_string(end_status status) {
  switch (status) {
    case end_status::ok: return "ok";
    case end_status::denied: return "denied";
    case end_status::timeout: return "timeout";
    case end_status::auth_failed: return "auth_failed";
    case end_status::host_key_changed: return "host_key_changed";
    case end_status::device_error: return "device_error";
    case end_status::cancelled: return "cancelled";
    case end_status::window_closed: return "window_closed";
    case end_status::agent_error: return "agent_error";
  }
  return "unknown";
}

const char* to_string(notice_kind kind) {
  switch (kind) {
    case notice_kind::window_closing: return "window_closing";
    case notice_kind::window_closed: return "window_closed";
    case notice_kind::session_killed: return "session_killed";
    case notice_kind::device_out_of_scope: return "device_out_of_scope";
    case notice_kind::spool_pressure: return "spool_pressure";
  }
  return "unknown";
}

}  // namespace tether::transport
