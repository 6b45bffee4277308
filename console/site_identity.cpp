#include "console/site_identity.hpp"

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include <string_view>
#include <vector>

#include "config/identifier.hpp"
#include "console/openssl_handles.hpp"

namespace tether::console {
namespace {

std::string_view asn1_text(const ASN1_STRING* s) {
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
          std::size_t(ASN1_STRING_length(s))};
}

// The IDs of every `URI:tether:site:ID` alternative name, in order.
std::vector<std::string> site_uris(const X509* cert) {
  std::vector<std::string> ids;
  general_names_ptr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  const std::string_view prefix = site_uri_prefix;
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_URI) continue;
    const std::string_view uri = asn1_text(name->d.uniformResourceIdentifier);
    if (uri.substr(0, prefix.size()) == prefix) ids.emplace_back(uri.substr(prefix.size()));
  }
  return ids;
}

// The common name when there is exactly one.
std::optional<std::string> common_name(const X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  const int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (at < 0 || X509_NAME_get_index_by_NID(subject, NID_commonName, at) >= 0) return std::nullopt;
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
  return std::string(asn1_text(value));
}

std::string hex(const unsigned char* bytes, std::size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string text;
  for (std::size_t i = 0; i < size; ++i) {
    text += digits[bytes[i] >> 4];
    text += digits[bytes[i] & 0xf];
  }
  return text;
}

}  // namespace

std::optional<std::string> site_id(const X509* cert) {
  if (cert == nullptr) return std::nullopt;
  const auto ids = site_uris(cert);
  std::optional<std::string> id;
  if (ids.empty()) {
    id = common_name(cert);
  } else {
    for (const auto& other : ids)
      if (other != ids.front()) return std::nullopt;
    id = ids.front();
  }
  if (!id || !config::is_identifier(*id)) return std::nullopt;
  return id;
}

std::string spki_sha256(const X509* cert) {
  const EVP_PKEY* key = cert ? X509_get0_pubkey(cert) : nullptr;
  if (key == nullptr) return {};
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(key, &der);
  if (size <= 0) return {};
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  const bool ok = EVP_Digest(der, std::size_t(size), digest, &digest_size, EVP_sha256(),
                             nullptr) == 1;
  OPENSSL_free(der);
  return ok ? hex(digest, digest_size) : std::string();
}

}  // namespace tether::console
