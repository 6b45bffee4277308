#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
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

/// What happened to the link, for the daemon's audit log and status.
struct link_event {
  enum class kind {
    up,       ///< HELLO_ACK accepted: a session is running
    down,     ///< an established session ended (reason says why)
    refused,  ///< one side refused the other during TLS or the handshake (e.g. clock-skew)
  };
  kind what = kind::down;
  std::string console_id;          ///< up: the console's id from HELLO_ACK
  std::string peer_fingerprint;    ///< up: SHA-256 of the console's certificate (DER), 64 hex digits
  std::string cipher;              ///< up: the negotiated TLS cipher suite ("TLS_AES_256_GCM_SHA384")
  std::string reason;              ///< down / refused: why ("refusing console ...: clock-skew: ...")
};

/// The stable name of a link event kind ("up", "down", "refused").
const char* to_string(link_event::kind k);

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

  /// Sets the handler for CANCEL frames: the request id to stop.
  void on_cancel(std::function<void(std::uint64_t)> handler) { on_cancel_ = std::move(handler); }

  /// Sets the handler told when the link comes up, goes down or is refused.
  void on_link(std::function<void(const link_event&)> handler) { on_link_ = std::move(handler); }

  /// The window the next HELLO announces (the console refuses a closed one: `window-closed`).
  void set_window(std::string window_id, std::int64_t closes_at_ms);

  /// Sends DENY for a request now, or on the next session when the link is down (control
  /// frames wait in a bounded queue, oldest dropped first, with a warning).
  void deny(std::uint64_t request_id, const std::string& reason, const std::string& message);

  /// Sends a NOTICE now, or on the next session (same queue as deny()).
  void notice(notice_kind kind, std::int64_t at_ms, const std::string& message);

  /// Hands the console the latest audit checkpoint to anchor. Only the newest is kept; it is
  /// sent now and again at the start of every session until the console ACKs (0, audit_sequence).
  void checkpoint(const audit_checkpoint& c);

  /// The checkpoint still waiting for the console's ACK, if any.
  const std::optional<audit_checkpoint>& pending_checkpoint() const { return checkpoint_; }

  /// The window is over: sends NOTICE window_closed and GOAWAY window-closed (retry 1) on the
  /// current session, then closes it and stops (run() returns `stopped`). Without a session
  /// it just stops. The caller bounds the wait for run() (e.g. 1 s) and may stop() sooner.
  void close_for_window_end(const std::string& message);

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
  /// Deletes the chunks of the ACKs received since the last flush, in one spool transaction.
  void flush_acks(connection& conn);
  void wake();
  void enqueue(frame f);
  void emit(link_event::kind what, std::string reason, std::string console_id = {},
            std::string fingerprint = {}, std::string cipher = {});
  std::int64_t now_ms() const;

  boost::asio::io_context& io_;
  tunnel_client_settings settings_;
  spool& spool_;
  std::unique_ptr<boost::asio::ssl::context> context_;
  std::string context_error_;
  boost::asio::steady_timer backoff_timer_;
  std::shared_ptr<connection> current_;
  request_handler on_request_;
  std::function<void(std::uint64_t)> on_cancel_;
  std::function<void(const link_event&)> on_link_;
  std::deque<frame> control_;                  ///< DENY / NOTICE waiting for a session
  std::optional<audit_checkpoint> checkpoint_; ///< not yet acknowledged by the console
  bool closing_for_window_ = false;
  bool stopped_ = false;
  std::size_t sessions_ = 0;
};

}  // namespace tether::transport
