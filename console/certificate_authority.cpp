#include "console/certificate_authority.hpp"

#include <sys/stat.h>

#include <openssl/rand.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <tuple>

#include "config/identifier.hpp"
#include "console/pem_file.hpp"
#include "console/server_name.hpp"
#include "console/site_identity.hpp"

namespace tether::console {
namespace {

namespace fs = std::filesystem;

// Certificates start five minutes in the past so that a peer whose clock runs a little
// behind does not reject a certificate issued moments ago.
constexpr std::chrono::seconds backdate{300};
constexpr unsigned key_mode = 0600;
constexpr unsigned cert_mode = 0644;

ca_result failure(ca_status status, std::string error) {
  ca_result r;
  r.status = status;
  r.error = std::move(error);
  return r;
}

// A random 128-bit serial (RFC 5280 allows up to 20 octets; CAs should use at least 64
// random bits), never zero.
asn1_integer_ptr random_serial() {
  bignum_ptr bn(BN_new());
  do {
    if (!bn || BN_rand(bn.get(), 128, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1) return nullptr;
  } while (BN_is_zero(bn.get()));
  return asn1_integer_ptr(BN_to_ASN1_INTEGER(bn.get(), nullptr));
}

std::string serial_hex(const X509* cert) {
  bignum_ptr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  char* text = bn ? BN_bn2hex(bn.get()) : nullptr;
  std::string serial = text ? text : "";
  OPENSSL_free(text);
  return serial;
}

bool set_subject(X509* cert, const std::string& common_name) {
  X509_NAME* name = X509_get_subject_name(cert);
  auto add = [&](const char* field, const std::string& value) {
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                                      -1, 0) == 1;
  };
  return add("O", "tether") && add("CN", common_name);
}

bool set_validity(X509* cert, cert_time now, cert_time end) {
  const std::time_t start = (now - backdate).time_since_epoch().count();
  return ASN1_TIME_set(X509_getm_notBefore(cert), start) != nullptr &&
         ASN1_TIME_set(X509_getm_notAfter(cert), end.time_since_epoch().count()) != nullptr;
}

// An unsigned certificate for `key` with a fresh serial, the subject `O=tether, CN=cn`
// and the validity [now - backdate, end].
x509_ptr new_certificate(EVP_PKEY* key, const std::string& cn, cert_time now, cert_time end) {
  x509_ptr cert(X509_new());
  asn1_integer_ptr serial = random_serial();
  if (!cert || !serial || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_serialNumber(cert.get(), serial.get()) != 1 || !set_subject(cert.get(), cn) ||
      !set_validity(cert.get(), now, end) || X509_set_pubkey(cert.get(), key) != 1)
    return nullptr;
  return cert;
}

// Adds one extension written in OpenSSL's configuration syntax; `value` is always one of
// the fixed strings below, never user input.
bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  x509_extension_ptr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool push_name(GENERAL_NAMES* names, int type, const unsigned char* bytes, std::size_t size) {
  GENERAL_NAME* name = GENERAL_NAME_new();
  ASN1_STRING* value = type == GEN_IPADD ? ASN1_OCTET_STRING_new() : ASN1_IA5STRING_new();
  if (!name || !value || ASN1_STRING_set(value, bytes, int(size)) != 1) {
    GENERAL_NAME_free(name);
    ASN1_STRING_free(value);
    return false;
  }
  GENERAL_NAME_set0_value(name, type, value);
  if (sk_GENERAL_NAME_push(names, name) > 0) return true;
  GENERAL_NAME_free(name);
  return false;
}

// The subject alternative name built from structures, so that no name is ever parsed as
// OpenSSL configuration text.
bool add_alt_name(X509* cert, int type, const std::string& text,
                  const std::vector<unsigned char>& address) {
  general_names_ptr names(GENERAL_NAMES_new());
  const bool pushed =
      names && (type == GEN_IPADD
                    ? push_name(names.get(), type, address.data(), address.size())
                    : push_name(names.get(), type,
                                reinterpret_cast<const unsigned char*>(text.data()),
                                text.size()));
  return pushed &&
         X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) == 1;
}

bool add_ca_extensions(X509* cert) {
  return add_extension(cert, cert, NID_basic_constraints, "critical,CA:TRUE") &&
         add_extension(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign") &&
         add_extension(cert, cert, NID_subject_key_identifier, "hash");
}

bool add_leaf_extensions(X509* cert, X509* issuer, leaf_kind kind) {
  return add_extension(cert, issuer, NID_basic_constraints, "critical,CA:FALSE") &&
         add_extension(cert, issuer, NID_key_usage, "critical,digitalSignature") &&
         add_extension(cert, issuer, NID_ext_key_usage,
                       kind == leaf_kind::site ? "clientAuth" : "serverAuth") &&
         add_extension(cert, issuer, NID_subject_key_identifier, "hash") &&
         add_extension(cert, issuer, NID_authority_key_identifier, "keyid:always");
}

bool sign(X509* cert, X509* issuer, EVP_PKEY* issuer_key) {
  return X509_set_issuer_name(cert, X509_get_subject_name(issuer)) == 1 &&
         X509_sign(cert, issuer_key, EVP_sha256()) > 0;
}

bool valid_days(int days) { return days >= 1 && days <= max_days; }

std::string days_expected(int days) {
  return "--days: expected a number of days from 1 to " + std::to_string(max_days) + ", got " +
         std::to_string(days);
}

// Writes the key (0600) and then the certificate (0644). Without `force` both names are
// checked first so that a refusal leaves nothing half-written.
ca_result write_pair(const fs::path& key_path, const fs::path& cert_path, EVP_PKEY* key,
                     X509* cert, bool force) {
  std::error_code ec;
  for (const auto& path : {key_path, cert_path})
    if (!force && fs::symlink_status(path, ec).type() != fs::file_type::not_found)
      return failure(ca_status::exists, path.string() + " exists (use --force to replace it)");
  const std::string key_pem = private_key_pem(key);
  const std::string cert_pem = certificate_pem(cert);
  if (key_pem.empty() || cert_pem.empty()) return failure(ca_status::failed, openssl_errors());
  ca_result result;
  for (const auto& [path, pem, mode] :
       {std::tuple{key_path, key_pem, key_mode}, std::tuple{cert_path, cert_pem, cert_mode}}) {
    const write_outcome w = write_file(path, pem, mode, force);
    if (w.result != write_outcome::status::written) {
      if (path == cert_path && !force) fs::remove(key_path, ec);
      return failure(w.result == write_outcome::status::exists ? ca_status::exists
                                                                : ca_status::failed,
                     w.error);
    }
    result.files.push_back({path, mode});
  }
  result.subject = subject_line(cert);
  result.serial = serial_hex(cert);
  result.not_after = not_after(cert).value_or(cert_time{});
  result.spki_sha256 = spki_sha256(cert);
  return result;
}

bool ensure_folder(const fs::path& dir, std::string& error) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return true;
  if (::mkdir(dir.c_str(), 0700) == 0 || fs::is_directory(dir, ec)) return true;
  error = dir.string() + ": cannot create the folder: " + std::strerror(errno);
  return false;
}

// What a leaf's name becomes: its common name and alternative name, or why it is refused.
struct leaf_names {
  std::string common_name;
  int san_type = GEN_URI;
  std::string san_text;
  std::vector<unsigned char> address;
};

std::optional<leaf_names> names_for(const leaf_request& request, std::string& why) {
  if (request.kind == leaf_kind::site) {
    if (!config::is_identifier(request.name)) {
      why = "--site: " + config::identifier_expected(request.name);
      return std::nullopt;
    }
    return leaf_names{request.name, GEN_URI, site_uri_prefix + request.name, {}};
  }
  auto name = parse_server_name(request.name, why);
  if (!name) {
    why = "--console: " + why;
    return std::nullopt;
  }
  const bool ip = name->type == server_name::kind::ip;
  return leaf_names{name->text, ip ? GEN_IPADD : GEN_DNS, name->text, name->address};
}

// Like OpenSSH with private keys, a CA key that others may read is not used.
bool key_is_private(const fs::path& path, std::string& error) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || (st.st_mode & 077) == 0) return true;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", unsigned(st.st_mode & 07777));
  error = path.string() + ": the CA key is accessible by others (mode " + mode +
          "); allow only its owner (chmod 600)";
  return false;
}

}  // namespace

