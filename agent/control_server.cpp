#include "agent/control_server.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <vector>

#include "common/json_nesting.hpp"

namespace tether::agent {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

namespace {

constexpr std::size_t max_request = 64 * 1024;
constexpr std::chrono::seconds request_timeout{10};

peer_credentials credentials_of(local::socket& s) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (getsockopt(s.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return {};
  return {cred.pid, cred.uid, cred.gid};
}

bool in_supplementary_groups(uid_t uid, gid_t primary, gid_t group) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) return false;
  int count = 64;
  std::vector<gid_t> groups(static_cast<std::size_t>(count));
  if (getgrouplist(pw.pw_name, primary, groups.data(), &count) < 0) {
    groups.resize(std::size_t(count));
    if (getgrouplist(pw.pw_name, primary, groups.data(), &count) < 0) return false;
  }
  for (int i = 0; i < count; ++i)
    if (groups[std::size_t(i)] == group) return true;
  return false;
}

}  // namespace

std::optional<nlohmann::json> parse_control_request(std::string_view line, std::string& error) {
  error = "expected a JSON object with a \"command\" string";
  if (common::json_nests_deeper_than(line, 8)) return std::nullopt;
  auto request = nlohmann::json::parse(line, nullptr, false);
  if (request.is_discarded() || !request.is_object()) return std::nullopt;
  const auto command = request.find("command");
  if (command == request.end() || !command->is_string()) return std::nullopt;
  error.clear();
  return request;
}

nlohmann::json control_server::answer(const nlohmann::json& request, const peer_credentials& peer) {
  try {
    return handler_(request, peer);
  } catch (const std::exception& e) {  // a bug answering one request never takes the daemon down
    return {{"ok", false}, {"error", std::string("internal error: ") + e.what()}};
  }
}

bool peer_allowed(const peer_credentials& peer, gid_t group) {
  if (peer.uid < 0) return false;
  if (peer.uid == 0 || uid_t(peer.uid) == geteuid()) return true;
  if (gid_t(peer.gid) == group) return true;
  return in_supplementary_groups(uid_t(peer.uid), gid_t(peer.gid), group);
}

control_server::control_server(asio::io_context& io, std::string path, gid_t group,
                               control_handler handler)
    : io_(io), path_(std::move(path)), group_(group), handler_(std::move(handler)), acceptor_(io) {}

std::string control_server::start() {
  const std::string prefix = "control socket " + path_ + ": ";
  struct stat st {};
  if (lstat(path_.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) return prefix + "exists and is not a socket";
    ::unlink(path_.c_str());
  }
  boost::system::error_code ec;
  // Created with no access for others, then opened to the group.
  const mode_t old = ::umask(0177);
  acceptor_.open(local(), ec);
  if (!ec) acceptor_.bind(local::endpoint(path_), ec);
  ::umask(old);
  if (!ec) acceptor_.listen(16, ec);
  if (ec) return prefix + ec.message();
  if (::chown(path_.c_str(), geteuid(), group_) != 0 || ::chmod(path_.c_str(), 0660) != 0)
    return prefix + "cannot set its group and mode 0660";
  asio::co_spawn(io_, accept_loop(), asio::detached);
  return {};
}

void control_server::stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  ::unlink(path_.c_str());
}

asio::awaitable<void> control_server::accept_loop() {
  while (!stopped_) {
    boost::system::error_code ec;
    local::socket s = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (stopped_ || ec == asio::error::operation_aborted) co_return;
      continue;
    }
    asio::co_spawn(io_, serve(std::move(s)), asio::detached);
  }
}

asio::awaitable<void> control_server::serve(local::socket accepted) {
  // Shared with the deadline's handler, which may already be queued when the reply ends.
  const auto socket = std::make_shared<local::socket>(std::move(accepted));
  local::socket& s = *socket;
  const peer_credentials peer = credentials_of(s);
  asio::steady_timer deadline(io_);
  deadline.expires_after(request_timeout);
  deadline.async_wait([socket](boost::system::error_code e) {
    if (!e) {
      boost::system::error_code ignored;
      socket->close(ignored);
    }
  });
  asio::streambuf buf(max_request);
  boost::system::error_code ec;
  const std::size_t n =
      co_await asio::async_read_until(s, buf, '\n', asio::redirect_error(asio::use_awaitable, ec));
  nlohmann::json reply;
  if (ec) {
    reply = {{"ok", false}, {"error", "expected one JSON object on one line (at most 64 KiB)"}};
    if (!s.is_open()) co_return;
  } else if (!peer_allowed(peer, group_)) {
    reply = {{"ok", false}, {"error", "permission denied"}};
  } else {
    std::string line(asio::buffers_begin(buf.data()), asio::buffers_begin(buf.data()) + long(n));
    std::string error;
    if (auto request = parse_control_request(line, error))
      reply = answer(*request, peer);
    else
      reply = {{"ok", false}, {"error", error}};
  }
  const std::string out = reply.dump() + "\n";
  co_await asio::async_write(s, asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
  deadline.cancel();
  boost::system::error_code ignored;
  s.close(ignored);
}

}  // namespace tether::agent
