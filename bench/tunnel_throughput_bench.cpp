// tunnel_throughput_bench: one result of BYTES (1 GiB) streamed agent -> console over the
// tunnel on loopback, against `openssl s_server` / `s_client` moving the same bytes with the
// same TLS 1.3 cipher suite (TLS_AES_256_GCM_SHA384) and the same mutual TLS, in the same run.
//
// tether: the agent's spool holds the whole result (appended before the clock starts, 16 MiB
// per transaction); the clock runs from the tunnel_client's start until the spool is empty,
// i.e. until the console has stored every chunk (fsynced) and the agent has processed the last
// ACK. Agent and console run on their own threads (own io_context each), like two processes
// (s_client and s_server): neither end waits for the other's CPU. Each run prints both
// threads' CPU time and the cipher suite each side's SSL object reports.
// openssl: s_client reads the same bytes from a file, s_server writes them to a file in the
// same directory (no fsync: the baseline promises no durability); the clock runs from starting
// s_client until s_server exits after the close.
//
// Usage: tunnel_throughput_bench [--bytes N] [--runs N] [--dir DIR] [--credit BYTES] [--sync-batch BYTES]
//   DIR (default: a fresh directory under /tmp) holds the spool, the console's store and the
//   baseline's files; a tmpfs directory (/dev/shm) takes the disk's fsync out of the numbers.
// Prints MB/s of each run, the median of each side and the ratio of the medians.
#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/transport/test_pki.hpp"
#include "transport/component_logger.hpp"
#include "transport/sha256.hpp"
#include "transport/spool.hpp"
#include "transport/tunnel_client.hpp"
#include "transport/tunnel_server.hpp"

extern char** environ;

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace tether::transport;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr const char* cipher_suite = "TLS_AES_256_GCM_SHA384";

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "tunnel_throughput_bench: %s\n", message.c_str());
  std::exit(2);
}

/// The bench's PKI: a CA, the console for 127.0.0.1 and an agent of site ams-1.
void make_pki(const fs::path& dir) {
  using namespace tether::transport::test;
  const auto ca = make_certificate("bench CA", nullptr, true);
  write_pem(ca, dir, "ca");
  write_pem(make_certificate("console", &ca, false, "IP:127.0.0.1"), dir, "console");
  write_pem(make_certificate("agent", &ca, false, "URI:tether:site:ams-1"), dir, "agent");
}

/// `size` pseudo-random bytes (a fixed seed), the same for both sides.
std::vector<std::uint8_t> payload(std::size_t size) {
  std::vector<std::uint8_t> bytes(size);
  std::mt19937_64 random(7);
  for (std::size_t i = 0; i + 8 <= size; i += 8) {
    const auto v = random();
    std::memcpy(bytes.data() + i, &v, 8);
  }
  return bytes;
}

struct tether_run {
  double seconds = 0;
  double cpu_seconds = 0;  ///< user + system of the whole process (both ends)
  double agent_cpu = 0;    ///< the agent's thread alone
  double console_cpu = 0;  ///< the console's thread alone
  bool intact = false;     ///< the stored file has the payload's SHA-256
  std::string agent_cipher, console_cipher;  ///< negotiated, as each side's SSL reports it
};

/// CPU seconds of the calling thread.
double thread_cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

double process_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::uint32_t stream_credit = 0;  ///< --credit: the console's initial_stream_credit (0: its default)
std::uint64_t sync_batch = 0;     ///< --sync-batch: the console's sync_batch_bytes (0: its default)

