#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <openssl/x509v3.h>

#include <set>

#include "console/certificate_authority.hpp"
#include "console/pem_file.hpp"
#include "tests/unit/console/ca_fixture.hpp"

using namespace tether::console;
using tether::console::testing::ca_fixture;

namespace {

// X509_verify_cert of `leaf` against `ca` alone, for the TLS purpose `purpose`;
// returns OpenSSL's verdict code (X509_V_OK when the chain verifies).
int verify(X509* ca, X509* leaf, int purpose, const char* host = nullptr,
           const char* ip = nullptr) {
  x509_store_ptr store(X509_STORE_new());
  REQUIRE(X509_STORE_add_cert(store.get(), ca) == 1);
  x509_store_ctx_ptr ctx(X509_STORE_CTX_new());
  REQUIRE(X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr) == 1);
  REQUIRE(X509_STORE_CTX_set_purpose(ctx.get(), purpose) == 1);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  if (host) X509_VERIFY_PARAM_set1_host(param, host, 0);
  if (ip) X509_VERIFY_PARAM_set1_ip_asc(param, ip);
  X509_verify_cert(ctx.get());
  return X509_STORE_CTX_get_error(ctx.get());
}

unsigned mode_of(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// The alternative names of `cert` as "DNS:x", "IP:n bytes", "URI:x".
std::set<std::string> alt_names(const X509* cert) {
  std::set<std::string> found;
  general_names_ptr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names.get(), i);
    const ASN1_STRING* s = n->d.ia5;
    const std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                           std::size_t(ASN1_STRING_length(s)));
    if (n->type == GEN_DNS) found.insert("DNS:" + text);
    if (n->type == GEN_URI) found.insert("URI:" + text);
    if (n->type == GEN_IPADD) found.insert("IP:" + std::to_string(text.size()) + " bytes");
  }
  return found;
}

long days_between(const ASN1_TIME* from, const ASN1_TIME* to) {
  int days = 0, seconds = 0;
  REQUIRE(ASN1_TIME_diff(&days, &seconds, from, to) == 1);
  return days;
}

}  // namespace

TEST_CASE("a site certificate verifies against its CA for TLS client use only", "[ca]") {
  ca_fixture f;
  f.issue(leaf_kind::site, "r1-ams");
  auto ca = f.load("ca.crt");
  auto site = f.load("site-r1-ams.crt");
  CHECK(verify(ca.get(), site.get(), X509_PURPOSE_SSL_CLIENT) == X509_V_OK);
  CHECK(verify(ca.get(), site.get(), X509_PURPOSE_SSL_SERVER) == X509_V_ERR_INVALID_PURPOSE);
}

TEST_CASE("a console certificate verifies for TLS server use under its own name", "[ca]") {
  ca_fixture f;
  f.issue(leaf_kind::console, "console.vendor.example");
  f.issue(leaf_kind::console, "192.0.2.7");
  auto ca = f.load("ca.crt");
  auto dns = f.load("console-console.vendor.example.crt");
  auto ip = f.load("console-192.0.2.7.crt");
  CHECK(verify(ca.get(), dns.get(), X509_PURPOSE_SSL_SERVER, "console.vendor.example") ==
        X509_V_OK);
  CHECK(verify(ca.get(), dns.get(), X509_PURPOSE_SSL_SERVER, "other.vendor.example") ==
        X509_V_ERR_HOSTNAME_MISMATCH);
  CHECK(verify(ca.get(), ip.get(), X509_PURPOSE_SSL_SERVER, nullptr, "192.0.2.7") == X509_V_OK);
  CHECK(verify(ca.get(), ip.get(), X509_PURPOSE_SSL_SERVER, nullptr, "192.0.2.8") ==
        X509_V_ERR_IP_ADDRESS_MISMATCH);
  CHECK(verify(ca.get(), dns.get(), X509_PURPOSE_SSL_CLIENT) == X509_V_ERR_INVALID_PURPOSE);
}

