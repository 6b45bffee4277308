#include "transport/result_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tether::transport {

namespace {

constexpr std::size_t state_record_size = 64;

/// A file descriptor closed when it goes out of scope.
struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0) ::close(fd);
  }
};

std::string os_error(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

bool write_all(int fd, const std::uint8_t* data, std::size_t size, off_t offset, bool positioned) {
  while (size > 0) {
    const ssize_t n = positioned ? ::pwrite(fd, data, size, offset) : ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
    offset += n;
  }
  return true;
}

}  // namespace

result_store::result_store(std::filesystem::path root) : root_(std::move(root)) {
  std::error_code ignored;
  std::filesystem::create_directories(root_, ignored);
  std::filesystem::permissions(root_, std::filesystem::perms::owner_all, ignored);
}

std::filesystem::path result_store::data_path(const std::string& site, std::uint64_t result_id) const {
  return root_ / site / ("result-" + std::to_string(result_id) + ".data");
}

std::filesystem::path result_store::state_path(const std::string& site, std::uint64_t result_id) const {
  return root_ / site / ("result-" + std::to_string(result_id) + ".state");
}

std::pair<stored_progress, std::string> result_store::progress(const std::string& site,
                                                               std::uint64_t result_id) {
  const auto key = std::make_pair(site, result_id);
  if (auto it = known_.find(key); it != known_.end()) return {it->second, {}};
  stored_progress p;
  const auto state = state_path(site, result_id);
  fd_guard in{::open(state.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (in.fd >= 0) {
    char record[state_record_size + 1] = {};
    const ssize_t n = ::pread(in.fd, record, state_record_size, 0);
    unsigned long long next = 0, bytes = 0;
    int finished = 0, status = 0;
    if (n <= 0 || std::sscanf(record, "%llu %llu %d %d", &next, &bytes, &finished, &status) != 4)
      return {p, "result store " + state.string() + ": damaged progress record"};
    p = {next, bytes, finished != 0, static_cast<end_status>(status)};
  } else if (errno != ENOENT) {
    return {p, os_error("result store: cannot read", state)};
  }
  // Cut off whatever was written after the last recorded chunk: it is received again.
  const auto data = data_path(site, result_id);
  if (::truncate(data.c_str(), static_cast<off_t>(p.bytes)) != 0 && errno != ENOENT)
    return {p, os_error("result store: cannot recover", data)};
  known_[key] = p;
  return {p, {}};
}

result_store::~result_store() {
  for (auto& [k, u] : unsynced_)
    if (u.data_fd >= 0) ::close(u.data_fd);
}

result_store::unsynced& result_store::unsynced_entry(const key& k) {
  auto [it, added] = unsynced_.try_emplace(k);
  if (added) {
    it->second.new_files = known_[k].next_sequence == 0;  // nothing recorded yet
    it->second.flushed_to = known_[k].bytes;               // synced already
  }
  return it->second;
}

std::string result_store::write(const std::string& site, std::uint64_t result_id,
                                std::uint64_t sequence, std::span<const std::uint8_t> bytes) {
  auto [p, error] = progress(site, result_id);
  if (!error.empty()) return error;
  if (p.finished || sequence != p.next_sequence)
    return "result store: chunk " + std::to_string(sequence) + " of result " +
           std::to_string(result_id) + " is out of order";
  const key k{site, result_id};
  auto& u = unsynced_entry(k);
  const auto data = data_path(site, result_id);
  if (u.data_fd < 0) {
    std::error_code ignored;
    std::filesystem::create_directories(root_ / site, ignored);
    u.data_fd = ::open(data.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (u.data_fd < 0) return os_error("result store: cannot open", data);
  }
  if (!write_all(u.data_fd, bytes.data(), bytes.size(), static_cast<off_t>(p.bytes), true))
    return os_error("result store: cannot write", data);
  p.bytes += bytes.size();
  start_write_back(u, p.bytes);
  p.next_sequence = sequence + 1;
  known_[k] = p;
  unsynced_bytes_ += bytes.size();
  ++unsynced_chunks_;
  return {};
}

void result_store::start_write_back(unsynced& u, std::uint64_t written_to) {
  // The disk starts writing each MiB as it arrives instead of all of it at sync(): the batch's
  // fdatasync then waits for the tail only. Advisory (no durability promise rests on it).
  constexpr std::uint64_t step = 1024 * 1024;
  if (u.flushed_to > written_to) u.flushed_to = 0;  // the file was cut back by recovery
  if (written_to - u.flushed_to < step) return;
  ::sync_file_range(u.data_fd, static_cast<off_t>(u.flushed_to),
                    static_cast<off_t>(written_to - u.flushed_to), SYNC_FILE_RANGE_WRITE);
  u.flushed_to = written_to;
}

std::string result_store::write_end(const std::string& site, std::uint64_t result_id,
                                    std::uint64_t sequence, end_status status) {
  auto [p, error] = progress(site, result_id);
  if (!error.empty()) return error;
  if (p.finished || sequence != p.next_sequence)
    return "result store: END " + std::to_string(sequence) + " of result " +
           std::to_string(result_id) + " is out of order";
  const key k{site, result_id};
  unsynced_entry(k);
  std::error_code ignored;
  std::filesystem::create_directories(root_ / site, ignored);
  p.next_sequence = sequence + 1;
  p.finished = true;
  p.status = status;
  known_[k] = p;
  ++unsynced_chunks_;
  return {};
}

std::string result_store::sync() {
  std::string error;
  for (auto& [k, u] : unsynced_) {
    if (u.data_fd >= 0) {
      if (::fdatasync(u.data_fd) != 0) {
        error = os_error("result store: cannot sync", data_path(k.first, k.second));
        break;
      }
      ::close(u.data_fd);
      u.data_fd = -1;
    }
    // The data is on disk before the record that counts it.
    error = write_state(k, known_[k], u.new_files);
    if (!error.empty()) break;
  }
  if (!error.empty()) {
    drop_unsynced();
    return error;
  }
  // A finished result's progress is on disk for good: memory keeps only unfinished ones
  // (progress() reads a finished one back if a duplicate ever comes).
  for (const auto& [k, u] : unsynced_)
    if (auto it = known_.find(k); it != known_.end() && it->second.finished) known_.erase(it);
  unsynced_.clear();
  unsynced_bytes_ = 0;
  unsynced_chunks_ = 0;
  return {};
}

void result_store::drop_unsynced() {
  for (auto& [k, u] : unsynced_) {
    if (u.data_fd >= 0) ::close(u.data_fd);
    known_.erase(k);  // progress() reads the durable record again and cuts the data file back
  }
  unsynced_.clear();
  unsynced_bytes_ = 0;
  unsynced_chunks_ = 0;
}

std::string result_store::append(const std::string& site, std::uint64_t result_id,
                                 std::uint64_t sequence, std::span<const std::uint8_t> bytes) {
  if (auto error = write(site, result_id, sequence, bytes); !error.empty()) return error;
  return sync();
}

std::string result_store::finish(const std::string& site, std::uint64_t result_id,
                                 std::uint64_t sequence, end_status status) {
  if (auto error = write_end(site, result_id, sequence, status); !error.empty()) return error;
  return sync();
}

std::string result_store::write_state(const key& k, const stored_progress& p, bool new_files) {
  const auto& [site, result_id] = k;
  const auto state = state_path(site, result_id);
  fd_guard out{::open(state.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)};
  if (out.fd < 0) return os_error("result store: cannot open", state);
  char record[state_record_size];
  std::memset(record, ' ', sizeof record);
  const int n = std::snprintf(record, sizeof record, "%llu %llu %d %d",
                              static_cast<unsigned long long>(p.next_sequence),
                              static_cast<unsigned long long>(p.bytes), p.finished ? 1 : 0,
                              static_cast<int>(p.status));
  if (n > 0 && static_cast<std::size_t>(n) < sizeof record) record[n] = ' ';
  record[sizeof record - 1] = '\n';
  // One record, one sector, rewritten in place: it is either the old or the new one.
  if (!write_all(out.fd, reinterpret_cast<const std::uint8_t*>(record), sizeof record, 0, true) ||
      ::fdatasync(out.fd) != 0)
    return os_error("result store: cannot write", state);
  if (new_files) {  // the files are new: make their directory entries durable
    fd_guard dir{::open((root_ / site).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (dir.fd < 0 || ::fsync(dir.fd) != 0) return os_error("result store: cannot sync", root_ / site);
  }
  return {};
}

}  // namespace tether::transport