tether_run run_tether(const fs::path& pki, const fs::path& dir, const std::vector<std::uint8_t>& bytes,
                      const digest& expected) {
  const auto spool_path = dir / "spool.db";
  const auto store_dir = dir / "console";
  auto opened = spool::open(spool_path, spool_limits{bytes.size() + 1024});
  if (!opened.value) die(opened.error);
  auto& spooled = *opened.value;
  const auto result_id = spooled.begin_result(1, "show-log", "r1").id.result_id;
  constexpr std::size_t batch = 16 * 1024 * 1024;
  for (std::size_t offset = 0; offset < bytes.size(); offset += batch) {
    const auto n = std::min(batch, bytes.size() - offset);
    const auto w = spooled.append_all(result_id, {bytes.data() + offset, n});
    if (w.status != spool_status::ok) die("spool: " + w.message);
  }
  if (spooled.finish(result_id, end_status::ok, "").status != spool_status::ok) die("spool finish");

  asio::io_context console_io;
  tunnel_server_settings ss;
  ss.tls.identity = {pki / "console.pem", pki / "console.key", pki / "ca.pem"};
  ss.data_dir = store_dir;
  ss.console_id = "bench-console";
  if (stream_credit != 0) ss.initial_stream_credit = stream_credit;
  if (sync_batch != 0) ss.sync_batch_bytes = sync_batch;
  tunnel_server server(console_io, ss);
  std::string console_cipher;  // written on the console's thread, read after it is joined
  server.on_event([&](const tunnel_event& e) {
    if (e.what != tunnel_event::kind::session_up) return;
    for (const auto& a : server.agents()) console_cipher = a.cipher;
  });
  if (auto e = server.listen({asio::ip::make_address("127.0.0.1"), 0}); !e.empty()) die(e);
  server.start();
  auto console_guard = asio::make_work_guard(console_io);
  double console_cpu = 0;
  std::thread console_thread([&] {
    const double before = thread_cpu_seconds();
    console_io.run();
    console_cpu = thread_cpu_seconds() - before;
  });

  asio::io_context agent_io;
  tunnel_client_settings cs;
  cs.host = "127.0.0.1";
  cs.port = server.port();
  cs.tls.identity = {pki / "agent.pem", pki / "agent.key", pki / "ca.pem"};
  cs.tls.server_name = "127.0.0.1";
  cs.site_id = "ams-1";
  cs.window_id = "BENCH-1";
  cs.window_closes_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count() + 3600000;
  tunnel_client client(agent_io, cs, spooled);
  std::string agent_cipher;
  client.on_link([&](const link_event& e) {
    if (e.what == link_event::kind::up) agent_cipher = e.cipher;
  });
  std::optional<tunnel_result> ended;
  const double cpu_before = process_cpu_seconds();
  const double agent_cpu_before = thread_cpu_seconds();
  const auto start = clock_type::now();
  asio::co_spawn(agent_io, client.run(), [&](std::exception_ptr, tunnel_result r) { ended = std::move(r); });
  // The spool is empty once the last ACK is processed: check after every turn of the loop
  // with a short timer (1 ms granularity, on the agent's own thread).
  asio::steady_timer check(agent_io);
  double seconds = 0;
  std::function<void(const boost::system::error_code&)> poll = [&](const boost::system::error_code&) {
    if (ended) return;  // the client gave up: the check after run() reports it
    if (spooled.pending(1).refs.empty()) {
      seconds = seconds_since(start);
      client.stop();
      return;
    }
    check.expires_after(std::chrono::milliseconds(1));
    check.async_wait(poll);
  };
  poll({});
  agent_io.run();
  const double cpu = process_cpu_seconds() - cpu_before;
  const double agent_cpu = thread_cpu_seconds() - agent_cpu_before;
  if (ended && ended->end != tunnel_end::stopped) die("tunnel ended: " + ended->error);
  asio::post(console_io, [&] { server.stop(); });
  console_guard.reset();
  console_thread.join();

  tether_run out{seconds, cpu, agent_cpu, console_cpu, false, agent_cipher, console_cipher};
  std::ifstream stored(server.store().data_path("ams-1", result_id), std::ios::binary);
  std::vector<std::uint8_t> back((std::istreambuf_iterator<char>(stored)), {});
  out.intact = back.size() == bytes.size() && sha256(back) == expected;
  opened.value.reset();
  fs::remove_all(store_dir);
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(spool_path.string() + suffix);
  return out;
}

/// A free TCP port on 127.0.0.1 (bound, read, released).
std::uint16_t free_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

/// Whether something listens on 127.0.0.1:`port` (from /proc/net/tcp, so no connection is used up).
bool listening(std::uint16_t port) {
  std::ifstream tcp("/proc/net/tcp");
  char wanted[32];
  std::snprintf(wanted, sizeof wanted, "0100007F:%04X", port);
  for (std::string line; std::getline(tcp, line);)
    if (line.find(wanted) != std::string::npos && line.find(" 0A ") != std::string::npos) return true;
  return false;
}

pid_t spawn(const std::vector<std::string>& args, const fs::path& in, const fs::path& out) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) die(std::string("cannot start ") + args[0] + ": " + std::strerror(rc));
  return pid;
}

