#include "transport/certificate_expiry.hpp"

#include <openssl/bio.h>

#include <memory>

namespace tether::transport {

std::string subject_line(const X509* cert) {
  std::unique_ptr<BIO, decltype(&BIO_free_all)> bio(BIO_new(BIO_s_mem()), &BIO_free_all);
  if (!bio || cert == nullptr ||
      X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) < 0)
    return {};
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, std::size_t(size)) : std::string();
}

std::optional<expiry_notice> expiry_warning(const X509* cert, cert_time now,
                                            std::chrono::days threshold) {
  const auto end = not_after(cert);
  const cert_time at = end ? *end : now;
  const auto remaining = at - now;
  if (end && remaining > threshold) return std::nullopt;
  return expiry_notice{subject_line(cert), at, remaining, remaining <= std::chrono::seconds(0)};
}

std::optional<expiry_notice> expiry_warning_now(const X509* cert) {
  return expiry_warning(cert, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

std::string expiry_notice::message() const {
  const auto days = std::chrono::duration_cast<std::chrono::days>(remaining).count();
  if (expired) return "certificate " + subject + " expired at " + format_utc(not_after);
  return "certificate " + subject + " expires at " + format_utc(not_after) + ", in " +
         std::to_string(days) + (days == 1 ? " day" : " days") + ": renew it";
}

}  // namespace tether::transport
