#include "transport/spool.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <string_view>

#include "transport/sha256.hpp"

namespace tether::transport {

namespace {

constexpr int schema_version = 1;
constexpr std::uint64_t max_id = std::numeric_limits<std::int64_t>::max();

constexpr const char* schema = R"sql(
CREATE TABLE results(
  result_id     INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id    INTEGER NOT NULL,
  collector     TEXT    NOT NULL,
  device        TEXT    NOT NULL,
  next_sequence INTEGER NOT NULL DEFAULT 0,
  finished      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE chunks(
  position  INTEGER PRIMARY KEY AUTOINCREMENT,
  result_id INTEGER NOT NULL REFERENCES results(result_id),
  sequence  INTEGER NOT NULL,
  kind      INTEGER NOT NULL,
  status    INTEGER NOT NULL,
  bytes     BLOB    NOT NULL,
  sha256    BLOB    NOT NULL,
  UNIQUE(result_id, sequence)
);
PRAGMA user_version = 1;
)sql";

/// Internal: an SQLite call failed; caught once per public method and turned into io_error.
struct sqlite_failure {
  std::string message;
};

[[noreturn]] void fail(sqlite3* db, const char* what) {
  throw sqlite_failure{std::string(what) + ": " + sqlite3_errmsg(db)};
}

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    throw sqlite_failure{message};
  }
}

/// One prepared statement: finalized on scope exit, or, when borrowed from the spool's
/// cache, reset and unbound for its next use.
class statement {
 public:
  statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) fail(db, "prepare");
  }
  statement(sqlite3* db, sqlite3_stmt* borrowed) : db_(db), stmt_(borrowed), owned_(false) {}
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement() {
    if (owned_) {
      sqlite3_finalize(stmt_);
    } else {
      reset();
    }
  }

  statement& bind(int i, std::int64_t v) {
    check(sqlite3_bind_int64(stmt_, i, v));
    return *this;
  }
  statement& bind(int i, const std::string& v) {
    check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  statement& bind(int i, std::span<const std::uint8_t> v) {
    // A zero-length blob must still be a blob, not NULL: give SQLite a valid pointer.
    static const std::uint8_t empty = 0;
    check(sqlite3_bind_blob(stmt_, i, v.empty() ? &empty : v.data(), static_cast<int>(v.size()),
                            SQLITE_TRANSIENT));
    return *this;
  }

  /// Makes the statement ready to be bound and stepped again.
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  /// Steps once: true when a row is available, false when done.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, "step");
  }

  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  /// The blob in `out`, reusing its storage.
  void blob_into(int col, std::vector<std::uint8_t>& out) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
    const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col));
    if (p == nullptr) {
      out.clear();
    } else {
      out.assign(p, p + n);
    }
  }
  std::vector<std::uint8_t> blob(int col) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
    const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col));
    return p ? std::vector<std::uint8_t>(p, p + n) : std::vector<std::uint8_t>();
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) fail(db_, "bind");
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool owned_ = true;
};

/// A write transaction: rolled back unless committed.
class transaction {
 public:
  explicit transaction(sqlite3* db) : db_(db) { exec(db_, "BEGIN IMMEDIATE"); }
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  ~transaction() {
    if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    exec(db_, "COMMIT");
    done_ = true;
  }

 private:
  sqlite3* db_;
  bool done_ = false;
};

/// Commits without their own fsync while it lives (WAL, synchronous = NORMAL), FULL again
/// after unless a batch keeps them relaxed.
class relaxed_sync {
 public:
  relaxed_sync(sqlite3* db, bool in_batch) : db_(db), in_batch_(in_batch) {
    exec(db_, "PRAGMA synchronous = NORMAL");
  }
  relaxed_sync(const relaxed_sync&) = delete;
  relaxed_sync& operator=(const relaxed_sync&) = delete;
  ~relaxed_sync() {
    if (!in_batch_) sqlite3_exec(db_, "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr);
  }

 private:
  sqlite3* db_;
  bool in_batch_;
};

/// Creates the file 0600 if missing; refuses a symlink, a non-file, another owner, or a
/// mode that lets anyone else read spooled results.
std::string check_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return std::string("cannot open: ") + std::strerror(errno);
  struct stat st {};
  const int rc = ::fstat(fd, &st);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) return std::string("cannot stat: ") + std::strerror(saved);
  if (!S_ISREG(st.st_mode)) return "not a regular file";
  if (st.st_uid != ::geteuid())
    return "owned by uid " + std::to_string(st.st_uid) + ", not by this process's uid " +
           std::to_string(::geteuid());
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return std::string("mode ") + mode + " lets other users read spooled results; chmod 600 it";
  }
  return {};
}

