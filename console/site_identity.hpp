#pragma once

#include <openssl/x509.h>

#include <chrono>
#include <optional>
#include <string>

#include "transport/certificate_expiry.hpp"

namespace tether::console {

/// The URI prefix of the subject alternative name that names a site: `tether:site:ID`.
inline constexpr const char* site_uri_prefix = "tether:site:";

/// The site an agent's certificate names. Pass only a certificate that already verified
/// against the console's CA for TLS client use. The site is taken from the
/// `URI:tether:site:ID` alternative name, or, when the certificate has none, from its
/// common name; nullopt when the name is not a valid identifier or two such URIs disagree.
std::optional<std::string> site_id(const X509* cert);

/// The SHA-256 of the certificate's DER SubjectPublicKeyInfo as 64 lower-case hex digits
/// (the agent's `console.pin_sha256`); empty when the certificate has no readable key.
std::string spki_sha256(const X509* cert);

// Certificate times and expiry live in transport/ (the agent and the console server warn too).
using transport::cert_time;
using transport::expiry_notice;
using transport::expiry_warning;
using transport::format_utc;
using transport::not_after;
using transport::subject_line;

}  // namespace tether::console
