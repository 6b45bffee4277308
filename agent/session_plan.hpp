#pragma once

#include <date/date.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "config/window_policy.hpp"

namespace tether::agent {

/// Where the session stands: no tunnel, a tunnel, or a tunnel refusing new requests.
enum class session_state { idle, open, closing };

/// The stable name of a state (`idle`, `open`, `closing`).
const char* to_string(session_state state);

/// A registered window as the planner sees it: the request, and why it may no longer open
/// (`closed`, `revoked`), if so. Cancelled windows are not given at all.
struct planned_window {
  config::window_request request;
  std::optional<std::string> spent;
};

/// Everything a plan depends on: no clock is read, `now` is a parameter.
struct plan_input {
  const config::window_policy* policy = nullptr;
  std::vector<planned_window> windows;
  std::chrono::system_clock::time_point now;
  bool clock_synchronized = true;
  std::optional<std::string> open_window;  // the window whose tunnel is up now, if any
};

/// The notices the console gets before the end: minutes left.
inline constexpr std::chrono::minutes closing_notices[] = {std::chrono::minutes(15),
                                                           std::chrono::minutes(5)};
/// How often an unsynchronised clock is looked at again while a window is due.
inline constexpr std::chrono::seconds unsynced_recheck{30};

/// What the daemon should be doing at `now`, and when to look again.
struct session_plan {
  session_state state = session_state::idle;
  std::string reason;                        // idle: no-window, window-invalid, window-closed,
                                             // window-revoked, clock-unsynchronized
  std::optional<std::string> window;         // open/closing: the window
  std::optional<date::sys_seconds> closes_at;
  std::optional<date::sys_seconds> next_opens_at;  // the next valid, unspent window
  std::optional<std::chrono::system_clock::time_point> wake_at;  // the next instant that matters
  std::vector<std::chrono::minutes> notices_due;   // closing notices whose time has come
};

/// Decides, purely, whether a tunnel should be up at `in.now` and until when.
session_plan plan_session(const plan_input& in);

}  // namespace tether::agent
