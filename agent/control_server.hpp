#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <sys/types.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tether::agent {

/// Who is on the other end of the control socket, from SO_PEERCRED (the kernel's word).
struct peer_credentials {
  std::int64_t pid = -1;
  std::int64_t uid = -1;
  std::int64_t gid = -1;
};

/// Whether `peer` may use the control socket: root, the agent's own user, or a member of
/// `group` (primary or supplementary).
bool peer_allowed(const peer_credentials& peer, gid_t group);

/// One request line as read from the socket (untrusted): a JSON object with a "command"
/// string, nesting at most 8 deep; otherwise nothing and `error` says what was expected.
std::optional<nlohmann::json> parse_control_request(std::string_view line, std::string& error);

/// Answers one control request (one JSON object) from an allowed peer.
using control_handler =
    std::function<nlohmann::json(const nlohmann::json& request, const peer_credentials& peer)>;

/// The daemon's Unix control socket: mode 0660, group from the configuration; one JSON
/// object per line in, one per line out, then the connection closes. Peers that are not
/// allowed get `{"ok":false,"error":"permission denied"}`. Runs on the daemon's io thread.
class control_server {
 public:
  control_server(boost::asio::io_context& io, std::string path, gid_t group, control_handler handler);

  /// Binds (replacing a stale socket file), sets mode 0660 and the group, and starts
  /// accepting; an error message or empty.
  std::string start();
  /// Closes the listener and removes the socket file.
  void stop();

 private:
  nlohmann::json answer(const nlohmann::json& request, const peer_credentials& peer);
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(boost::asio::local::stream_protocol::socket socket);

  boost::asio::io_context& io_;
  std::string path_;
  gid_t group_;
  control_handler handler_;
  boost::asio::local::stream_protocol::acceptor acceptor_;
  bool stopped_ = false;
};

}  // namespace tether::agent
