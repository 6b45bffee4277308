#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/run_process.hpp"
#include "tests/support/temp_dir.hpp"

using tether::testing::child_process;
using tether::testing::process_result;
using tether::testing::run_process;
using tether::testing::temp_dir;

namespace {

const std::string console_bin = std::string(TETHER_BIN_DIR) + "/tether-console";
const std::string openssl_bin = "/usr/bin/openssl";

void issue(const std::string& ca, const std::vector<std::string>& what) {
  std::vector<std::string> argv{console_bin, "ca", "issue", "--dir", ca};
  argv.insert(argv.end(), what.begin(), what.end());
  REQUIRE(run_process(argv).exit_code == 0);
}

std::string make_ca(const std::string& ca) {
  REQUIRE(run_process({console_bin, "ca", "init", "--dir", ca}).exit_code == 0);
  issue(ca, {"--site", "r1-ams"});
  issue(ca, {"--console", "127.0.0.1"});
  return ca;
}

/// openssl s_server on 127.0.0.1, port 0, TLS 1.3 only, presenting the console certificate
/// and requiring a client certificate that chains to ca.crt; it serves one connection.
struct tls_server {
  child_process process;
  std::string port;

  explicit tls_server(const std::string& ca)
      : process({openssl_bin, "s_server", "-tls1_3", "-accept", "127.0.0.1:0", "-cert",
                 ca + "/console-127.0.0.1.crt", "-key", ca + "/console-127.0.0.1.key",
                 "-CAfile", ca + "/ca.crt", "-Verify", "1", "-verify_return_error",
                 "-naccept", "1", "-www"}) {
    const std::string marker = "ACCEPT 127.0.0.1:";
    REQUIRE(process.wait_for(marker));
    const auto start = process.output().find(marker) + marker.size();
    const auto end = process.output().find('\n', start);
    REQUIRE(end != std::string::npos);
    port = process.output().substr(start, end - start);
  }
};

/// openssl s_client with the given client certificate, checking the server against ca.crt
/// and its IP address; sends one HTTP request and reads until the server closes.
process_result connect(const std::string& port, const std::string& ca, const std::string& cert,
                       const std::string& key) {
  return run_process({openssl_bin, "s_client", "-connect", "127.0.0.1:" + port, "-tls1_3",
                      "-cert", cert, "-key", key, "-CAfile", ca + "/ca.crt",
                      "-verify_return_error", "-verify_ip", "127.0.0.1", "-ign_eof", "-brief"},
                     "GET / HTTP/1.0\r\n\r\n", std::chrono::seconds(30));
}

}  // namespace

TEST_CASE("the issued certificates complete a TLS 1.3 mutual authentication", "[console][tls]") {
  temp_dir dir;
  const std::string ca = make_ca(dir / "ca");
  tls_server server(ca);
  const auto client =
      connect(server.port, ca, ca + "/site-r1-ams.crt", ca + "/site-r1-ams.key");
  CHECK(client.exit_code == 0);
  CHECK(client.err.find("Protocol version: TLSv1.3") != std::string::npos);
  CHECK(client.err.find("Peer certificate: O = tether, CN = 127.0.0.1") != std::string::npos);
  CHECK(client.err.find("Verification: OK") != std::string::npos);
  // The server's page shows the client certificate it verified.
  CHECK(client.out.find("HTTP/1.0 200 ok") != std::string::npos);
  CHECK(client.out.find("Client certificate") != std::string::npos);
  CHECK(client.out.find("URI:tether:site:r1-ams") != std::string::npos);
  REQUIRE(server.process.wait_for("depth=0 O = tether, CN = r1-ams\nverify return:1"));
}

TEST_CASE("a client certificate from another CA is refused in the handshake", "[console][tls]") {
  temp_dir dir;
  const std::string ca = make_ca(dir / "ca");
  const std::string foreign = make_ca(dir / "foreign");
  tls_server server(ca);
  const auto client =
      connect(server.port, ca, foreign + "/site-r1-ams.crt", foreign + "/site-r1-ams.key");
  CHECK(client.out.find("HTTP/1.0 200 ok") == std::string::npos);
  CHECK(client.err.find("alert unknown ca") != std::string::npos);
  CHECK(server.process.wait_for("unable to get local issuer certificate"));
}

TEST_CASE("a console certificate cannot stand in for an agent", "[console][tls]") {
  temp_dir dir;
  const std::string ca = make_ca(dir / "ca");
  tls_server server(ca);
  const auto client =
      connect(server.port, ca, ca + "/console-127.0.0.1.crt", ca + "/console-127.0.0.1.key");
  CHECK(client.out.find("HTTP/1.0 200 ok") == std::string::npos);
  CHECK(server.process.wait_for("unsuitable certificate purpose"));
}
