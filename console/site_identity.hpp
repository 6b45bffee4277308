#pragma once

#include <openssl/x509.h>

#include <chrono>
#include <optional>
#include <string>

#include "console/certificate_time.hpp"

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

/// A certificate that must be renewed soon or already has expired.
struct expiry_notice {
  std::string subject;             // one line, RFC 2253
  cert_time not_after{};
  std::chrono::seconds remaining{};  // negative once expired
  bool expired = false;

  /// A sentence for the log: who, when, and how many days are left.
  std::string message() const;
};

/// A notice when `cert` expires within `threshold` of `now` (or has expired); nullopt
/// while it has longer to run. An unreadable expiry date counts as expired.
std::optional<expiry_notice> expiry_warning(const X509* cert, cert_time now,
                                            std::chrono::days threshold = std::chrono::days{30});

/// A certificate's subject on one line (RFC 2253, e.g. `CN=site-a,O=tether`).
std::string subject_line(const X509* cert);

}  // namespace tether::console
