#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace tether::console {

/// One result in the index: one collector run on one device, as the agent streamed it.
struct result_row {
  std::int64_t id = 0;              ///< the console's id for it (`show ID`)
  std::string site;
  std::string window_id;
  std::uint64_t request_id = 0;
  std::uint64_t result_id = 0;      ///< the agent's id (unique per site)
  std::string device;
  std::string collector;
  std::string commands_json = "[]"; ///< [{"command","status","bytes","sha256","redactions","truncated"}]
  std::uint64_t bytes = 0;          ///< bytes of the whole result document
  std::string sha256;               ///< of the whole result document, hex; empty while running
  std::string status = "running";   ///< "running", then an end status ("ok", "timeout", ...)
  std::string message;              ///< the END_STREAM message
  std::int64_t started_ms = 0;
  std::int64_t finished_ms = 0;     ///< 0 while running
};

/// A request the console sent, and its denial when the agent refused it.
struct request_row {
  std::uint64_t request_id = 0;
  std::string site;
  std::string engineer;
  std::string collector;
  std::string json;
  std::int64_t sent_ms = 0;
  std::string denied_reason;   ///< empty unless denied
  std::string denied_message;
};

/// A hand-off note an engineer left for a site.
struct note_row {
  std::int64_t id = 0;
  std::string site;
  std::int64_t at_ms = 0;
  std::string author;
  std::string text;
};

/// An audit checkpoint an agent sent, kept as an anchor for its chain.
struct anchor_row {
  std::string site;
  std::uint64_t audit_sequence = 0;
  std::string chain_head;   ///< hex
  std::string signature;    ///< hex
  std::int64_t at_ms = 0;   ///< the checkpoint's time
  std::int64_t received_ms = 0;
};

/// Rows read from the index, or why they could not be.
template <class Row>
struct index_rows {
  std::vector<Row> rows;
  std::string error;
};

struct result_index_open;

/// The console's index over the stored results (SQLite at data_dir/index.sqlite, 0600, WAL):
/// results, requests, hand-off notes and audit anchors. Writes return an error message or
/// empty; nothing throws. One owner; not thread-safe.
class result_index {
 public:
  /// Opens or creates the index (created 0600; refused when others may read it).
  static result_index_open open(const std::filesystem::path& path);

  result_index(const result_index&) = delete;
  result_index& operator=(const result_index&) = delete;
  ~result_index();

  /// Records a request sent to a site.
  std::string add_request(const request_row& r);
  /// Records that the agent denied a request.
  std::string deny_request(const std::string& site, std::uint64_t request_id, const std::string& reason,
                           const std::string& message);
  /// The request with this id.
  index_rows<request_row> requests(const std::string& site, std::optional<std::uint64_t> request_id = {});

  /// A result stream opened: inserts its row (status running) unless it is already there
  /// (a resend after a reconnect keeps the first start time). Returns an error or empty.
  std::string open_result(const result_row& r);
  /// A result ended: status, message, size, digest and commands of the whole document.
  std::string finish_result(const result_row& r);
  /// The results of a site (of one request when given), oldest first.
  index_rows<result_row> results(const std::string& site, std::optional<std::uint64_t> request_id = {});
  /// One result by the console's id.
  index_rows<result_row> result(std::int64_t id);

  /// Adds a hand-off note.
  std::string add_note(const note_row& n);
  /// The notes of a site, oldest first.
  index_rows<note_row> notes(const std::string& site);

  /// Keeps an audit checkpoint (the same sequence twice is stored once).
  std::string add_anchor(const anchor_row& a);
  /// The anchors of a site, by audit sequence.
  index_rows<anchor_row> anchors(const std::string& site);

 private:
  explicit result_index(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

struct result_index_open {
  std::unique_ptr<result_index> value;  ///< set on success
  std::string error;                    ///< "index /path: what is wrong"
};

}  // namespace tether::console
