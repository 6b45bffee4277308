#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "transport/frame.hpp"
#include "transport/handshake.hpp"
#include "transport/result_store.hpp"
#include "transport/tls_context.hpp"

namespace tether::transport {

/// The console's tunnel endpoint: its TLS identity, its store and the limits it grants.
struct tunnel_server_settings {
  tls_server_settings tls;
  std::filesystem::path data_dir;                    ///< results go to data_dir/<site>/
  std::string console_id = "console";
  std::uint32_t initial_stream_credit = 8 * 1024 * 1024;  ///< one fsync batch in flight while the last is synced
  std::uint16_t max_streams = 16;
  std::uint64_t sync_batch_bytes = 4 * 1024 * 1024;  ///< fsync + ACK at least this often (docs/protocol.md)
  std::chrono::milliseconds keepalive_interval{15000};
  std::chrono::milliseconds handshake_timeout{10000};  ///< TLS + HELLO must finish in this
  handshake_policy handshake;
  std::function<std::int64_t()> now_ms;               ///< wall clock, Unix ms; default: system
  /// Stores an agent's AUDIT_CHECKPOINT durably (site, checkpoint); returns an error or empty.
  /// Only a stored checkpoint is acknowledged (ACK entry (0, audit_sequence)); without this
  /// hook checkpoints are logged and never acknowledged.
  std::function<std::string(const std::string&, const audit_checkpoint&)> anchor;
};

/// A connected agent: what the engineer's `agents` command shows.
struct agent_session_info {
  std::string site;
  std::string window_id;
  std::string agent_software;
  std::string peer;                       ///< IP:port
  std::string peer_fingerprint;           ///< SHA-256 of the agent certificate (DER), hex
  std::string cipher;                     ///< the negotiated TLS cipher suite
  std::int64_t connected_since_ms = 0;    ///< HELLO_ACK sent, Unix ms
  std::int64_t window_closes_at_ms = 0;   ///< from HELLO, Unix ms
  std::optional<double> rtt_ms;           ///< the last PING/PONG round trip
};

/// Something that happened on an agent session, for the index and for followers.
struct tunnel_event {
  enum class kind {
    session_up,      ///< a session passed HELLO (site, window)
    session_down,    ///< it ended (message: why)
    stream_opened,   ///< OPEN_STREAM (also again after a reconnect, same result id)
    bytes,           ///< a DATA chunk was stored (bytes: the result's total so far)
    stream_ended,    ///< END_STREAM stored (status, message, bytes)
    denied,          ///< DENY (reason, message)
    notice,          ///< NOTICE (notice, at_ms, message)
    checkpoint,      ///< AUDIT_CHECKPOINT stored and acknowledged (result_id: audit sequence)
  };
  kind what = kind::session_up;
  std::string site;
  std::string window_id;
  std::uint64_t request_id = 0;
  std::uint64_t result_id = 0;
  std::string device;
  std::string collector;
  std::uint64_t bytes = 0;
  end_status status = end_status::ok;
  notice_kind notice = notice_kind::window_closing;
  std::int64_t at_ms = 0;
  std::string reason;
  std::string message;
};

/// The stable name of an event kind ("stream_opened").
const char* to_string(tunnel_event::kind k);

/// The outcome of sending a REQUEST: its id, or why it could not be sent.
struct request_sent {
  std::uint64_t request_id = 0;
  std::string error;  ///< "no agent connected for site X", "request JSON: ..."
};

/// Counters for status and tests.
struct tunnel_server_stats {
  std::size_t accepted = 0;     ///< TCP connections accepted
  std::size_t refused = 0;      ///< TLS or HELLO refused (each is logged)
  std::size_t sessions = 0;     ///< HELLO accepted
  std::size_t stored = 0;       ///< chunks stored durably (synced), then acknowledged
  std::size_t duplicates = 0;   ///< resent chunks dropped and acknowledged again
};

/// The console side of the tunnel: a TLS 1.3 listener requiring agent certificates, one
/// session per connection on the same io_context (handshake, site from the certificate,
/// stream rules, chunk dedup, durable store, then ACK). Refusals are logged on the
/// `console` logger with the peer's address and the reason.
class tunnel_server {
 public:
  tunnel_server(boost::asio::io_context& io, tunnel_server_settings settings);
  ~tunnel_server();
  tunnel_server(const tunnel_server&) = delete;
  tunnel_server& operator=(const tunnel_server&) = delete;

  /// Checks the limits, builds the TLS context and listens on `endpoint` (port 0: any);
  /// an error message or empty.
  std::string listen(const boost::asio::ip::tcp::endpoint& endpoint);

  /// The bound port after listen().
  std::uint16_t port() const;

  /// Starts accepting connections (after a successful listen()).
  void start();

  /// Closes the listener and every connection at once.
  void stop();

  const tunnel_server_stats& stats() const { return stats_; }

  /// The durable store (for readers and tests).
  result_store& store() { return store_; }

  /// Sets the observer of session events (one; the console server fans them out).
  void on_event(std::function<void(const tunnel_event&)> handler) { on_event_ = std::move(handler); }

  /// The connected agents, one per site, ordered by site.
  std::vector<agent_session_info> agents() const;

  /// Sends REQUEST `json` (one JSON object) to the site's agent; the id is new and unique
  /// (time-based, so unique across console restarts too).
  request_sent send_request(const std::string& site, const std::string& json);

  /// Sends CANCEL for a request to the site's agent; an error message or empty.
  std::string cancel(const std::string& site, std::uint64_t request_id);

  struct session;

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(std::shared_ptr<session> s);
  boost::asio::awaitable<void> session_loop(std::shared_ptr<session> s);
  boost::asio::awaitable<std::string> on_frame(session& s, frame& f);
  boost::asio::awaitable<std::string> on_chunk(session& s, chunk_id id, chunk_kind kind,
                                               std::uint32_t stream, const frame& f);
  boost::asio::awaitable<void> on_checkpoint(session& s, const audit_checkpoint& c);
  void register_session(const std::shared_ptr<session>& s);
  void unregister_session(const session& s, const std::string& why);
  void post(const std::shared_ptr<session>& s, frame f);
  void emit(tunnel_event e);

  boost::asio::io_context& io_;
  tunnel_server_settings settings_;
  std::unique_ptr<boost::asio::ssl::context> context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  result_store store_;
  std::set<std::shared_ptr<session>> sessions_;
  std::map<std::string, std::shared_ptr<session>> by_site_;  ///< the one live session per site
  std::function<void(const tunnel_event&)> on_event_;
  std::uint64_t last_request_id_ = 0;
  tunnel_server_stats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  bool stopped_ = false;
};

/// The site an agent certificate names: its SAN URI `tether:site:ID`, else its subject CN;
/// empty when neither is an identifier. (A local extraction until console/site_identity lands.)
std::string site_of_certificate(X509* certificate);

}  // namespace tether::transport
