#pragma once

#include <openssl/ssl.h>

#include <string>
#include <vector>

namespace tether::transport {

/// SHA-256 of the TLS peer's certificate (DER) in lower-case hex; empty without one.
std::string peer_fingerprint(const SSL* ssl);

/// One sentence for each certificate of an established TLS session, the peer's and our
/// own, that expires within expiry_warning_days (or has): for the log, well ahead.
std::vector<std::string> session_expiry_warnings(const SSL* ssl);

}  // namespace tether::transport