/// Starts a new spool's result ids at the wall clock in microseconds, so a spool deleted
/// and made again hands out ids above every one it gave before: the console keys stored
/// results by (site, result_id), and a reused id would be dropped there as a duplicate.
void seed_result_ids(sqlite3* db) {
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  statement seed(db, "INSERT INTO sqlite_sequence(name, seq) VALUES ('results', ?)");
  seed.bind(1, static_cast<std::int64_t>(std::max<std::int64_t>(0, now.count())));
  seed.step();
}

spool_write failed(spool_status status, std::string message) {
  return {status, {}, std::move(message)};
}

}  // namespace

/// The statements run for every chunk (read, send, delete), prepared once per spool: preparing
/// costs about as much as running them.
class spool::statement_cache {
 public:
  explicit statement_cache(sqlite3* db) : db_(db) {}
  statement_cache(const statement_cache&) = delete;
  statement_cache& operator=(const statement_cache&) = delete;
  ~statement_cache() {
    for (auto& [sql, stmt] : prepared_) sqlite3_finalize(stmt);
  }

  /// The statement for `sql` (a string literal), ready to bind; return it by destroying it.
  statement get(const char* sql) {
    auto& stmt = prepared_[sql];
    if (stmt == nullptr &&
        sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      prepared_.erase(sql);
      fail(db_, "prepare");
    }
    return statement(db_, stmt);
  }

 private:
  sqlite3* db_;
  std::map<std::string_view, sqlite3_stmt*> prepared_;
};

const char* to_string(spool_status status) {
  switch (status) {
    case spool_status::ok: return "ok";
    case spool_status::full: return "full";
    case spool_status::too_large: return "too-large";
    case spool_status::unknown_result: return "unknown-result";
    case spool_status::finished: return "finished";
    case spool_status::io_error: return "io-error";
  }
  return "unknown";
}

spool_open_result spool::open(const std::filesystem::path& path, spool_limits limits) {
  const std::string prefix = "spool " + path.string() + ": ";
  if (auto problem = check_file(path); !problem.empty()) return {nullptr, prefix + problem};
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return {nullptr, prefix + message};
  }
  std::unique_ptr<spool> s(new spool(db, limits));
  try {
    exec(db, "PRAGMA busy_timeout = 5000");
    {
      statement wal(db, "PRAGMA journal_mode = WAL");
      if (!wal.step() || wal.text(0) != "wal") return {nullptr, prefix + "cannot use WAL mode"};
    }
    exec(db, "PRAGMA synchronous = FULL");
    exec(db, "PRAGMA secure_delete = FAST");
    exec(db, "PRAGMA foreign_keys = ON");
    {
      statement check(db, "PRAGMA quick_check");
      if (!check.step() || check.text(0) != "ok")
        return {nullptr, prefix + "damaged database: " + check.text(0)};
    }
    statement version(db, "PRAGMA user_version");
    version.step();
    const auto v = version.integer(0);
    if (v == 0) {
      transaction t(db);
      exec(db, schema);
      seed_result_ids(db);
      t.commit();
    } else if (v != schema_version) {
      return {nullptr, prefix + "schema version " + std::to_string(v) + ", this build reads " +
                           std::to_string(schema_version)};
    }
    statement used(db, "SELECT COALESCE(SUM(length(bytes)), 0) FROM chunks WHERE kind = 0");
    used.step();
    s->used_bytes_ = static_cast<std::uint64_t>(used.integer(0));
  } catch (const sqlite_failure& e) {
    return {nullptr, prefix + e.message};
  }
  return {std::move(s), {}};
}

spool::spool(sqlite3* db, spool_limits limits)
    : db_(db), statements_(std::make_unique<statement_cache>(db)), limits_(limits) {}

spool::~spool() {
  statements_.reset();  // finalized before the connection closes
  sqlite3_close_v2(db_);
}

