#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <catch2/catch.hpp>

#include <openssl/ssl.h>

#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/ssl.hpp>

#include "tests/integration/transport/tunnel_fixture.hpp"
#include "transport/sha256.hpp"

using namespace tether::transport;
using namespace tether::transport::test;
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

/// A console listening on 127.0.0.1 port 0.
struct console_fixture {
  asio::io_context io;
  tunnel_pki pki;
  tether::testing::temp_dir data;
  tunnel_server server{io, server_settings(pki, data.path)};
  console_fixture() {
    REQUIRE(server.listen({asio::ip::make_address("127.0.0.1"), 0}).empty());
    server.start();
  }
  ~console_fixture() {
    server.stop();
    io.restart();
    io.poll();
  }
};

/// Dials the console with a hand-made TLS client context and tries one exchange.
void raw_tls_attempt(console_fixture& c, ssl::context& ctx) {
  ssl::stream<tcp::socket> stream(c.io, ctx);
  bool finished = false;
  asio::co_spawn(c.io, [&]() -> asio::awaitable<void> {
    boost::system::error_code ec;
    co_await stream.next_layer().async_connect({asio::ip::make_address("127.0.0.1"), c.server.port()},
                                               asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) co_await stream.async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
    char byte = 0;  // in TLS 1.3 the server's verdict on our certificate arrives on the first read
    if (!ec) co_await asio::async_read(stream, asio::buffer(&byte, 1), asio::redirect_error(asio::use_awaitable, ec));
    finished = true;
  }, asio::detached);
  REQUIRE(run_until(c.io, [&] { return finished && c.server.stats().refused == 1; }));
}

}  // namespace

TEST_CASE("a connection without a client certificate is refused and the refusal logged", "[tunnel][refusal]") {
  log_capture logs;
  console_fixture c;
  ssl::context ctx(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_3_VERSION);
  ctx.set_verify_mode(ssl::verify_none);
  raw_tls_attempt(c, ctx);
  CHECK(c.server.stats().sessions == 0);
  CHECK(logs.sink->contains({"refused", "TLS handshake failed", "certificate"}));
}

TEST_CASE("a connection with TLS 1.2 is refused and the refusal logged", "[tunnel][refusal]") {
  log_capture logs;
  console_fixture c;
  ssl::context ctx(ssl::context::tls_client);
  SSL_CTX_set_max_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  ctx.use_certificate_chain_file((c.pki.dir.path / "agent.pem").string());
  ctx.use_private_key_file((c.pki.dir.path / "agent.key").string(), ssl::context::pem);
  ctx.set_verify_mode(ssl::verify_none);
  raw_tls_attempt(c, ctx);
  CHECK(c.server.stats().sessions == 0);
  CHECK(logs.sink->contains({"refused", "TLS handshake failed", "protocol"}));
}

TEST_CASE("an agent certificate from another CA is refused, logged by both ends, and not retried", "[tunnel][refusal]") {
  log_capture logs;
  console_fixture c;
  tether::testing::temp_dir spool_dir;
  auto opened = spool::open(spool_dir.path / "spool.db");
  REQUIRE(opened.value);
  auto settings = client_settings(c.pki, c.server.port());
  settings.tls.identity = c.pki.identity("rogue");
  tunnel_client client(c.io, settings, *opened.value);
  std::optional<tunnel_result> result;
  start_client(c.io, client, result);
  REQUIRE(run_until(c.io, [&] { return result.has_value() && c.server.stats().refused >= 1; }));
  CHECK(result->end == tunnel_end::permanent);
  CHECK(client.sessions() == 0);
  CHECK(c.server.stats().refused == 1);  // one attempt: a refusal is not retried
  CHECK(logs.sink->contains({"refused", "certificate"}));
  CHECK(logs.sink->contains({"tunnel refused for good"}));
}

TEST_CASE("a console whose key does not match the pin is refused and not retried", "[tunnel][refusal]") {
  log_capture logs;
  console_fixture c;
  tether::testing::temp_dir spool_dir;
  auto opened = spool::open(spool_dir.path / "spool.db");
  REQUIRE(opened.value);
  auto settings = client_settings(c.pki, c.server.port());
  settings.tls.spki_pin = digest{};  // not the console's key
  tunnel_client client(c.io, settings, *opened.value);
  std::optional<tunnel_result> result;
  start_client(c.io, client, result);
  REQUIRE(run_until(c.io, [&] { return result.has_value(); }));
  CHECK(result->end == tunnel_end::permanent);
  CHECK(result->error.find("TLS handshake") != std::string::npos);
  CHECK(logs.sink->contains({"tunnel refused for good", "certificate verify failed"}));
  REQUIRE(run_until(c.io, [&] { return c.server.stats().refused == 1; }));
  CHECK(c.server.stats().sessions == 0);
}

TEST_CASE("the right pin is accepted and a session comes up", "[tunnel][refusal]") {
  console_fixture c;
  tether::testing::temp_dir spool_dir;
  auto opened = spool::open(spool_dir.path / "spool.db");
  REQUIRE(opened.value);
  auto settings = client_settings(c.pki, c.server.port());
  std::FILE* f = std::fopen((c.pki.dir.path / "console.pem").c_str(), "r");
  REQUIRE(f != nullptr);
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  settings.tls.spki_pin = spki_sha256(cert);
  X509_free(cert);
  tunnel_client client(c.io, settings, *opened.value);
  std::optional<tunnel_result> result;
  start_client(c.io, client, result);
  REQUIRE(run_until(c.io, [&] { return c.server.stats().sessions == 1; }));
  client.stop();
  REQUIRE(run_until(c.io, [&] { return result.has_value(); }));
  CHECK(result->end == tunnel_end::stopped);
}

TEST_CASE("a site certificate names its site by SAN URI, else by CN", "[tunnel]") {
  const auto ca = make_certificate("ca", nullptr, true);
  const auto by_uri = make_certificate("cn-name", &ca, false, "URI:tether:site:ams-1,DNS:x.test");
  const auto by_cn = make_certificate("rtm-2", &ca, false);
  const auto bad = make_certificate("not a site!", &ca, false);
  CHECK(site_of_certificate(by_uri.cert.get()) == "ams-1");
  CHECK(site_of_certificate(by_cn.cert.get()) == "rtm-2");
  CHECK(site_of_certificate(bad.cert.get()).empty());
}
