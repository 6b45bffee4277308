#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "collectors/collect_status.hpp"
#include "config/credentials.hpp"

struct ssh_session_struct;
struct ssh_channel_struct;

namespace tether::collectors {

namespace asio = boost::asio;

/// Where a device listens and which known_hosts file pins its key.
struct ssh_endpoint {
  std::string device;  // inventory name, for messages
  std::string host;
  std::uint16_t port = 22;
  std::string known_hosts;
};

/// What a connection attempt may take.
struct ssh_settings {
  std::chrono::milliseconds connect_timeout{10000};
  bool trust_unknown_key = false;  // only `tetherctl inventory trust`: learn, do not log in
};

/// How a connection attempt ended; the host key is reported whatever happened after it.
struct connect_result {
  collect_status status = collect_status::error;
  std::string message;
  std::string host_key_type;         // e.g. ssh-ed25519
  std::string host_key_fingerprint;  // SHA256:...
  std::string known_hosts_line;      // the line that would pin this key
  bool pinned = false;               // the key matched known_hosts
};

/// Limits for one command.
struct command_limits {
  std::chrono::milliseconds timeout{60000};
  std::size_t output_cap = 64u << 20;
};

/// How one command ended.
struct command_result {
  collect_status status = collect_status::error;
  std::string message;
  std::size_t bytes = 0;
  std::optional<int> exit_status;
};

/// Receives a command's output in order; the device is not read again until it returns,
/// so a slow consumer slows the device instead of filling memory.
using output_sink = std::function<asio::awaitable<void>(std::string_view)>;

/// One SSH session to one device, libssh driven non-blocking from socket readiness on the
/// caller's executor: no thread of its own, never blocks the io thread on the network.
class libssh_session {
 public:
  explicit libssh_session(asio::any_io_executor executor);
  ~libssh_session();
  libssh_session(const libssh_session&) = delete;
  libssh_session& operator=(const libssh_session&) = delete;

  /// Connects, checks the host key against known_hosts and logs in.
  asio::awaitable<connect_result> connect(const ssh_endpoint& endpoint,
                                          const config::credential& login,
                                          const ssh_settings& settings);
  /// Runs one command on its own exec channel, streaming stdout to `sink`.
  asio::awaitable<command_result> run(const std::string& command, const command_limits& limits,
                                      const output_sink& sink);
  /// Ends everything at once: waits in progress return `cancelled`, channel and session close.
  void stop();

 private:
  asio::awaitable<bool> wait_ready();
  void arm_deadline(std::chrono::milliseconds after);
  collect_status interrupted_status() const;
  asio::awaitable<connect_result> handshake(const ssh_endpoint& endpoint,
                                            const ssh_settings& settings);
  asio::awaitable<connect_result> check_host_key(const ssh_endpoint& endpoint,
                                                 const ssh_settings& settings);
  asio::awaitable<connect_result> authenticate(const config::credential& login);
  asio::awaitable<command_result> read_output(ssh_channel_struct* channel,
                                              const command_limits& limits,
                                              const output_sink& sink);
  void close_session();

  void interrupt();

  asio::ip::tcp::resolver resolver_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer deadline_;
  unsigned deadline_generation_ = 0;  // a stale expiry must not end a later operation
  ssh_session_struct* session_ = nullptr;
  bool stopped_ = false;
  bool expired_ = false;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // deadline handlers check it
};

}  // namespace tether::collectors
