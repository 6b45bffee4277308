#include "console/certificate_listing.hpp"

#include <openssl/x509v3.h>

#include <algorithm>

#include "console/openssl_handles.hpp"
#include "console/pem_file.hpp"

namespace tether::console {
namespace {

namespace fs = std::filesystem;

// X509_verify_cert of `cert` against `ca` alone at `now` for `purpose`; "" when it
// verifies, else OpenSSL's reason.
std::string verify(X509* ca, X509* cert, int purpose, cert_time now) {
  x509_store_ptr store(X509_STORE_new());
  x509_store_ctx_ptr ctx(X509_STORE_CTX_new());
  if (!store || !ctx || X509_STORE_add_cert(store.get(), ca) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert, nullptr) != 1 ||
      X509_STORE_CTX_set_purpose(ctx.get(), purpose) != 1)
    return openssl_errors();
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()),
                             now.time_since_epoch().count());
  if (X509_verify_cert(ctx.get()) == 1) return {};
  return X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

std::string common_name(const X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  const int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (at < 0) return {};
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
          std::size_t(ASN1_STRING_length(value))};
}

std::string role_of(const std::string& file) {
  if (file == "ca.crt") return "ca";
  if (file.rfind("site-", 0) == 0) return "site";
  if (file.rfind("console-", 0) == 0) return "console";
  return {};
}

listed_certificate describe(X509* ca, const fs::path& path, const std::string& role,
                            cert_time now, std::chrono::days threshold) {
  listed_certificate entry{path.filename().string(), role, {}, {}, {}, {}};
  std::string error;
  x509_ptr cert = read_certificate(path, error);
  if (!cert) {
    entry.problem = error;
    return entry;
  }
  const int purpose = role == "site"      ? X509_PURPOSE_SSL_CLIENT
                      : role == "console" ? X509_PURPOSE_SSL_SERVER
                                          : X509_PURPOSE_ANY;
  entry.name = role == "site" ? site_id(cert.get()).value_or("") : common_name(cert.get());
  entry.not_after = not_after(cert.get());
  entry.problem = verify(ca, cert.get(), purpose, now);
  entry.notice = expiry_warning(cert.get(), now, threshold);
  return entry;
}

}  // namespace

std::vector<listed_certificate> list_certificates(const fs::path& dir, cert_time now,
                                                  std::chrono::days threshold, std::string& error) {
  x509_ptr ca = read_certificate(dir / "ca.crt", error);
  if (!ca) return {};
  std::vector<fs::path> leaves;
  std::error_code ec;
  for (const auto& item : fs::directory_iterator(dir, ec)) {
    const std::string file = item.path().filename().string();
    const std::string role = role_of(file);
    if (!role.empty() && role != "ca" && item.path().extension() == ".crt")
      leaves.push_back(item.path());
  }
  std::sort(leaves.begin(), leaves.end());
  std::vector<listed_certificate> list{describe(ca.get(), dir / "ca.crt", "ca", now, threshold)};
  for (const auto& leaf : leaves)
    list.push_back(describe(ca.get(), leaf, role_of(leaf.filename().string()), now, threshold));
  return list;
}

}  // namespace tether::console
