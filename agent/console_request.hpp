#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tether::agent {

/// What a console REQUEST asks for, once its JSON has been checked strictly.
struct console_request {
  std::string collector;
  std::vector<std::string> devices;  // empty: every device in the inventory
  std::map<std::string, std::string, std::less<>> params;
  std::string engineer;
};

/// A request refused before anything ran: a stable reason code (`malformed-request`, ...)
/// and a message for the engineer.
struct request_denial {
  std::string reason;
  std::string message;
};

/// The checked request, or why it was refused. `partial` keeps the engineer, collector and
/// devices that could be read even from a refused request, for the audit record.
struct request_parse_result {
  std::optional<console_request> request;
  std::optional<request_denial> denied;
  console_request partial;
};

/// Most devices one request may name, and most parameters.
inline constexpr std::size_t max_request_devices = 4096;
inline constexpr std::size_t max_request_params = 32;
/// Longest engineer identity and parameter value, in bytes.
inline constexpr std::size_t max_engineer_bytes = 128;
inline constexpr std::size_t max_param_value_bytes = 1024;

/// Reads a REQUEST's JSON strictly: one object of at most max_request_size bytes nested at
/// most max_request_depth deep, no duplicate keys, only the keys `collector` (identifier),
/// `devices` (array of distinct identifiers), `params` (object of strings) and `engineer`
/// (printable UTF-8). Anything else is `malformed-request`. Never throws.
request_parse_result parse_console_request(std::string_view json);

}  // namespace tether::agent
