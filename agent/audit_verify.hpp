#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent/audit_checkpoint.hpp"

namespace tether::agent {

/// What verification concluded about a log.
enum class audit_verdict { ok, tampered, unreadable };

/// How to verify: the agent's public key (checks checkpoint signatures), the console's
/// anchors (detects truncation past the last record), and whether a torn last line (no
/// newline, as a crash leaves it) is reported as such instead of as tampering.
struct audit_verify_options {
  const audit_key* key = nullptr;
  std::vector<audit_anchor> anchors;
  bool allow_torn_tail = false;
};

/// The verdict, the first bad line (1-based, 0 when the whole file is at fault) and why,
/// and what was seen up to there.
struct audit_verify_result {
  audit_verdict verdict = audit_verdict::ok;
  std::size_t line = 0;
  std::string reason;
  std::uint64_t records = 0;
  std::uint64_t checkpoints = 0;
  std::uint64_t signatures_checked = 0;
  std::uint64_t anchors_checked = 0;
  std::uint64_t last_seq = 0;
  std::uint64_t last_signed_seq = 0;  // the head the last verified signature covers
  std::string last_hash;
  std::size_t good_bytes = 0;  // length of the verified prefix (complete lines)
  std::size_t torn_bytes = 0;  // bytes after the last newline, with allow_torn_tail
};

/// Verifies a whole log: every line canonical, numbered 1, 2, 3..., chained to the one
/// before, hashed correctly; checkpoints sign their predecessor (and verify under the key
/// when given); every anchor matches a record or shows the log was cut short.
audit_verify_result verify_audit_log(std::string_view content,
                                     const audit_verify_options& options = {});

}  // namespace tether::agent
