#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "config/agent_config.hpp"
#include "transport/backoff.hpp"
#include "transport/frame.hpp"
#include "transport/handshake.hpp"
#include "transport/http_connect.hpp"
#include "transport/spool.hpp"
#include "transport/tls_context.hpp"

namespace tether::transport {

/// Where the agent dials and how it behaves on the way and while connected.
struct tunnel_client_settings {
  std::string host;                  ///< the console's address (or name)
  std::uint16_t port = 443;
  std::optional<proxy_url> proxy;    ///< HTTP CONNECT through this proxy when set
  tls_client_settings tls;           ///< identity, CA, server name (also sent as SNI), pin
  std::string site_id;               ///< HELLO fields
  std::string window_id;
  std::int64_t window_closes_at_ms = 0;
  std::string software = "tether 0.1.0";
  backoff_settings backoff;
  std::chrono::milliseconds connect_timeout{10000};  ///< dial + proxy + TLS + HELLO_ACK
  handshake_policy handshake;
  std::function<std::int64_t()> now_ms;   ///< wall clock, Unix ms; default: system clock
  backoff::random_source random;          ///< jitter source; default: std::random_device
};

/// Client settings, or every problem found in the configuration ("console.pin_sha256: ...").
struct tunnel_client_settings_result {
  std::optional<tunnel_client_settings> value;
  std::vector<std::string> errors;
};

/// The dialling half of the settings from the agent configuration's `console:` section and
/// site: address, TLS files, server name, pin, and the proxy (`console.proxy`, else
/// `HTTPS_PROXY` / `https_proxy`). Window fields, backoff and clocks keep their defaults.
tunnel_client_settings_result client_settings_from(const config::console_endpoint& console,
                                                   const std::string& site);

/// Why run() returned.
enum class tunnel_end {
  stopped,    ///< stop() was called
  permanent,  ///< a refusal that retrying cannot fix (certificate, pin, TLS version, GOAWAY retry 0, proxy 401/403/407)
  gave_up,    ///< backoff_settings::max_attempts dials failed in a row
};

/// The outcome of run(): why it ended and the last error (empty when stopped).
struct tunnel_result {
  tunnel_end end = tunnel_end::stopped;
  std::string error;
};

/// The agent's end of the tunnel: dials the console (directly or through an HTTP CONNECT
/// proxy), runs TLS and the HELLO handshake, then sends the spool's unacknowledged chunks
/// under stream credit, deletes them on ACK, answers and sends keepalives, and redials with
/// exponential backoff and jitter when the link breaks. One io thread; the spool is owned
/// by the caller and outlives the client; run() must have returned (after stop()) before the
/// client is destroyed, since its coroutine refers to the client.
class tunnel_client {
 public:
  /// Console REQUEST frames go to this handler (the agent's dispatcher plugs in here).
  using request_handler = std::function<void(const request&)>;

  tunnel_client(boost::asio::io_context& io, tunnel_client_settings settings, spool& s);
  ~tunnel_client();
  tunnel_client(const tunnel_client&) = delete;
  tunnel_client& operator=(const tunnel_client&) = delete;

  /// Registers a new result in the spool (see spool::begin_result).
  spool_write begin_result(std::uint64_t request_id, const std::string& collector,
                           const std::string& device);
  /// Appends result bytes to the spool and wakes the sender (see spool::append).
  spool_write append(std::uint64_t result_id, std::span<const std::uint8_t> bytes);
  /// Ends a result in the spool and wakes the sender (see spool::finish).
  spool_write finish(std::uint64_t result_id, end_status status, const std::string& message);

  /// Sets the handler for REQUEST frames (without one they are logged and ignored).
  void on_request(request_handler handler) { on_request_ = std::move(handler); }

  /// Connects and reconnects until stopped, refused for good, or out of attempts.
  boost::asio::awaitable<tunnel_result> run();

  /// Closes the connection and cancels the backoff wait at once; run() then returns `stopped`.
  void stop();

  /// Sessions established so far (HELLO_ACK accepted), for tests and status.
  std::size_t sessions() const { return sessions_; }

 private:
  struct connection;
  struct attempt;
  boost::asio::awaitable<attempt> connect_once();
  boost::asio::awaitable<attempt> session(std::shared_ptr<connection> conn);
  boost::asio::awaitable<void> sender(std::shared_ptr<connection> conn);
  boost::asio::awaitable<void> pinger(std::shared_ptr<connection> conn);
  bool handle(connection& conn, frame& f);
  void wake();
  std::int64_t now_ms() const;

  boost::asio::io_context& io_;
  tunnel_client_settings settings_;
  spool& spool_;
  std::unique_ptr<boost::asio::ssl::context> context_;
  std::string context_error_;
  boost::asio::steady_timer backoff_timer_;
  std::shared_ptr<connection> current_;
  request_handler on_request_;
  bool stopped_ = false;
  std::size_t sessions_ = 0;
};

}  // namespace tether::transport
