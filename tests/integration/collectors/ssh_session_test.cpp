// libssh_session against the real OpenSSH server on loopback.
#include <catch2/catch.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "collectors/libssh_session.hpp"
#include "tests/support/run_coroutine.hpp"
#include "tests/support/sshd_server.hpp"

using namespace tether::collectors;
using tether::testing::run_coroutine;
using Catch::Contains;

namespace {

namespace asio = boost::asio;

struct fixture {
  tether::testing::temp_dir dir;
  tether::testing::sshd_server sshd{dir};
  asio::io_context io;

  ssh_endpoint endpoint(const std::string& known_hosts = {}) const {
    return {"r1", "127.0.0.1", sshd.port, known_hosts.empty() ? sshd.known_hosts : known_hosts};
  }
  tether::config::credential login(const std::string& key = {}) const {
    tether::config::credential c;
    c.name = "test";
    c.username = sshd.user;
    c.key_file = key.empty() ? sshd.client_key : key;
    return c;
  }
};

/// Connects, runs `commands` in one session, and returns each result with its output.
asio::awaitable<std::vector<std::pair<command_result, std::string>>> session_run(
    const fixture& f, std::vector<std::string> commands, command_limits limits = {}) {
  libssh_session session(co_await asio::this_coro::executor);
  auto link = co_await session.connect(f.endpoint(), f.login(), {});
  REQUIRE(link.status == collect_status::ok);
  std::vector<std::pair<command_result, std::string>> out;
  for (const auto& c : commands) {
    std::string text;
    auto r = co_await session.run(c, limits, [&text](std::string_view chunk) -> asio::awaitable<void> {
      text.append(chunk);
      co_return;
    });
    out.emplace_back(r, text);
  }
  co_return out;
}

}  // namespace

TEST_CASE("commands run over one SSH session and their output arrives whole", "[integration][ssh]") {
  fixture f;
  auto results = run_coroutine(f.io, session_run(f, {"show version", "show chassis alarms",
                                                     "show bogus"}));
  REQUIRE(results.size() == 3);
  INFO(results[0].first.message);
  CHECK(results[0].first.status == collect_status::ok);
  CHECK(results[0].second == "Hostname: sshd-r1\nModel: mx204\nJunos: 21.4R3-S5.4\n");
  CHECK(results[0].first.bytes == results[0].second.size());
  CHECK(results[1].second == "No alarms currently active\n");
  CHECK_THAT(results[2].second, Contains("unknown command."));
}

TEST_CASE("a large output is streamed in order without loss", "[integration][ssh]") {
  fixture f;
  auto results = run_coroutine(f.io, session_run(f, {"flood 5000000"}));
  CHECK(results[0].first.status == collect_status::ok);
  CHECK(results[0].second.size() == 5000000);
  CHECK(results[0].second.find_first_not_of('x') == std::string::npos);
}

TEST_CASE("output beyond the cap is cut and reported truncated", "[integration][ssh]") {
  fixture f;
  command_limits limits;
  limits.output_cap = 100000;
  auto results = run_coroutine(f.io, session_run(f, {"flood 300000", "show version"}, limits));
  CHECK(results[0].first.status == collect_status::truncated);
  CHECK(results[0].second.size() == 100000);
  CHECK(results[1].first.status == collect_status::ok);  // the session is still usable
}

TEST_CASE("a command that never ends times out at its limit", "[integration][ssh]") {
  fixture f;
  command_limits limits;
  limits.timeout = std::chrono::milliseconds(300);
  auto results = run_coroutine(f.io, session_run(f, {"hang"}, limits));
  CHECK(results[0].first.status == collect_status::timeout);
  CHECK_THAT(results[0].first.message, Contains("no end of output within 300 ms"));
}

TEST_CASE("an unknown host key is refused and its fingerprint shown", "[integration][ssh]") {
  fixture f;
  const std::string empty = f.dir.write("empty_known_hosts", "");
  auto r = run_coroutine(f.io, [&]() -> asio::awaitable<connect_result> {
    libssh_session s(co_await asio::this_coro::executor);
    co_return co_await s.connect(f.endpoint(empty), f.login(), {});
  }());
  CHECK(r.status == collect_status::hostkey_unknown);
  CHECK(r.host_key_fingerprint == f.sshd.host_key_fingerprint);
  CHECK_THAT(r.message, Contains(f.sshd.host_key_fingerprint));
  CHECK_THAT(r.message, Contains("tetherctl inventory trust r1"));
}

