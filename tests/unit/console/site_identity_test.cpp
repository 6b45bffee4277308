#include <catch2/catch.hpp>

#include <openssl/x509v3.h>

#include "console/certificate_authority.hpp"
#include "console/site_identity.hpp"
#include "tests/unit/console/ca_fixture.hpp"

using namespace tether::console;
using tether::console::testing::ca_fixture;

namespace {

using namespace std::chrono_literals;

// A self-signed certificate with the given common names and alternative names (in
// OpenSSL's configuration syntax, e.g. "URI:tether:site:a"), valid until `end`.
x509_ptr make_cert(const std::vector<std::string>& common_names, const std::string& alt,
                   cert_time end = cert_time(std::chrono::seconds(4102444800))) {
  pkey_ptr key = generate_key();
  x509_ptr cert(X509_new());
  REQUIRE((key && cert));
  X509_set_version(cert.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_NAME* name = X509_get_subject_name(cert.get());
  for (const auto& cn : common_names)
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), 0);
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), end.time_since_epoch().count());
  X509_set_pubkey(cert.get(), key.get());
  if (!alt.empty()) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    x509_extension_ptr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, NID_subject_alt_name, alt.c_str()));
    REQUIRE(ext);
    X509_add_ext(cert.get(), ext.get(), -1);
  }
  REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);
  return cert;
}

}  // namespace

TEST_CASE("an issued site certificate names its site", "[site_identity]") {
  ca_fixture f;
  f.issue(leaf_kind::site, "r1-ams");
  CHECK(site_id(f.load("site-r1-ams.crt").get()) == "r1-ams");
}

TEST_CASE("the site URI wins over the common name", "[site_identity]") {
  auto cert = make_cert({"someone-else"}, "DNS:x.example,URI:https://x.example,URI:tether:site:r2");
  CHECK(site_id(cert.get()) == "r2");
}

TEST_CASE("without a site URI the single common name names the site", "[site_identity]") {
  CHECK(site_id(make_cert({"r3.lon"}, "").get()) == "r3.lon");
  CHECK(site_id(make_cert({"r3.lon"}, "DNS:r9.example").get()) == "r3.lon");
}

TEST_CASE("ambiguous or unsafe names map to no site", "[site_identity]") {
  CHECK_FALSE(site_id(make_cert({"a"}, "URI:tether:site:a,URI:tether:site:b").get()));
  CHECK_FALSE(site_id(make_cert({"a", "b"}, "").get()));
  CHECK_FALSE(site_id(make_cert({}, "").get()));
  CHECK_FALSE(site_id(make_cert({"../etc"}, "").get()));
  CHECK_FALSE(site_id(make_cert({"ok"}, "URI:tether:site:").get()));
  CHECK_FALSE(site_id(make_cert({"ok"}, "URI:tether:site:a/b").get()));
  CHECK_FALSE(site_id(nullptr));
}

TEST_CASE("a certificate is warned about from thirty days before it expires", "[expiry]") {
  const cert_time end{std::chrono::seconds(1900000000)};
  auto cert = make_cert({"r1"}, "", end);
  CHECK_FALSE(expiry_warning(cert.get(), end - std::chrono::days(31)));
  CHECK_FALSE(expiry_warning(cert.get(), end - std::chrono::days(30) - 1s));

  auto soon = expiry_warning(cert.get(), end - std::chrono::days(30));
  REQUIRE(soon);
  CHECK_FALSE(soon->expired);
  CHECK(soon->not_after == end);
  CHECK(soon->remaining == std::chrono::days(30));
  CHECK(soon->message() == "certificate CN=r1 expires at 2030-03-17T17:46:40Z, in 30 days: renew it");

  auto gone = expiry_warning(cert.get(), end + 1s);
  REQUIRE(gone);
  CHECK(gone->expired);
  CHECK(gone->message() == "certificate CN=r1 expired at 2030-03-17T17:46:40Z");

  CHECK(expiry_warning(cert.get(), end - std::chrono::days(80), std::chrono::days(90)));
}

TEST_CASE("the SPKI pin is 64 hex digits that follow the key, not the certificate",
          "[pin]") {
  ca_fixture f;
  f.issue(leaf_kind::console, "console.vendor.example");
  const auto first = f.load("console-console.vendor.example.crt");
  const std::string pin = spki_sha256(first.get());
  CHECK(pin.size() == 64);
  CHECK(pin.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(pin == spki_sha256(f.load("console-console.vendor.example.crt").get()));
  CHECK(pin != spki_sha256(f.load("ca.crt").get()));
  CHECK(spki_sha256(nullptr).empty());
}
