// console_connections_bench: N agents (tunnel_clients on one io_context, 500 by default)
// connect at once to one console (a tunnel_server in its own process: this binary started
// again with --console, so its RSS is its own). Measures handshakes per second (TCP + mutual TLS 1.3 +
// HELLO/HELLO_ACK, from the first dial until every agent holds a session) and the console's
// VmRSS before and after, hence memory per connection. Runs RUNS times (fresh console each
// time) and prints the median.
//
// Usage: console_connections_bench [--agents N] [--runs N]
#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <poll.h>
#include <spawn.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/unit/transport/test_pki.hpp"
#include "transport/component_logger.hpp"
#include "transport/spool.hpp"
#include "transport/tunnel_client.hpp"
#include "transport/tunnel_server.hpp"

extern char** environ;

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace tether::transport;
using clock_type = std::chrono::steady_clock;

namespace {

/// Agent i's site: ams-0, ams-1, ...
std::string agent_site(int i) { return "ams-" + std::to_string(i); }

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "console_connections_bench: %s\n", message.c_str());
  std::exit(2);
}

/// VmRSS of `pid` in KiB (0 when unreadable).
long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return 0;
}

/// The console, run by this binary re-executed as `--console DIR` (a fresh process, so its
/// RSS is its own): listens on 127.0.0.1 port 0, prints the port, serves until killed.
int console_main(const fs::path& dir) {
  asio::io_context io;
  tunnel_server_settings s;
  const auto pki = dir / "pki";
  s.tls.identity = {pki / "console.pem", pki / "console.key", pki / "ca.pem"};
  s.data_dir = dir / "console";
  s.console_id = "bench-console";
  s.handshake_timeout = std::chrono::milliseconds(120000);
  component_logger("console")->set_level(spdlog::level::off);
  tunnel_server server(io, s);
  if (auto e = server.listen({asio::ip::make_address("127.0.0.1"), 0}); !e.empty()) die(e);
  std::printf("%u\n", static_cast<unsigned>(server.port()));
  std::fflush(stdout);
  server.start();
  io.run();
  return 0;
}

/// Starts the console process; its pid, and its port in `port`.
pid_t start_console(const fs::path& dir, std::uint16_t& port) {
  int fds[2];
  if (::pipe(fds) != 0) die("pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::string self = fs::read_symlink("/proc/self/exe").string();
  std::string flag = "--console";
  std::string where = dir.string();
  char* argv[] = {self.data(), flag.data(), where.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, self.c_str(), &actions, nullptr, argv, environ) != 0) die("cannot start the console");
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  pollfd ready{fds[0], POLLIN, 0};
  char line[16] = {};
  if (::poll(&ready, 1, 10000) != 1 || ::read(fds[0], line, sizeof line - 1) <= 0)
    die("the console did not start");
  ::close(fds[0]);
  port = static_cast<std::uint16_t>(std::atoi(line));
  return pid;
}

struct run_result {
  double seconds = 0;       ///< first dial until every agent holds a session
  long rss_before_kib = 0;  ///< console, listening, no connection
  long rss_after_kib = 0;   ///< console, every agent connected and idle
  std::size_t connected = 0;
};

