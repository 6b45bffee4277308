// Runs the real tether-agent binary against a real console tunnel_server (in this process,
// on its own io thread) and drives it with the real tetherctl: no connection before the
// window, connected within 5 s of its start, cut within 1 s of its end, kill, SIGHUP with a
// bad configuration, refusals with reasons, status.
#include <catch2/catch.hpp>

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <spdlog/sinks/base_sink.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "agent/control_client.hpp"
#include "config/time_spec.hpp"
#include "tests/integration/transport/tunnel_fixture.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/agent_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/run_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_policy.hpp"

using namespace std::chrono_literals;
using tether::testing::child_process;
using tether::testing::eventually;
using tether::testing::second_ahead;
using tether::testing::run_process;
using tether::testing::temp_dir;
namespace transport = tether::transport;
using clock_type = std::chrono::system_clock;

namespace {

const std::string& tether_agent = tether::testing::tether_agent_bin;
const std::string& tetherctl = tether::testing::tetherctl_bin;

/// Console log messages with the instant each was logged.
class timed_sink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  /// When the first message containing `text` was logged, if yet.
  std::optional<clock_type::time_point> first(const std::string& text) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [t, m] : messages_)
      if (m.find(text) != std::string::npos) return t;
    return std::nullopt;
  }
  std::size_t count(const std::string& text) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t n = 0;
    for (const auto& [t, m] : messages_) n += m.find(text) != std::string::npos;
    return n;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    messages_.emplace_back(msg.time, std::string(msg.payload.data(), msg.payload.size()));
  }
  void flush_() override {}

 private:
  std::vector<std::pair<clock_type::time_point, std::string>> messages_;
};

/// The console: a tunnel_server on 127.0.0.1 with its own io thread, its log recorded.
struct console_fixture {
  transport::test::tunnel_pki pki;
  temp_dir data;
  boost::asio::io_context io;
  std::unique_ptr<transport::tunnel_server> server;
  std::shared_ptr<timed_sink> sink = std::make_shared<timed_sink>();
  std::thread thread;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work =
      boost::asio::make_work_guard(io);

  console_fixture() {
    auto logger = transport::component_logger("console");
    logger->sinks().push_back(sink);
    logger->set_level(spdlog::level::debug);
    auto settings = transport::test::server_settings(pki, data.path);
    settings.anchor = [this](const std::string&, const transport::audit_checkpoint& c) {
      std::lock_guard<std::mutex> lock(events_mutex);
      anchors.push_back(c.audit_sequence);
      return std::string();
    };
    server = std::make_unique<transport::tunnel_server>(io, settings);
    server->on_event([this](const transport::tunnel_event& e) {
      std::lock_guard<std::mutex> lock(events_mutex);
      events.emplace_back(clock_type::now(), e);
    });
    REQUIRE(server->listen({boost::asio::ip::make_address("127.0.0.1"), 0}).empty());
    server->start();
    thread = std::thread([this] { io.run(); });
  }
  ~console_fixture() {
    boost::asio::post(io, [this] { server->stop(); });
    work.reset();
    thread.join();
    auto& sinks = transport::component_logger("console")->sinks();
    std::erase(sinks, std::static_pointer_cast<spdlog::sinks::sink>(sink));
  }
  std::mutex events_mutex;
  std::vector<std::uint64_t> anchors;  // audit sequences the console anchored
  std::size_t anchored() {
    std::lock_guard<std::mutex> lock(events_mutex);
    return anchors.size();
  }
  std::vector<std::pair<clock_type::time_point, transport::tunnel_event>> events;

  /// When the first session event of `what` (for `window`) happened, if yet.
  std::optional<clock_type::time_point> first(transport::tunnel_event::kind what, const std::string& window) {
    std::lock_guard<std::mutex> lock(events_mutex);
    for (const auto& [t, e] : events)
      if (e.what == what && e.window_id == window) return t;
    return std::nullopt;
  }
  /// The server's counters, read on its own thread.
  transport::tunnel_server_stats stats() {
    std::promise<transport::tunnel_server_stats> p;
    boost::asio::post(io, [&] { p.set_value(server->stats()); });
    return p.get_future().get();
  }
};

