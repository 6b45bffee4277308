#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tether::transport {

/// An HTTP proxy the agent tunnels through with CONNECT: `http://[user:pass@]host:port`.
struct proxy_url {
  std::string host;
  std::uint16_t port = 0;
  std::string user;      ///< empty: no Proxy-Authorization header
  std::string password;  ///< never logged; `describe()` leaves it out
  /// `host:port` (with `user@` when set), safe to log.
  std::string describe() const;
};

/// A parsed proxy URL, or why it is not one ("proxy URL: ..."; the password is not repeated).
struct proxy_url_result {
  std::optional<proxy_url> value;
  std::string error;
};

/// Parses `http://[user:pass@]host:port[/]` (user and password may be %-encoded; the port
/// is required; https:// and other schemes are refused).
proxy_url_result parse_proxy_url(std::string_view text);

/// The proxy to use: the configured `console.proxy` when set, else `HTTPS_PROXY`, else
/// `https_proxy` from the environment, else nothing.
std::optional<std::string> proxy_setting(const std::optional<std::string>& configured);

/// The CONNECT request for `target_host:target_port`, with Basic auth when the URL has a user.
std::string connect_request(const proxy_url& proxy, const std::string& target_host,
                            std::uint16_t target_port);

/// The proxy's answer to CONNECT, read so far.
struct connect_reply {
  enum class state { incomplete, established, refused, malformed };
  state status = state::incomplete;
  int code = 0;            ///< the HTTP status code once the status line is read
  std::string reason;      ///< the reason phrase, or what is malformed
};

/// The largest CONNECT answer header accepted (status line + headers + blank line).
inline constexpr std::size_t max_connect_reply_size = 8192;

/// Judges the header bytes read so far, strictly: `HTTP/1.x NNN reason` CRLF, header lines,
/// CRLF; 2xx is established, any other code refused; more than max_connect_reply_size
/// bytes, a bad status line or a control character is malformed. Pure.
connect_reply parse_connect_reply(std::string_view header);

/// The outcome of a CONNECT: ok, or an error naming the proxy and its answer, and whether
/// trying again later may help (401, 403 and 407 will not).
struct connect_outcome {
  bool ok = false;
  bool permanent = false;
  std::string error;
};

/// Sends CONNECT over `socket` (already connected to the proxy) and reads the answer header
/// byte by byte, so no byte of the tunnelled stream is consumed. I/O errors are values.
boost::asio::awaitable<connect_outcome> http_connect(boost::asio::ip::tcp::socket& socket,
                                                     const proxy_url& proxy,
                                                     const std::string& target_host,
                                                     std::uint16_t target_port);

}  // namespace tether::transport
