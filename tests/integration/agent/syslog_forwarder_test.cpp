// The syslog forwarder against a real rsyslogd (imudp + imtcp on loopback, omfile to a
// temporary file), started per test and stopped by PID.
#include <catch2/catch.hpp>

#include <utility>

#include <boost/asio/io_context.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "agent/audit_log.hpp"
#include "agent/audit_verify.hpp"
#include "agent/memory_audit_sink.hpp"
#include "agent/syslog_forwarder.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/temp_dir.hpp"

using namespace tether::agent;
using tether::testing::child_process;
using tether::testing::temp_dir;
using Catch::Contains;

namespace {

bool tcp_accepts(std::uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// rsyslogd in the foreground with its own configuration: what arrives over UDP goes to
// udp.log, over TCP to tcp.log, as "MSGID STRUCTURED-DATA MSG".
class rsyslog_server {
 public:
  explicit rsyslog_server(const temp_dir& dir, std::uint16_t tcp = 0) : dir_(dir) {
    for (int attempt = 0; attempt < 5 && !process_; ++attempt) start(tcp);
    if (!process_) throw std::runtime_error("rsyslogd did not start");
  }
  void stop() { process_.reset(); }

  std::uint16_t tcp_port = 0;
  std::uint16_t udp_port = 0;

 private:
  void start(std::uint16_t tcp) {
    tcp_port = tcp ? tcp : tether::testing::free_port();
    udp_port = tether::testing::free_port(SOCK_DGRAM);
    const std::string conf = dir_.write(
        "rsyslog.conf",
        "global(workDirectory=\"" + dir_.path.string() + "\" maxMessageSize=\"64k\")\n"
        "module(load=\"imudp\")\nmodule(load=\"imtcp\")\n"
        "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" + std::to_string(udp_port) + "\")\n"
        "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + std::to_string(tcp_port) + "\")\n"
        "template(name=\"audit\" type=\"string\" "
        "string=\"%msgid% %structured-data% %msg%\\n\")\n"
        "if $inputname == \"imudp\" then action(type=\"omfile\" file=\"" + (dir_ / "udp.log") +
            "\" template=\"audit\")\n"
        "if $inputname == \"imtcp\" then action(type=\"omfile\" file=\"" + (dir_ / "tcp.log") +
            "\" template=\"audit\")\n");
    std::filesystem::remove(dir_ / "rsyslog.pid");
    process_ = std::make_unique<child_process>(std::vector<std::string>{
        "/usr/sbin/rsyslogd", "-n", "-f", conf, "-i", dir_ / "rsyslog.pid"});
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!tcp_accepts(tcp_port)) {
      // the child's output is read with a short deadline: that is the wait between tries
      if (process_->wait_for("cannot bind", std::chrono::seconds(0)) ||
          std::chrono::steady_clock::now() > end) {
        process_.reset();
        return;
      }
      process_->wait_for("\x01never", std::chrono::seconds(1));
    }
  }

  const temp_dir& dir_;
  std::unique_ptr<child_process> process_;
};

audit_record record(std::uint64_t seq, std::string window) {
  audit_record r;
  r.seq = seq;
  r.time = "2026-12-03T09:00:00.250Z";
  r.event = "window.opened";
  r.fields = {{"window", std::move(window)}, {"closes_at", "2026-12-03T13:00:00Z"}};
  r.prev = std::string(64, '0');
  r.hash = compute_record_hash(r);
  return r;
}

// Runs `io` in short slices until `done` holds or the deadline passes.
template <class Predicate>
bool run_until(boost::asio::io_context& io, Predicate done,
               std::chrono::seconds deadline = std::chrono::seconds(20)) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    io.restart();
    io.run_for(std::chrono::milliseconds(50));
  }
  return true;
}

void finish(boost::asio::io_context& io, syslog_forwarder& f) {
  f.stop();
  run_until(io, [&] { return f.finished(); }, std::chrono::seconds(5));
}

}  // namespace

TEST_CASE("records forwarded over TCP arrive in rsyslog with their structured data",
          "[integration][syslog]") {
  temp_dir dir;
  rsyslog_server rsyslog(dir);
  boost::asio::io_context io;
  syslog_forwarder f(io.get_executor(), {syslog_transport::tcp, "127.0.0.1", rsyslog.tcp_port,
                                         "jump1", 100, std::chrono::milliseconds(100)});
  f.start();
  for (std::uint64_t seq = 1; seq <= 3; ++seq) f.forward(record(seq, "CHG-]\"" + std::to_string(seq)));
  CHECK(run_until(io, [&] { return read(dir / "tcp.log").find("CHG-]\\\"3") != std::string::npos; }));
  const std::string got = read(dir / "tcp.log");
  CHECK_THAT(got, Contains("window.opened [tether@32473 seq=\"1\""));
  CHECK_THAT(got, Contains("[fields@32473 window=\"CHG-\\]\\\"2\""));
  CHECK_THAT(got, Contains("{\"seq\":3,"));  // MSG: the canonical record, verifiable by the SIEM
  CHECK(got.find("seq=\"1\"") < got.find("seq=\"2\""));
  CHECK(f.sent() == 3);
  finish(io, f);
}

