#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <catch2/catch.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/steady_timer.hpp>

#include <cstdlib>
#include <cstring>
#include <random>

#include "tests/integration/transport/chaos_proxy.hpp"
#include "tests/integration/transport/tunnel_fixture.hpp"

using namespace tether::transport;
using namespace tether::transport::test;
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

/// Runs `body` in a forked child that keeps only stdio and `keep` (as fd 3), so no socket
/// of the parent's stays open in it (a cut must really close the link); returns its pid.
pid_t fork_child(int keep, const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  if (keep >= 0) {
    ::dup2(keep, 3);
    ::close_range(4, ~0U, 0);
  } else {
    ::close_range(3, ~0U, 0);
  }
  int code = 3;
  try {
    code = body();
  } catch (...) {
  }
  ::_exit(code);
}

/// A console process: listens on 127.0.0.1 port 0, writes the port to fd 3, serves until killed.
pid_t start_console(const tunnel_pki& pki, const fs::path& data, std::uint16_t& port) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t pid = fork_child(pipe_fds[1], [&] {
    asio::io_context io;
    tunnel_server server(io, server_settings(pki, data));
    if (!server.listen({asio::ip::make_address("127.0.0.1"), 0}).empty()) return 1;
    const std::uint16_t p = server.port();
    if (::write(3, &p, sizeof p) != sizeof p) return 1;
    ::close(3);
    server.start();
    io.run();
    return 0;
  });
  ::close(pipe_fds[1]);
  pollfd ready{pipe_fds[0], POLLIN, 0};
  REQUIRE(::poll(&ready, 1, 10000) == 1);
  REQUIRE(::read(pipe_fds[0], &port, sizeof port) == sizeof port);
  ::close(pipe_fds[0]);
  return pid;
}

/// An agent process: sends the spool through `port` and exits 0 once it is empty.
pid_t start_agent(const tunnel_pki& pki, const fs::path& spool_path, std::uint16_t port) {
  return fork_child(-1, [&] {
    asio::io_context io;
    auto opened = spool::open(spool_path);
    if (!opened.value) return 1;
    tunnel_client client(io, client_settings(pki, port), *opened.value);
    std::optional<tunnel_result> result;
    start_client(io, client, result);
    asio::steady_timer check(io);
    std::function<void(const boost::system::error_code&)> poll_spool = [&](const boost::system::error_code&) {
      if (opened.value->pending(1).refs.empty()) return client.stop();
      check.expires_after(std::chrono::milliseconds(20));
      check.async_wait(poll_spool);
    };
    poll_spool({});
    io.run();
    return opened.value->pending(1).refs.empty() ? 0 : 2;
  });
}

/// The bytes moved: 200 MB (issue 5); TETHER_KILL_MB changes it for a quick local run.
std::size_t kill_transfer_bytes() {
  const char* mb = std::getenv("TETHER_KILL_MB");
  return (mb ? std::strtoull(mb, nullptr, 10) : 200) * 1000 * 1000;
}

/// Kills a child with SIGKILL and reaps it; true when the signal is what ended it.
bool kill_child(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

/// Bytes the console has written to its result files so far.
std::uint64_t stored_bytes(const fs::path& site_dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(site_dir, ec))
    if (e.path().extension() == ".data") total += e.file_size(ec);
  return total;
}

}  // namespace

TEST_CASE("a 200 MB transfer cut again and again, with the agent and then the console killed by SIGKILL, loses and duplicates nothing",
          "[tunnel][kill]") {
  asio::io_context io;
  tunnel_pki pki;
  tether::testing::temp_dir work;
  const auto spool_path = work.path / "spool.db";
  const auto data = work.path / "console";
  constexpr int results = 4;
  const std::size_t per_result = kill_transfer_bytes() / results;
  std::vector<std::pair<std::uint64_t, std::string>> expected;
  {
    auto opened = spool::open(spool_path);
    REQUIRE(opened.value);
    std::mt19937_64 random(11);
    std::vector<std::uint8_t> buf(1024 * 1024);  // one collector read: 16 chunks, one commit
    for (int r = 0; r < results; ++r) {
      const auto begun = opened.value->begin_result(1, "show-log", "r" + std::to_string(r));
      sha256_stream h;
      for (std::size_t left = per_result; left > 0;) {
        const std::size_t n = std::min(left, buf.size());
        for (std::size_t i = 0; i + 8 <= n; i += 8) {
          const auto v = random();
          std::memcpy(buf.data() + i, &v, 8);
        }
        REQUIRE(opened.value->append_all(begun.id.result_id, {buf.data(), n}).status == spool_status::ok);
        h.add(buf.data(), n);
        left -= n;
      }
      REQUIRE(opened.value->finish(begun.id.result_id, end_status::ok, "").status == spool_status::ok);
      expected.emplace_back(begun.id.result_id, h.hex());
    }
  }
  const auto started = std::chrono::steady_clock::now();
  std::uint16_t console_port = 0;
  pid_t console = start_console(pki, data, console_port);
  // Cuts again and again: 12 planned, each link cut at most ~1/8 of the transfer in.
  chaos_proxy chaos(io, console_port, 99, 12, results * per_result / 8);
  pid_t agent = start_agent(pki, spool_path, chaos.port());
  const std::uint64_t total = results * per_result;

  REQUIRE(run_until(io, [&] { return stored_bytes(data / "ams-1") >= total / 3; }, std::chrono::seconds(300)));
  CHECK(kill_child(agent));  // it was still sending
  agent = start_agent(pki, spool_path, chaos.port());

  REQUIRE(run_until(io, [&] { return stored_bytes(data / "ams-1") >= 2 * total / 3; }, std::chrono::seconds(300)));
  CHECK(kill_child(console));
  console = start_console(pki, data, console_port);
  chaos.set_upstream(console_port);

  int status = -1;
  bool reaped = false;  // waitpid reaps once: remember it
  const bool agent_done = run_until(io, [&] {
    if (!reaped) reaped = ::waitpid(agent, &status, WNOHANG) == agent;
    return reaped;
  }, std::chrono::seconds(300));
  if (!agent_done) kill_child(agent);
  kill_child(console);
  REQUIRE(agent_done);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);  // the agent's spool is empty: everything acknowledged
  CHECK(chaos.cuts_done() >= 6);  // the kills may end links that were due to be cut
  WARN(kill_transfer_bytes() / 1000000 << " MB through " << chaos.links() << " links, "
       << chaos.cuts_done() << " cuts, the agent and the console killed once each, in "
       << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() << " s");
  result_store store(data);
  for (const auto& [id, sha] : expected) {
    INFO("result " << id);
    CHECK(store.progress("ams-1", id).first.finished);
    CHECK(file_sha256(store.data_path("ams-1", id)) == sha);
  }
}
