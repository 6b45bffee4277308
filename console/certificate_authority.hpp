#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "console/site_identity.hpp"
#include "console/openssl_handles.hpp"

namespace tether::console {

/// What a leaf certificate proves: an agent's site (TLS client) or the console (TLS server).
enum class leaf_kind { site, console };

/// A leaf certificate to issue: for which site or console name, for how long, and whether
/// existing files of the same name may be replaced.
struct leaf_request {
  leaf_kind kind = leaf_kind::site;
  std::string name;  // a site ID, or the console's DNS name or IP address
  int days = 365;
  bool force = false;
};

/// How a CA operation ended; everything but `ok` leaves no new file behind.
enum class ca_status {
  ok,
  bad_input,  // a malformed site ID, console name or validity
  exists,     // a file it would write exists and --force was not given
  no_ca,      // the folder holds no readable CA
  failed,     // OpenSSL or the file system failed
};

/// One file a CA operation wrote, with the mode it was given.
struct written_file {
  std::filesystem::path path;
  unsigned mode = 0;
};

/// The outcome of creating a CA or issuing a certificate, and what the new certificate holds.
struct ca_result {
  ca_status status = ca_status::ok;
  std::string error;                // set unless ok
  std::vector<written_file> files;  // key first, then certificate
  std::string subject;              // one line, RFC 2253
  std::string serial;               // hex
  cert_time not_after{};
  bool shortened = false;           // the leaf's validity was cut to end with the CA's
  std::string spki_sha256;          // pin of the new certificate's public key
};

inline constexpr int default_ca_days = 3650;
inline constexpr int default_leaf_days = 365;
inline constexpr int max_days = 36500;

/// A new ECDSA key on the P-256 curve.
pkey_ptr generate_key();

/// The file name stem of a leaf: `site-ID` or `console-NAME`.
std::string leaf_file_stem(leaf_kind kind, const std::string& name);

/// The console's certificate authority: a CA key and self-signed certificate kept in one
/// folder (`ca.key` 0600, `ca.crt` 0644) that signs the sites' client certificates and
/// the console's server certificate, written beside them.
class certificate_authority {
 public:
  /// Creates a CA key and self-signed certificate valid for `days` in `dir` (made with
  /// mode 0700 if missing). Refuses to replace an existing CA unless `force`.
  static ca_result init(const std::filesystem::path& dir, int days, bool force, cert_time now);

  /// Opens the CA kept in `dir`; nullopt with `error` set when it is missing or unreadable.
  static std::optional<certificate_authority> open(const std::filesystem::path& dir,
                                                   std::string& error);

  /// Issues a key and certificate for `request` and writes them into the CA's folder.
  ca_result issue(const leaf_request& request, cert_time now) const;

  /// The CA's certificate.
  X509* certificate() const { return cert_.get(); }

 private:
  certificate_authority(std::filesystem::path dir, x509_ptr cert, pkey_ptr key)
      : dir_(std::move(dir)), cert_(std::move(cert)), key_(std::move(key)) {}

  std::filesystem::path dir_;
  x509_ptr cert_;
  pkey_ptr key_;
};

}  // namespace tether::console
