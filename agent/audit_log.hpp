#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/audit_checkpoint.hpp"
#include "agent/audit_event.hpp"
#include "agent/audit_sink.hpp"

namespace tether::agent {

/// Where the chain stands: the last record's number and hash.
struct audit_chain_tip {
  std::uint64_t seq = 0;
  std::string hash = genesis_hash;
};

/// The outcome of one append: the record's number and hash, or why it was not written —
/// in which case the caller must not perform the action it was about to record.
struct audit_append_result {
  bool ok = false;
  std::uint64_t seq = 0;
  std::string hash;
  std::string error;
};

/// The wall clock the log stamps records with (injected so tests can fix time).
using audit_clock = std::function<std::chrono::system_clock::time_point()>;

/// The append-only, hash-chained audit log. Each append serialises the record, chains it
/// to the previous one, and writes it durably through the sink before returning. After a
/// failed write the log refuses every further record (its state on disk is unknown) until
/// it is reopened. Used from one thread (the agent's io thread).
class audit_log {
 public:
  explicit audit_log(std::unique_ptr<audit_sink> sink, audit_chain_tip tip = {},
                     audit_clock clock = std::chrono::system_clock::now);

  /// Appends one event; see audit_append_result.
  audit_append_result append(audit_event event, nlohmann::ordered_json fields);

  /// One event of a group.
  struct entry {
    audit_event event;
    nlohmann::ordered_json fields;
  };

  /// Appends events in order with one write and one sync: all are durable, or none is
  /// accepted (the result then says why; on success it names the last record). Used where
  /// many records are due at once, such as every unfinished device at a window's end.
  audit_append_result append_group(std::vector<entry> entries);

  /// Signs a checkpoint every `every` records (0: only on demand) with `key`; `on_anchor`
  /// receives each anchor (the daemon sends it to the console).
  void enable_checkpoints(audit_key key, std::uint64_t every,
                          std::function<void(const audit_anchor&)> on_anchor = {});

  /// Calls `observer` with each record once it is durable (e.g. syslog_forwarder::forward).
  void on_written(std::function<void(const audit_record&)> observer) {
    observer_ = std::move(observer);
  }

  /// Writes a `log.checkpoint` record signing the current head (window end, shutdown).
  audit_append_result checkpoint();

  /// The last record written: where the next one chains from.
  const audit_chain_tip& tip() const { return tip_; }
  /// True once a write failed: nothing more is accepted.
  bool failed() const { return failed_; }

 private:
  audit_append_result write_records(std::vector<entry> entries);
  void count_towards_checkpoint(std::size_t records);

  std::unique_ptr<audit_sink> sink_;
  audit_chain_tip tip_;
  audit_clock clock_;
  bool failed_ = false;
  std::optional<audit_key> key_;
  std::uint64_t every_ = 0;
  std::uint64_t since_checkpoint_ = 0;
  std::function<void(const audit_anchor&)> on_anchor_;
  std::function<void(const audit_record&)> observer_;
};

/// The log opened from a file, or why it could not be; `recovered` tells what was done
/// about a torn last line.
struct audit_open_result {
  std::unique_ptr<audit_log> log;
  std::string error;
  std::optional<std::string> recovered;
};

/// Opens (creating if absent) the audit log file at `path`, verifies the existing chain and
/// continues it. A torn last line (a crash mid-write) is moved aside into
/// `<path>.torn-<seq>` and a `log.recovered` record says so; any other defect (an edited,
/// missing or reordered record) refuses to open: the log is never silently continued.
audit_open_result open_audit_log(const std::filesystem::path& path,
                                 audit_clock clock = std::chrono::system_clock::now);

}  // namespace tether::agent