pkey_ptr generate_key() {
  return pkey_ptr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

std::string leaf_file_stem(leaf_kind kind, const std::string& name) {
  return (kind == leaf_kind::site ? "site-" : "console-") + name;
}

ca_result certificate_authority::init(const fs::path& dir, int days, bool force, cert_time now) {
  if (!valid_days(days)) return failure(ca_status::bad_input, days_expected(days));
  std::string error;
  if (!ensure_folder(dir, error)) return failure(ca_status::failed, error);
  pkey_ptr key = generate_key();
  x509_ptr cert = key ? new_certificate(key.get(), "tether console CA", now,
                                        now + std::chrono::days(days))
                      : nullptr;
  if (!cert || !add_ca_extensions(cert.get()) || !sign(cert.get(), cert.get(), key.get()))
    return failure(ca_status::failed, openssl_errors());
  return write_pair(dir / "ca.key", dir / "ca.crt", key.get(), cert.get(), force);
}

std::optional<certificate_authority> certificate_authority::open(const fs::path& dir,
                                                                 std::string& error) {
  if (!key_is_private(dir / "ca.key", error)) return std::nullopt;
  x509_ptr cert = read_certificate(dir / "ca.crt", error);
  pkey_ptr key = cert ? read_private_key(dir / "ca.key", error) : nullptr;
  if (!cert || !key) return std::nullopt;
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    error = (dir / "ca.key").string() + ": does not belong to " + (dir / "ca.crt").string();
    return std::nullopt;
  }
  return certificate_authority(dir, std::move(cert), std::move(key));
}

ca_result certificate_authority::issue(const leaf_request& request, cert_time now) const {
  if (!valid_days(request.days)) return failure(ca_status::bad_input, days_expected(request.days));
  std::string why;
  const auto names = names_for(request, why);
  if (!names) return failure(ca_status::bad_input, why);
  cert_time end = now + std::chrono::days(request.days);
  const auto ca_end = not_after(cert_.get());
  const bool shortened = ca_end && end > *ca_end;
  if (shortened) end = *ca_end;
  pkey_ptr key = generate_key();
  x509_ptr cert = key ? new_certificate(key.get(), names->common_name, now, end) : nullptr;
  if (!cert || !add_leaf_extensions(cert.get(), cert_.get(), request.kind) ||
      !add_alt_name(cert.get(), names->san_type, names->san_text, names->address) ||
      !sign(cert.get(), cert_.get(), key_.get()))
    return failure(ca_status::failed, openssl_errors());
  const std::string stem = leaf_file_stem(request.kind, names->common_name);
  ca_result result = write_pair(dir_ / (stem + ".key"), dir_ / (stem + ".crt"), key.get(),
                                cert.get(), request.force);
  result.shortened = shortened && result.status == ca_status::ok;
  return result;
}

}  // namespace tether::console