spool_write spool::begin_result(std::uint64_t request_id, const std::string& collector,
                                const std::string& device) {
  if (request_id == 0 || request_id > max_id)
    return failed(spool_status::unknown_result, "request id out of range");
  // New work is refused while the spool is nine tenths full: its devices would be read
  // only for their results to be refused; what is already running may use the rest.
  if (used_bytes_ >= limits_.max_bytes - limits_.max_bytes / 10)
    return failed(spool_status::full, full_message() + "; no new results until it does");
  try {
    statement insert(db_, "INSERT INTO results(request_id, collector, device) VALUES (?, ?, ?)");
    insert.bind(1, static_cast<std::int64_t>(request_id)).bind(2, collector).bind(3, device);
    insert.step();
    return {spool_status::ok, {static_cast<std::uint64_t>(sqlite3_last_insert_rowid(db_)), 0}, {}};
  } catch (const sqlite_failure& e) {
    return failed(spool_status::io_error, e.message);
  }
}

spool_write spool::append(std::uint64_t result_id, std::span<const std::uint8_t> bytes) {
  if (bytes.empty() || bytes.size() > max_chunk_size)
    return failed(spool_status::too_large, "a chunk holds 1 to " + std::to_string(max_chunk_size) +
                                               " bytes, not " + std::to_string(bytes.size()));
  if (used_bytes_ + bytes.size() > limits_.max_bytes)
    return failed(spool_status::full, full_message());
  return add_chunk(result_id, chunk_kind::data, bytes, end_status::ok);
}

std::string spool::full_message() const {
  return "spool full: " + std::to_string(used_bytes_) + " of " + std::to_string(limits_.max_bytes) +
         " bytes wait for the console's acknowledgement";
}

spool_write spool::finish(std::uint64_t result_id, end_status status, const std::string& message) {
  if (message.size() > max_message_size)
    return failed(spool_status::too_large, "an END message holds at most " +
                                               std::to_string(max_message_size) + " bytes");
  const auto* p = reinterpret_cast<const std::uint8_t*>(message.data());
  return add_chunk(result_id, chunk_kind::end, {p, message.size()}, status);
}

spool_write spool::append_all(std::uint64_t result_id, std::span<const std::uint8_t> bytes) {
  if (bytes.empty())
    return failed(spool_status::too_large, "a chunk holds 1 to " + std::to_string(max_chunk_size) + " bytes, not 0");
  if (used_bytes_ + bytes.size() > limits_.max_bytes)
    return failed(spool_status::full, full_message());
  return add_chunk(result_id, chunk_kind::data, bytes, end_status::ok);
}

spool_write spool::add_chunk(std::uint64_t result_id, chunk_kind kind,
                             std::span<const std::uint8_t> bytes, end_status status) {
  if (result_id == 0 || result_id > max_id)
    return failed(spool_status::unknown_result, "no result " + std::to_string(result_id));
  try {
    transaction t(db_);
    std::int64_t sequence = 0;
    {
      // Reset before the commit: a statement still holding its row keeps this connection's
      // read snapshot open, and then the checkpoint after the commit cannot copy the new
      // pages into the database; the WAL grew to the size of everything appended.
      auto row = statements_->get("SELECT next_sequence, finished FROM results WHERE result_id = ?");
      row.bind(1, static_cast<std::int64_t>(result_id));
      if (!row.step())
        return failed(spool_status::unknown_result, "no result " + std::to_string(result_id));
      if (row.integer(1) != 0)
        return failed(spool_status::finished,
                      "result " + std::to_string(result_id) + " already has its END");
      sequence = row.integer(0);
    }
    auto insert = statements_->get(
        "INSERT INTO chunks(result_id, sequence, kind, status, bytes, sha256) VALUES (?, ?, ?, ?, ?, ?)");
    // DATA is cut into chunks of max_chunk_size; an END is one chunk (its message may be empty).
    std::size_t offset = 0;
    std::int64_t last = sequence;
    do {
      const auto piece = kind == chunk_kind::data
                             ? bytes.subspan(offset, std::min<std::size_t>(max_chunk_size, bytes.size() - offset))
                             : bytes;
      const auto hash = sha256(piece);
      insert.bind(1, static_cast<std::int64_t>(result_id))
          .bind(2, sequence)
          .bind(3, static_cast<std::int64_t>(kind))
          .bind(4, static_cast<std::int64_t>(status))
          .bind(5, piece)
          .bind(6, std::span<const std::uint8_t>(hash));
      insert.step();
      insert.reset();
      last = sequence++;
      offset += piece.size();
    } while (offset < bytes.size());
    auto advance = statements_->get("UPDATE results SET next_sequence = ?, finished = ? WHERE result_id = ?");
    advance.bind(1, sequence)
        .bind(2, kind == chunk_kind::end ? 1 : 0)
        .bind(3, static_cast<std::int64_t>(result_id));
    advance.step();
    t.commit();
    if (kind == chunk_kind::data) used_bytes_ += bytes.size();
    return {spool_status::ok, {result_id, static_cast<std::uint64_t>(last)}, {}};
  } catch (const sqlite_failure& e) {
    return failed(spool_status::io_error, e.message);
  }
}

