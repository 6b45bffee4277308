#pragma once

#include <string>
#include <string_view>

#include "agent/audit_event.hpp"

namespace tether::agent {

/// The SD-ID of tether's structured data. 32473 is the private enterprise number IANA keeps
/// for documentation (RFC 5612); a vendor with its own number swaps it here.
inline constexpr std::string_view rfc5424_sd_id = "tether@32473";

/// One audit record as an RFC 5424 syslog message (no trailing newline, no framing):
/// `<PRI>1 TIMESTAMP HOSTNAME tether PROCID MSGID [tether@32473 seq prev hash] ... MSG`.
/// Facility 13 (log audit); severity warning for denials, refusals, kills and recovery,
/// notice otherwise. The fields become SD-PARAMs (values escaped per §6.3.3); MSG is the
/// canonical record line, so a SIEM can re-verify the chain.
std::string format_rfc5424(const audit_record& record, std::string_view hostname,
                           std::string_view procid = "-");

/// `value` with `"`, `\` and `]` escaped by a backslash (RFC 5424 §6.3.3).
std::string escape_sd_value(std::string_view value);

/// `message` framed for syslog over TCP by octet counting (RFC 6587 §3.4.1): `LEN SP MSG`.
std::string octet_counted(std::string_view message);

/// This machine's host name as RFC 5424 wants it (printable ASCII, at most 255), or `-`.
std::string local_hostname();

}  // namespace tether::agent
