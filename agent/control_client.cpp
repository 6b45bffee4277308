#include "agent/control_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/json_nesting.hpp"

namespace tether::agent {

namespace {

constexpr std::size_t max_reply = 1024 * 1024;

/// Closes a descriptor on scope exit.
struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0) ::close(fd);
  }
};

bool wait_ready(int fd, short events, std::chrono::steady_clock::time_point end) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      end - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, int(left.count())) > 0;
}

}  // namespace

control_reply call_control(const std::string& socket_path, const nlohmann::json& request,
                           std::chrono::milliseconds timeout) {
  const std::string prefix = "control socket " + socket_path + ": ";
  sockaddr_un addr{};
  if (socket_path.size() >= sizeof addr.sun_path) return {std::nullopt, prefix + "path too long"};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  fd_guard s{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (s.fd < 0 || ::connect(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return {std::nullopt, prefix + std::strerror(errno) + " (is tether-agent running?)"};
  const auto end = std::chrono::steady_clock::now() + timeout;
  const std::string out = request.dump() + "\n";
  for (std::size_t sent = 0; sent < out.size();) {
    if (!wait_ready(s.fd, POLLOUT, end)) return {std::nullopt, prefix + "timed out sending"};
    const ssize_t n = ::send(s.fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return {std::nullopt, prefix + std::strerror(errno)};
    sent += std::size_t(n);
  }
  std::string in;
  char buf[4096];
  while (in.find('\n') == std::string::npos) {
    if (in.size() > max_reply) return {std::nullopt, prefix + "answer too long"};
    if (!wait_ready(s.fd, POLLIN, end)) return {std::nullopt, prefix + "timed out waiting"};
    const ssize_t n = ::recv(s.fd, buf, sizeof buf, 0);
    if (n < 0) return {std::nullopt, prefix + std::strerror(errno)};
    if (n == 0) return {std::nullopt, prefix + "closed without an answer"};
    in.append(buf, std::size_t(n));
  }
  in.resize(in.find('\n'));
  if (common::json_nests_deeper_than(in, 16)) return {std::nullopt, prefix + "garbled answer"};
  auto reply = nlohmann::json::parse(in, nullptr, false);
  if (reply.is_discarded() || !reply.is_object()) return {std::nullopt, prefix + "garbled answer"};
  return {std::move(reply), {}};
}

}  // namespace tether::agent
