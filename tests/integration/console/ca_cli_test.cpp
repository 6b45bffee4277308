#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <string>
#include <vector>

#include "tests/support/run_process.hpp"
#include "tests/support/temp_dir.hpp"

using tether::testing::process_result;
using tether::testing::run_process;
using tether::testing::temp_dir;

namespace {

const std::string console_bin = std::string(TETHER_BIN_DIR) + "/tether-console";
const std::string openssl_bin = "/usr/bin/openssl";

process_result console(const std::vector<std::string>& args) {
  std::vector<std::string> argv{console_bin};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv);
}

process_result openssl(const std::vector<std::string>& args, const std::string& input = {}) {
  std::vector<std::string> argv{openssl_bin};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, input);
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// The value after "label: " on its own line of `text`.
std::string field(const std::string& text, const std::string& label) {
  const auto at = text.find(label + ": ");
  REQUIRE(at != std::string::npos);
  const auto start = at + label.size() + 2;
  return text.substr(start, text.find('\n', start) - start);
}

// A CA in dir/ca with a site certificate for r1-ams and console certificates for
// console.vendor.example and 127.0.0.1.
std::string make_ca(const temp_dir& dir) {
  const std::string ca = dir / "ca";
  REQUIRE(console({"ca", "init", "--dir", ca}).exit_code == 0);
  REQUIRE(console({"ca", "issue", "--dir", ca, "--site", "r1-ams"}).exit_code == 0);
  REQUIRE(console({"ca", "issue", "--dir", ca, "--console", "console.vendor.example"})
              .exit_code == 0);
  REQUIRE(console({"ca", "issue", "--dir", ca, "--console", "127.0.0.1"}).exit_code == 0);
  return ca;
}

}  // namespace

TEST_CASE("ca init and ca issue write what they print, with keys 0600", "[console][ca]") {
  temp_dir dir;
  const std::string ca = dir / "ca";
  const auto init = console({"ca", "init", "--dir", ca});
  REQUIRE(init.exit_code == 0);
  CHECK(init.out.find("wrote " + ca + "/ca.key (mode 0600)\n") != std::string::npos);
  CHECK(init.out.find("wrote " + ca + "/ca.crt (mode 0644)\n") != std::string::npos);
  const auto site = console({"ca", "issue", "--dir", ca, "--site", "r1-ams"});
  REQUIRE(site.exit_code == 0);
  CHECK(site.out.find("wrote " + ca + "/site-r1-ams.key (mode 0600)\n") != std::string::npos);
  CHECK(site.out.find("subject: CN=r1-ams,O=tether\n") != std::string::npos);
  CHECK(site.out.find("pin_sha256") == std::string::npos);
  CHECK(mode_of(ca) == 0700);
  CHECK(mode_of(ca + "/ca.key") == 0600);
  CHECK(mode_of(ca + "/site-r1-ams.key") == 0600);
  CHECK(mode_of(ca + "/site-r1-ams.crt") == 0644);
}

