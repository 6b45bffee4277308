#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/collect_status.hpp"
#include "transport/frame.hpp"
#include "transport/message_text.hpp"

namespace tether::agent {

/// One command of a result: what ran and its redacted output.
struct result_command {
  std::string command;
  std::string status = "cancelled";  // a collect_status name
  std::string output;                // redacted, valid UTF-8
  std::size_t redactions = 0;
  bool truncated = false;            // output cut (output cap, or the run was cut)
};

/// One collector on one device: everything the result document says (docs/protocol.md,
/// "Result document").
struct device_result {
  std::uint64_t request_id = 0;
  std::string site;
  std::string window;
  std::string device;
  std::string host;
  std::string collector;
  transport::end_status status = transport::end_status::ok;
  std::string started_at;  // UTC
  std::string ended_at;
  bool truncated = false;  // the run was cut (window closed, cancelled)
  std::vector<result_command> commands;
  std::optional<nlohmann::ordered_json> parsed;
  std::optional<nlohmann::ordered_json> scope;
};

/// The format identifier written into every result document.
inline constexpr std::string_view result_format = "tether-result/1";

/// How a device's run ended, judged from its commands' outcomes in order: the first one
/// that is not ok (or truncated at the output cap) decides.
transport::end_status end_status_of(const std::vector<collectors::collect_status>& outcomes);

/// Outputs are repaired to UTF-8 (U+FFFD) so that the document and the sha256 over it agree.
using transport::valid_utf8;

/// The result document: one JSON object, UTF-8, ending in a newline.
std::string result_document(const device_result& result);

/// The document's per-command summary (no output): command, status, bytes, sha256,
/// redactions, truncated. The transcript keeps it.
nlohmann::ordered_json command_summary(const result_command& command);

/// UTC now as 2026-12-08T09:00:00.123Z.
std::string utc_now();

}  // namespace tether::agent