/// s_client -> s_server over loopback, mutual TLS 1.3 with `cipher_suite`; seconds, or a negative
/// number when the output differs from the input.
/// CPU seconds (user + system) of a child from its rusage.
double cpu_of(const rusage& u) {
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double openssl_client_cpu = 0;  ///< s_client's CPU seconds in the last run_openssl
double openssl_server_cpu = 0;  ///< s_server's

double run_openssl(const fs::path& pki, const fs::path& dir, const fs::path& input, std::size_t size) {
  const auto port = std::to_string(free_port());
  const auto output = dir / "openssl-out.bin";
  // s_server's stdin must stay open (it would quit at EOF): a FIFO nobody writes to.
  const auto fifo = dir / "openssl-stdin";
  fs::remove(fifo);
  if (::mkfifo(fifo.c_str(), 0600) != 0) die("mkfifo");
  const int hold = ::open(fifo.c_str(), O_RDWR);
  const pid_t server = spawn({"openssl", "s_server", "-accept", "127.0.0.1:" + port, "-naccept", "1",
                              "-quiet", "-tls1_3", "-ciphersuites", cipher_suite,
                              "-cert", (pki / "console.pem").string(), "-key", (pki / "console.key").string(),
                              "-Verify", "1", "-CAfile", (pki / "ca.pem").string()},
                             fifo, output);
  const auto deadline = clock_type::now() + std::chrono::seconds(10);
  while (!listening(static_cast<std::uint16_t>(std::stoi(port))) && clock_type::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling a port, bounded
  const auto start = clock_type::now();
  const pid_t client = spawn({"openssl", "s_client", "-connect", "127.0.0.1:" + port, "-quiet",
                              "-no_ign_eof", "-nocommands", "-tls1_3", "-ciphersuites", cipher_suite,
                              "-cert", (pki / "agent.pem").string(), "-key", (pki / "agent.key").string(),
                              "-CAfile", (pki / "ca.pem").string(), "-verify_return_error"},
                             input, "/dev/null");
  int status = 0;
  rusage client_use{}, server_use{};
  ::wait4(client, &status, 0, &client_use);
  ::wait4(server, &status, 0, &server_use);
  openssl_client_cpu = cpu_of(client_use);
  openssl_server_cpu = cpu_of(server_use);
  const double seconds = seconds_since(start);
  ::close(hold);
  fs::remove(fifo);
  std::error_code ec;
  const bool intact = fs::file_size(output, ec) == size;
  fs::remove(output);
  return intact ? seconds : -1;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t bytes = 1ull << 30;
  int runs = 3;
  fs::path dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--bytes") bytes = std::stoull(argv[i + 1]);
    else if (flag == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
    else if (flag == "--dir") dir = argv[i + 1];
    else if (flag == "--sync-batch") sync_batch = std::stoull(argv[i + 1]);
    else if (flag == "--credit") stream_credit = static_cast<std::uint32_t>(std::stoul(argv[i + 1]));
    else die("usage: tunnel_throughput_bench [--bytes N] [--runs N] [--dir DIR] [--credit BYTES] [--sync-batch BYTES]");
  }
  const bool own_dir = dir.empty();
  if (own_dir) {
    std::string pattern = (fs::temp_directory_path() / "tether-tput-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) die("mkdtemp");
    dir = pattern;
  } else {
    fs::create_directories(dir);
  }
  ::signal(SIGPIPE, SIG_IGN);
  component_logger("tunnel")->set_level(spdlog::level::warn);
  component_logger("console")->set_level(spdlog::level::warn);
  const auto pki = dir / "pki";
  fs::create_directories(pki);
  make_pki(pki);
  const auto bytes_in = payload(bytes);
  const auto expected = sha256(bytes_in);
  const auto input = dir / "openssl-in.bin";
  {
    std::ofstream f(input, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes_in.data()), static_cast<std::streamsize>(bytes_in.size()));
  }
  std::printf("tunnel throughput: %zu bytes, one result, %s, dir %s, %d runs (alternating)\n", bytes,
              cipher_suite, dir.c_str(), runs);
  std::vector<double> ours, theirs;
  bool ok = true;
  const double mb = static_cast<double>(bytes) / 1e6;
  for (int r = 0; r < runs; ++r) {
    const auto t = run_tether(pki, dir, bytes_in, expected);
    const auto o = run_openssl(pki, dir, input, bytes);
    ok = ok && t.intact && o > 0;
    ours.push_back(mb / t.seconds);
    if (o > 0) theirs.push_back(mb / o);
    const bool same_cipher = t.agent_cipher == cipher_suite && t.console_cipher == cipher_suite;
    ok = ok && same_cipher;
    std::printf("run %d: tether %7.1f MB/s (%.2f s, CPU %.2f s: agent %.2f, console %.2f; %s)   openssl %7.1f MB/s (%.2f s, CPU s_client %.2f, s_server %.2f%s)\n",
                r + 1, mb / t.seconds, t.seconds, t.cpu_seconds, t.agent_cpu, t.console_cpu,
                t.intact ? "SHA-256 ok" : "SHA-256 MISMATCH", o > 0 ? mb / o : 0.0, o,
                openssl_client_cpu, openssl_server_cpu, o > 0 ? "" : ", output size wrong");
    std::printf("       negotiated: agent %s, console %s%s\n", t.agent_cipher.c_str(), t.console_cipher.c_str(),
                same_cipher ? "" : " (NOT the baseline's suite)");
    std::fflush(stdout);
  }
  if (!theirs.empty()) {
    const double a = median(ours), b = median(theirs);
    std::printf("median: tether %.1f MB/s, openssl %.1f MB/s, ratio %.2f (target >= 0.80)\n", a, b, a / b);
  }
  fs::remove(input);
  if (own_dir) fs::remove_all(dir);
  return ok ? 0 : 1;
}