/// A policy that allows short notice and any hour, so a window can start seconds ahead.
std::string agent_yaml(const console_fixture& c, const temp_dir& dir, const std::string& extra_policy = "") {
  const auto pki = c.pki.dir.path.string();
  return "site: ams-1\n" + tether::testing::permissive_policy_yaml(extra_policy) +
         "console:\n"
         "  endpoint: 127.0.0.1:" + std::to_string(c.server->port()) + "\n"
         "  ca: " + pki + "/ca.pem\n"
         "  cert: " + pki + "/agent.pem\n"
         "  key: " + pki + "/agent.key\n"
         "paths:\n"
         "  state_dir: " + (dir.path / "state").string() + "\n"
         "control:\n"
         "  socket: " + (dir.path / "control.sock").string() + "\n"
         "  group: root\n"
         "audit: {checkpoint_every: 2}\n";  // a signed checkpoint inside the window, too
}

std::string utc(clock_type::time_point t) {
  return tether::config::format_utc(std::chrono::floor<std::chrono::seconds>(t));
}

/// The agent under test with its configuration in a temp dir.
struct agent_fixture : tether::testing::agent_process {
  temp_dir dir;
  std::string config;

  explicit agent_fixture(console_fixture& c) {
    config = dir.write("agent.yaml", agent_yaml(c, dir));
    socket = dir / "control.sock";
    start(config);
  }
};

}  // namespace

TEST_CASE("the agent dials only inside the window: within 5 s of its start, cut within 1 s of its end",
          "[integration][daemon]") {
  console_fixture console;
  agent_fixture a(console);
  const auto start = second_ahead(3s);
  const auto end = start + 4s;
  const auto add = a.ctl({"window", "add", "--change", "CHG-1", "--start", utc(start), "--duration", "4s"});
  INFO(add.out << add.err);
  REQUIRE(add.exit_code == 0);
  CHECK(a.status()["state"] == "idle");
  CHECK(a.status()["next_opens_at"] == utc(start));

  // Nothing reaches the console's listener before the start.
  REQUIRE(eventually([&] { return clock_type::now() >= start - 300ms; }, 10s));
  CHECK(console.stats().accepted == 0);

  using kind = transport::tunnel_event::kind;
  REQUIRE(eventually([&] { return console.first(kind::session_up, "CHG-1").has_value(); }, 10s));
  const auto up = *console.first(kind::session_up, "CHG-1");
  const auto connect_ms = std::chrono::duration_cast<std::chrono::milliseconds>(up - start).count();
  WARN("connected " << connect_ms << " ms after the window start");
  CHECK(connect_ms < 5000);
  const auto s = a.status();
  CHECK(s["state"] == "closing");  // a 4 s window lies wholly within its last 5 minutes
  CHECK(s["window"] == "CHG-1");
  CHECK(s["tunnel"] == "up");

  REQUIRE(eventually([&] { return console.first(kind::session_down, "CHG-1").has_value(); }, 10s));
  const auto cut = *console.first(kind::session_down, "CHG-1");
  // The console was told: NOTICE window_closed and GOAWAY window-closed before the cut.
  CHECK(console.sink->first("notice window_closed").has_value());
  CHECK(console.sink->first("agent sent GOAWAY window-closed").has_value());
  // Both closing notices were due at once (the window is shorter than 15 minutes): one
  // went, with the minutes really left.
  CHECK(console.sink->count("notice window_closing") == 1);
  CHECK(console.sink->count("notice window_closing: window CHG-1 closes in 1 min") == 1);
  // Signed checkpoints taken inside the window reached the console as anchors.
  CHECK(console.anchored() >= 1);
  const auto cut_ms = std::chrono::duration_cast<std::chrono::milliseconds>(cut - end).count();
  WARN("cut " << cut_ms << " ms after the window end");
  CHECK(cut_ms >= 0);
  CHECK(cut_ms < 1000);
  CHECK(a.status()["state"] == "idle");
  const auto show = nlohmann::json::parse(a.ctl({"window", "show", "CHG-1"}).out);
  CHECK(show["window"]["state"] == "closed");

  // And it stays away: no redial after the end.
  const auto accepted = console.stats().accepted;
  CHECK(a.ctl({"status"}).exit_code == 0);
  CHECK(console.stats().accepted == accepted);
  a.agent->stop();
  std::ifstream in(a.dir.path / "state" / "audit.log");
  std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const char* event : {"window.added", "window.opened", "tunnel.up", "window.closed", "tunnel.down", "log.checkpoint"})
    CHECK_THAT(log, Catch::Contains(std::string("\"") + event + "\""));
  const auto at = log.find("\"peer_fingerprint\":\"");
  REQUIRE(at != std::string::npos);
  const auto fingerprint = log.substr(at + 20, 65);
  CHECK(fingerprint.find_first_not_of("0123456789abcdef") == 64);  // 64 hex digits, then the quote
}

