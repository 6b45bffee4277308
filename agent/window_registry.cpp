#include "agent/window_registry.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "config/duration.hpp"

namespace tether::agent {

namespace {

/// A prepared statement, finalised on scope exit.
class statement {
 public:
  statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~statement() { sqlite3_finalize(stmt_); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  bool ok() const { return stmt_ != nullptr; }
  void bind(int i, const std::string& text) {
    sqlite3_bind_text(stmt_, i, text.c_str(), int(text.size()), SQLITE_TRANSIENT);
  }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  int step() { return stmt_ ? sqlite3_step(stmt_) : SQLITE_ERROR; }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string error() const { return sqlite3_errmsg(db_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

constexpr const char* columns =
    "id, start, duration, end_time, notified_at, added_by, state, changed_by, reason";

registered_window read_row(const statement& s) {
  registered_window w;
  w.id = s.text(0);
  w.start = s.text(1);
  w.duration = s.text(2);
  w.end = s.text(3);
  w.notified_at = s.text(4);
  w.added_by = s.integer(5);
  w.state = parse_window_state(s.text(6)).value_or(window_state::cancelled);
  w.changed_by = s.integer(7);
  w.reason = s.text(8);
  return w;
}

/// Creates the file 0600 if missing; refuses a symlink, a non-file, or a mode others can read.
std::string check_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return std::string("cannot open: ") + std::strerror(errno);
  struct stat st {};
  const int rc = ::fstat(fd, &st);
  ::close(fd);
  if (rc != 0 || !S_ISREG(st.st_mode)) return "not a regular file";
  if ((st.st_mode & 077) != 0) return "other users may read or write it; chmod 600 it";
  return {};
}

}  // namespace

const char* to_string(window_state state) {
  switch (state) {
    case window_state::registered: return "registered";
    case window_state::cancelled: return "cancelled";
    case window_state::revoked: return "revoked";
    case window_state::closed: return "closed";
  }
  return "cancelled";
}

std::optional<window_state> parse_window_state(const std::string& text) {
  for (auto s : {window_state::registered, window_state::cancelled, window_state::revoked,
                 window_state::closed})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

std::optional<config::window_request> to_request(const registered_window& w, std::string& why) {
  config::window_request r;
  r.id = w.id;
  auto start = config::parse_time(w.start, why);
  auto notified = config::parse_time(w.notified_at, why);
  if (!start || !notified) return std::nullopt;
  r.start = *start;
  r.notified_at = *notified;
  if (!w.duration.empty()) {
    r.duration = config::parse_duration(w.duration, why);
    if (!r.duration) return std::nullopt;
  } else {
    r.end = config::parse_time(w.end, why);
    if (!r.end) return std::nullopt;
  }
  return r;
}

window_registry_open window_registry::open(const std::filesystem::path& path) {
  const std::string prefix = "window registry " + path.string() + ": ";
  if (auto problem = check_file(path); !problem.empty()) return {nullptr, prefix + problem};
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return {nullptr, prefix + message};
  }
  std::unique_ptr<window_registry> r(new window_registry(db));
  char* err = nullptr;
  const char* schema =
      "PRAGMA busy_timeout = 5000;"
      "PRAGMA synchronous = FULL;"
      "CREATE TABLE IF NOT EXISTS windows ("
      " id TEXT PRIMARY KEY, start TEXT NOT NULL, duration TEXT NOT NULL, end_time TEXT NOT NULL,"
      " notified_at TEXT NOT NULL, added_by INTEGER NOT NULL, state TEXT NOT NULL,"
      " changed_by INTEGER NOT NULL DEFAULT -1, reason TEXT NOT NULL DEFAULT '');";
  if (sqlite3_exec(db, schema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : "cannot create the schema";
    sqlite3_free(err);
    return {nullptr, prefix + message};
  }
  return {std::move(r), {}};
}

window_registry::~window_registry() { sqlite3_close(db_); }

registry_write window_registry::add(const registered_window& w) {
  statement s(db_,
              "INSERT INTO windows (id, start, duration, end_time, notified_at, added_by, state)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'registered')");
  s.bind(1, w.id);
  s.bind(2, w.start);
  s.bind(3, w.duration);
  s.bind(4, w.end);
  s.bind(5, w.notified_at);
  s.bind(6, w.added_by);
  const int rc = s.step();
  if (rc == SQLITE_DONE) return {true, {}};
  if (rc == SQLITE_CONSTRAINT) return {false, "exists"};
  return {false, "io-error: " + s.error()};
}

std::vector<registered_window> window_registry::list() const {
  statement s(db_, (std::string("SELECT ") + columns + " FROM windows ORDER BY start, id").c_str());
  std::vector<registered_window> out;
  while (s.step() == SQLITE_ROW) out.push_back(read_row(s));
  return out;
}

std::optional<registered_window> window_registry::find(const std::string& id) const {
  statement s(db_, (std::string("SELECT ") + columns + " FROM windows WHERE id = ?1").c_str());
  s.bind(1, id);
  if (s.step() != SQLITE_ROW) return std::nullopt;
  return read_row(s);
}

registry_write window_registry::set_state(const std::string& id, window_state state,
                                          std::int64_t uid, const std::string& reason) {
  statement s(db_, "UPDATE windows SET state = ?2, changed_by = ?3, reason = ?4 WHERE id = ?1");
  s.bind(1, id);
  s.bind(2, std::string(to_string(state)));
  s.bind(3, uid);
  s.bind(4, reason);
  if (s.step() != SQLITE_DONE) return {false, "io-error: " + s.error()};
  if (sqlite3_changes(db_) == 0) return {false, "unknown"};
  return {true, {}};
}

}  // namespace tether::agent
