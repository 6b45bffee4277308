#include "console/result_index.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "console/sqlite_statement.hpp"

namespace tether::console {

namespace {

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS results(
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  site        TEXT    NOT NULL,
  window_id   TEXT    NOT NULL,
  request_id  INTEGER NOT NULL,
  result_id   INTEGER NOT NULL,
  device      TEXT    NOT NULL,
  collector   TEXT    NOT NULL,
  commands    TEXT    NOT NULL DEFAULT '[]',
  bytes       INTEGER NOT NULL DEFAULT 0,
  sha256      TEXT    NOT NULL DEFAULT '',
  status      TEXT    NOT NULL DEFAULT 'running',
  message     TEXT    NOT NULL DEFAULT '',
  started_ms  INTEGER NOT NULL,
  finished_ms INTEGER NOT NULL DEFAULT 0,
  UNIQUE(site, result_id)
);
CREATE INDEX IF NOT EXISTS results_by_request ON results(site, request_id);
CREATE TABLE IF NOT EXISTS requests(
  request_id     INTEGER PRIMARY KEY,
  site           TEXT    NOT NULL,
  engineer       TEXT    NOT NULL,
  collector      TEXT    NOT NULL,
  json           TEXT    NOT NULL,
  sent_ms        INTEGER NOT NULL,
  denied_reason  TEXT    NOT NULL DEFAULT '',
  denied_message TEXT    NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS notes(
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  site   TEXT    NOT NULL,
  at_ms  INTEGER NOT NULL,
  author TEXT    NOT NULL,
  text   TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS anchors(
  site           TEXT    NOT NULL,
  audit_sequence INTEGER NOT NULL,
  chain_head     TEXT    NOT NULL,
  signature      TEXT    NOT NULL,
  at_ms          INTEGER NOT NULL,
  received_ms    INTEGER NOT NULL,
  PRIMARY KEY(site, audit_sequence)
);
PRAGMA user_version = 1;
)sql";

constexpr const char* result_columns =
    "id, site, window_id, request_id, result_id, device, collector, commands, bytes, sha256, "
    "status, message, started_ms, finished_ms FROM results ";

result_row read_result(const sqlite_statement& q) {
  result_row r;
  r.id = q.integer(0);
  r.site = q.text(1);
  r.window_id = q.text(2);
  r.request_id = static_cast<std::uint64_t>(q.integer(3));
  r.result_id = static_cast<std::uint64_t>(q.integer(4));
  r.device = q.text(5);
  r.collector = q.text(6);
  r.commands_json = q.text(7);
  r.bytes = static_cast<std::uint64_t>(q.integer(8));
  r.sha256 = q.text(9);
  r.status = q.text(10);
  r.message = q.text(11);
  r.started_ms = q.integer(12);
  r.finished_ms = q.integer(13);
  return r;
}

/// Creates the file 0600 if missing; refuses a symlink, a non-file or a mode others can read.
std::string check_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return std::string("cannot open: ") + std::strerror(errno);
  struct stat st {};
  const int rc = ::fstat(fd, &st);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) return std::string("cannot stat: ") + std::strerror(saved);
  if (!S_ISREG(st.st_mode)) return "not a regular file";
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return std::string("mode ") + mode + " lets other users read it; chmod 600 it";
  }
  return {};
}

/// Runs `body` and turns an SQLite failure into an error message.
template <class Body>
std::string guarded(Body body) {
  try {
    body();
    return {};
  } catch (const sqlite_failure& f) {
    return "index: " + f.message;
  }
}

/// Runs `body` filling rows and turns an SQLite failure into the error.
template <class Row, class Body>
index_rows<Row> read_rows(Body body) {
  index_rows<Row> out;
  out.error = guarded([&] { body(out.rows); });
  return out;
}

}  // namespace

result_index_open result_index::open(const std::filesystem::path& path) {
  const std::string prefix = "index " + path.string() + ": ";
  if (auto problem = check_file(path); !problem.empty()) return {nullptr, prefix + problem};
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return {nullptr, prefix + message};
  }
  std::unique_ptr<result_index> index(new result_index(db));
  const auto error = guarded([&] {
    sqlite_exec(db, "PRAGMA busy_timeout = 5000");
    sqlite_exec(db, "PRAGMA journal_mode = WAL");
    sqlite_exec(db, "PRAGMA synchronous = FULL");
    sqlite_exec(db, schema);
  });
  if (!error.empty()) return {nullptr, prefix + error};
  return {std::move(index), {}};
}

result_index::~result_index() { sqlite3_close(db_); }

std::string result_index::add_request(const request_row& r) {
  return guarded([&] {
    sqlite_statement q(db_,
                       "INSERT OR REPLACE INTO requests(request_id, site, engineer, collector, json, sent_ms) "
                       "VALUES(?, ?, ?, ?, ?, ?)");
    q.bind(1, static_cast<std::int64_t>(r.request_id)).bind(2, r.site).bind(3, r.engineer);
    q.bind(4, r.collector).bind(5, r.json).bind(6, r.sent_ms);
    q.step();
  });
}

std::string result_index::deny_request(const std::string& site, std::uint64_t request_id,
                                       const std::string& reason, const std::string& message) {
  return guarded([&] {
    // Only the site's own agent can deny its requests.
    sqlite_statement q(db_, "UPDATE requests SET denied_reason = ?, denied_message = ? "
                            "WHERE request_id = ? AND site = ?");
    q.bind(1, reason).bind(2, message).bind(3, static_cast<std::int64_t>(request_id)).bind(4, site);
    q.step();
  });
}

