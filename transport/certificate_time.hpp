#pragma once

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include <chrono>
#include <optional>
#include <string>

namespace tether::transport {

/// An instant as certificates carry it: whole seconds since the epoch, UTC.
using cert_time = std::chrono::sys_seconds;

/// The instant an ASN.1 UTCTime or GeneralizedTime names; nullopt when malformed.
std::optional<cert_time> to_cert_time(const ASN1_TIME* time);

/// When `cert` stops being valid (its notAfter); nullopt when unreadable.
std::optional<cert_time> not_after(const X509* cert);

/// `YYYY-MM-DDTHH:MM:SSZ`, the project's format for instants.
std::string format_utc(cert_time at);

}  // namespace tether::transport