TEST_CASE("records forwarded over UDP arrive in rsyslog", "[integration][syslog]") {
  temp_dir dir;
  rsyslog_server rsyslog(dir);
  boost::asio::io_context io;
  syslog_forwarder f(io.get_executor(),
                     {syslog_transport::udp, "127.0.0.1", rsyslog.udp_port, "jump1", 100, {}});
  f.start();
  // UDP gives no sign of readiness: repeat a probe until rsyslog has written one.
  std::uint64_t probes = 0;
  CHECK(run_until(io, [&] {
    if (read(dir / "udp.log").find("PROBE") != std::string::npos) return true;
    if (f.queued() == 0 && probes < 100) f.forward(record(++probes, "PROBE"));
    return false;
  }));
  f.forward(record(1000, "CHG-UDP"));
  CHECK(run_until(io, [&] { return read(dir / "udp.log").find("CHG-UDP") != std::string::npos; }));
  CHECK_THAT(read(dir / "udp.log"), Contains("[tether@32473 seq=\"1000\""));
  finish(io, f);
}

TEST_CASE("the TCP forwarder reconnects and delivers what was queued while rsyslog was down",
          "[integration][syslog]") {
  temp_dir dir;
  auto rsyslog = std::make_unique<rsyslog_server>(dir);
  const std::uint16_t port = rsyslog->tcp_port;
  boost::asio::io_context io;
  syslog_forwarder f(io.get_executor(), {syslog_transport::tcp, "127.0.0.1", port, "jump1", 100,
                                         std::chrono::milliseconds(100)});
  f.start();
  f.forward(record(1, "BEFORE"));
  REQUIRE(run_until(io, [&] { return read(dir / "tcp.log").find("BEFORE") != std::string::npos; }));
  rsyslog->stop();
  REQUIRE(run_until(io, [&] { return !f.connected(); }));
  f.forward(record(2, "WHILE-DOWN"));
  CHECK(f.queued() == 1);
  rsyslog = std::make_unique<rsyslog_server>(dir, port);
  CHECK(run_until(io, [&] { return read(dir / "tcp.log").find("WHILE-DOWN") != std::string::npos; }));
  CHECK(f.sent() == 2);
  finish(io, f);
}

TEST_CASE("a full queue refuses records and later names the gap", "[integration][syslog]") {
  temp_dir dir;
  boost::asio::io_context io;
  const std::uint16_t port = tether::testing::free_port();  // nobody listens yet
  syslog_forwarder f(io.get_executor(), {syslog_transport::tcp, "127.0.0.1", port, "jump1", 2,
                                         std::chrono::milliseconds(100)});
  f.start();
  CHECK(f.forward(record(1, "A")));
  CHECK(f.forward(record(2, "B")));
  CHECK_FALSE(f.forward(record(3, "C")));
  CHECK_FALSE(f.forward(record(4, "D")));
  CHECK(f.dropped() == 2);
  rsyslog_server rsyslog(dir, port);
  CHECK(run_until(io, [&] { return read(dir / "tcp.log").find("forwarder.gap") != std::string::npos; }));
  CHECK_THAT(read(dir / "tcp.log"), Contains("first_seq=\"3\" last_seq=\"4\""));
  finish(io, f);
}

TEST_CASE("a SIEM can re-verify the chain from what rsyslog received", "[integration][syslog]") {
  temp_dir dir;
  rsyslog_server rsyslog(dir);
  boost::asio::io_context io;
  syslog_forwarder f(io.get_executor(), {syslog_transport::tcp, "127.0.0.1", rsyslog.tcp_port,
                                         "jump1", 100, std::chrono::milliseconds(100)});
  f.start();
  audit_log log(std::make_unique<memory_audit_sink>());
  log.on_written([&](const audit_record& r) { f.forward(r); });
  log.enable_checkpoints(audit_key::generate(), 3);
  for (int i = 0; i < 5; ++i)
    REQUIRE(log.append(audit_event::request_denied, {{"request", i},
                                                     {"engineer", "eve \"the ]tester\""},
                                                     {"collector", "show-version"},
                                                     {"devices", {"r1"}},
                                                     {"reason", "out-of-window"}})
                .ok);
  const std::uint64_t last = log.tip().seq;
  REQUIRE(run_until(io, [&] {
    return read(dir / "tcp.log").find("{\"seq\":" + std::to_string(last) + ",") !=
           std::string::npos;
  }));
  std::string chain;
  std::istringstream lines(read(dir / "tcp.log"));
  for (std::string line; std::getline(lines, line);)
    chain += line.substr(line.find("{\"seq\":")) + "\n";
  auto v = verify_audit_log(chain);
  CHECK(v.verdict == audit_verdict::ok);
  CHECK(v.records == last);
  CHECK(v.checkpoints == 1);
  finish(io, f);
}