TEST_CASE("tetherctl kill ends the session at once and revokes the window", "[integration][daemon]") {
  console_fixture console;
  agent_fixture a(console);
  const auto start = second_ahead(2s);
  REQUIRE(a.ctl({"window", "add", "--change", "CHG-2", "--start", utc(start), "--duration", "1h"}).exit_code == 0);
  using kind = transport::tunnel_event::kind;
  REQUIRE(eventually([&] { return console.first(kind::session_up, "CHG-2").has_value(); }, 10s));
  // This agent has no inventory: the window opens, each request is denied `agent-error`
  // naming the problem, and the DENY reaches the console.
  std::promise<transport::request_sent> sent;
  boost::asio::post(console.io, [&] { sent.set_value(console.server->send_request("ams-1", R"({"collector":"facts"})")); });
  const auto request = sent.get_future().get();
  REQUIRE(request.error.empty());
  CHECK(eventually([&] { return console.sink->count("denied: agent-error") == 1; }, 10s));
  const auto open = a.status();
  CHECK(open["state"] == "open");
  CHECK(open["seconds_left"].get<int>() > 3500);
  CHECK(open["closes_at"] == utc(start + 1h));
  const auto before = clock_type::now();
  const auto kill = a.ctl({"kill", "--reason", "test"});
  INFO(kill.out << kill.err);
  REQUIRE(kill.exit_code == 0);
  CHECK(nlohmann::json::parse(kill.out)["killed"] == "CHG-2");
  REQUIRE(eventually([&] { return console.first(kind::session_down, "CHG-2").has_value(); }, 5s));
  const auto cut_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(*console.first(kind::session_down, "CHG-2") - before).count();
  WARN("killed " << cut_ms << " ms after tetherctl kill started");
  CHECK(cut_ms < 1000);
  const auto s = a.status();
  CHECK(s["state"] == "idle");
  CHECK(s["reason"] == "window-revoked");
  CHECK(nlohmann::json::parse(a.ctl({"window", "show", "CHG-2"}).out)["window"]["state"] == "revoked");
  const auto accepted = console.stats().accepted;
  CHECK(a.ctl({"status"}).exit_code == 0);
  CHECK(console.stats().accepted == accepted);
}

TEST_CASE("window add is refused with the policy's reasons", "[integration][daemon]") {
  console_fixture console;
  agent_fixture a(console);
  const auto start = second_ahead(3600s);
  auto r = a.ctl({"window", "add", "--change", "CHG-3", "--start", utc(start), "--duration", "6h"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("duration-exceeds-max"));
  // Without --json: the reasons on stderr.
  r = run_process({tetherctl, "window", "add", "--change", "CHG-3", "--start", utc(start),
                   "--duration", "6h", "--socket", a.socket});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("refused by the site policy") && Catch::Contains("duration-exceeds-max"));
  // A duplicate id.
  REQUIRE(a.ctl({"window", "add", "--change", "CHG-4", "--start", utc(start), "--duration", "1h"}).exit_code == 0);
  r = a.ctl({"window", "add", "--change", "CHG-4", "--start", utc(start + 2h), "--duration", "1h"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.out, Catch::Contains("already registered"));
  // Cancel, then it is listed as cancelled.
  CHECK(a.ctl({"window", "cancel", "CHG-4", "--reason", "postponed"}).exit_code == 0);
  const auto list = nlohmann::json::parse(a.ctl({"window", "list"}).out);
  REQUIRE(list["windows"].size() == 1);
  CHECK(list["windows"][0]["state"] == "cancelled");
  const auto table = run_process({tetherctl, "window", "list", "--socket", a.socket});
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("WINDOW") && Catch::Contains("CHG-4") && Catch::Contains("cancelled"));
  CHECK(console.stats().accepted == 0);
}

