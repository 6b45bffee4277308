#include "transport/certificate_time.hpp"

#include <ctime>

namespace tether::transport {

std::optional<cert_time> to_cert_time(const ASN1_TIME* time) {
  std::tm parts{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &parts) != 1) return std::nullopt;
  return cert_time(std::chrono::seconds(timegm(&parts)));
}

std::optional<cert_time> not_after(const X509* cert) {
  return cert ? to_cert_time(X509_get0_notAfter(cert)) : std::nullopt;
}

std::string format_utc(cert_time at) {
  const std::time_t t = at.time_since_epoch().count();
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace tether::transport
