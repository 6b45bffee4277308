#pragma once

// A throwaway PKI made through OpenSSL APIs for TLS tests: CAs, leaf certificates, PEM files.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace tether::transport::test {

struct key_free {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct cert_free {
  void operator()(X509* c) const { X509_free(c); }
};
using key_ptr = std::unique_ptr<EVP_PKEY, key_free>;
using cert_ptr = std::unique_ptr<X509, cert_free>;

/// A key and its certificate.
struct issued {
  key_ptr key;
  cert_ptr cert;
};

inline void must(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

inline void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  must(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

/// A P-256 key and a certificate for `cn`, signed by `issuer` (self-signed when null).
/// `san` is an OpenSSL subjectAltName value ("IP:127.0.0.1,DNS:console.test") or empty.
inline issued make_certificate(const std::string& cn, const issued* issuer, bool ca,
                               const std::string& san = {}) {
  static long serial = 1;
  issued out;
  out.key.reset(EVP_EC_gen("P-256"));
  must(out.key != nullptr, "key");
  out.cert.reset(X509_new());
  X509* c = out.cert.get();
  X509_set_version(c, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(c), serial++);
  X509_gmtime_adj(X509_getm_notBefore(c), -3600);
  X509_gmtime_adj(X509_getm_notAfter(c), 86400);
  X509_set_pubkey(c, out.key.get());
  X509_NAME* name = X509_get_subject_name(c);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* issuer_cert = issuer ? issuer->cert.get() : c;
  X509_set_issuer_name(c, X509_get_subject_name(issuer_cert));
  add_extension(c, issuer_cert, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_extension(c, issuer_cert, NID_key_usage,
                ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
  add_extension(c, issuer_cert, NID_subject_key_identifier, "hash");
  if (!ca) add_extension(c, issuer_cert, NID_ext_key_usage, "serverAuth,clientAuth");
  if (!san.empty()) add_extension(c, issuer_cert, NID_subject_alt_name, san);
  must(X509_sign(c, issuer ? issuer->key.get() : out.key.get(), EVP_sha256()) > 0, "sign");
  return out;
}

/// Writes the certificate to `dir/name.pem` and the key (0600) to `dir/name.key`.
inline void write_pem(const issued& i, const std::filesystem::path& dir, const std::string& name) {
  const auto cert_path = dir / (name + ".pem");
  const auto key_path = dir / (name + ".key");
  FILE* f = std::fopen(cert_path.c_str(), "w");
  must(f != nullptr, "open cert");
  must(PEM_write_X509(f, i.cert.get()) == 1, "write cert");
  std::fclose(f);
  f = std::fopen(key_path.c_str(), "w");
  must(f != nullptr, "open key");
  ::chmod(key_path.c_str(), 0600);
  must(PEM_write_PrivateKey(f, i.key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
       "write key");
  std::fclose(f);
}

}  // namespace tether::transport::test
