#include "agent/audit_event.hpp"

#include <date/date.h>
#include <openssl/evp.h>

#include <array>
#include <stdexcept>

#include "common/json_nesting.hpp"

namespace tether::agent {

namespace {

using namespace std::string_view_literals;

struct event_info {
  audit_event event;
  std::string_view code;
  std::span<const std::string_view> fields;
  bool warning;
};

constexpr std::array agent_start_fields{"version"sv, "pid"sv, "config"sv};
constexpr std::array agent_stop_fields{"reason"sv};
constexpr std::array config_loaded_fields{"path"sv, "sha256"sv};
constexpr std::array config_refused_fields{"path"sv, "errors"sv};
constexpr std::array window_added_fields{"window"sv, "start"sv, "end"sv, "notified_at"sv,
                                         "admin_uid"sv};
constexpr std::array window_admin_fields{"window"sv, "admin_uid"sv, "reason"sv};
constexpr std::array window_opened_fields{"window"sv, "closes_at"sv};
constexpr std::array window_closed_fields{"window"sv, "reason"sv};
constexpr std::array tunnel_up_fields{"console"sv, "peer_fingerprint"sv};
constexpr std::array tunnel_down_fields{"console"sv, "reason"sv};
constexpr std::array request_received_fields{"request"sv, "engineer"sv, "collector"sv,
                                             "devices"sv};
constexpr std::array request_denied_fields{"request"sv, "engineer"sv, "collector"sv,
                                           "devices"sv, "reason"sv};
constexpr std::array session_start_fields{"request"sv, "device"sv, "host_key_fingerprint"sv};
constexpr std::array session_end_fields{"request"sv, "device"sv, "commands"sv, "bytes"sv,
                                        "status"sv, "redactions"sv};
constexpr std::array results_sent_fields{"request"sv, "sha256"sv, "bytes"sv};
constexpr std::array kill_fields{"admin_uid"sv, "reason"sv};
constexpr std::array checkpoint_fields{"signed_seq"sv, "signed_hash"sv, "key_id"sv,
                                       "signature"sv};
constexpr std::array recovered_fields{"torn_bytes"sv, "torn_file"sv, "last_good_seq"sv};
constexpr std::array clock_jumped_fields{"moved_ms"sv};
constexpr std::array not_stored_fields{"request"sv, "device"sv, "bytes_stored"sv, "reason"sv};

constexpr std::array<event_info, 21> events{{
    {audit_event::agent_start, "agent.start", agent_start_fields, false},
    {audit_event::agent_stop, "agent.stop", agent_stop_fields, false},
    {audit_event::config_loaded, "config.loaded", config_loaded_fields, false},
    {audit_event::config_refused, "config.refused", config_refused_fields, true},
    {audit_event::window_added, "window.added", window_added_fields, false},
    {audit_event::window_cancelled, "window.cancelled", window_admin_fields, false},
    {audit_event::window_revoked, "window.revoked", window_admin_fields, true},
    {audit_event::window_opened, "window.opened", window_opened_fields, false},
    {audit_event::window_closed, "window.closed", window_closed_fields, false},
    {audit_event::tunnel_up, "tunnel.up", tunnel_up_fields, false},
    {audit_event::tunnel_down, "tunnel.down", tunnel_down_fields, false},
    {audit_event::request_received, "request.received", request_received_fields, false},
    {audit_event::request_denied, "request.denied", request_denied_fields, true},
    {audit_event::device_session_start, "device.session_start", session_start_fields, false},
    {audit_event::device_session_end, "device.session_end", session_end_fields, false},
    {audit_event::results_sent, "results.sent", results_sent_fields, false},
    {audit_event::session_kill, "session.kill", kill_fields, true},
    {audit_event::log_checkpoint, "log.checkpoint", checkpoint_fields, false},
    {audit_event::log_recovered, "log.recovered", recovered_fields, true},
    {audit_event::clock_jumped, "clock.jumped", clock_jumped_fields, true},
    {audit_event::results_not_stored, "results.not_stored", not_stored_fields, true},
}};

/// Every event, in the order of `events`.
constexpr auto all = [] {
  std::array<audit_event, events.size()> out{};
  for (std::size_t i = 0; i < events.size(); ++i) out[i] = events[i].event;
  return out;
}();

const event_info& info(audit_event event) {
  for (const auto& i : events)
    if (i.event == event) return i;
  throw std::logic_error("audit event without a code");
}

bool is_hex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string to_hex(const unsigned char* data, std::size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 15]);
  }
  return out;
}