TEST_CASE("SIGHUP with a bad configuration keeps the old one, and it is audited", "[integration][daemon]") {
  console_fixture console;
  agent_fixture a(console);
  a.dir.write("agent.yaml", "site: ams-1\npolicy: {timezone: Mars/Olympus}\n");
  REQUIRE(::kill(a.agent->pid(), SIGHUP) == 0);
  REQUIRE(a.agent->wait_for("new configuration refused", 10s));
  CHECK_THAT(a.agent->output(), Catch::Contains("unknown time zone"));
  const auto s = a.status();
  CHECK(s["ok"] == true);
  CHECK(s["state"] == "idle");
  a.agent->stop();
  std::ifstream in(a.dir.path / "state" / "audit.log");
  std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK_THAT(log, Catch::Contains("\"config.refused\""));
  CHECK_THAT(log, Catch::Contains("\"agent.stop\""));
  const auto verify = run_process({tetherctl, "audit", "verify", "--log", (a.dir.path / "state" / "audit.log").string(),
                                    "--key", (a.dir.path / "state" / "audit.key.pub").string()});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);
}

TEST_CASE("status reports the state, the tunnel, requests in flight and the spool", "[integration][daemon]") {
  console_fixture console;
  agent_fixture a(console);
  const auto s = a.status();
  CHECK(s["site"] == "ams-1");
  CHECK(s["state"] == "idle");
  CHECK(s["reason"] == "no-window");
  CHECK(s["tunnel"] == "down");
  CHECK(s["requests_in_flight"] == 0);
  CHECK(s["spool"]["chunks"] == 0);
  const auto table = run_process({tetherctl, "status", "--socket", a.socket});
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("tunnel:       down"));
}

TEST_CASE("the agent refuses to start on a bad configuration, naming file and line", "[integration][daemon]") {
  temp_dir dir;
  const auto config = dir.write("agent.yaml", "site: ams-1\npolicy: {timezone: UTC}\nconsole: {}\nbogus: 1\n");
  const auto r = run_process({tether_agent, "--config", config});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("agent.yaml:4:") && Catch::Contains("bogus"));
}

TEST_CASE("tether-agent --help describes it", "[integration][daemon]") {
  const auto r = run_process({tether_agent, "--help"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("--config"));
}

TEST_CASE("garbage on the control socket gets an error and the daemon carries on", "[integration][daemon]") {
  console_fixture console;
  agent_fixture a(console);
  for (const char* junk : {"not json\n", "[1,2]\n", "{\"command\": 7}\n", "[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]\n"}) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, a.socket.c_str(), sizeof addr.sun_path - 1);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::write(fd, junk, std::strlen(junk)) > 0);
    std::string answer;
    char buf[512];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) answer.append(buf, std::size_t(n));
    ::close(fd);
    CHECK_THAT(answer, Catch::Contains("\"ok\":false"));
  }
  const auto reply = tether::agent::call_control(a.socket, {{"command", "reboot"}}, 5s);
  REQUIRE(reply.reply);
  CHECK_THAT((*reply.reply)["error"].get<std::string>(), Catch::Contains("unknown command"));
  CHECK(a.status()["ok"] == true);
}

TEST_CASE("a user outside the control group cannot reach the daemon", "[integration][daemon]") {
  if (::geteuid() != 0 || !std::filesystem::exists("/usr/bin/setpriv")) {
    WARN("skipped: needs root and /usr/bin/setpriv to switch users");
    return;
  }
  console_fixture console;
  agent_fixture a(console);
  std::filesystem::permissions(a.dir.path, std::filesystem::perms(0755));  // let nobody reach the socket file
  const auto r = run_process({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", tetherctl,
                              "status", "--socket", a.socket});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("Permission denied"));
  CHECK(a.status()["ok"] == true);
}
