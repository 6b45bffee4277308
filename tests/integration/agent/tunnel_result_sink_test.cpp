// The dispatcher's result sink over a real spool and tunnel: a spool that refuses data
// tells the console once (NOTICE spool_pressure), and again only after a write went through.
#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "agent/tunnel_result_sink.hpp"
#include "tests/integration/transport/tunnel_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace tether::transport;
using namespace tether::transport::test;
namespace asio = boost::asio;

TEST_CASE("a full spool sends one spool_pressure notice per episode", "[integration][tunnel]") {
  asio::io_context io;
  tunnel_pki pki;
  tether::testing::temp_dir work;
  tunnel_server server(io, server_settings(pki, work.path / "console"));
  REQUIRE(server.listen({asio::ip::make_address("127.0.0.1"), 0}).empty());
  std::vector<tunnel_event> notices;
  server.on_event([&](const tunnel_event& e) {
    if (e.what == tunnel_event::kind::notice) notices.push_back(e);
  });
  server.start();
  auto opened = spool::open(work.path / "spool.db", {100});
  REQUIRE(opened.value);
  tunnel_client client(io, client_settings(pki, server.port()), *opened.value);
  std::optional<tunnel_result> result;
  start_client(io, client, result);

  tether::agent::tunnel_result_sink sink;
  sink.attach_spool(opened.value.get());
  sink.attach_tunnel(&client);
  const auto r = sink.begin_result(1, "facts", "dev001").id.result_id;
  REQUIRE(r != 0);
  const std::vector<std::uint8_t> big(101, 'x'), small(10, 'y');
  CHECK(sink.append(r, big).status == spool_status::full);
  CHECK(sink.append(r, big).status == spool_status::full);  // the same episode: no second notice
  REQUIRE(run_until(io, [&] { return notices.size() == 1; }));
  CHECK(notices[0].notice == notice_kind::spool_pressure);
  CHECK(notices[0].message.find("spool full: 0 of 100 bytes") != std::string::npos);

  CHECK(sink.append(r, small).status == spool_status::ok);
  CHECK(sink.append(r, big).status == spool_status::full);  // a new episode
  REQUIRE(run_until(io, [&] { return notices.size() == 2; }));
  CHECK(notices[1].message.find("spool full: 10 of 100 bytes") != std::string::npos);

  // Nine tenths waiting: a new result is refused, and that is pressure too.
  CHECK(sink.append(r, std::vector<std::uint8_t>(90, 'z')).status == spool_status::ok);  // 90 or 100 waiting
  CHECK(sink.begin_result(2, "facts", "dev002").status == spool_status::full);
  REQUIRE(run_until(io, [&] { return notices.size() == 3; }));
  CHECK(notices[2].message.find("no new results") != std::string::npos);

  client.stop();
  REQUIRE(run_until(io, [&] { return result.has_value(); }));
  server.stop();
  io.restart();
  io.poll();
  CHECK(notices.size() == 3);
}
