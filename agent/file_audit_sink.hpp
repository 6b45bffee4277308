#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>

#include "agent/audit_sink.hpp"

namespace tether::agent {

/// The audit log file: opened O_APPEND with mode 0600 and locked (one writer), each write
/// (one line, or a group of lines) written whole and fdatasync'ed before `write` returns; a
/// failed write is cut off again so no partial line is left behind.
class file_audit_sink : public audit_sink {
 public:
  /// Opens or creates `path`; on failure returns null and sets `error`.
  static std::unique_ptr<file_audit_sink> open(const std::filesystem::path& path,
                                               std::string& error);
  ~file_audit_sink() override;
  file_audit_sink(const file_audit_sink&) = delete;
  file_audit_sink& operator=(const file_audit_sink&) = delete;

  audit_write_status write(std::string_view line) override;
  /// Re-reads the file's size after someone else (recovery) shortened it.
  void refresh_size();

 private:
  file_audit_sink(int fd, off_t size) : fd_(fd), size_(size) {}
  int fd_;
  off_t size_;
};

}  // namespace tether::agent
