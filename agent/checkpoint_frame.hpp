#pragma once

#include <cstdint>
#include <optional>

#include "agent/audit_checkpoint.hpp"
#include "transport/frame.hpp"

namespace tether::agent {

/// An anchor as the AUDIT_CHECKPOINT frame carries it (docs/security.md, "Checkpoints and
/// anchors"): the hex hash and signature as raw bytes; nothing when either is malformed.
std::optional<transport::audit_checkpoint> checkpoint_frame(const audit_anchor& anchor,
                                                            std::int64_t at_ms);

}  // namespace tether::agent
