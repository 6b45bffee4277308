#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <boost/asio/connect.hpp>

#include <random>

#include "tests/integration/transport/tunnel_fixture.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/free_port.hpp"

using namespace tether::transport;
using namespace tether::transport::test;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

/// A real tinyproxy in the foreground on 127.0.0.1 with its own config, allowing CONNECT
/// to `target_port` only, with Basic auth `user`/`pass`; stopped by PID at the end.
class tinyproxy {
 public:
  tinyproxy(const tether::testing::temp_dir& dir, std::uint16_t target_port) {
    for (int attempt = 0; attempt < 5 && !process_; ++attempt) {
      port = tether::testing::free_port();
      const auto conf = dir.write("tinyproxy.conf",
                                  "Port " + std::to_string(port) +
                                      "\nListen 127.0.0.1\nTimeout 60\nAllow 127.0.0.1\n"
                                      "ConnectPort " + std::to_string(target_port) +
                                      "\nMaxClients 20\nLogLevel Info\nBasicAuth user pass\n");
      process_ = std::make_unique<tether::testing::child_process>(
          std::vector<std::string>{"/usr/bin/tinyproxy", "-d", "-c", conf});
      // Its log says when it accepts; a connection within the deadline confirms it.
      if (!process_->wait_for("Accepting connections", std::chrono::seconds(10)) || !accepts())
        process_.reset();  // the port was taken meanwhile: try another
    }
    if (!process_) throw std::runtime_error("tinyproxy did not start");
  }
  /// What tinyproxy logged so far (read until `text` appears or 5 s pass).
  std::string log_until(const std::string& text) {
    process_->wait_for(text, std::chrono::seconds(5));
    return process_->output();
  }
  std::uint16_t port = 0;

 private:
  bool accepts() const {
    asio::io_context io;
    tcp::socket s(io);
    boost::system::error_code ec;
    s.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
    return !ec;
  }
  std::unique_ptr<tether::testing::child_process> process_;
};

}  // namespace

TEST_CASE("a result travels through a real tinyproxy with Basic auth taken from HTTPS_PROXY", "[tunnel][proxy]") {
  asio::io_context io;
  tunnel_pki pki;
  tether::testing::temp_dir work;
  tunnel_server server(io, server_settings(pki, work.path / "console"));
  REQUIRE(server.listen({asio::ip::make_address("127.0.0.1"), 0}).empty());
  server.start();
  tinyproxy proxy(work, server.port());

  ::setenv("HTTPS_PROXY", ("http://user:pass@127.0.0.1:" + std::to_string(proxy.port)).c_str(), 1);
  const auto setting = proxy_setting(std::nullopt);
  ::unsetenv("HTTPS_PROXY");
  REQUIRE(setting);
  auto settings = client_settings(pki, server.port());
  settings.proxy = parse_proxy_url(*setting).value;
  REQUIRE(settings.proxy);

  auto opened = spool::open(work.path / "spool.db");
  REQUIRE(opened.value);
  tunnel_client client(io, settings, *opened.value);
  const auto begun = client.begin_result(1, "show-version", "r1");
  REQUIRE(begun.status == spool_status::ok);
  std::mt19937_64 random(3);
  sha256_stream sent;
  std::vector<std::uint8_t> chunk(64 * 1024);
  for (int i = 0; i < 64; ++i) {  // 4 MiB
    for (auto& b : chunk) b = static_cast<std::uint8_t>(random());
    REQUIRE(client.append(begun.id.result_id, chunk).status == spool_status::ok);
    sent.add(chunk.data(), chunk.size());
  }
  REQUIRE(client.finish(begun.id.result_id, end_status::ok, "").status == spool_status::ok);
  std::optional<tunnel_result> result;
  start_client(io, client, result);
  REQUIRE(run_until(io, [&] {
    return server.store().progress("ams-1", begun.id.result_id).first.finished &&
           opened.value->pending(1).refs.empty();
  }));
  client.stop();
  REQUIRE(run_until(io, [&] { return result.has_value(); }));
  CHECK(file_sha256(server.store().data_path("ams-1", begun.id.result_id)) == sent.hex());
  CHECK(client.sessions() == 1);
  CHECK(proxy.log_until("Established connection").find("Established connection") != std::string::npos);
}

TEST_CASE("a proxy refusing the credentials is a permanent error naming the proxy, without the password",
          "[tunnel][proxy]") {
  log_capture logs;
  asio::io_context io;
  tunnel_pki pki;
  tether::testing::temp_dir work;
  tunnel_server server(io, server_settings(pki, work.path / "console"));
  REQUIRE(server.listen({asio::ip::make_address("127.0.0.1"), 0}).empty());
  server.start();
  tinyproxy proxy(work, server.port());
  auto settings = client_settings(pki, server.port());
  settings.proxy = parse_proxy_url("http://user:wrong-secret@127.0.0.1:" + std::to_string(proxy.port)).value;
  auto opened = spool::open(work.path / "spool.db");
  REQUIRE(opened.value);
  tunnel_client client(io, settings, *opened.value);
  std::optional<tunnel_result> result;
  start_client(io, client, result);
  REQUIRE(run_until(io, [&] { return result.has_value(); }));
  CHECK(result->end == tunnel_end::permanent);
  CHECK(result->error.find("proxy user@127.0.0.1:" + std::to_string(proxy.port)) != std::string::npos);
  CHECK(result->error.find("refused CONNECT") != std::string::npos);  // tinyproxy says 401
  CHECK(logs.sink->contains({"tunnel refused for good", "refused CONNECT"}));
  CHECK(logs.sink->all().find("wrong-secret") == std::string::npos);
  CHECK(server.stats().accepted == 0);
}

TEST_CASE("an unreachable console is retried with backoff until max_attempts", "[tunnel]") {
  asio::io_context io;
  tunnel_pki pki;
  tether::testing::temp_dir work;
  auto settings = client_settings(pki, tether::testing::free_port());  // nobody listens
  settings.backoff.max_attempts = 3;
  auto opened = spool::open(work.path / "spool.db");
  REQUIRE(opened.value);
  tunnel_client client(io, settings, *opened.value);
  std::optional<tunnel_result> result;
  start_client(io, client, result);
  REQUIRE(run_until(io, [&] { return result.has_value(); }));
  CHECK(result->end == tunnel_end::gave_up);
  CHECK(result->error.find("connect") != std::string::npos);
}
