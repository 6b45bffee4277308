#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <filesystem>
#include <list>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "console/result_index.hpp"
#include "transport/tunnel_server.hpp"

namespace tether::console {

/// What `tether-console serve` runs with.
struct console_server_settings {
  transport::tunnel_server_settings tunnel;   ///< its data_dir is set from `data_dir`
  boost::asio::ip::tcp::endpoint listen;
  std::filesystem::path data_dir;             ///< index.sqlite, results/<site>/, console.sock
  std::filesystem::path socket_path;          ///< empty: data_dir/console.sock
};

/// The console process: the agents' TLS listener (transport::tunnel_server), the result
/// index kept up to date from its events, and the engineers' Unix socket (one JSON request
/// per line, one JSON answer per line; `run` with `follow` then streams event lines).
/// One io thread.
class console_server {
 public:
  console_server(boost::asio::io_context& io, console_server_settings settings);
  ~console_server();
  console_server(const console_server&) = delete;
  console_server& operator=(const console_server&) = delete;

  /// Creates the data folder (0700), opens the index, listens for agents and engineers;
  /// an error message or empty.
  std::string start();

  /// Closes both listeners and every connection; removes the socket file.
  void stop();

  /// The agents' port after start().
  std::uint16_t port() const { return tunnel_.port(); }

  /// Where engineers connect.
  const std::filesystem::path& socket_path() const { return settings_.socket_path; }

  struct engineer;

 private:
  boost::asio::awaitable<void> accept_engineers();
  boost::asio::awaitable<void> serve_engineer(std::shared_ptr<engineer> e);
  nlohmann::json answer(engineer& e, const nlohmann::json& request);
  nlohmann::json agents();
  nlohmann::json run(engineer& e, const nlohmann::json& request);
  nlohmann::json results(const nlohmann::json& request);
  nlohmann::json show(const nlohmann::json& request);
  nlohmann::json devices(const nlohmann::json& request);
  nlohmann::json anchors(const nlohmann::json& request);
  nlohmann::json notes(engineer& e, const nlohmann::json& request);
  nlohmann::json cancel(const nlohmann::json& request);
  void on_event(const transport::tunnel_event& event);
  void tell_followers(const std::string& site, std::uint64_t request_id, const nlohmann::json& line);
  std::string anchor(const std::string& site, const transport::audit_checkpoint& c);

  boost::asio::io_context& io_;
  console_server_settings settings_;
  transport::tunnel_server tunnel_;
  std::unique_ptr<result_index> index_;
  boost::asio::local::stream_protocol::acceptor engineers_;
  std::list<std::weak_ptr<engineer>> connected_;
  bool socket_created_ = false;
};

}  // namespace tether::console
