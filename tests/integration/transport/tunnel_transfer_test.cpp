#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>

#include "tests/integration/transport/chaos_proxy.hpp"
#include "tests/integration/transport/tunnel_fixture.hpp"

using namespace tether::transport;
using namespace tether::transport::test;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t chunk = 64 * 1024;

/// Total bytes for the chaos transfer: 200 MB, or TETHER_CHAOS_MB when set (for quick runs).
std::size_t transfer_bytes() {
  const char* mb = std::getenv("TETHER_CHAOS_MB");
  return (mb ? std::strtoull(mb, nullptr, 10) : 200) * 1000 * 1000;
}

/// Spools `results` results of `bytes` pseudo-random bytes in total; returns each one's
/// result id and SHA-256.
std::vector<std::pair<std::uint64_t, std::string>> spool_results(spool& s, int results,
                                                                 std::size_t bytes, std::uint64_t seed) {
  std::vector<std::pair<std::uint64_t, std::string>> out;
  std::mt19937_64 random(seed);
  std::vector<std::uint8_t> buf(chunk);
  for (int r = 0; r < results; ++r) {
    const auto begun = s.begin_result(100 + r, "show-log", "r" + std::to_string(r));
    REQUIRE(begun.status == spool_status::ok);
    sha256_stream h;
    std::size_t left = bytes / results;
    while (left > 0) {
      const std::size_t n = std::min(left, chunk);
      for (std::size_t i = 0; i < n; i += 8) {
        const auto v = random();
        std::memcpy(buf.data() + i, &v, std::min<std::size_t>(8, n - i));
      }
      REQUIRE(s.append(begun.id.result_id, {buf.data(), n}).status == spool_status::ok);
      h.add(buf.data(), n);
      left -= n;
    }
    REQUIRE(s.finish(begun.id.result_id, end_status::ok, "done").status == spool_status::ok);
    out.emplace_back(begun.id.result_id, h.hex());
  }
  return out;
}

/// Whether the console holds every result complete and the agent's spool is empty.
bool delivered(tunnel_server& server, spool& s,
               const std::vector<std::pair<std::uint64_t, std::string>>& expected) {
  for (const auto& [id, sha] : expected)
    if (!server.store().progress("ams-1", id).first.finished) return false;
  return s.pending(1).refs.empty();
}

}  // namespace

TEST_CASE("a 200 MB transfer survives repeated cuts and a restart of each end: nothing lost, nothing duplicated",
          "[tunnel][chaos]") {
  asio::io_context io;
  tunnel_pki pki;
  tether::testing::temp_dir work;
  const auto spool_path = work.path / "spool.db";
  auto opened = spool::open(spool_path);
  REQUIRE(opened.value);
  const auto start = std::chrono::steady_clock::now();
  const auto expected = spool_results(*opened.value, 4, transfer_bytes(), 7);
  const auto spooled = std::chrono::steady_clock::now();
  opened.value.reset();  // the client reopens it, as an agent would

  auto server = std::make_unique<tunnel_server>(io, server_settings(pki, work.path / "console"));
  REQUIRE(server->listen({asio::ip::make_address("127.0.0.1"), 0}).empty());
  server->start();
  const std::uint64_t seed = 20261124;
  // Cuts at most every ~1/8 of the transfer, so all 12 land before it completes.
  chaos_proxy chaos(io, server->port(), seed, 12, transfer_bytes() / 8);

  std::unique_ptr<spool> agent_spool;
  std::unique_ptr<tunnel_client> client;
  std::optional<tunnel_result> result;
  auto start_agent = [&] {
    agent_spool = std::move(spool::open(spool_path).value);
    REQUIRE(agent_spool);
    client = std::make_unique<tunnel_client>(io, client_settings(pki, chaos.port()), *agent_spool);
    result.reset();
    start_client(io, *client, result);
  };
  start_agent();

  const std::size_t chunks = 4 * ((transfer_bytes() / 4 + chunk - 1) / chunk);  // DATA chunks
  // Kill the agent once a third of the chunks are stored: stop it, drop client and spool,
  // reopen both, as after a crash and restart of tether-agent.
  REQUIRE(run_until(io, [&] { return server->stats().stored >= chunks / 3; }, std::chrono::seconds(600)));
  client->stop();
  REQUIRE(run_until(io, [&] { return result.has_value(); }));
  CHECK(result->end == tunnel_end::stopped);
  client.reset();
  agent_spool.reset();
  start_agent();

  // Kill the console at two thirds: a new server object on a new port, same data dir.
  const auto stored_before = server->stats().stored;
  REQUIRE(run_until(io, [&] { return server->stats().stored >= 2 * chunks / 3; }, std::chrono::seconds(600)));
  const auto stored_first = server->stats().stored;
  const auto duplicates_first = server->stats().duplicates;
  server->stop();
  server.reset();
  server = std::make_unique<tunnel_server>(io, server_settings(pki, work.path / "console"));
  REQUIRE(server->listen({asio::ip::make_address("127.0.0.1"), 0}).empty());
  server->start();
  chaos.set_upstream(server->port());

  REQUIRE(run_until(io, [&] { return delivered(*server, *agent_spool, expected); }, std::chrono::seconds(900)));
  const auto done = std::chrono::steady_clock::now();
  client->stop();
  REQUIRE(run_until(io, [&] { return result.has_value(); }));

  for (const auto& [id, sha] : expected) {
    INFO("result " << id);
    CHECK(file_sha256(server->store().data_path("ams-1", id)) == sha);
    CHECK(std::filesystem::file_size(server->store().data_path("ams-1", id)) == transfer_bytes() / 4);
  }
  // The two restarts may each end a link that was due to be cut later.
  CHECK(chaos.cuts_done() >= 10);
  CHECK(stored_before > 0);
  // Each chunk was stored exactly once over both server lives (+4 ENDs).
  CHECK(stored_first + server->stats().stored == chunks + 4);
  const auto secs = [](auto d) { return std::chrono::duration<double>(d).count(); };
  WARN("spooled " << transfer_bytes() / 1000000 << " MB in " << secs(spooled - start)
                  << " s; delivered through " << chaos.links() << " links, " << chaos.cuts_done()
                  << " cuts, 1 agent and 1 console restart in " << secs(done - spooled) << " s; "
                  << duplicates_first + server->stats().duplicates << " resent chunks dropped");
}
