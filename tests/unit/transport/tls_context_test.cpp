#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <catch2/catch.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "tests/unit/transport/test_pki.hpp"
#include "transport/tls_context.hpp"

using namespace tether::transport;
namespace fs = std::filesystem;
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

/// A fresh directory per test holding a PKI: two CAs and leaves signed by each.
struct pki_dir {
  fs::path path;
  pki_dir() {
    std::string pattern = (fs::temp_directory_path() / "tether-tls-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
    const auto ca = test::make_certificate("tether test CA", nullptr, true);
    const auto other_ca = test::make_certificate("some other CA", nullptr, true);
    test::write_pem(ca, path, "ca");
    test::write_pem(other_ca, path, "other-ca");
    test::write_pem(test::make_certificate("console", &ca, false, "IP:127.0.0.1,DNS:console.test"),
                    path, "console");
    test::write_pem(test::make_certificate("ams-dc1", &ca, false), path, "agent");
    test::write_pem(test::make_certificate("intruder", &other_ca, false), path, "rogue-agent");
    test::write_pem(test::make_certificate("console", &other_ca, false, "IP:127.0.0.1"), path,
                    "rogue-console");
  }
  ~pki_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  tls_identity identity(const std::string& name, const std::string& ca = "ca") const {
    return {path / (name + ".pem"), path / (name + ".key"), path / (ca + ".pem")};
  }
  digest pin_of(const std::string& name) const {
    FILE* f = std::fopen((path / (name + ".pem")).c_str(), "r");
    REQUIRE(f != nullptr);
    X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    REQUIRE(cert != nullptr);
    const auto d = spki_sha256(cert);
    X509_free(cert);
    return d;
  }
};

std::unique_ptr<ssl::context> client_context(const pki_dir& pki, tls_client_settings s) {
  if (s.identity.certificate.empty()) s.identity = pki.identity("agent");
  if (s.server_name.empty()) s.server_name = "127.0.0.1";
  auto r = make_client_context(s);
  INFO(r.error);
  REQUIRE(r.context);
  return std::move(r.context);
}

std::unique_ptr<ssl::context> server_context(const pki_dir& pki, const std::string& name = "console") {
  auto r = make_server_context({pki.identity(name)});
  INFO(r.error);
  REQUIRE(r.context);
  return std::move(r.context);
}

/// What each end saw of one connection attempt on 127.0.0.1.
struct outcome {
  bool finished = false;               ///< both ends completed within the deadline
  boost::system::error_code server;    ///< server handshake
  boost::system::error_code client;    ///< client handshake, then reading the server's byte
  std::optional<tls_peer> server_saw;  ///< the client as the server verified it
  std::string version;                 ///< negotiated protocol on the client
  bool client_done = false;
  bool server_done = false;
};

/// Connects a client to a server over loopback; the server writes one byte after its
/// handshake so that a client refused after its own handshake (TLS 1.3) sees the refusal.
outcome connect(ssl::context& server_ctx, ssl::context& client_ctx) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  ssl::stream<tcp::socket> server(io, server_ctx);
  ssl::stream<tcp::socket> client(io, client_ctx);
  outcome out;
  char server_byte = 'k';
  char client_byte = 0;

  acceptor.async_accept(server.lowest_layer(), [&](boost::system::error_code ec) {
    if (ec) {
      out.server = ec;
      out.server_done = true;
      return;
    }
    server.async_handshake(ssl::stream_base::server, [&](boost::system::error_code hs) {
      out.server = hs;
      if (hs) {
        out.server_done = true;
        server.lowest_layer().close();
        return;
      }
      out.server_saw = peer_of(server.native_handle());
      asio::async_write(server, asio::buffer(&server_byte, 1),
                        [&](boost::system::error_code, std::size_t) { out.server_done = true; });
    });
  });
  client.lowest_layer().async_connect(acceptor.local_endpoint(), [&](boost::system::error_code ec) {
    if (ec) {
      out.client = ec;
      out.client_done = true;
      return;
    }
    client.async_handshake(ssl::stream_base::client, [&](boost::system::error_code hs) {
      if (hs) {
        out.client = hs;
        out.client_done = true;
        client.lowest_layer().close();
        return;
      }
      out.version = SSL_get_version(client.native_handle());
      asio::async_read(client, asio::buffer(&client_byte, 1),
                       [&](boost::system::error_code rd, std::size_t) {
                         out.client = rd;
                         out.client_done = true;
                         client.lowest_layer().close();
                       });
    });
  });
  // The deadline bounds a hang; normally both chains end and run_for returns early.
  io.run_for(std::chrono::seconds(20));
  out.finished = out.client_done && out.server_done;
  if (!out.client && client_byte != 'k') out.client = asio::error::operation_aborted;
  return out;
}

}  // namespace

