#include "console/engineer_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

namespace tether::console {

void server_location::add_to(CLI::App& cmd) {
  cmd.add_option("--socket", socket, "the console's engineer socket");
  cmd.add_option("--data-dir", data_dir, "the console's data folder (its console.sock)");
  cmd.add_flag("--json", json, "JSON output for machines");
}

std::string server_location::path() const {
  if (!socket.empty()) return socket;
  if (!data_dir.empty()) return data_dir + "/console.sock";
  if (const char* env = std::getenv("TETHER_CONSOLE_SOCKET"); env != nullptr && *env != '\0') return env;
  return "/var/lib/tether-console/console.sock";
}

engineer_client::~engineer_client() {
  if (fd_ >= 0) ::close(fd_);
}

std::string engineer_client::connect(const std::string& path) {
  path_ = path;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return "socket path too long: " + path;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return std::string("socket: ") + std::strerror(errno);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
    return "cannot reach the console at " + path + ": " + std::strerror(errno) +
           " (is `tether-console serve` running? --socket or --data-dir)";
  return {};
}

std::string engineer_client::send(const nlohmann::json& request) {
  const auto text = request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::size_t sent = 0;
  while (sent < text.size()) {
    const auto n = ::send(fd_, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return "writing to " + path_ + ": " + std::strerror(errno);
    sent += static_cast<std::size_t>(n);
  }
  return {};
}

server_line engineer_client::next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
      const auto text = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      auto value = nlohmann::json::parse(text, nullptr, false);
      if (value.is_discarded()) return {server_line::kind::error, {}, "the console sent a line that is not JSON"};
      return {server_line::kind::line, std::move(value), {}};
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {server_line::kind::timeout, {}, {}};
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return {server_line::kind::error, {}, std::string("poll: ") + std::strerror(errno)};
    if (ready == 0) return {server_line::kind::timeout, {}, {}};
    char chunk[65536];
    const auto n = ::read(fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {server_line::kind::error, {}, std::string("read: ") + std::strerror(errno)};
    if (n == 0) return {server_line::kind::closed, {}, {}};
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

nlohmann::json ask_server(const server_location& where, const nlohmann::json& request) {
  engineer_client client;
  auto error = client.connect(where.path());
  if (error.empty()) error = client.send(request);
  if (!error.empty()) return {{"ok", false}, {"error", error}};
  auto line = client.next();
  if (line.what == server_line::kind::line && line.value.is_object()) return line.value;
  if (line.what == server_line::kind::timeout) return {{"ok", false}, {"error", "the console did not answer within 30 s"}};
  return {{"ok", false}, {"error", line.error.empty() ? "the console closed the connection" : line.error}};
}

int report_failure(const server_location& where, const nlohmann::json& answer) {
  if (where.json) {
    std::cout << answer.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::cerr << "tether-console: " << answer.value("error", std::string("unknown error")) << "\n";
  }
  return 2;
}

}  // namespace tether::console
