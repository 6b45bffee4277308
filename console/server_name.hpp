#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tether::console {

/// How the console is reached: the name agents dial, carried in its certificate's
/// subject alternative name as an IP address or a DNS name.
struct server_name {
  enum class kind { dns, ip };
  kind type = kind::dns;
  std::string text;                 // lower-case DNS name, or the address in canonical form
  std::vector<unsigned char> address;  // 4 or 16 bytes for an IP address, empty for DNS
};

/// Reads a console NAME: an IPv4 or IPv6 literal (IPv6 may be in brackets) becomes an IP
/// name, anything else must be a DNS host name (labels of letters, digits and inner
/// hyphens, at most 253 characters, not all-numeric at the end). On failure sets `why`.
std::optional<server_name> parse_server_name(std::string_view text, std::string& why);

}  // namespace tether::console
