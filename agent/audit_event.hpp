#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tether::agent {

/// The stable audit event codes: what the security team filters and alerts on. A code is
/// never renamed or reused; new codes are only ever added.
enum class audit_event {
  agent_start,           // agent.start
  agent_stop,            // agent.stop
  config_loaded,         // config.loaded
  config_refused,        // config.refused
  window_added,          // window.added
  window_cancelled,      // window.cancelled
  window_revoked,        // window.revoked
  window_opened,         // window.opened
  window_closed,         // window.closed
  tunnel_up,             // tunnel.up
  tunnel_down,           // tunnel.down
  request_received,      // request.received
  request_denied,        // request.denied
  device_session_start,  // device.session_start
  device_session_end,    // device.session_end
  results_sent,          // results.sent
  session_kill,          // session.kill
  log_checkpoint,        // log.checkpoint
  log_recovered,         // log.recovered
  clock_jumped,          // clock.jumped
  results_not_stored,    // results.not_stored
};

/// The code as written in the log, e.g. `window.added`.
std::string_view event_code(audit_event event);

/// The event named by `code`, or nothing for a code this build does not know.
std::optional<audit_event> parse_event_code(std::string_view code);

/// Every event, in declaration order (for tables, docs and tests).
std::span<const audit_event> all_events();

/// The field names every record of `event` carries (more are allowed).
std::span<const std::string_view> required_fields(audit_event event);

/// Whether the security team should look at it first: denials, refusals, kills, recovery.
bool is_warning(audit_event event);

/// One line of the audit log: a numbered event, chained to the record before it.
struct audit_record {
  std::uint64_t seq = 0;
  std::string time;  // UTC, 2026-12-08T09:00:00.123Z
  std::string event;
  nlohmann::ordered_json fields = nlohmann::ordered_json::object();
  std::string prev;  // hex SHA-256 of the previous record; 64 zeros for the first
  std::string hash;  // hex SHA-256 over prev || canonical_body(*this)
};

/// The previous-hash of the first record.
extern const std::string genesis_hash;

/// `time` in the log's format: UTC with milliseconds and `Z`.
std::string format_record_time(std::chrono::system_clock::time_point time);

/// The record without its hash as one canonical JSON line (fixed key order, no spaces, no
/// newline): the bytes the hash covers after the previous hash.
std::string canonical_body(const audit_record& record);

/// The whole record as the one line written to the log (without the newline).
std::string canonical_line(const audit_record& record);

/// hex(SHA-256(raw(prev) || canonical_body(record))).
std::string compute_record_hash(const audit_record& record);

/// hex(SHA-256(bytes)).
std::string sha256_hex(std::string_view bytes);

/// Outcome of reading one line: the record, or why it is not a canonical record.
struct record_parse_result {
  std::optional<audit_record> record;
  std::string error;
};

/// Reads one log line strictly: JSON with exactly the keys seq, time, event, fields, prev,
/// hash in that order, each of the right type, and byte-for-byte canonical.
record_parse_result parse_record_line(std::string_view line);

}  // namespace tether::agent
