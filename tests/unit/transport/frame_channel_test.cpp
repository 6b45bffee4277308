#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>

#include "tests/unit/transport/test_pki.hpp"
#include "transport/frame_channel.hpp"
#include "transport/handshake.hpp"
#include "transport/tls_context.hpp"

using namespace tether::transport;
namespace fs = std::filesystem;
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr std::int64_t now_ms = 1764000000000;

/// A connected pair of TCP sockets on 127.0.0.1 (port 0).
struct socket_pair {
  tcp::socket a;
  tcp::socket b;
  explicit socket_pair(asio::io_context& io) : a(io), b(io) {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    a.connect(acceptor.local_endpoint());
    acceptor.accept(b);
  }
};

/// Runs handlers until `done()` holds, at most 20 s: the event, with a deadline.
void run_until(asio::io_context& io, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done() && std::chrono::steady_clock::now() < deadline)
    io.run_one_for(std::chrono::milliseconds(100));
}

/// A co_spawn completion that records an escaped exception as a failure.
auto record_exception(bool& failed) {
  return [&failed](std::exception_ptr e) {
    if (e) failed = true;
  };
}

}  // namespace

TEST_CASE("frames written from many coroutines at once arrive whole", "[frame_channel]") {
  asio::io_context io;
  socket_pair pair(io);
  frame_channel<tcp::socket> sender(pair.a);
  frame_channel<tcp::socket> receiver(pair.b);
  constexpr int writers = 20;
  int written = 0;
  int received = 0;
  bool failed = false;
  for (int i = 0; i < writers; ++i)
    asio::co_spawn(io, [&, i]() -> asio::awaitable<void> {
      // 60 KiB each: many socket writes, so unserialized writes would interleave.
      const auto f = make_data(1, static_cast<std::uint64_t>(i),
                               std::vector<std::uint8_t>(60000, static_cast<std::uint8_t>(i)));
      if (!co_await sender.write(f)) ++written;
    }, record_exception(failed));
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    while (received < writers) {
      auto r = co_await receiver.read();
      if (!r.value) co_return;
      const auto& d = std::get<data>(*r.value);
      if (d.bytes.front() == static_cast<std::uint8_t>(d.sequence)) ++received;
    }
  }, record_exception(failed));
  run_until(io, [&] { return received == writers || failed; });
  CHECK_FALSE(failed);
  CHECK(written == writers);
  CHECK(received == writers);
}

TEST_CASE("bytes that break the protocol are reported as the decoder's error", "[frame_channel]") {
  asio::io_context io;
  socket_pair pair(io);
  frame_channel<tcp::socket> receiver(pair.b);
  const std::uint8_t junk[] = {'S', 'S', 'H', '-', '2', '.', '0', '-', 'x', '\r', '\n'};
  asio::write(pair.a, asio::buffer(junk));
  std::optional<channel_read> got;
  bool failed = false;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> { got = co_await receiver.read(); },
                 record_exception(failed));
  run_until(io, [&] { return got.has_value() || failed; });
  REQUIRE(got);
  CHECK_FALSE(got->value);
  REQUIRE(got->protocol);
  CHECK(got->protocol->code == decode_error_code::unknown_type);
}

TEST_CASE("a peer that closes mid-frame ends the read with end of file", "[frame_channel]") {
  asio::io_context io;
  socket_pair pair(io);
  frame_channel<tcp::socket> receiver(pair.b);
  const auto bytes = encode(ping{1}).bytes;
  asio::write(pair.a, asio::buffer(bytes.data(), bytes.size() - 1));
  pair.a.close();
  std::optional<channel_read> got;
  bool failed = false;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> { got = co_await receiver.read(); },
                 record_exception(failed));
  run_until(io, [&] { return got.has_value() || failed; });
  REQUIRE(got);
  CHECK_FALSE(got->value);
  CHECK_FALSE(got->protocol);
  CHECK(got->io == asio::error::eof);
}

