#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <catch2/catch.hpp>

#include <boost/asio/ssl/stream.hpp>

#include "tests/integration/transport/chaos_proxy.hpp"
#include "tests/integration/transport/tunnel_fixture.hpp"
#include "transport/frame_channel.hpp"

using namespace tether::transport;
using namespace tether::transport::test;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

TEST_CASE("a console that falls silent is declared dead by keepalive and the agent redials", "[tunnel][keepalive]") {
  log_capture logs;
  asio::io_context io;
  tunnel_pki pki;
  tether::testing::temp_dir work;
  auto settings = server_settings(pki, work.path / "console");
  settings.keepalive_interval = std::chrono::milliseconds(1000);  // the protocol's minimum; HELLO_ACK tells the agent
  tunnel_server server(io, settings);
  REQUIRE(server.listen({asio::ip::make_address("127.0.0.1"), 0}).empty());
  server.start();
  chaos_proxy relay(io, server.port(), 1, 0, 0);  // no cuts: only the stall below
  auto opened = spool::open(work.path / "spool.db");
  REQUIRE(opened.value);
  tunnel_client client(io, client_settings(pki, relay.port()), *opened.value);
  std::optional<tunnel_result> result;
  start_client(io, client, result);
  REQUIRE(run_until(io, [&] { return client.sessions() == 1; }));
  relay.stall_open_links();
  const auto stalled_at = std::chrono::steady_clock::now();
  REQUIRE(run_until(io, [&] { return client.sessions() == 2; }));
  // Silent for the interval, then no answer to the PING for twice the interval, counted from
  // the last frame received, which on a loaded machine may be up to an interval before the
  // stall: never sooner than one interval after it.
  CHECK(std::chrono::steady_clock::now() - stalled_at >= std::chrono::milliseconds(1000));
  CHECK(logs.sink->contains({"console silent past the keepalive timeout"}));
  client.stop();
  REQUIRE(run_until(io, [&] { return result.has_value(); }));
  CHECK(result->end == tunnel_end::stopped);
}

TEST_CASE("a console that accepts TCP but never speaks TLS hits the connect deadline", "[tunnel][keepalive]") {
  asio::io_context io;
  tunnel_pki pki;
  tether::testing::temp_dir work;
  // The kernel completes the TCP handshake from the backlog; nobody ever answers.
  tcp::acceptor mute(io, {asio::ip::make_address("127.0.0.1"), 0});
  auto settings = client_settings(pki, mute.local_endpoint().port());
  settings.connect_timeout = std::chrono::milliseconds(300);
  settings.backoff.max_attempts = 2;
  auto opened = spool::open(work.path / "spool.db");
  REQUIRE(opened.value);
  tunnel_client client(io, settings, *opened.value);
  std::optional<tunnel_result> result;
  const auto start = std::chrono::steady_clock::now();
  start_client(io, client, result);
  REQUIRE(run_until(io, [&] { return result.has_value(); }));
  CHECK(result->end == tunnel_end::gave_up);
  CHECK(result->error.find("connect deadline passed") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(600));
}

TEST_CASE("a console with limits HELLO_ACK cannot carry refuses to start", "[tunnel]") {
  asio::io_context io;
  tunnel_pki pki;
  tether::testing::temp_dir work;
  auto settings = server_settings(pki, work.path / "console");
  settings.keepalive_interval = std::chrono::milliseconds(200);
  tunnel_server server(io, settings);
  CHECK(server.listen({asio::ip::make_address("127.0.0.1"), 0}).find("keepalive_interval") != std::string::npos);
}

TEST_CASE("stop() ends run() at once while it waits to redial", "[tunnel]") {
  asio::io_context io;
  tunnel_pki pki;
  tether::testing::temp_dir work;
  tcp::acceptor closed_port(io, {asio::ip::make_address("127.0.0.1"), 0});
  auto settings = client_settings(pki, closed_port.local_endpoint().port());
  closed_port.close();  // connections are refused
  settings.backoff = {std::chrono::seconds(60), std::chrono::seconds(60), 0};
  auto opened = spool::open(work.path / "spool.db");
  REQUIRE(opened.value);
  tunnel_client client(io, settings, *opened.value);
  std::optional<tunnel_result> result;
  start_client(io, client, result);
  // Wait for the first failure: the client is then in its 30-60 s backoff wait.
  REQUIRE_FALSE(run_until(io, [&] { return result.has_value(); }, std::chrono::seconds(1)));
  const auto stopped_at = std::chrono::steady_clock::now();
  client.stop();
  REQUIRE(run_until(io, [&] { return result.has_value(); }, std::chrono::seconds(5)));
  CHECK(result->end == tunnel_end::stopped);
  CHECK(std::chrono::steady_clock::now() - stopped_at < std::chrono::seconds(2));
}

TEST_CASE("a console breaking the stream rules gets GOAWAY protocol-error and the agent redials", "[tunnel]") {
  asio::io_context io;
  tunnel_pki pki;
  tether::testing::temp_dir work;
  // A hand-made console: TLS, HELLO_ACK, then CREDIT for a stream the agent never opened.
  auto ctx = make_server_context({pki.identity("console")});
  REQUIRE(ctx.context);
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  std::optional<goaway> answer;
  int accepted = 0;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    for (;;) {
      tcp::socket socket(io);
      co_await acceptor.async_accept(socket, asio::use_awaitable);
      ++accepted;
      asio::ssl::stream<tcp::socket> stream(std::move(socket), *ctx.context);
      co_await stream.async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
      frame_channel<asio::ssl::stream<tcp::socket>> channel(stream);
      co_await channel.read();  // HELLO
      const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch()).count();
      const frame ack = hello_ack{1, now, 256 * 1024, 16, 15000, "rogue"};
      co_await channel.write(ack);
      const frame bad = credit{5, 100};
      co_await channel.write(bad);
      auto r = co_await channel.read();
      if (r.value && std::holds_alternative<goaway>(*r.value) && !answer) answer = std::get<goaway>(*r.value);
    }
  }, asio::detached);
  auto opened = spool::open(work.path / "spool.db");
  REQUIRE(opened.value);
  tunnel_client client(io, client_settings(pki, acceptor.local_endpoint().port()), *opened.value);
  std::optional<tunnel_result> result;
  start_client(io, client, result);
  REQUIRE(run_until(io, [&] { return answer.has_value() && accepted >= 2; }));
  CHECK(answer->code == "protocol-error");
  CHECK(answer->retry);
  CHECK_FALSE(result.has_value());  // a protocol error is not permanent: it redials
  client.stop();
  REQUIRE(run_until(io, [&] { return result.has_value(); }));
  CHECK(result->end == tunnel_end::stopped);
  acceptor.close();
}
