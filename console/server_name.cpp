#include "console/server_name.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace tether::console {
namespace {

bool is_label_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
}

bool is_dns_label(std::string_view label) {
  return !label.empty() && label.size() <= 63 && label.front() != '-' && label.back() != '-' &&
         std::all_of(label.begin(), label.end(), is_label_char);
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<server_name> parse_ip(std::string_view text) {
  const std::string literal(text);
  unsigned char bytes[16];
  char canonical[INET6_ADDRSTRLEN];
  for (int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, literal.c_str(), bytes) != 1) continue;
    const std::size_t size = family == AF_INET ? 4 : 16;
    inet_ntop(family, bytes, canonical, sizeof canonical);
    return server_name{server_name::kind::ip, canonical,
                       std::vector<unsigned char>(bytes, bytes + size)};
  }
  return std::nullopt;
}

// A DNS host name as RFC 1123 allows it; the last label must not be all digits
// (RFC 3696 2), so that "10.0.0" is never mistaken for a name.
std::optional<std::string> parse_dns(std::string_view text) {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty() || text.size() > 253) return std::nullopt;
  std::string_view last;
  for (std::string_view rest = text;;) {
    const auto dot = rest.find('.');
    last = rest.substr(0, dot);
    if (!is_dns_label(last)) return std::nullopt;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (all_digits(last)) return std::nullopt;
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return lower;
}

}  // namespace

std::optional<server_name> parse_server_name(std::string_view text, std::string& why) {
  std::string_view inner = text;
  const bool bracketed = inner.size() > 2 && inner.front() == '[' && inner.back() == ']';
  if (bracketed) inner = inner.substr(1, inner.size() - 2);
  if (auto ip = parse_ip(inner)) {
    if (!bracketed || ip->address.size() == 16) return ip;
  }
  if (!bracketed) {
    if (auto dns = parse_dns(text)) return server_name{server_name::kind::dns, *dns, {}};
  }
  why = "expected a DNS host name (such as console.vendor.example) or an IPv4 or IPv6 "
        "address, got \"" + std::string(text) + "\"";
  return std::nullopt;
}

}  // namespace tether::console