TEST_CASE("a frame that does not encode is refused and nothing is written", "[frame_channel]") {
  asio::io_context io;
  socket_pair pair(io);
  frame_channel<tcp::socket> sender(pair.a);
  std::optional<boost::system::error_code> result;
  bool failed = false;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> { result = co_await sender.write(credit{1, 0}); },
                 record_exception(failed));
  run_until(io, [&] { return result.has_value() || failed; });
  REQUIRE(result);
  CHECK(*result == asio::error::invalid_argument);
  CHECK(pair.b.available() == 0);
}

TEST_CASE("agent and console shake hands and exchange frames over mutual TLS 1.3", "[frame_channel]") {
  std::string pattern = (fs::temp_directory_path() / "tether-channel-XXXXXX").string();
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  const fs::path dir = pattern;
  const auto ca = test::make_certificate("tether test CA", nullptr, true);
  test::write_pem(ca, dir, "ca");
  test::write_pem(test::make_certificate("console", &ca, false, "IP:127.0.0.1"), dir, "console");
  test::write_pem(test::make_certificate("ams-dc1", &ca, false), dir, "agent");
  auto id = [&](const std::string& n) {
    return tls_identity{dir / (n + ".pem"), dir / (n + ".key"), dir / "ca.pem"};
  };
  auto server_ctx = make_server_context({id("console")});
  auto client_ctx = make_client_context({id("agent"), "127.0.0.1", std::nullopt});
  REQUIRE(server_ctx.context);
  REQUIRE(client_ctx.context);

  asio::io_context io;
  socket_pair pair(io);
  ssl::stream<tcp::socket&> agent_tls(pair.a, *client_ctx.context);
  ssl::stream<tcp::socket&> console_tls(pair.b, *server_ctx.context);
  frame_channel<ssl::stream<tcp::socket&>> agent(agent_tls);
  frame_channel<ssl::stream<tcp::socket&>> console(console_tls);
  const hello greeting{1, 1, now_ms, now_ms + 3600000, "ams-dc1", "CHG-1001", "tether 0.1.0"};

  std::optional<hello_ack> agent_got_ack;
  std::optional<pong> agent_got_pong;
  std::optional<std::string> console_saw_site;
  bool failed = false;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    co_await console_tls.async_handshake(ssl::stream_base::server, asio::use_awaitable);
    auto h = co_await console.read();
    if (!h.value) co_return;
    const auto& hello_frame = std::get<hello>(*h.value);
    const auto verdict = evaluate_hello(hello_frame, now_ms + 2000);
    if (!verdict.version) co_return;
    // The certificate, not the HELLO, says which site this is; they must agree.
    const auto peer = peer_of(console_tls.native_handle());
    if (peer && peer->common_name == hello_frame.site_id) console_saw_site = peer->common_name;
    const frame answer = hello_ack{*verdict.version, now_ms + 2000, 262144, 16, 15000, "console"};
    co_await console.write(answer);
    auto p = co_await console.read();
    if (!p.value) co_return;
    const frame echo = pong{std::get<ping>(*p.value).nonce};
    co_await console.write(echo);
  }, record_exception(failed));
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    co_await agent_tls.async_handshake(ssl::stream_base::client, asio::use_awaitable);
    co_await agent.write(greeting);
    auto a = co_await agent.read();
    if (!a.value) co_return;
    const auto& ack_frame = std::get<hello_ack>(*a.value);
    if (evaluate_hello_ack(greeting, ack_frame, now_ms)) co_return;
    agent_got_ack = ack_frame;
    const frame probe = ping{77};
    co_await agent.write(probe);
    auto p = co_await agent.read();
    if (p.value) agent_got_pong = std::get<pong>(*p.value);
  }, record_exception(failed));
  run_until(io, [&] { return agent_got_pong.has_value() || failed; });
  std::error_code ec;
  fs::remove_all(dir, ec);

  CHECK_FALSE(failed);
  CHECK(console_saw_site == "ams-dc1");
  REQUIRE(agent_got_ack);
  CHECK(agent_got_ack->version == 1);
  REQUIRE(agent_got_pong);
  CHECK(agent_got_pong->nonce == 77);
}