index_rows<request_row> result_index::requests(const std::string& site,
                                               std::optional<std::uint64_t> request_id) {
  return read_rows<request_row>([&](std::vector<request_row>& rows) {
    sqlite_statement q(db_, request_id
                                ? "SELECT request_id, site, engineer, collector, json, sent_ms, denied_reason, "
                                  "denied_message FROM requests WHERE site = ? AND request_id = ?"
                                : "SELECT request_id, site, engineer, collector, json, sent_ms, denied_reason, "
                                  "denied_message FROM requests WHERE site = ? ORDER BY request_id");
    q.bind(1, site);
    if (request_id) q.bind(2, static_cast<std::int64_t>(*request_id));
    while (q.step()) {
      rows.push_back({static_cast<std::uint64_t>(q.integer(0)), q.text(1), q.text(2), q.text(3),
                      q.text(4), q.integer(5), q.text(6), q.text(7)});
    }
  });
}

std::string result_index::open_result(const result_row& r) {
  return guarded([&] {
    sqlite_statement q(db_,
                       "INSERT OR IGNORE INTO results(site, window_id, request_id, result_id, device, "
                       "collector, started_ms) VALUES(?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, r.site).bind(2, r.window_id).bind(3, static_cast<std::int64_t>(r.request_id));
    q.bind(4, static_cast<std::int64_t>(r.result_id)).bind(5, r.device).bind(6, r.collector);
    q.bind(7, r.started_ms);
    q.step();
  });
}

std::string result_index::finish_result(const result_row& r) {
  const auto error = open_result(r);  // a result whose open the console never saw still gets a row
  if (!error.empty()) return error;
  return guarded([&] {
    sqlite_statement q(db_,
                       "UPDATE results SET commands = ?, bytes = ?, sha256 = ?, status = ?, message = ?, "
                       "finished_ms = ? WHERE site = ? AND result_id = ?");
    q.bind(1, r.commands_json).bind(2, static_cast<std::int64_t>(r.bytes)).bind(3, r.sha256);
    q.bind(4, r.status).bind(5, r.message).bind(6, r.finished_ms).bind(7, r.site);
    q.bind(8, static_cast<std::int64_t>(r.result_id));
    q.step();
  });
}

index_rows<result_row> result_index::results(const std::string& site,
                                             std::optional<std::uint64_t> request_id) {
  return read_rows<result_row>([&](std::vector<result_row>& rows) {
    const std::string sql = std::string("SELECT ") + result_columns +
                            (request_id ? "WHERE site = ? AND request_id = ? ORDER BY id" : "WHERE site = ? ORDER BY id");
    sqlite_statement q(db_, sql.c_str());
    q.bind(1, site);
    if (request_id) q.bind(2, static_cast<std::int64_t>(*request_id));
    while (q.step()) rows.push_back(read_result(q));
  });
}

index_rows<result_row> result_index::result(std::int64_t id) {
  return read_rows<result_row>([&](std::vector<result_row>& rows) {
    const std::string sql = std::string("SELECT ") + result_columns + "WHERE id = ?";
    sqlite_statement q(db_, sql.c_str());
    q.bind(1, id);
    while (q.step()) rows.push_back(read_result(q));
  });
}

std::string result_index::add_note(const note_row& n) {
  return guarded([&] {
    sqlite_statement q(db_, "INSERT INTO notes(site, at_ms, author, text) VALUES(?, ?, ?, ?)");
    q.bind(1, n.site).bind(2, n.at_ms).bind(3, n.author).bind(4, n.text);
    q.step();
  });
}

index_rows<note_row> result_index::notes(const std::string& site) {
  return read_rows<note_row>([&](std::vector<note_row>& rows) {
    sqlite_statement q(db_, "SELECT id, site, at_ms, author, text FROM notes WHERE site = ? ORDER BY id");
    q.bind(1, site);
    while (q.step()) rows.push_back({q.integer(0), q.text(1), q.integer(2), q.text(3), q.text(4)});
  });
}

std::string result_index::add_anchor(const anchor_row& a) {
  std::string conflict;
  auto error = guarded([&] {
    // A resend of the same checkpoint is kept once; a different head for a sequence already
    // anchored means the agent's log was rewritten or restarted: refused, never overwritten.
    sqlite_statement held(db_, "SELECT chain_head FROM anchors WHERE site = ? AND audit_sequence = ?");
    held.bind(1, a.site).bind(2, static_cast<std::int64_t>(a.audit_sequence));
    if (held.step() && held.text(0) != a.chain_head) {
      conflict = "audit anchor conflict: site " + a.site + " sent chain head " + a.chain_head +
                 " for sequence " + std::to_string(a.audit_sequence) + ", anchored before as " +
                 held.text(0) + " (the agent's audit log was rewritten or started again)";
      return;
    }
    sqlite_statement q(db_,
                       "INSERT OR IGNORE INTO anchors(site, audit_sequence, chain_head, signature, at_ms, "
                       "received_ms) VALUES(?, ?, ?, ?, ?, ?)");
    q.bind(1, a.site).bind(2, static_cast<std::int64_t>(a.audit_sequence)).bind(3, a.chain_head);
    q.bind(4, a.signature).bind(5, a.at_ms).bind(6, a.received_ms);
    q.step();
  });
  return error.empty() ? conflict : error;
}

index_rows<anchor_row> result_index::anchors(const std::string& site) {
  return read_rows<anchor_row>([&](std::vector<anchor_row>& rows) {
    sqlite_statement q(db_,
                       "SELECT site, audit_sequence, chain_head, signature, at_ms, received_ms FROM anchors "
                       "WHERE site = ? ORDER BY audit_sequence");
    q.bind(1, site);
    while (q.step()) {
      rows.push_back({q.text(0), static_cast<std::uint64_t>(q.integer(1)), q.text(2), q.text(3),
                      q.integer(4), q.integer(5)});
    }
  });
}

}  // namespace tether::console