run_result run_once(const fs::path& dir, int agents) {
  const auto pki = dir / "pki";
  std::uint16_t port = 0;
  const pid_t console = start_console(dir, port);
  run_result out;
  out.rss_before_kib = rss_kib(console);

  asio::io_context io;
  std::vector<std::unique_ptr<spool>> spools;
  std::vector<std::unique_ptr<tunnel_client>> clients;
  std::vector<std::optional<tunnel_result>> ended(static_cast<std::size_t>(agents));
  tunnel_client_settings cs;
  cs.host = "127.0.0.1";
  cs.port = port;
  cs.tls.server_name = "127.0.0.1";
  cs.window_id = "BENCH-1";
  cs.window_closes_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count() + 3600000;
  cs.connect_timeout = std::chrono::milliseconds(120000);
  for (int i = 0; i < agents; ++i) {
    auto opened = spool::open(dir / ("spool-" + std::to_string(i) + ".db"));
    if (!opened.value) die(opened.error);
    spools.push_back(std::move(opened.value));
    // One site per agent: the console keeps one live session per site (the newest wins).
    const std::string site = agent_site(i);
    cs.tls.identity = {pki / (site + ".pem"), pki / (site + ".key"), pki / "ca.pem"};
    cs.site_id = site;
    clients.push_back(std::make_unique<tunnel_client>(io, cs, *spools.back()));
  }
  const auto start = clock_type::now();
  for (int i = 0; i < agents; ++i)
    asio::co_spawn(io, clients[static_cast<std::size_t>(i)]->run(),
                   [&ended, i](std::exception_ptr, tunnel_result r) { ended[static_cast<std::size_t>(i)] = std::move(r); });
  const auto deadline = start + std::chrono::seconds(120);
  auto all_up = [&] {
    return std::all_of(clients.begin(), clients.end(), [](const auto& c) { return c->sessions() > 0; });
  };
  while (!all_up() && clock_type::now() < deadline) io.run_for(std::chrono::milliseconds(1));
  out.seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  for (const auto& c : clients) out.connected += c->sessions() > 0 ? 1 : 0;
  // Let the console finish its side of the last handshakes, then read its memory.
  const auto settle = clock_type::now() + std::chrono::milliseconds(500);
  while (clock_type::now() < settle) io.run_for(std::chrono::milliseconds(10));
  out.rss_after_kib = rss_kib(console);
  for (std::size_t i = 0; i < ended.size(); ++i)  // every session still live when measured
    if (ended[i]) die("agent " + std::to_string(i) + " lost its session: " + ended[i]->error);
  for (auto& c : clients) c->stop();
  io.run_for(std::chrono::seconds(5));
  ::kill(console, SIGKILL);
  ::waitpid(console, nullptr, 0);
  clients.clear();
  spools.clear();
  for (int i = 0; i < agents; ++i)
    for (const char* suffix : {"", "-wal", "-shm"})
      fs::remove(dir / ("spool-" + std::to_string(i) + ".db" + suffix));
  return out;
}

template <typename T>
T median(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--console") return console_main(argv[2]);
  int agents = 500;
  int runs = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--agents") agents = std::max(1, std::atoi(argv[i + 1]));
    else if (flag == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
    else die("usage: console_connections_bench [--agents N] [--runs N]");
  }
  // Each agent holds a socket and its spool's database, WAL and shared-memory files.
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  const rlim_t wanted = static_cast<rlim_t>(agents) * 6 + 64;
  if (files.rlim_cur < wanted) {
    files.rlim_cur = std::min(wanted, files.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &files);
    if (files.rlim_cur < wanted) die("RLIMIT_NOFILE too low for " + std::to_string(agents) + " agents");
  }
  ::signal(SIGPIPE, SIG_IGN);
  component_logger("tunnel")->set_level(spdlog::level::warn);
  component_logger("console")->set_level(spdlog::level::off);
  std::string pattern = (fs::temp_directory_path() / "tether-conn-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) die("mkdtemp");
  const fs::path dir = pattern;
  {
    using namespace tether::transport::test;
    fs::create_directories(dir / "pki");
    const auto ca = make_certificate("bench CA", nullptr, true);
    write_pem(ca, dir / "pki", "ca");
    write_pem(make_certificate("console", &ca, false, "IP:127.0.0.1"), dir / "pki", "console");
    for (int i = 0; i < agents; ++i)
      write_pem(make_certificate(agent_site(i), &ca, false, "URI:tether:site:" + agent_site(i)), dir / "pki",
                agent_site(i));
  }
  std::printf("console connections: %d agents on one io_context -> one console process (tunnel_server), "
              "mutual TLS 1.3 + HELLO, %d runs\n", agents, runs);
  std::vector<double> rates, per_connection;
  bool ok = true;
  for (int r = 0; r < runs; ++r) {
    const auto m = run_once(dir, agents);
    const double rate = static_cast<double>(m.connected) / m.seconds;
    const double per = m.connected ? static_cast<double>(m.rss_after_kib - m.rss_before_kib) / static_cast<double>(m.connected) : 0;
    rates.push_back(rate);
    per_connection.push_back(per);
    ok = ok && m.connected == static_cast<std::size_t>(agents);
    std::printf("run %d: %zu/%d sessions in %.2f s: %.0f handshakes/s; console RSS %.1f MiB -> %.1f MiB: %.1f KiB per connection\n",
                r + 1, m.connected, agents, m.seconds, rate, m.rss_before_kib / 1024.0, m.rss_after_kib / 1024.0, per);
    std::fflush(stdout);
  }
  std::printf("median: %.0f handshakes/s, %.1f KiB console memory per connection\n", median(rates), median(per_connection));
  fs::remove_all(dir);
  return ok ? 0 : 1;
}
