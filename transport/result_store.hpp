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
/// rewritten in place). A chunk is appended and fsynced, then the progress record is
/// rewritten and fsynced; only then may it be acknowledged. After a crash the data file is
/// cut back to the recorded size, so a chunk half-written or written but not recorded is
/// simply received again. Files are created 0600. One io thread; not thread-safe.
class result_store {
 public:
  /// A store under `root` (created 0700 if missing).
  explicit result_store(std::filesystem::path root);

  /// The stored progress of a result (after recovering its files), or an error message.
  std::pair<stored_progress, std::string> progress(const std::string& site, std::uint64_t result_id);

  /// Appends DATA chunk `sequence` (must be next_sequence) durably; empty string when done.
  std::string append(const std::string& site, std::uint64_t result_id, std::uint64_t sequence,
                     std::span<const std::uint8_t> bytes);

  /// Records the END at `sequence` durably; empty string when done.
  std::string finish(const std::string& site, std::uint64_t result_id, std::uint64_t sequence,
                     end_status status);

  /// The data file of a result (for readers and tests).
  std::filesystem::path data_path(const std::string& site, std::uint64_t result_id) const;

 private:
  std::filesystem::path state_path(const std::string& site, std::uint64_t result_id) const;
  std::string write_state(const std::string& site, std::uint64_t result_id, const stored_progress& p);

  std::filesystem::path root_;
  std::map<std::pair<std::string, std::uint64_t>, stored_progress> known_;
};

}  // namespace tether::transport
