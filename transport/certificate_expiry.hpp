#pragma once

#include <openssl/x509.h>

#include <chrono>
#include <optional>
#include <string>

#include "transport/certificate_time.hpp"

namespace tether::transport {

/// A certificate that must be renewed soon or already has expired.
struct expiry_notice {
  std::string subject;             // one line, RFC 2253
  cert_time not_after{};
  std::chrono::seconds remaining{};  // negative once expired
  bool expired = false;

  /// A sentence for the log: who, when, and how many days are left.
  std::string message() const;
};

/// How far ahead an expiring certificate is warned about (by the agent, the console
/// server and `tether-console ca list`).
inline constexpr std::chrono::days expiry_warning_days{30};

/// A notice when `cert` expires within `threshold` of `now` (or has expired); nullopt
/// while it has longer to run. An unreadable expiry date counts as expired.
std::optional<expiry_notice> expiry_warning(const X509* cert, cert_time now,
                                            std::chrono::days threshold = expiry_warning_days);

/// The same, now.
std::optional<expiry_notice> expiry_warning_now(const X509* cert);

/// A certificate's subject on one line (RFC 2253, e.g. `CN=site-a,O=tether`).
std::string subject_line(const X509* cert);

}  // namespace tether::transport