TEST_CASE("a certificate from another CA does not verify", "[ca]") {
  ca_fixture mine, theirs;
  theirs.issue(leaf_kind::site, "r1-ams");
  auto ca = mine.load("ca.crt");
  auto foreign = theirs.load("site-r1-ams.crt");
  CHECK(verify(ca.get(), foreign.get(), X509_PURPOSE_SSL_CLIENT) ==
        X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

TEST_CASE("the CA certificate is a critical CA:TRUE that may only sign", "[ca]") {
  ca_fixture f;
  auto ca = f.load("ca.crt");
  CHECK(X509_check_ca(ca.get()) == 1);
  CHECK((X509_get_extension_flags(ca.get()) & EXFLAG_CA) != 0);
  const int at = X509_get_ext_by_NID(ca.get(), NID_basic_constraints, -1);
  REQUIRE(at >= 0);
  CHECK(X509_EXTENSION_get_critical(X509_get_ext(ca.get(), at)) == 1);
  CHECK(X509_get_key_usage(ca.get()) == (KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  CHECK(X509_get0_subject_key_id(ca.get()) != nullptr);
  CHECK(X509_check_issued(ca.get(), ca.get()) == X509_V_OK);
  CHECK(EVP_PKEY_is_a(X509_get0_pubkey(ca.get()), "EC"));
}

TEST_CASE("leaf certificates are end entities with the usage of their role", "[ca]") {
  ca_fixture f;
  f.issue(leaf_kind::site, "r1-ams");
  f.issue(leaf_kind::console, "console.vendor.example");
  auto ca = f.load("ca.crt");
  auto site = f.load("site-r1-ams.crt");
  auto console = f.load("console-console.vendor.example.crt");
  for (X509* leaf : {site.get(), console.get()}) {
    CHECK(X509_check_ca(leaf) == 0);
    CHECK(X509_get_key_usage(leaf) == KU_DIGITAL_SIGNATURE);
    CHECK(X509_get0_subject_key_id(leaf) != nullptr);
    const ASN1_OCTET_STRING* authority = X509_get0_authority_key_id(leaf);
    REQUIRE(authority != nullptr);
    CHECK(ASN1_OCTET_STRING_cmp(authority, X509_get0_subject_key_id(ca.get())) == 0);
  }
  CHECK(X509_get_extended_key_usage(site.get()) == XKU_SSL_CLIENT);
  CHECK(X509_get_extended_key_usage(console.get()) == XKU_SSL_SERVER);
}

TEST_CASE("the alternative name names the site as a URI and the console as DNS or IP", "[ca]") {
  ca_fixture f;
  f.issue(leaf_kind::site, "r1-ams");
  f.issue(leaf_kind::console, "Console.Vendor.Example");
  f.issue(leaf_kind::console, "192.0.2.7");
  f.issue(leaf_kind::console, "[2001:db8::1]");
  CHECK(alt_names(f.load("site-r1-ams.crt").get()) ==
        std::set<std::string>{"URI:tether:site:r1-ams"});
  CHECK(alt_names(f.load("console-console.vendor.example.crt").get()) ==
        std::set<std::string>{"DNS:console.vendor.example"});
  CHECK(alt_names(f.load("console-192.0.2.7.crt").get()) ==
        std::set<std::string>{"IP:4 bytes"});
  CHECK(alt_names(f.load("console-2001:db8::1.crt").get()) ==
        std::set<std::string>{"IP:16 bytes"});
}

TEST_CASE("every certificate gets its own random serial of at most 128 bits", "[ca]") {
  ca_fixture f;
  std::set<std::string> serials;
  for (int i = 0; i < 8; ++i) {
    const auto r = f.issue(leaf_kind::site, "site" + std::to_string(i));
    CHECK(r.serial.size() <= 32);
    CHECK(r.serial.size() >= 16);  // a 2^-64 chance of a false failure
    serials.insert(r.serial);
  }
  CHECK(serials.size() == 8);
}

TEST_CASE("keys are written mode 0600 and certificates 0644 whatever the umask", "[ca]") {
  const mode_t old = ::umask(0);
  ca_fixture f;
  f.issue(leaf_kind::site, "r1-ams");
  ::umask(old);
  CHECK(mode_of(f.dir.path / "ca.key") == 0600);
  CHECK(mode_of(f.dir.path / "ca.crt") == 0644);
  CHECK(mode_of(f.dir.path / "site-r1-ams.key") == 0600);
  CHECK(mode_of(f.dir.path / "site-r1-ams.crt") == 0644);
}

TEST_CASE("a missing CA folder is created private", "[ca]") {
  tether::testing::temp_dir dir;
  const auto r = certificate_authority::init(dir.path / "ca", 30, false,
                                             tether::console::testing::real_now());
  REQUIRE(r.status == ca_status::ok);
  CHECK(mode_of(dir.path / "ca") == 0700);
  CHECK(r.files.size() == 2);
}

TEST_CASE("existing files are replaced only with force", "[ca]") {
  ca_fixture f;
  const auto first = f.issue(leaf_kind::site, "r1-ams");
  const auto before = f.load("site-r1-ams.crt");

  SECTION("without force the leaf is refused and the files stay as they were") {
    const auto again = f.ca().issue({leaf_kind::site, "r1-ams", 365, false}, f.now);
    CHECK(again.status == ca_status::exists);
    CHECK(again.files.empty());
    CHECK(X509_cmp(before.get(), f.load("site-r1-ams.crt").get()) == 0);
  }
  SECTION("a CA is not replaced without force") {
    const auto ca_before = f.load("ca.crt");
    CHECK(certificate_authority::init(f.dir.path, 3650, false, f.now).status ==
          ca_status::exists);
    CHECK(X509_cmp(ca_before.get(), f.load("ca.crt").get()) == 0);
  }
  SECTION("a file where only the certificate is missing still blocks the key") {
    std::filesystem::remove(f.dir.path / "site-r1-ams.crt");
    CHECK(f.ca().issue({leaf_kind::site, "r1-ams", 365, false}, f.now).status ==
          ca_status::exists);
    CHECK_FALSE(std::filesystem::exists(f.dir.path / "site-r1-ams.crt"));
  }
  SECTION("with force both files are replaced and keep their modes") {
    const auto again = f.ca().issue({leaf_kind::site, "r1-ams", 365, true}, f.now);
    REQUIRE(again.status == ca_status::ok);
    CHECK(again.serial != first.serial);
    CHECK(X509_cmp(before.get(), f.load("site-r1-ams.crt").get()) != 0);
    CHECK(mode_of(f.dir.path / "site-r1-ams.key") == 0600);
    CHECK(mode_of(f.dir.path / "site-r1-ams.crt") == 0644);
  }
}

TEST_CASE("a key file is never written through a planted symlink", "[ca]") {
  ca_fixture f;
  const auto target = f.dir.path / "elsewhere";
  std::filesystem::create_symlink(target, f.dir.path / "site-r1-ams.key");
  CHECK(f.ca().issue({leaf_kind::site, "r1-ams", 365, false}, f.now).status ==
        ca_status::exists);
  CHECK_FALSE(std::filesystem::exists(target));
}

TEST_CASE("malformed names and validities are refused before anything is written", "[ca]") {
  ca_fixture f;
  const auto count = [&] {
    return std::distance(std::filesystem::directory_iterator(f.dir.path),
                         std::filesystem::directory_iterator());
  };
  const auto files = count();
  const auto ca = f.ca();
  for (const std::string& bad : std::vector<std::string>{"", "../x", "a/b", "-lead", "sp ace", "x,URI:evil",
                                std::string(65, 'a')}) {
    const auto r = ca.issue({leaf_kind::site, bad, 365, false}, f.now);
    CHECK(r.status == ca_status::bad_input);
    CHECK(r.error.rfind("--site: ", 0) == 0);
  }
  for (const std::string& bad : std::vector<std::string>{"", "a..b", "-x.example", "x,DNS:evil", "1.2.3", "[host]",
                                "[192.0.2.1]", "a/b"}) {
    CHECK(ca.issue({leaf_kind::console, bad, 365, false}, f.now).status == ca_status::bad_input);
  }
  CHECK(ca.issue({leaf_kind::site, "r1", 0, false}, f.now).status == ca_status::bad_input);
  CHECK(ca.issue({leaf_kind::site, "r1", max_days + 1, false}, f.now).status ==
        ca_status::bad_input);
  CHECK(certificate_authority::init(f.dir.path / "sub", -1, false, f.now).status ==
        ca_status::bad_input);
  CHECK(count() == files);
}

TEST_CASE("validity: ten years for the CA, one year for leaves, --days, never past the CA",
          "[ca]") {
  ca_fixture f;
  auto ca = f.load("ca.crt");
  CHECK(days_between(X509_get0_notBefore(ca.get()), X509_get0_notAfter(ca.get())) == 3650);
  f.issue(leaf_kind::site, "year");
  auto year = f.load("site-year.crt");
  CHECK(days_between(X509_get0_notBefore(year.get()), X509_get0_notAfter(year.get())) == 365);
  const auto r = f.issue(leaf_kind::site, "week", 7);
  CHECK(r.not_after == f.now + std::chrono::days(7));
  CHECK_FALSE(r.shortened);

  const auto late = f.issue(leaf_kind::site, "late", 5000);
  CHECK(late.shortened);
  CHECK(late.not_after == not_after(ca.get()));
}

TEST_CASE("a folder without a CA, or with a key of another CA, is not opened", "[ca]") {
  tether::testing::temp_dir empty;
  std::string error;
  CHECK_FALSE(certificate_authority::open(empty.path, error));
  CHECK(error.find("ca.crt") != std::string::npos);

  ca_fixture a, b;
  std::filesystem::copy_file(b.dir.path / "ca.key", a.dir.path / "ca.key",
                             std::filesystem::copy_options::overwrite_existing);
  CHECK_FALSE(certificate_authority::open(a.dir.path, error));
  CHECK(error.find("does not belong") != std::string::npos);
}

TEST_CASE("a CA key that others may read is not used", "[ca]") {
  ca_fixture f;
  std::filesystem::permissions(f.dir.path / "ca.key", std::filesystem::perms(0640));
  std::string error;
  CHECK_FALSE(certificate_authority::open(f.dir.path, error));
  CHECK(error.find("accessible by others (mode 0640)") != std::string::npos);
}
