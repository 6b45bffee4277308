#include "transport/http_connect.hpp"

#include <openssl/evp.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <cstdlib>
#include <vector>

namespace tether::transport {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// %-decodes a URL user or password; nothing when an escape is broken.
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = hex_value(text[i + 1]);
    const int lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

proxy_url_result url_error(const std::string& why) { return {std::nullopt, "proxy URL: " + why}; }

std::string base64(const std::string& text) {
  std::vector<unsigned char> out(4 * ((text.size() + 2) / 3) + 1);
  const int n = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  return std::string(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(n));
}

bool host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '-' || c == '_' || c == ':';
}

}  // namespace

std::string proxy_url::describe() const {
  return (user.empty() ? "" : user + "@") + host + ":" + std::to_string(port);
}

proxy_url_result parse_proxy_url(std::string_view text) {
  constexpr std::string_view scheme = "http://";
  if (text.substr(0, scheme.size()) != scheme)
    return url_error("must start with http:// (CONNECT to the proxy is not itself TLS)");
  text.remove_prefix(scheme.size());
  if (!text.empty() && text.back() == '/') text.remove_suffix(1);
  if (text.find_first_of("/?#") != std::string_view::npos)
    return url_error("no path, query or fragment allowed");
  proxy_url url;
  if (const auto at = text.rfind('@'); at != std::string_view::npos) {
    const auto userinfo = text.substr(0, at);
    text.remove_prefix(at + 1);
    const auto colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon));
    auto pass = colon == std::string_view::npos ? std::optional<std::string>("")
                                                : percent_decode(userinfo.substr(colon + 1));
    if (!user || !pass || user->empty()) return url_error("malformed user:password");
    if (user->find(':') != std::string::npos) return url_error("user must not contain ':'");
    url.user = std::move(*user);
    url.password = std::move(*pass);
  }
  std::string_view host = text;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {  // [IPv6]:port
    const auto close = text.find(']');
    if (close == std::string_view::npos) return url_error("unterminated [IPv6 address]");
    host = text.substr(1, close - 1);
    if (close + 1 >= text.size() || text[close + 1] != ':') return url_error("a port is required");
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return url_error("a port is required");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty()) return url_error("a host is required");
  for (char c : host)
    if (!host_char(c)) return url_error("bad character in host");
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos)
    return url_error("port must be 1-65535");
  const long p = std::strtol(std::string(port).c_str(), nullptr, 10);
  if (p < 1 || p > 65535) return url_error("port must be 1-65535");
  url.host = std::string(host);
  url.port = static_cast<std::uint16_t>(p);
  return {std::move(url), {}};
}

std::optional<std::string> proxy_setting(const std::optional<std::string>& configured) {
  if (configured && !configured->empty()) return configured;
  for (const char* name : {"HTTPS_PROXY", "https_proxy"})
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0')
      return std::string(value);
  return std::nullopt;
}

std::string connect_request(const proxy_url& proxy, const std::string& target_host,
                            std::uint16_t target_port) {
  const bool v6 = target_host.find(':') != std::string::npos;
  const std::string authority =
      (v6 ? "[" + target_host + "]" : target_host) + ":" + std::to_string(target_port);
  std::string r = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
  if (!proxy.user.empty())
    r += "Proxy-Authorization: Basic " + base64(proxy.user + ":" + proxy.password) + "\r\n";
  r += "\r\n";
  return r;
}

connect_reply parse_connect_reply(std::string_view header) {
  using state = connect_reply::state;
  auto malformed = [](std::string why) { return connect_reply{state::malformed, 0, std::move(why)}; };
  for (char c : header) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\r' && c != '\n' && c != '\t') || u == 0x7f)
      return malformed("control character in the answer");
  }
  const auto too_long = "answer header longer than " + std::to_string(max_connect_reply_size) + " bytes";
  const auto end = header.find("\r\n\r\n");
  if (end == std::string_view::npos)
    return header.size() >= max_connect_reply_size ? malformed(too_long) : connect_reply{};
  if (end + 4 > max_connect_reply_size) return malformed(too_long);
  const auto line_end = header.find("\r\n");
  const auto line = header.substr(0, line_end);
  // "HTTP/1.1 200 Connection established": version, one space, three digits, space or end.
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || (line[7] != '0' && line[7] != '1') ||
      line[8] != ' ')
    return malformed("not an HTTP/1.x status line");
  for (std::size_t i = 9; i < 12; ++i)
    if (line[i] < '0' || line[i] > '9') return malformed("status code is not three digits");
  if (line.size() > 12 && line[12] != ' ') return malformed("no space after the status code");
  if (line.find_first_of("\r\n") != std::string_view::npos) return malformed("bare CR or LF in the status line");
  connect_reply reply;
  reply.code = std::stoi(std::string(line.substr(9, 3)));
  reply.reason = line.size() > 13 ? std::string(line.substr(13)) : std::string();
  if (reply.code < 100) return malformed("status code below 100");
  for (auto rest = header.substr(line_end + 2, end + 2 - (line_end + 2)); !rest.empty();) {
    const auto eol = rest.find("\r\n");
    const auto field = rest.substr(0, eol);
    if (field.find('\n') != std::string_view::npos || field.find('\r') != std::string_view::npos)
      return malformed("bare CR or LF in a header line");
    const auto colon = field.find(':');
    if (colon == 0 || colon == std::string_view::npos || field.front() == ' ' || field.front() == '\t')
      return malformed("header line without a name");
    rest.remove_prefix(eol + 2);
  }
  reply.status = reply.code >= 200 && reply.code < 300 ? state::established : state::refused;
  return reply;
}

boost::asio::awaitable<connect_outcome> http_connect(boost::asio::ip::tcp::socket& socket,
                                                     const proxy_url& proxy,
                                                     const std::string& target_host,
                                                     std::uint16_t target_port) {
  namespace asio = boost::asio;
  const std::string who = "proxy " + proxy.describe();
  const std::string request = connect_request(proxy, target_host, target_port);
  boost::system::error_code ec;
  co_await asio::async_write(socket, asio::buffer(request),
                             asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return connect_outcome{false, false, who + ": sending CONNECT: " + ec.message()};
  std::string header;
  for (;;) {
    char c = 0;
    co_await asio::async_read(socket, asio::buffer(&c, 1),
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
      co_return connect_outcome{false, false,
                                who + ": connection ended during the CONNECT answer: " + ec.message()};
    header.push_back(c);
    // Judge once the header is complete (or too long): parsing every prefix is quadratic.
    const bool complete = header.size() >= 4 && header.compare(header.size() - 4, 4, "\r\n\r\n") == 0;
    if (!complete && header.size() < max_connect_reply_size && c >= 0x20) continue;
    const auto reply = parse_connect_reply(header);
    using state = connect_reply::state;
    switch (reply.status) {
      case state::incomplete:
        continue;
      case state::established:
        co_return connect_outcome{true, false, {}};
      case state::refused: {
        // Wrong or missing credentials (407; tinyproxy answers 401) and a forbidden target do
        // not heal by redialing.
        const bool permanent = reply.code == 401 || reply.code == 403 || reply.code == 407;
        co_return connect_outcome{false, permanent,
                                  who + " refused CONNECT to " + target_host + ":" +
                                      std::to_string(target_port) + ": " + std::to_string(reply.code) +
                                      " " + reply.reason.substr(0, 200)};
      }
      case state::malformed:
        co_return connect_outcome{false, false, who + ": malformed CONNECT answer: " + reply.reason};
    }
  }
}

}  // namespace tether::transport
