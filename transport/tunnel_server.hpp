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
#include <memory>
#include <set>
#include <string>

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

  struct session;

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(std::shared_ptr<session> s);
  boost::asio::awaitable<void> session_loop(std::shared_ptr<session> s);
  boost::asio::awaitable<std::string> on_frame(session& s, frame& f);
  boost::asio::awaitable<std::string> on_chunk(session& s, chunk_id id, chunk_kind kind,
                                               std::uint32_t stream, const frame& f);

  boost::asio::io_context& io_;
  tunnel_server_settings settings_;
  std::unique_ptr<boost::asio::ssl::context> context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  result_store store_;
  std::set<std::shared_ptr<session>> sessions_;
  tunnel_server_stats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  bool stopped_ = false;
};

/// The site an agent certificate names: its SAN URI `tether:site:ID`, else its subject CN;
/// empty when neither is an identifier. (A local extraction until console/site_identity lands.)
std::string site_of_certificate(X509* certificate);

}  // namespace tether::transport