TEST_CASE("an agent and a console from the same CA complete a TLS 1.3 handshake", "[tls]") {
  pki_dir pki;
  auto server = server_context(pki);
  auto client = client_context(pki, {});
  const auto o = connect(*server, *client);
  REQUIRE(o.finished);
  CHECK_FALSE(o.server);
  CHECK_FALSE(o.client);
  CHECK(o.version == "TLSv1.3");
  REQUIRE(o.server_saw);
  CHECK(o.server_saw->common_name == "ams-dc1");
  CHECK(o.server_saw->spki_sha256 == pki.pin_of("agent"));
}

TEST_CASE("the console's SPKI pin is accepted when it matches, refused when not", "[tls]") {
  pki_dir pki;
  auto server = server_context(pki);
  SECTION("matching pin") {
    auto client = client_context(pki, {{}, "127.0.0.1", pki.pin_of("console")});
    const auto o = connect(*server, *client);
    REQUIRE(o.finished);
    CHECK_FALSE(o.client);
  }
  SECTION("wrong pin") {
    auto client = client_context(pki, {{}, "127.0.0.1", pki.pin_of("agent")});
    const auto o = connect(*server, *client);
    REQUIRE(o.finished);
    CHECK(o.client);
    CHECK(o.server);
    CHECK_THAT(o.client.message(), Catch::Contains("certificate verify failed"));
  }
}

TEST_CASE("a console certificate for another name is refused", "[tls]") {
  pki_dir pki;
  auto server = server_context(pki);
  SECTION("DNS name in the certificate") {
    // The certificate carries DNS:console.test; the agent was told that name, but the pin
    // and CA are fine: only the name decides here.
    auto client = client_context(pki, {{}, "console.test", std::nullopt});
    CHECK_FALSE(connect(*server, *client).client);
  }
  SECTION("name not in the certificate") {
    auto client = client_context(pki, {{}, "vendor.example", std::nullopt});
    const auto o = connect(*server, *client);
    REQUIRE(o.finished);
    CHECK(o.client);
    CHECK_THAT(o.client.message(), Catch::Contains("certificate verify failed"));
  }
  SECTION("IP address not in the certificate") {
    auto client = client_context(pki, {{}, "127.0.0.2", std::nullopt});
    CHECK(connect(*server, *client).client);
  }
}

TEST_CASE("a client without a certificate is refused by the console", "[tls]") {
  pki_dir pki;
  auto server = server_context(pki);
  ssl::context bare(ssl::context::tls_client);
  bare.set_verify_mode(ssl::verify_none);
  const auto o = connect(*server, bare);
  REQUIRE(o.finished);
  CHECK(o.server);
  CHECK(o.client);
  CHECK_THAT(o.server.message(), Catch::Contains("peer did not return a certificate"));
  CHECK_FALSE(o.server_saw);
}

TEST_CASE("a certificate from another CA is refused on either side", "[tls]") {
  pki_dir pki;
  SECTION("agent certificate from another CA") {
    auto server = server_context(pki);
    auto client = client_context(pki, {pki.identity("rogue-agent"), "127.0.0.1", std::nullopt});
    const auto o = connect(*server, *client);
    REQUIRE(o.finished);
    CHECK(o.server);
    CHECK(o.client);
    CHECK_THAT(o.server.message(), Catch::Contains("certificate verify failed"));
  }
  SECTION("console certificate from another CA") {
    auto server = server_context(pki, "rogue-console");
    auto client = client_context(pki, {});
    const auto o = connect(*server, *client);
    REQUIRE(o.finished);
    CHECK(o.client);
    CHECK(o.server);
    CHECK_THAT(o.client.message(), Catch::Contains("certificate verify failed"));
  }
}

