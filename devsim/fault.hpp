#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tether::devsim {

/// A misbehaviour injected into one simulated device (`--fault NAME=KIND[:ARG]`).
struct fault {
  enum class kind {
    none,
    auth_fail,       // every authentication attempt is rejected
    slow,            // each output chunk is delayed by `amount` milliseconds
    hang,            // commands are accepted and never answered
    drop_after,      // the connection is cut after `amount` bytes of output
    huge,            // `show configuration` is at least `amount` MB
    hostkey_change,  // the device serves a host key other than the one in known_hosts
    refuse,          // nothing listens: connections are refused
  };
  kind type = kind::none;
  std::uint64_t amount = 0;
};

/// A `--fault` argument split into the device name and its fault.
struct named_fault {
  std::string device;
  fault what;
};

/// Parses `NAME=auth-fail|slow:MS|hang|drop-after:BYTES|huge:MB|hostkey-change|refuse`;
/// nullopt and `why` on anything else.
std::optional<named_fault> parse_fault(std::string_view text, std::string& why);

/// The fault's spelling on the command line (`slow:250`).
std::string to_string(const fault& f);

}  // namespace tether::devsim
