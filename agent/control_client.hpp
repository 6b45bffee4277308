#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace tether::agent {

/// The daemon's answer, or why there is none (no daemon, refused, timed out, garbled).
struct control_reply {
  std::optional<nlohmann::json> reply;
  std::string error;
};

/// Sends one request to the daemon's control socket at `socket_path` and waits (at most
/// `timeout`) for its one-line answer. Blocking: for tetherctl, not for the daemon.
control_reply call_control(const std::string& socket_path, const nlohmann::json& request,
                           std::chrono::milliseconds timeout = std::chrono::seconds(15));

}  // namespace tether::agent