TEST_CASE("TLS 1.2 is refused on either side", "[tls]") {
  pki_dir pki;
  SECTION("a TLS 1.2 client") {
    auto server = server_context(pki);
    ssl::context old(ssl::context::tls_client);
    SSL_CTX_set_max_proto_version(old.native_handle(), TLS1_2_VERSION);
    old.use_certificate_chain_file((pki.path / "agent.pem").string());
    old.use_private_key_file((pki.path / "agent.key").string(), ssl::context::pem);
    old.set_verify_mode(ssl::verify_none);
    const auto o = connect(*server, old);
    REQUIRE(o.finished);
    CHECK(o.server);
    CHECK(o.client);
    CHECK_THAT(o.server.message(), Catch::Contains("unsupported protocol"));
  }
  SECTION("a TLS 1.2 server") {
    ssl::context old(ssl::context::tls_server);
    SSL_CTX_set_max_proto_version(old.native_handle(), TLS1_2_VERSION);
    old.use_certificate_chain_file((pki.path / "console.pem").string());
    old.use_private_key_file((pki.path / "console.key").string(), ssl::context::pem);
    auto client = client_context(pki, {});
    const auto o = connect(old, *client);
    REQUIRE(o.finished);
    CHECK(o.client);
    CHECK_THAT(o.client.message(), Catch::Contains("protocol version"));
  }
}

TEST_CASE("context builders name the file that is wrong", "[tls]") {
  pki_dir pki;
  auto id = pki.identity("agent");
  SECTION("missing certificate") {
    id.certificate = pki.path / "missing.pem";
    auto r = make_client_context({id, "127.0.0.1", std::nullopt});
    CHECK_FALSE(r.context);
    CHECK_THAT(r.error, Catch::StartsWith("tls certificate " + id.certificate.string()));
  }
  SECTION("key readable by others") {
    fs::permissions(id.private_key, fs::perms::owner_read | fs::perms::owner_write |
                                        fs::perms::others_read);
    auto r = make_server_context({id});
    CHECK_FALSE(r.context);
    CHECK_THAT(r.error, Catch::Contains("mode 0604") && Catch::Contains("chmod 600"));
  }
  SECTION("key of another certificate") {
    id.private_key = pki.path / "console.key";
    auto r = make_server_context({id});
    CHECK_THAT(r.error, Catch::StartsWith("tls private key") && Catch::Contains("mismatch"));
  }
  SECTION("missing CA bundle") {
    id.ca_bundle = pki.path / "none.pem";
    CHECK_THAT(make_server_context({id}).error, Catch::StartsWith("tls CA bundle"));
  }
  SECTION("no server name") {
    CHECK_THAT(make_client_context({id, "", std::nullopt}).error,
               Catch::Contains("server name is required"));
  }
}

TEST_CASE("SPKI pins are read as 64 hex digits, colons allowed", "[tls]") {
  const std::string hex(64, 'a');
  const auto pin = parse_spki_pin(hex);
  REQUIRE(pin);
  CHECK((*pin)[0] == 0xaa);
  std::string colons;
  std::string plain;
  for (int i = 0; i < 32; ++i) {
    colons += (i ? ":" : "") + std::string("0F");
    plain += "0f";
  }
  REQUIRE(parse_spki_pin(colons));
  CHECK(parse_spki_pin(colons) == parse_spki_pin(plain));
  CHECK((*parse_spki_pin(plain))[31] == 0x0f);
  CHECK_FALSE(parse_spki_pin(hex.substr(2)));
  CHECK_FALSE(parse_spki_pin(hex + "aa"));
  CHECK_FALSE(parse_spki_pin("zz" + hex.substr(2)));
  CHECK_FALSE(parse_spki_pin(""));
}
