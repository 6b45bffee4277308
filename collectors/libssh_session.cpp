#include "collectors/libssh_session.hpp"

#include <libssh/libssh.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>

namespace tether::collectors {

namespace {

using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

void init_libssh_once() {
  static std::once_flag once;
  std::call_once(once, [] { ssh_init(); });
}

// SHA256:... of the server's key, plus its type; empty when there is no key yet.
std::pair<std::string, std::string> server_key(ssh_session s) {
  ssh_key key = nullptr;
  if (ssh_get_server_publickey(s, &key) != SSH_OK) return {};
  unsigned char* hash = nullptr;
  size_t len = 0;
  std::pair<std::string, std::string> out{ssh_key_type_to_char(ssh_key_type(key)), ""};
  if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) == SSH_OK) {
    char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
    if (text) out.second = text;
    ssh_string_free_char(text);
    ssh_clean_pubkey_hash(&hash);
  }
  ssh_key_free(key);
  return out;
}

std::string known_hosts_line(ssh_session s) {
  char* entry = nullptr;
  if (ssh_session_export_known_hosts_entry(s, &entry) != SSH_OK) return {};
  std::string line = entry;
  ssh_string_free_char(entry);
  return line;
}

}  // namespace

libssh_session::libssh_session(asio::any_io_executor executor)
    : resolver_(executor), socket_(executor), deadline_(executor) {
  init_libssh_once();
}

libssh_session::~libssh_session() {
  deadline_.cancel();
  close_session();
}