void spool::begin_batch() {
  if (batch_) return;
  if (sqlite3_exec(db_, "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr) == SQLITE_OK)
    batch_ = true;
}

std::string spool::end_batch() {
  if (!batch_) return {};
  try {
    exec(db_, "PRAGMA synchronous = FULL");
    batch_ = false;  // only once FULL is back: a failed end_batch() can be called again
    // A write committed with FULL syncs the WAL, and with it every commit of the batch.
    // Setting the user version always writes the header page, so there is a commit to sync.
    exec(db_, ("PRAGMA user_version = " + std::to_string(schema_version)).c_str());
    return {};
  } catch (const sqlite_failure& e) {
    return e.message;
  }
}

spool_write spool::abandon_unfinished(const std::string& message) {
  std::vector<std::uint64_t> unfinished;
  try {
    statement list(db_, "SELECT result_id FROM results WHERE finished = 0 ORDER BY result_id");
    while (list.step()) unfinished.push_back(static_cast<std::uint64_t>(list.integer(0)));
  } catch (const sqlite_failure& e) {
    return failed(spool_status::io_error, e.message);
  }
  for (auto id : unfinished)
    if (auto w = finish(id, end_status::agent_error, message); w.status != spool_status::ok)
      return w;
  return {};
}

bool spool::acknowledge(chunk_id id) { return acknowledge(std::span<const chunk_id>(&id, 1)) == 1; }

std::size_t spool::acknowledge(std::span<const chunk_id> ids) {
  const auto used_before = used_bytes_;
  try {
    // A delete promises nobody anything: one lost in a crash only resends a chunk that the
    // console drops as a duplicate. So this commit does not wait for its own fsync of the WAL
    // (synchronous = NORMAL); the next append's commit (FULL) or checkpoint syncs it.
    relaxed_sync relaxed(db_, batch_);
    transaction t(db_);
    std::size_t deleted = 0;
    for (const auto& id : ids) deleted += delete_chunk(id) ? 1 : 0;
    t.commit();
    return deleted;
  } catch (const sqlite_failure&) {
    // Not deleting is safe: the chunks are resent and the console drops the duplicates.
    used_bytes_ = used_before;
    return 0;
  }
}

bool spool::delete_chunk(chunk_id id) {
  if (id.result_id == 0 || id.result_id > max_id || id.sequence > max_id) return false;
  auto find = statements_->get("SELECT kind, length(bytes) FROM chunks WHERE result_id = ? AND sequence = ?");
  find.bind(1, static_cast<std::int64_t>(id.result_id)).bind(2, static_cast<std::int64_t>(id.sequence));
  if (!find.step()) return false;
  const bool is_data = find.integer(0) == static_cast<std::int64_t>(chunk_kind::data);
  const auto size = static_cast<std::uint64_t>(find.integer(1));
  auto erase = statements_->get("DELETE FROM chunks WHERE result_id = ? AND sequence = ?");
  erase.bind(1, static_cast<std::int64_t>(id.result_id)).bind(2, static_cast<std::int64_t>(id.sequence));
  erase.step();
  auto done = statements_->get(
      "DELETE FROM results WHERE result_id = ? AND finished = 1 AND NOT EXISTS "
      "(SELECT 1 FROM chunks WHERE chunks.result_id = results.result_id)");
  done.bind(1, static_cast<std::int64_t>(id.result_id));
  done.step();
  if (is_data) used_bytes_ -= std::min(used_bytes_, size);
  return true;
}

spool_listing spool::unacknowledged(std::size_t limit) const {
  spool_listing listing;
  auto& out = listing.chunks;
  try {
    statement list(db_,
                   "SELECT result_id, sequence, kind, status, bytes, sha256 FROM chunks "
                   "ORDER BY position LIMIT ?");
    list.bind(1, static_cast<std::int64_t>(std::min<std::size_t>(limit, max_id)));
    while (list.step()) {
      spooled_chunk c;
      c.id = {static_cast<std::uint64_t>(list.integer(0)), static_cast<std::uint64_t>(list.integer(1))};
      c.kind = static_cast<chunk_kind>(list.integer(2));
      c.status = static_cast<end_status>(list.integer(3));
      c.bytes = list.blob(4);
      const auto hash = list.blob(5);
      if (hash.size() == c.sha256.size()) std::copy(hash.begin(), hash.end(), c.sha256.begin());
      out.push_back(std::move(c));
    }
  } catch (const sqlite_failure& e) {
    // What was read so far is still in order; the caller reports the error and retries.
    listing.error = e.message;
  }
  return listing;
}

chunk_ref_listing spool::pending(std::size_t limit, std::uint64_t from) const {
  chunk_ref_listing listing;
  try {
    auto list = statements_->get(
        "SELECT result_id, sequence, kind, length(bytes), position FROM chunks "
        "WHERE position >= ? ORDER BY position LIMIT ?");
    list.bind(1, static_cast<std::int64_t>(std::min<std::uint64_t>(from, max_id)))
        .bind(2, static_cast<std::int64_t>(std::min<std::size_t>(limit, max_id)));
    while (list.step())
      listing.refs.push_back({{static_cast<std::uint64_t>(list.integer(0)),
                               static_cast<std::uint64_t>(list.integer(1))},
                              static_cast<chunk_kind>(list.integer(2)),
                              static_cast<std::size_t>(list.integer(3)),
                              static_cast<std::uint64_t>(list.integer(4))});
  } catch (const sqlite_failure& e) {
    listing.error = e.message;
  }
  return listing;
}

std::size_t spool::chunk_count() const {
  try {
    auto count = statements_->get("SELECT COUNT(*) FROM chunks");
    return count.step() ? static_cast<std::size_t>(count.integer(0)) : 0;
  } catch (const sqlite_failure&) {
    return 0;
  }
}

std::optional<spooled_chunk> spool::chunk(chunk_id id, std::vector<std::uint8_t> buffer) const {
  if (id.result_id == 0 || id.result_id > max_id || id.sequence > max_id) return std::nullopt;
  try {
    auto row = statements_->get(
        "SELECT kind, status, bytes, sha256 FROM chunks WHERE result_id = ? AND sequence = ?");
    row.bind(1, static_cast<std::int64_t>(id.result_id)).bind(2, static_cast<std::int64_t>(id.sequence));
    if (!row.step()) return std::nullopt;
    spooled_chunk c;
    c.id = id;
    c.kind = static_cast<chunk_kind>(row.integer(0));
    c.status = static_cast<end_status>(row.integer(1));
    c.bytes = std::move(buffer);
    row.blob_into(2, c.bytes);
    const auto hash = row.blob(3);
    if (hash.size() == c.sha256.size()) std::copy(hash.begin(), hash.end(), c.sha256.begin());
    return c;
  } catch (const sqlite_failure&) {
    return std::nullopt;
  }
}

std::optional<spooled_result> spool::result(std::uint64_t result_id) const {
  if (result_id == 0 || result_id > max_id) return std::nullopt;
  try {
    auto row = statements_->get("SELECT request_id, collector, device FROM results WHERE result_id = ?");
    row.bind(1, static_cast<std::int64_t>(result_id));
    if (!row.step()) return std::nullopt;
    return spooled_result{result_id, static_cast<std::uint64_t>(row.integer(0)), row.text(1),
                          row.text(2)};
  } catch (const sqlite_failure&) {
    return std::nullopt;
  }
}

}  // namespace tether::transport
