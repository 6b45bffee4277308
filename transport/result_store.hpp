#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <utility>

#include "transport/frame.hpp"

namespace tether::transport {

/// How far a stored result has got: the next chunk sequence, its bytes, whether it ended.
struct stored_progress {
  std::uint64_t next_sequence = 0;
  std::uint64_t bytes = 0;
  bool finished = false;
  end_status status = end_status::ok;
};

/// The console's durable copy of results: per site a folder, per result the raw bytes in
/// `result-<id>.data` and its progress in `result-<id>.state` (one fixed-size record
/// rewritten in place). Chunks are written (`write`, `write_end`), then `sync` fsyncs the
/// data files and rewrites and fsyncs the progress records of everything written since the
/// last sync; only synced chunks may be acknowledged. One sync per batch of chunks rather
/// than per chunk is what makes the console fast on a disk whose fsync costs milliseconds.
/// After a crash the data file is cut back to the recorded size, so a chunk half-written or
/// written but not recorded is simply received again. Files are created 0600. One io
/// thread; not thread-safe.
class result_store {
 public:
  /// A store under `root` (created 0700 if missing).
  explicit result_store(std::filesystem::path root);

  /// The stored progress of a result (after recovering its files), or an error message.
  std::pair<stored_progress, std::string> progress(const std::string& site, std::uint64_t result_id);

  result_store(const result_store&) = delete;
  result_store& operator=(const result_store&) = delete;
  ~result_store();

  /// Writes DATA chunk `sequence` (must be next_sequence), durable after the next sync();
  /// empty string when done.
  std::string write(const std::string& site, std::uint64_t result_id, std::uint64_t sequence,
                    std::span<const std::uint8_t> bytes);

  /// Records the END at `sequence`, durable after the next sync(); empty string when done.
  std::string write_end(const std::string& site, std::uint64_t result_id, std::uint64_t sequence,
                        end_status status);

  /// Makes everything written since the last sync durable (data fdatasync, then the progress
  /// records); empty string when done. On failure the unsynced chunks are forgotten (their
  /// files are recovered on the next progress()), so they are received and stored again.
  std::string sync();

  /// DATA bytes written and not yet synced.
  std::uint64_t unsynced_bytes() const { return unsynced_bytes_; }

  /// Chunks (DATA and END) written since the last sync, by any session.
  std::size_t unsynced_chunks() const { return unsynced_chunks_; }

  /// write() then sync(): one chunk stored durably; empty string when done.
  std::string append(const std::string& site, std::uint64_t result_id, std::uint64_t sequence,
                     std::span<const std::uint8_t> bytes);

  /// write_end() then sync(): the END stored durably; empty string when done.
  std::string finish(const std::string& site, std::uint64_t result_id, std::uint64_t sequence,
                     end_status status);

  /// Results whose progress is held in memory: the unfinished ones seen since start (a
  /// finished one is forgotten once synced), for tests.
  std::size_t remembered() const { return known_.size(); }

  /// The data file of a result (for readers and tests).
  std::filesystem::path data_path(const std::string& site, std::uint64_t result_id) const;

 private:
  std::filesystem::path state_path(const std::string& site, std::uint64_t result_id) const;
  using key = std::pair<std::string, std::uint64_t>;
  /// A result written since the last sync: its open data file and whether its files are new.
  struct unsynced {
    int data_fd = -1;
    bool new_files = false;
    std::uint64_t flushed_to = 0;  ///< data bytes whose write-back was started (sync_file_range)
  };
  std::string write_state(const key& k, const stored_progress& p, bool new_files);
  unsynced& unsynced_entry(const key& k);
  /// Starts the disk's write-back of what `u` wrote up to `written_to`, a MiB at a time.
  void start_write_back(unsynced& u, std::uint64_t written_to);
  void drop_unsynced();

  std::filesystem::path root_;
  std::map<key, stored_progress> known_;
  std::map<key, unsynced> unsynced_;
  std::uint64_t unsynced_bytes_ = 0;
  std::size_t unsynced_chunks_ = 0;
};

}  // namespace tether::transport