TEST_CASE("a changed host key is refused", "[integration][ssh]") {
  fixture f;
  auto r = run_coroutine(f.io, [&]() -> asio::awaitable<connect_result> {
    libssh_session s(co_await asio::this_coro::executor);
    co_return co_await s.connect(f.endpoint(f.sshd.changed_known_hosts()), f.login(), {});
  }());
  CHECK(r.status == collect_status::hostkey_changed);
  CHECK_THAT(r.message, Contains("CHANGED"));
  CHECK_THAT(r.message, Contains(f.sshd.host_key_fingerprint));
}

TEST_CASE("a key the device does not accept is an authentication failure", "[integration][ssh]") {
  fixture f;
  auto r = run_coroutine(f.io, [&]() -> asio::awaitable<connect_result> {
    libssh_session s(co_await asio::this_coro::executor);
    co_return co_await s.connect(f.endpoint(), f.login(f.sshd.other_key), {});
  }());
  CHECK(r.status == collect_status::auth_failed);
  CHECK_THAT(r.message, Contains("refused (credential test)"));
}

TEST_CASE("a closed port is unreachable", "[integration][ssh]") {
  fixture f;
  auto ep = f.endpoint();
  ep.port = tether::testing::free_port();
  auto r = run_coroutine(f.io, [&]() -> asio::awaitable<connect_result> {
    libssh_session s(co_await asio::this_coro::executor);
    co_return co_await s.connect(ep, f.login(), {});
  }());
  CHECK(r.status == collect_status::unreachable);
  CHECK_THAT(r.message, Contains("refused"));
}

TEST_CASE("stop ends a running command and the session within a second", "[integration][ssh]") {
  fixture f;
  auto elapsed = run_coroutine(f.io, [&]() -> asio::awaitable<std::chrono::milliseconds> {
    auto ex = co_await asio::this_coro::executor;
    libssh_session s(ex);
    REQUIRE((co_await s.connect(f.endpoint(), f.login(), {})).status == collect_status::ok);
    std::chrono::steady_clock::time_point stopped_at;
    asio::steady_timer later(ex, std::chrono::milliseconds(200));
    later.async_wait([&](boost::system::error_code) {
      stopped_at = std::chrono::steady_clock::now();
      s.stop();
    });
    auto r = co_await s.run("hang", {}, [](std::string_view) -> asio::awaitable<void> { co_return; });
    CHECK(r.status == collect_status::cancelled);
    co_return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - stopped_at);
  }());
  CHECK(elapsed < std::chrono::milliseconds(1000));
}

TEST_CASE("a key held by the ssh-agent logs in", "[integration][ssh]") {
  fixture f;
  const std::string sock = f.dir / "agent.sock";
  tether::testing::child_process agent({"/usr/bin/ssh-agent", "-D", "-a", sock});
  REQUIRE(agent.wait_for("SSH_AUTH_SOCK"));
  setenv("SSH_AUTH_SOCK", sock.c_str(), 1);
  auto added = tether::testing::run_process({"/usr/bin/ssh-add", f.sshd.client_key});
  REQUIRE(added.exit_code == 0);
  auto login = f.login();
  login.how = tether::config::credential::method::agent;
  login.key_file.clear();
  auto r = run_coroutine(f.io, [&]() -> asio::awaitable<connect_result> {
    libssh_session s(co_await asio::this_coro::executor);
    co_return co_await s.connect(f.endpoint(), login, {});
  }());
  unsetenv("SSH_AUTH_SOCK");
  CHECK(r.status == collect_status::ok);
}

TEST_CASE("output that never pauses still ends at the command's timeout", "[integration][ssh]") {
  fixture f;
  command_limits limits;
  limits.timeout = std::chrono::milliseconds(2000);
  limits.output_cap = std::size_t(1) << 30;
  auto results = run_coroutine(f.io, session_run(f, {"flood 1000000000"}, limits));
  CHECK(results[0].first.status == collect_status::timeout);
  CHECK(results[0].first.bytes > 0);
  CHECK(results[0].first.bytes < 1000000000);
}