int hex_value(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

std::string dump(const nlohmann::ordered_json& json) {
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

nlohmann::ordered_json body_json(const audit_record& r) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["seq"] = r.seq;
  j["time"] = r.time;
  j["event"] = r.event;
  j["fields"] = r.fields;
  j["prev"] = r.prev;
  return j;
}

// Deeper than any record the agent writes; bounds the recursion of re-serialising a line.
constexpr int max_nesting = 16;


}  // namespace

const std::string genesis_hash(64, '0');

std::string_view event_code(audit_event event) { return info(event).code; }

std::optional<audit_event> parse_event_code(std::string_view code) {
  for (const auto& i : events)
    if (i.code == code) return i.event;
  return std::nullopt;
}

std::span<const audit_event> all_events() { return all; }

std::span<const std::string_view> required_fields(audit_event event) {
  return info(event).fields;
}

bool is_warning(audit_event event) { return info(event).warning; }

std::string format_record_time(std::chrono::system_clock::time_point time) {
  return date::format("%FT%TZ", std::chrono::floor<std::chrono::milliseconds>(time));
}

std::string canonical_body(const audit_record& record) { return dump(body_json(record)); }

std::string canonical_line(const audit_record& record) {
  auto j = body_json(record);
  j["hash"] = record.hash;
  return dump(j);
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr))
    throw std::runtime_error("SHA-256 failed");
  return to_hex(digest, size);
}

std::string compute_record_hash(const audit_record& record) {
  std::string input;
  if (is_hex64(record.prev)) {
    input.reserve(32);
    for (std::size_t i = 0; i < 64; i += 2)
      input.push_back(char(hex_value(record.prev[i]) * 16 + hex_value(record.prev[i + 1])));
  } else {
    input = record.prev;  // never verifies: a well-formed record has a hex prev
  }
  input += canonical_body(record);
  return sha256_hex(input);
}

record_parse_result parse_record_line(std::string_view line) {
  record_parse_result out;
  if (common::json_nests_deeper_than(line, max_nesting)) {
    out.error = "nested more than 16 levels deep";
    return out;
  }
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(line, nullptr, false);
  if (j.is_discarded()) {
    out.error = "not valid JSON";
    return out;
  }
  static constexpr std::array keys{"seq", "time", "event", "fields", "prev", "hash"};
  if (!j.is_object() || j.size() != keys.size()) {
    out.error = "not an object with exactly seq, time, event, fields, prev, hash";
    return out;
  }
  std::size_t k = 0;
  for (auto it = j.begin(); it != j.end(); ++it, ++k)
    if (it.key() != keys[k]) {
      out.error = "keys are not seq, time, event, fields, prev, hash in that order";
      return out;
    }
  if (!j["seq"].is_number_unsigned() || !j["time"].is_string() || !j["event"].is_string() ||
      !j["fields"].is_object() || !j["prev"].is_string() || !j["hash"].is_string()) {
    out.error = "a key has the wrong type";
    return out;
  }
  audit_record r;
  r.seq = j["seq"].get<std::uint64_t>();
  r.time = j["time"].get<std::string>();
  r.event = j["event"].get<std::string>();
  r.fields = j["fields"];
  r.prev = j["prev"].get<std::string>();
  r.hash = j["hash"].get<std::string>();
  if (!is_hex64(r.prev) || !is_hex64(r.hash)) {
    out.error = "prev and hash must be 64 lowercase hex digits";
    return out;
  }
  if (canonical_line(r) != line) {
    out.error = "not in canonical form (spacing, escaping or number format changed)";
    return out;
  }
  out.record = std::move(r);
  return out;
}

}  // namespace tether::agent
