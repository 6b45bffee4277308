#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/window_policy.hpp"

struct sqlite3;

namespace tether::agent {

/// A registered window's life: waiting or open, then cancelled (before it opened, by an
/// admin), revoked (killed while open) or closed (it ran to its end).
enum class window_state { registered, cancelled, revoked, closed };

/// The stable name of a state (`registered`, ...).
const char* to_string(window_state state);
/// The state named `text`, if any.
std::optional<window_state> parse_window_state(const std::string& text);

/// One row of the registry. Times are kept as the admin wrote them (a wall time stays a
/// wall time, read in the site's zone), `notified_at` as UTC.
struct registered_window {
  std::string id;
  std::string start;
  std::string duration;  // `4h` or empty
  std::string end;       // a time or empty; exactly one of duration and end is set
  std::string notified_at;
  std::int64_t added_by = -1;  // uid of the admin
  window_state state = window_state::registered;
  std::int64_t changed_by = -1;  // uid that cancelled or revoked it
  std::string reason;            // why it left `registered`
};

/// The window as the policy engine reads it, or the first problem with its text.
std::optional<config::window_request> to_request(const registered_window& w, std::string& why);

/// The outcome of a registry write: ok, or why not (`exists`, `unknown`, `io-error: ...`).
struct registry_write {
  bool ok = false;
  std::string error;
};

struct window_registry_open;

/// The daemon's change windows over SQLite (file 0600 in the state folder). One owner.
class window_registry {
 public:
  /// Opens or creates the registry at `path`.
  static window_registry_open open(const std::filesystem::path& path);
  ~window_registry();
  window_registry(const window_registry&) = delete;
  window_registry& operator=(const window_registry&) = delete;

  /// Adds a window; refused (`exists`) when the id is taken, whatever its state.
  registry_write add(const registered_window& w);
  /// Every window, by start as written then id.
  std::vector<registered_window> list() const;
  /// One window by id.
  std::optional<registered_window> find(const std::string& id) const;
  /// Moves a window to `state`, recording who and why.
  registry_write set_state(const std::string& id, window_state state, std::int64_t uid,
                           const std::string& reason);

 private:
  explicit window_registry(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

struct window_registry_open {
  std::unique_ptr<window_registry> value;
  std::string error;  // "window registry PATH: what is wrong"
};

}  // namespace tether::agent
