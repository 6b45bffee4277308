#include "transport/handshake.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace tether::transport {

namespace {

/// "75.3 s ahead of" / "2.0 s behind": how `theirs` relates to `ours`.
std::string skew_text(std::int64_t theirs, std::int64_t ours) {
  const double seconds = static_cast<double>(theirs - ours) / 1000.0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f s %s", seconds < 0 ? -seconds : seconds,
                seconds < 0 ? "behind" : "ahead of");
  return buf;
}

std::optional<goaway> check_skew(const char* who, const char* other, std::int64_t theirs,
                                 std::int64_t ours, const handshake_policy& policy) {
  // Both are validated times (0 < t < year 10000), so the difference cannot overflow.
  const auto diff = theirs > ours ? theirs - ours : ours - theirs;
  if (diff <= policy.max_clock_skew.count()) return std::nullopt;
  return goaway{"clock-skew", true,
                std::string(who) + " clock is " + skew_text(theirs, ours) + " " + other +
                    " clock (at most " + std::to_string(policy.max_clock_skew.count() / 1000) +
                    " s allowed); fix NTP"};
}

}  // namespace

hello_verdict evaluate_hello(const hello& h, std::int64_t console_now_ms,
                             const handshake_policy& policy) {
  const auto high = std::min(h.max_version, policy.max_version);
  const auto low = std::max(h.min_version, policy.min_version);
  if (low > high)
    return {std::nullopt,
            goaway{"version-unsupported", false,
                   "agent speaks versions " + std::to_string(h.min_version) + ".." +
                       std::to_string(h.max_version) + ", console " +
                       std::to_string(policy.min_version) + ".." +
                       std::to_string(policy.max_version)}};
  if (auto refusal = check_skew("agent", "the console's", h.agent_time_ms, console_now_ms, policy))
    return {std::nullopt, std::move(refusal)};
  if (h.window_closes_at_ms <= console_now_ms)
    return {std::nullopt,
            goaway{"window-closed", false, "window " + h.window_id + " has already closed"}};
  return {high, std::nullopt};
}

std::optional<goaway> evaluate_hello_ack(const hello& sent, const hello_ack& ack,
                                         std::int64_t agent_now_ms,
                                         const handshake_policy& policy) {
  if (ack.version < std::max(sent.min_version, policy.min_version) ||
      ack.version > std::min(sent.max_version, policy.max_version))
    return goaway{"version-unsupported", false,
                  "console chose version " + std::to_string(ack.version) + ", not offered"};
  return check_skew("console", "the agent's", ack.console_time_ms, agent_now_ms, policy);
}

}  // namespace tether::transport
