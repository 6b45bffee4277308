#include "agent/result_document.hpp"

#include "agent/audit_event.hpp"

namespace tether::agent {

namespace {

using ojson = nlohmann::ordered_json;
using transport::end_status;
using collectors::collect_status;

// Length of the UTF-8 sequence starting at `at` (1-4), or 0 when it is not well formed
// (overlong forms, surrogates and code points above U+10FFFF are refused, as RFC 3629 says).
std::size_t utf8_sequence(std::string_view s, std::size_t at) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[at + i]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) lo = 0xa0;
    if (c == 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) lo = 0x90;
    if (c == 0xf4) hi = 0x8f;
  } else {
    return 0;
  }
  if (at + n > s.size()) return 0;
  if (b(1) < lo || b(1) > hi) return 0;
  for (std::size_t i = 2; i < n; ++i)
    if (b(i) < 0x80 || b(i) > 0xbf) return 0;
  return n;
}

}  // namespace

std::string_view status_name(end_status status) {
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
  return "agent_error";
}

end_status end_status_of(const std::vector<collect_status>& outcomes) {
  for (auto s : outcomes) {
    switch (s) {
      case collect_status::ok:
      case collect_status::truncated: continue;  // the command ran; its output was capped
      case collect_status::timeout: return end_status::timeout;
      case collect_status::auth_failed: return end_status::auth_failed;
      case collect_status::hostkey_unknown:
      case collect_status::hostkey_changed: return end_status::host_key_changed;
      case collect_status::cancelled: return end_status::cancelled;
      case collect_status::unreachable:
      case collect_status::error: return end_status::device_error;
    }
  }
  return end_status::ok;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t n = utf8_sequence(text, at);
    if (n == 0) {
      out += "\xef\xbf\xbd";
      ++at;
    } else {
      out.append(text.substr(at, n));
      at += n;
    }
  }
  return out;
}

ojson command_summary(const result_command& c) {
  ojson j = ojson::object();
  j["command"] = c.command;
  j["status"] = c.status;
  j["bytes"] = c.output.size();
  j["sha256"] = sha256_hex(c.output);
  j["redactions"] = c.redactions;
  j["truncated"] = c.truncated;
  return j;
}

std::string result_document(const device_result& r) {
  ojson j = ojson::object();
  j["format"] = std::string(result_format);
  j["request_id"] = r.request_id;
  j["site"] = r.site;
  j["window"] = r.window;
  j["device"] = r.device;
  j["host"] = r.host;
  j["collector"] = r.collector;
  j["status"] = std::string(status_name(r.status));
  j["started_at"] = r.started_at;
  j["ended_at"] = r.ended_at;
  j["truncated"] = r.truncated;
  j["commands"] = ojson::array();
  for (const auto& c : r.commands) {
    ojson command = command_summary(c);
    command["output"] = c.output;
    j["commands"].push_back(std::move(command));
  }
  if (r.parsed) j["parsed"] = *r.parsed;
  if (r.scope) j["scope"] = *r.scope;
  return j.dump(-1, ' ', false, ojson::error_handler_t::replace) + "\n";
}

std::string utc_now() { return format_record_time(std::chrono::system_clock::now()); }

}  // namespace tether::agent