void libssh_session::close_session() {
  if (session_) {
    ssh_disconnect(session_);
    ssh_free(session_);
    session_ = nullptr;
  }
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

void libssh_session::stop() {
  stopped_ = true;
  deadline_.cancel();
  interrupt();
}

// Wakes every wait: resolving, connecting (a range connect only gives up on a closed
// socket), and readiness waits once libssh has the connection.
void libssh_session::interrupt() {
  resolver_.cancel();
  boost::system::error_code ignored;
  if (session_) socket_.cancel(ignored);
  else socket_.close(ignored);
}

void libssh_session::arm_deadline(std::chrono::milliseconds after) {
  expired_ = false;
  deadline_.expires_after(after);
  const unsigned generation = ++deadline_generation_;
  deadline_.async_wait([this, generation, alive = std::weak_ptr<int>(alive_)](
                           boost::system::error_code ec) {
    // The wait may complete after this session is gone, or after a later deadline was
    // armed (an expiry already queued cannot be cancelled): touch nothing then.
    if (ec || alive.expired() || generation != deadline_generation_) return;
    expired_ = true;
    interrupt();
  });
}

collect_status libssh_session::interrupted_status() const {
  return stopped_ ? collect_status::cancelled : collect_status::timeout;
}

awaitable<bool> libssh_session::wait_ready() {
  if (stopped_ || expired_) co_return false;
  const int flags = ssh_get_poll_flags(session_);
  const auto what = (flags & SSH_WRITE_PENDING) ? tcp::socket::wait_write : tcp::socket::wait_read;
  boost::system::error_code ec;
  co_await socket_.async_wait(what, asio::redirect_error(use_awaitable, ec));
  co_return !stopped_ && !expired_;
}

awaitable<connect_result> libssh_session::connect(const ssh_endpoint& endpoint,
                                                  const config::credential& login,
                                                  const ssh_settings& settings) {
  arm_deadline(settings.connect_timeout);
  connect_result result = co_await handshake(endpoint, settings);
  if (result.status == collect_status::ok && !settings.trust_unknown_key) {
    connect_result auth = co_await authenticate(login);
    result.status = auth.status;
    result.message = auth.message;
  }
  deadline_.cancel();
  co_return result;
}

awaitable<connect_result> libssh_session::handshake(const ssh_endpoint& endpoint,
                                                    const ssh_settings& settings) {
  connect_result r;
  boost::system::error_code ec;
  auto endpoints = co_await resolver_.async_resolve(endpoint.host, std::to_string(endpoint.port),
                                                    asio::redirect_error(use_awaitable, ec));
  if (!ec && !stopped_ && !expired_)
    co_await asio::async_connect(socket_, endpoints, asio::redirect_error(use_awaitable, ec));
  if (stopped_ || expired_) {
    r.status = interrupted_status();
    r.message = "no connection to " + endpoint.host + ":" + std::to_string(endpoint.port) +
                " within the connect timeout";
    co_return r;
  }
  if (ec) {
    r.status = collect_status::unreachable;
    r.message = endpoint.host + ":" + std::to_string(endpoint.port) + ": " + ec.message();
    co_return r;
  }
  const int fd = dup(socket_.native_handle());  // libssh closes its own copy
  session_ = fd < 0 ? nullptr : ssh_new();
  if (!session_) {
    if (fd >= 0) close(fd);
    r.message = "out of file descriptors or memory for the SSH session";
    co_return r;
  }
  const long timeout_s = 1 + long(settings.connect_timeout.count() / 1000);
  const int port = endpoint.port;
  const int no = 0;
  ssh_options_set(session_, SSH_OPTIONS_HOST, endpoint.host.c_str());
  ssh_options_set(session_, SSH_OPTIONS_PORT, &port);
  ssh_options_set(session_, SSH_OPTIONS_FD, &fd);
  ssh_options_set(session_, SSH_OPTIONS_KNOWNHOSTS, endpoint.known_hosts.c_str());
  ssh_options_set(session_, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
  ssh_options_set(session_, SSH_OPTIONS_PROCESS_CONFIG, &no);
  ssh_options_set(session_, SSH_OPTIONS_TIMEOUT, &timeout_s);
  ssh_set_blocking(session_, 0);
  int rc = SSH_AGAIN;
  while ((rc = ssh_connect(session_)) == SSH_AGAIN)
    if (!co_await wait_ready()) break;
  if (rc != SSH_OK) {
    r.status = rc == SSH_AGAIN ? interrupted_status() : collect_status::error;
    r.message = rc == SSH_AGAIN ? "SSH handshake did not finish in time"
                                : std::string("SSH handshake failed: ") + ssh_get_error(session_);
    co_return r;
  }
  co_return co_await check_host_key(endpoint, settings);
}

awaitable<connect_result> libssh_session::check_host_key(const ssh_endpoint& endpoint,
                                                         const ssh_settings& settings) {
  connect_result r;
  std::tie(r.host_key_type, r.host_key_fingerprint) = server_key(session_);
  r.known_hosts_line = known_hosts_line(session_);
  const std::string shown = r.host_key_type + " " + r.host_key_fingerprint;
  switch (ssh_session_is_known_server(session_)) {
    case SSH_KNOWN_HOSTS_OK:
      r.status = collect_status::ok;
      r.pinned = true;
      break;
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
      r.status = collect_status::hostkey_changed;
      r.message = "host key of " + endpoint.device + " has CHANGED: it now presents " + shown +
                  ", which does not match " + endpoint.known_hosts + "; refusing to connect";
      break;
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
      r.status = settings.trust_unknown_key ? collect_status::ok : collect_status::hostkey_unknown;
      r.message = "host key of " + endpoint.device + " is not pinned in " + endpoint.known_hosts +
                  ": it presents " + shown + "; check it and run tetherctl inventory trust " +
                  endpoint.device;
      break;
    default:
      r.status = collect_status::error;
      r.message = std::string("cannot check the host key: ") + ssh_get_error(session_);
  }
  co_return r;
}

awaitable<connect_result> libssh_session::authenticate(const config::credential& login) {
  connect_result r;
  ssh_options_set(session_, SSH_OPTIONS_USER, login.username.c_str());
  ssh_key key = nullptr;
  if (login.how == config::credential::method::key_file &&
      ssh_pki_import_privkey_file(login.key_file.c_str(), nullptr, nullptr, nullptr, &key) !=
          SSH_OK) {
    r.message = "cannot read the private key file " + login.key_file;
    co_return r;
  }
  int rc = SSH_AUTH_AGAIN;
  for (;;) {
    switch (login.how) {
      case config::credential::method::key_file:
        rc = ssh_userauth_publickey(session_, nullptr, key);
        break;
      case config::credential::method::agent:
        rc = ssh_userauth_agent(session_, nullptr);
        break;
      case config::credential::method::password:
        rc = ssh_userauth_password(session_, nullptr, login.password.c_str());
        break;
    }
    if (rc != SSH_AUTH_AGAIN || !co_await wait_ready()) break;
  }
  ssh_key_free(key);
  if (rc == SSH_AUTH_SUCCESS) {
    r.status = collect_status::ok;
  } else if (rc == SSH_AUTH_AGAIN) {
    r.status = interrupted_status();
    r.message = "login did not finish in time";
  } else if (rc == SSH_AUTH_DENIED || rc == SSH_AUTH_PARTIAL) {
    r.status = collect_status::auth_failed;
    r.message = "login as " + login.username + " refused (credential " + login.name + ")";
  } else {
    r.message = std::string("login failed: ") + ssh_get_error(session_);
  }
  co_return r;
}

awaitable<command_result> libssh_session::run(const std::string& command,
                                              const command_limits& limits,
                                              const output_sink& sink) {
  command_result r;
  if (!session_ || stopped_) {
    r.status = stopped_ ? collect_status::cancelled : collect_status::error;
    r.message = "not connected";
    co_return r;
  }
  arm_deadline(limits.timeout);
  ssh_channel channel = ssh_channel_new(session_);
  int rc = channel ? SSH_AGAIN : SSH_ERROR;
  while (channel && (rc = ssh_channel_open_session(channel)) == SSH_AGAIN)
    if (!co_await wait_ready()) break;
  if (rc == SSH_OK)
    while ((rc = ssh_channel_request_exec(channel, command.c_str())) == SSH_AGAIN)
      if (!co_await wait_ready()) break;
  if (rc == SSH_OK) {
    r = co_await read_output(channel, limits, sink);
  } else {
    r.status = rc == SSH_AGAIN ? interrupted_status() : collect_status::error;
    r.message = rc == SSH_AGAIN ? "the command did not start in time"
                                : std::string("cannot start the command: ") + ssh_get_error(session_);
  }
  deadline_.cancel();
  if (channel) {
    ssh_channel_close(channel);
    ssh_channel_free(channel);
  }
  co_return r;
}

awaitable<command_result> libssh_session::read_output(ssh_channel channel,
                                                      const command_limits& limits,
                                                      const output_sink& sink) {
  command_result r;
  std::string buffer(64 * 1024, '\0');
  for (;;) {
    char discard[4096];
    ssh_channel_read_nonblocking(channel, discard, sizeof discard, 1);  // stderr: drained
    const int n = ssh_channel_read_nonblocking(channel, buffer.data(), uint32_t(buffer.size()), 0);
    if (n > 0) {
      const std::size_t room = limits.output_cap - r.bytes;
      const std::size_t take = std::min<std::size_t>(std::size_t(n), room);
      co_await sink(std::string_view(buffer.data(), take));
      r.bytes += take;
      if (take < std::size_t(n)) {
        r.status = collect_status::truncated;
        r.message = "output cut at the cap of " + std::to_string(limits.output_cap) + " bytes";
        co_return r;
      }
      // A device that never pauses must not hold the io thread: let timers and stop() run.
      co_await asio::post(socket_.get_executor(), use_awaitable);
      if (stopped_ || expired_) break;
      continue;
    }
    if (n == SSH_EOF || (n == 0 && ssh_channel_is_eof(channel))) {
      r.status = collect_status::ok;
      if (ssh_channel_is_closed(channel)) r.exit_status = ssh_channel_get_exit_status(channel);
      co_return r;
    }
    if (n < 0) {
      r.status = collect_status::error;
      r.message = "connection lost after " + std::to_string(r.bytes) + " bytes: " +
                  ssh_get_error(session_);
      co_return r;
    }
    if (!co_await wait_ready()) break;
  }
  r.status = interrupted_status();
  r.message = stopped_ ? "cancelled after " + std::to_string(r.bytes) + " bytes"
                       : "no end of output within " + std::to_string(limits.timeout.count()) +
                             " ms (" + std::to_string(r.bytes) + " bytes received)";
  co_return r;
}

}  // namespace tether::collectors
