#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace tether::console {

/// An SQLite call failed: thrown inside the index, caught once per public method.
struct sqlite_failure {
  std::string message;
};

/// Runs SQL without results; throws sqlite_failure.
void sqlite_exec(sqlite3* db, const char* sql);

/// One prepared statement, finalized on scope exit; failures throw sqlite_failure.
class sqlite_statement {
 public:
  sqlite_statement(sqlite3* db, const char* sql);
  sqlite_statement(const sqlite_statement&) = delete;
  sqlite_statement& operator=(const sqlite_statement&) = delete;
  ~sqlite_statement();

  sqlite_statement& bind(int i, std::int64_t v);
  sqlite_statement& bind(int i, const std::string& v);
  /// Steps once: true when a row is available, false when done.
  bool step();
  std::int64_t integer(int col) const;
  std::string text(int col) const;

 private:
  void check(int rc);
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace tether::console
