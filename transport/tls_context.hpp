#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <boost/asio/ssl/context.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "transport/frame.hpp"

namespace tether::transport {

/// One side's TLS identity and trust, as PEM files.
struct tls_identity {
  std::filesystem::path certificate;  ///< leaf first, then any intermediates
  std::filesystem::path private_key;  ///< must not be readable by group or others
  std::filesystem::path ca_bundle;    ///< the CAs trusted to sign the peer's certificate
};

/// The agent's side: it verifies the console by CA, name and (optionally) SPKI pin.
struct tls_client_settings {
  tls_identity identity;
  std::string server_name;          ///< DNS name or IP address the console certificate carries
  std::optional<digest> spki_pin;   ///< SHA-256 of the console's SubjectPublicKeyInfo (DER)
};

/// The console's side: it requires a client certificate signed by its CA bundle.
struct tls_server_settings {
  tls_identity identity;
};

/// A ready context, or why it could not be built ("tls certificate /path: ...").
struct tls_context_result {
  std::unique_ptr<boost::asio::ssl::context> context;
  std::string error;
};

/// A TLS 1.3-only client context: presents the agent certificate, verifies the console
/// against the CA bundle and `server_name`, and when set, the SPKI pin of its leaf.
tls_context_result make_client_context(const tls_client_settings& settings);

/// A TLS 1.3-only server context that refuses any client without a certificate from its CA.
tls_context_result make_server_context(const tls_server_settings& settings);

/// The verified peer of a finished handshake: what the console maps to a site.
struct tls_peer {
  std::string common_name;  ///< subject CN, empty if none
  digest spki_sha256{};     ///< SHA-256 of the SubjectPublicKeyInfo (DER)
};

/// The peer certificate of a connection after its handshake, or nothing.
std::optional<tls_peer> peer_of(const SSL* ssl);

/// SHA-256 of a certificate's SubjectPublicKeyInfo (DER), the value pins compare.
digest spki_sha256(X509* certificate);

/// Reads a pin written as 64 hex digits (colons allowed between bytes).
std::optional<digest> parse_spki_pin(std::string_view text);

}  // namespace tether::transport
