// Fuzzes what the console reads from an agent it has not yet trusted: a DER certificate
// through site_id, spki_sha256 and expiry_warning, and the same bytes as a console NAME.
// Invariants: no crash; a site is always a valid identifier; a pin is empty or 64 hex
// digits; an accepted NAME is a lower-case DNS name or a 4- or 16-byte address.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/identifier.hpp"
#include "console/openssl_handles.hpp"
#include "console/server_name.hpp"
#include "console/site_identity.hpp"

using namespace tether::console;

namespace {

void check_certificate(const std::uint8_t* data, std::size_t size) {
  const unsigned char* p = data;
  x509_ptr cert(d2i_X509(nullptr, &p, long(size)));
  if (!cert) return;
  if (auto site = site_id(cert.get()); site && !tether::config::is_identifier(*site))
    __builtin_trap();
  const std::string pin = spki_sha256(cert.get());
  if (!pin.empty() &&
      (pin.size() != 64 || pin.find_first_not_of("0123456789abcdef") != std::string::npos))
    __builtin_trap();
  if (auto notice = expiry_warning(cert.get(), cert_time(std::chrono::seconds(1796000000))))
    (void)notice->message();
}

void check_name(const std::string& text) {
  std::string why;
  const auto name = parse_server_name(text, why);
  if (!name) {
    if (why.empty()) __builtin_trap();
    return;
  }
  if (name->type == server_name::kind::ip && name->address.size() != 4 &&
      name->address.size() != 16)
    __builtin_trap();
  if (name->type == server_name::kind::dns &&
      name->text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != std::string::npos)
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check_certificate(data, size);
  check_name(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
