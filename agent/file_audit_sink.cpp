#include "agent/file_audit_sink.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tether::agent {

namespace {

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// A new file's directory entry must be durable too, or a crash can lose the whole file.
void sync_directory(const std::filesystem::path& path) {
  auto dir = path.parent_path();
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::unique_ptr<file_audit_sink> file_audit_sink::open(const std::filesystem::path& path,
                                                       std::string& error) {
  const bool existed = std::filesystem::exists(path);
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    error = errno_text(path.string());
    return nullptr;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    error = path.string() + ": in use by another writer (locked)";
    ::close(fd);
    return nullptr;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    error = path.string() + ": not a regular file";
    ::close(fd);
    return nullptr;
  }
  if ((st.st_mode & 077) != 0 && ::fchmod(fd, 0600) != 0) {
    error = errno_text(path.string() + ": cannot make it private (0600)");
    ::close(fd);
    return nullptr;
  }
  if (!existed) sync_directory(path);
  return std::unique_ptr<file_audit_sink>(new file_audit_sink(fd, st.st_size));
}

file_audit_sink::~file_audit_sink() { ::close(fd_); }

void file_audit_sink::refresh_size() {
  struct stat st {};
  if (::fstat(fd_, &st) == 0) size_ = st.st_size;
}

audit_write_status file_audit_sink::write(std::string_view line) {
  std::size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      audit_write_status status{false, errno_text("audit log write")};
      if (::ftruncate(fd_, size_) != 0) status.error += " (and the partial line stays)";
      return status;
    }
    done += std::size_t(n);
  }
  if (::fdatasync(fd_) != 0) return {false, errno_text("audit log fdatasync")};
  size_ += off_t(line.size());
  return {};
}

}  // namespace tether::agent
