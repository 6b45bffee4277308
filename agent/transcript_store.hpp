#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tether::agent {

/// One request as the transcript keeps it: who asked for what, when, in which window.
struct transcript_request {
  std::string window;
  std::uint64_t request_id = 0;
  std::string engineer;
  std::string collector;
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  std::vector<std::string> devices;
  std::string received_at;  // UTC
  std::vector<std::string> commands;  // the device commands rendered from the collector
};

/// One device's part of a request: the commands and exactly the bytes that left the host.
struct transcript_device {
  std::string device;
  std::string status;      // the result document's status
  std::string started_at;  // UTC
  std::string ended_at;
  nlohmann::ordered_json commands = nlohmann::ordered_json::array();  // command, status, bytes, sha256, redactions, truncated
  std::string sha256;      // of the result document bytes handed to the sink
  std::uint64_t bytes = 0;
};

/// A request with the devices whose results are recorded so far.
struct transcript_session {
  transcript_request request;
  std::vector<transcript_device> devices;
};

/// The outcome of a store operation: empty `error` when it worked.
struct transcript_status {
  std::string error;
  bool ok() const { return error.empty(); }
};

/// The session transcripts under `state_dir/transcripts/` (folders 0700, files 0600):
/// WINDOW/REQUEST/request.json, WINDOW/REQUEST/DEVICE.json (what was run, the document's
/// sha256) and WINDOW/REQUEST/DEVICE.result (the exact result-document bytes), plus
/// index.jsonl (one line per request) for listing. Written by the agent only; read back
/// offline by `tetherctl session`, which treats the files as untrusted.
class transcript_store {
 public:
  /// The store under `state_dir` (folders are created on the first write).
  explicit transcript_store(std::filesystem::path state_dir);

  /// Records a new request; refused when that window already has a request with its id.
  transcript_status begin_request(const transcript_request& request);
  /// Whether `window` already has a request numbered `request_id`.
  bool has_request(const std::string& window, std::uint64_t request_id) const;
  /// Records one device's result: its summary and the exact document bytes.
  transcript_status record_device(const std::string& window, std::uint64_t request_id,
                                  const transcript_device& device, std::string_view document);

  /// Every request, oldest first, only those of `window` when given; `error` names a
  /// file that could not be read.
  std::vector<transcript_request> list(const std::optional<std::string>& window,
                                       std::string& error) const;
  /// One request and its devices; nullopt (and `error`) when unknown or ambiguous
  /// (the same id in two windows and no window given).
  std::optional<transcript_session> show(std::uint64_t request_id,
                                         const std::optional<std::string>& window,
                                         std::string& error) const;
  /// The devices of a request (as list() gives it) that have ended, in its device order;
  /// `error` names a file that could not be read.
  std::vector<transcript_device> devices(const transcript_request& request, std::string& error) const;
  /// The exact document bytes recorded for one device, or nullopt.
  std::optional<std::string> document(const std::string& window, std::uint64_t request_id,
                                      const std::string& device) const;

  /// The transcripts folder, `state_dir/transcripts`.
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path request_dir(const std::string& window, std::uint64_t request_id) const;
  transcript_status ensure_dir(const std::filesystem::path& dir) const;

  std::filesystem::path root_;
};

}  // namespace tether::agent
