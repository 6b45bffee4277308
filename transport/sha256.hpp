#pragma once

#include <span>

#include "transport/frame.hpp"

namespace tether::transport {

/// The SHA-256 digest of `bytes` (OpenSSL EVP).
digest sha256(std::span<const std::uint8_t> bytes);

}  // namespace tether::transport
