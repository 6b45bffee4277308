#include "console/sqlite_statement.hpp"

namespace tether::console {

void sqlite_exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    throw sqlite_failure{message};
  }
}

sqlite_statement::sqlite_statement(sqlite3* db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
    throw sqlite_failure{std::string("prepare: ") + sqlite3_errmsg(db)};
}

sqlite_statement::~sqlite_statement() { sqlite3_finalize(stmt_); }

sqlite_statement& sqlite_statement::bind(int i, std::int64_t v) {
  check(sqlite3_bind_int64(stmt_, i, v));
  return *this;
}

sqlite_statement& sqlite_statement::bind(int i, const std::string& v) {
  check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  return *this;
}

bool sqlite_statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw sqlite_failure{std::string("step: ") + sqlite3_errmsg(db_)};
}

std::int64_t sqlite_statement::integer(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string sqlite_statement::text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}

void sqlite_statement::check(int rc) {
  if (rc != SQLITE_OK) throw sqlite_failure{std::string("bind: ") + sqlite3_errmsg(db_)};
}

}  // namespace tether::console