TEST_CASE("openssl verify accepts the issued certificates against ca.crt", "[console][ca]") {
  temp_dir dir;
  const std::string ca = make_ca(dir);
  const auto r = openssl({"verify", "-CAfile", ca + "/ca.crt", "-purpose", "sslclient",
                          ca + "/site-r1-ams.crt"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == ca + "/site-r1-ams.crt: OK\n");
  const auto server = openssl({"verify", "-CAfile", ca + "/ca.crt", "-purpose", "sslserver",
                               "-verify_hostname", "console.vendor.example",
                               ca + "/console-console.vendor.example.crt"});
  CHECK(server.exit_code == 0);

  temp_dir other;
  const std::string foreign = make_ca(other);
  const auto refused = openssl({"verify", "-CAfile", ca + "/ca.crt", foreign + "/site-r1-ams.crt"});
  CHECK(refused.exit_code != 0);
}

TEST_CASE("openssl x509 -text shows the extensions each certificate carries", "[console][ca]") {
  temp_dir dir;
  const std::string ca = make_ca(dir);
  const auto text = [&](const std::string& file) {
    auto r = openssl({"x509", "-in", ca + "/" + file, "-noout", "-text"});
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  const std::string root = text("ca.crt");
  CHECK(root.find("X509v3 Basic Constraints: critical\n                CA:TRUE") !=
        std::string::npos);
  CHECK(root.find("Certificate Sign, CRL Sign") != std::string::npos);
  CHECK(root.find("X509v3 Subject Key Identifier") != std::string::npos);
  CHECK(root.find("NIST CURVE: P-256") != std::string::npos);

  const std::string site = text("site-r1-ams.crt");
  CHECK(site.find("CA:FALSE") != std::string::npos);
  CHECK(site.find("TLS Web Client Authentication") != std::string::npos);
  CHECK(site.find("URI:tether:site:r1-ams") != std::string::npos);
  CHECK(site.find("Subject: O = tether, CN = r1-ams") != std::string::npos);

  const std::string dns = text("console-console.vendor.example.crt");
  CHECK(dns.find("TLS Web Server Authentication") != std::string::npos);
  CHECK(dns.find("DNS:console.vendor.example") != std::string::npos);
  CHECK(text("console-127.0.0.1.crt").find("IP Address:127.0.0.1") != std::string::npos);
}

TEST_CASE("the printed pin is openssl's SHA-256 of the public key", "[console][pin]") {
  temp_dir dir;
  const std::string ca = dir / "ca";
  REQUIRE(console({"ca", "init", "--dir", ca}).exit_code == 0);
  const auto issued = console({"ca", "issue", "--dir", ca, "--console", "console.vendor.example"});
  REQUIRE(issued.exit_code == 0);
  const std::string pin = field(issued.out, "pin_sha256");

  // openssl x509 -pubkey | openssl pkey -pubin -outform der | sha256sum
  const auto pubkey = openssl(
      {"x509", "-in", ca + "/console-console.vendor.example.crt", "-pubkey", "-noout"});
  REQUIRE(pubkey.exit_code == 0);
  const auto der = openssl({"pkey", "-pubin", "-outform", "der"}, pubkey.out);
  REQUIRE(der.exit_code == 0);
  const auto sum = run_process({"/usr/bin/sha256sum"}, der.out);
  REQUIRE(sum.exit_code == 0);
  CHECK(pin == sum.out.substr(0, 64));
}

TEST_CASE("tether-console refuses to overwrite and rejects malformed input", "[console][ca]") {
  temp_dir dir;
  const std::string ca = make_ca(dir);
  const auto again = console({"ca", "issue", "--dir", ca, "--site", "r1-ams"});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("site-r1-ams.key exists (use --force to replace it)") != std::string::npos);
  CHECK(console({"ca", "init", "--dir", ca}).exit_code == 1);
  CHECK(console({"ca", "issue", "--dir", ca, "--site", "r1-ams", "--force"}).exit_code == 0);

  const auto bad = console({"ca", "issue", "--dir", ca, "--site", "../evil"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--site: ") != std::string::npos);
  CHECK(console({"ca", "issue", "--dir", ca, "--console", "a,DNS:b"}).exit_code == 2);
  CHECK(console({"ca", "issue", "--dir", ca, "--site", "x", "--days", "0"}).exit_code == 2);
  CHECK(console({"ca", "issue", "--dir", ca}).exit_code == 2);
  CHECK(console({"ca", "issue", "--dir", ca, "--site", "x", "--console", "y"}).exit_code == 2);
  const auto no_ca = console({"ca", "issue", "--dir", dir / "nowhere", "--site", "x"});
  CHECK(no_ca.exit_code == 1);
  CHECK(no_ca.err.find("run ca init --dir first") != std::string::npos);
}

TEST_CASE("tether-console --help lists the ca commands", "[console]") {
  const auto help = console({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("ca") != std::string::npos);
  const auto ca_help = console({"ca", "--help"});
  CHECK(ca_help.exit_code == 0);
  CHECK(ca_help.out.find("init") != std::string::npos);
  CHECK(ca_help.out.find("issue") != std::string::npos);
  CHECK(console({}).exit_code == 2);
}

TEST_CASE("ca list shows every certificate and exits 1 when one needs attention",
          "[console][ca]") {
  temp_dir dir;
  const std::string ca = make_ca(dir);
  const auto fine = console({"ca", "list", "--dir", ca});
  CHECK(fine.exit_code == 0);
  CHECK(fine.out.rfind("FILE", 0) == 0);
  CHECK(fine.out.find("site-r1-ams.crt") != std::string::npos);
  CHECK(fine.out.find("console-127.0.0.1.crt") != std::string::npos);
  CHECK(fine.out.find("expires") == std::string::npos);

  const auto ahead = console({"ca", "list", "--dir", ca, "--warn-days", "400"});
  CHECK(ahead.exit_code == 1);
  CHECK(ahead.out.find("expires in 36") != std::string::npos);
  CHECK(console({"ca", "list", "--dir", dir / "nowhere"}).exit_code == 1);
  CHECK(console({"ca", "list", "--dir", ca, "--warn-days", "-1"}).exit_code == 2);
}

TEST_CASE("issuing from a CA that ends soon warns and cuts the leaf to the CA's end",
          "[console][ca]") {
  temp_dir dir;
  const std::string ca = dir / "ca";
  REQUIRE(console({"ca", "init", "--dir", ca, "--days", "30"}).exit_code == 0);
  const auto issued = console({"ca", "issue", "--dir", ca, "--site", "r1-ams"});
  CHECK(issued.exit_code == 0);
  CHECK(issued.err.find("warning: the certificate ends with the CA, at ") != std::string::npos);
  CHECK(issued.err.find("warning: CA certificate CN=tether console CA,O=tether expires at ") !=
        std::string::npos);
  CHECK(issued.err.find(" days: renew it") != std::string::npos);
}
