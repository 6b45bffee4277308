#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "transport/frame.hpp"

struct sqlite3;

namespace tether::transport {

/// How much the spool may hold before it refuses new chunks.
struct spool_limits {
  std::uint64_t max_bytes = 256ull * 1024 * 1024;  ///< DATA bytes not yet acknowledged
};

/// The outcome of a spool write; anything but `ok` wrote nothing.
enum class spool_status {
  ok,
  full,            ///< the chunk would exceed max_bytes: the console is not acknowledging
  too_large,       ///< empty chunk, or more than max_chunk_size bytes
  unknown_result,  ///< no such result in the spool
  finished,        ///< the result already has its END
  io_error,        ///< SQLite failed (disk full, I/O error); see the message
};

/// The stable name of a spool status ("full").
const char* to_string(spool_status status);

/// A result: one collector run on one device, the unit the agent streams.
struct spooled_result {
  std::uint64_t result_id = 0;
  std::uint64_t request_id = 0;
  std::string collector;
  std::string device;
  bool operator==(const spooled_result&) const = default;
};

/// A chunk in the spool, ready to be (re)sent as DATA or END_STREAM.
struct spooled_chunk {
  chunk_id id;
  chunk_kind kind = chunk_kind::data;
  std::vector<std::uint8_t> bytes;    ///< DATA bytes, or the END message (UTF-8)
  digest sha256{};                    ///< of `bytes`
  end_status status = end_status::ok; ///< for END
  bool operator==(const spooled_chunk&) const = default;
};

/// A chunk's place in the spool without its bytes.
struct chunk_ref {
  chunk_id id;
  chunk_kind kind = chunk_kind::data;
  std::size_t size = 0;  ///< bytes (DATA) or message bytes (END)
  std::uint64_t position = 0;  ///< its place in append order (increasing, never reused)
  bool operator==(const chunk_ref&) const = default;
};

/// Chunk references read from the spool, in order; on a read error, those before it and the error.
struct chunk_ref_listing {
  std::vector<chunk_ref> refs;
  std::string error;
};

/// The outcome of a write: status, the chunk or result it made, and why it failed.
struct spool_write {
  spool_status status = spool_status::ok;
  chunk_id id;            ///< the new chunk (for begin_result: result_id, sequence 0)
  std::string message;    ///< empty when ok
};

/// Chunks read from the spool, in order; on a read error, those before it and the error.
struct spool_listing {
  std::vector<spooled_chunk> chunks;
  std::string error;   ///< empty when the whole listing was read
};

/// The outcome of opening a spool: the spool, or why it could not be opened.
struct spool_open_result;

/// The agent's durable outbox (SQLite, WAL, synchronous=FULL, file mode 0600): every result
/// chunk is committed here before it is sent, deleted when the console acknowledges it, and
/// resent after a reconnect while unacknowledged. Single owner; not thread-safe.
class spool {
 public:
  /// Opens or creates the spool at `path` (created 0600; refused if others may read it).
  static spool_open_result open(const std::filesystem::path& path, spool_limits limits = {});

  spool(const spool&) = delete;
  spool& operator=(const spool&) = delete;
  ~spool();

  /// Registers a new result; its id is never reused, even after it is deleted. Refused as
  /// `full` while nine tenths of max_bytes wait for acknowledgement.
  spool_write begin_result(std::uint64_t request_id, const std::string& collector,
                           const std::string& device);

  /// Appends the next DATA chunk of a result (sequence assigned here, from 0, no gaps).
  spool_write append(std::uint64_t result_id, std::span<const std::uint8_t> bytes);

  /// Appends `bytes` cut into chunks of max_chunk_size (the last one shorter) in one
  /// transaction: one fsync for what a collector produced in one read. All or nothing;
  /// returns the last chunk's id.
  spool_write append_all(std::uint64_t result_id, std::span<const std::uint8_t> bytes);

  /// Appends the result's END (the chunk after its last DATA); nothing may follow it.
  spool_write finish(std::uint64_t result_id, end_status status, const std::string& message);

  /// Until end_batch(), commits do not wait for their own fsync (WAL, synchronous = NORMAL:
  /// a crash of the process loses nothing, a power cut may lose the batch).
  void begin_batch();
  /// Makes every commit since begin_batch() durable with one fsync; empty string when done.
  std::string end_batch();

  /// Ends every unfinished result with `agent_error` (after a restart: their runs are gone).
  spool_write abandon_unfinished(const std::string& message);

  /// The console stored this chunk: delete it (and its result once fully acknowledged).
  /// Returns false when it was not in the spool (already acknowledged, or never spooled).
  bool acknowledge(chunk_id id);

  /// Acknowledges the entries of one ACK frame in a single transaction (one fsync);
  /// returns how many were in the spool. On an I/O error nothing is deleted (they are resent).
  std::size_t acknowledge(std::span<const chunk_id> ids);

  /// Unacknowledged chunks in the order they were appended, at most `limit`.
  spool_listing unacknowledged(std::size_t limit = 1024) const;

  /// Unacknowledged chunks in append order without their bytes (cheap), at most `limit`,
  /// starting at append position `from` (0: the oldest).
  chunk_ref_listing pending(std::size_t limit = 4096, std::uint64_t from = 0) const;

  /// One unacknowledged chunk with its bytes, or nothing (acknowledged, or a read error).
  /// The bytes are read into `buffer`'s storage (a sender recycles its sent chunks' buffers).
  std::optional<spooled_chunk> chunk(chunk_id id, std::vector<std::uint8_t> buffer = {}) const;

  /// A result's identity, while it has chunks or no END yet.
  std::optional<spooled_result> result(std::uint64_t result_id) const;

  /// How many chunks (DATA and END) wait for acknowledgement (0 on a read error).
  std::size_t chunk_count() const;

  /// DATA bytes held, counted against max_bytes.
  std::uint64_t used_bytes() const { return used_bytes_; }

  /// The limits the spool enforces.
  const spool_limits& limits() const { return limits_; }

 private:
  spool(sqlite3* db, spool_limits limits);
  bool delete_chunk(chunk_id id);
  /// "spool full: N of M bytes wait for the console's acknowledgement".
  std::string full_message() const;
  /// Adds DATA (cut into chunks of max_chunk_size) or one END in one transaction.
  spool_write add_chunk(std::uint64_t result_id, chunk_kind kind,
                        std::span<const std::uint8_t> bytes, end_status status);

  class statement_cache;

  sqlite3* db_;
  std::unique_ptr<statement_cache> statements_;  ///< the per-chunk queries, prepared once
  spool_limits limits_;
  std::uint64_t used_bytes_ = 0;
  bool batch_ = false;  ///< begin_batch() .. end_batch(): synchronous = NORMAL
};

struct spool_open_result {
  std::unique_ptr<spool> value;   ///< set on success
  std::string error;              ///< "spool /path: what is wrong" on failure
};

}  // namespace tether::transport
