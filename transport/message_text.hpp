#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "transport/frame.hpp"

namespace tether::transport {

/// `text` with every byte sequence that is not UTF-8 (RFC 3629: no overlong forms,
/// surrogates or code points above U+10FFFF) replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

/// `text` fit for a protocol message (DENY, NOTICE, END_STREAM, GOAWAY) and a log line:
/// valid UTF-8, control bytes as `?`, cut on a character boundary to at most `max` bytes.
std::string message_text(std::string_view text, std::size_t max = max_message_size);

}  // namespace tether::transport
