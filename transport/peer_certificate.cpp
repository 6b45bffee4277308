#include "transport/peer_certificate.hpp"

#include <openssl/evp.h>

#include "common/hex.hpp"
#include "transport/certificate_expiry.hpp"

namespace tether::transport {

std::string peer_fingerprint(const SSL* ssl) {
  X509* cert = SSL_get0_peer_certificate(ssl);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (cert == nullptr || X509_digest(cert, EVP_sha256(), md, &n) != 1) return {};
  return common::to_hex(md, n);
}

std::vector<std::string> session_expiry_warnings(const SSL* ssl) {
  std::vector<std::string> out;
  if (ssl == nullptr) return out;
  if (auto n = expiry_warning_now(SSL_get0_peer_certificate(ssl))) out.push_back("peer " + n->message());
  if (auto n = expiry_warning_now(SSL_get_certificate(ssl))) out.push_back("own " + n->message());
  return out;
}

}  // namespace tether::transport
