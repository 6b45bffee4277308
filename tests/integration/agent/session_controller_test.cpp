// The daemon in this process, on one io_context with a real console tunnel_server, driven
// through its control entry point with a recording request_handler: what it tells the
// handler, trusted time, and the audit copy to syslog.
#include <catch2/catch.hpp>

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <boost/asio/ip/udp.hpp>

#include <fstream>

#include "agent/agent_daemon.hpp"
#include "config/time_spec.hpp"
#include "tests/integration/transport/tunnel_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/free_port.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using namespace tether::agent;
using tether::testing::second_ahead;
using tether::testing::temp_dir;
namespace transport = tether::transport;
using clock_type = std::chrono::system_clock;
using nlohmann::json;

namespace {

/// Records what the daemon asks of the dispatcher.
class recording_handler : public request_handler {
 public:
  void handle(const transport::request& r) override { handled.push_back(r.request_id); }
  void cancel(std::uint64_t id) override { cancelled.push_back(id); }
  void set_closing(bool c) override {
    closing = c;
    if (c) ever_closing = true;
  }
  void cut(const std::string& why) override { cuts.push_back(why); }
  std::size_t in_flight() const override { return 0; }

  std::vector<std::uint64_t> handled;
  std::vector<std::uint64_t> cancelled;
  std::vector<std::string> cuts;
  bool closing = false;
  bool ever_closing = false;
};

/// Lends the fixture's recorder to each window the daemon opens.
class forwarding_handler : public request_handler {
 public:
  explicit forwarding_handler(request_handler& to) : to_(to) {}
  void handle(const transport::request& r) override { to_.handle(r); }
  void cancel(std::uint64_t id) override { to_.cancel(id); }
  void set_closing(bool c) override { to_.set_closing(c); }
  void cut(const std::string& why) override { to_.cut(why); }
  std::size_t in_flight() const override { return to_.in_flight(); }

 private:
  request_handler& to_;
};

/// A console and a daemon sharing one io_context.
struct controller_fixture {
  transport::test::tunnel_pki pki;
  temp_dir dir;
  boost::asio::io_context io;
  std::unique_ptr<transport::tunnel_server> server_;
  transport::tunnel_server& server;
  recording_handler handler;
  tunnel_result_sink results;
  std::unique_ptr<agent_daemon> daemon;
  const peer_credentials root{1, 0, 0};

  explicit controller_fixture(bool allow_unsynced, bool synced, const std::string& audit = "",
                              std::function<void(transport::tunnel_server_settings&)> tweak = {})
      : server_(make_server(tweak)), server(*server_) {
    REQUIRE(server.listen({boost::asio::ip::make_address("127.0.0.1"), 0}).empty());
    server.start();
    const auto p = pki.dir.path.string();
    const auto config = dir.write(
        "agent.yaml",
        "site: ams-1\npolicy:\n  timezone: UTC\n  service_hours: {start: \"00:00\", end: \"24:00\"}\n"
        "  service_days: [mon, tue, wed, thu, fri, sat, sun]\n  min_notice: 0s\n"
        "  min_window_spacing: 0s\n  allow_unsynchronized_clock: " +
            std::string(allow_unsynced ? "true" : "false") +
            "\nconsole:\n  endpoint: 127.0.0.1:" + std::to_string(server.port()) + "\n  ca: " + p +
            "/ca.pem\n  cert: " + p + "/agent.pem\n  key: " + p + "/agent.key\npaths: {state_dir: " +
            (dir.path / "state").string() + "}\ncontrol: {socket: " + (dir.path / "c.sock").string() +
            ", group: root}\n" + audit);
    daemon_environment env;
    env.clock_synchronized = [synced] { return synced; };
    auto lend_handler = [this](const tether::config::agent_config&, const std::string&, result_sink&, tether::agent::audit_log&) {
      return std::make_unique<forwarding_handler>(handler);
    };
    daemon = std::make_unique<agent_daemon>(io, config, lend_handler, results, env);
    const auto problems = daemon->start();
    INFO((problems.empty() ? "" : problems.front()));
    REQUIRE(problems.empty());
  }
  ~controller_fixture() {
    daemon->stop("test over");
    server.stop();
    io.restart();
    io.run_for(5s);  // returns as soon as no work is left
  }
  std::unique_ptr<transport::tunnel_server> make_server(
      const std::function<void(transport::tunnel_server_settings&)>& tweak) {
    auto settings = transport::test::server_settings(pki, dir.path / "console");
    if (tweak) tweak(settings);
    return std::make_unique<transport::tunnel_server>(io, settings);
  }
  std::string audit_log() {
    std::ifstream in(dir.path / "state" / "audit.log");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  json add(const std::string& id, clock_type::time_point start, const std::string& duration) {
    return daemon->control({{"command", "window-add"},
                            {"id", id},
                            {"start", tether::config::format_utc(std::chrono::floor<std::chrono::seconds>(start))},
                            {"duration", duration}},
                           root);
  }
  json status() { return daemon->control({{"command", "status"}}, root); }
};

}  // namespace

TEST_CASE("an unsynchronised clock keeps the window shut: no connection at all", "[integration][daemon]") {
  controller_fixture f(false, false);
  const auto start = second_ahead(1s);
  REQUIRE(f.add("CHG-1", start, "1h")["ok"] == true);
  transport::test::run_until(f.io, [&] { return clock_type::now() > start + 1500ms; }, 5s);
  const auto s = f.status();
  CHECK(s["state"] == "idle");
  CHECK(s["reason"] == "clock-unsynchronized");
  CHECK(s["clock_synchronized"] == false);
  CHECK(f.server.stats().accepted == 0);
}

TEST_CASE("with the policy's consent an unsynchronised clock may open the window", "[integration][daemon]") {
  controller_fixture f(true, false);
  const auto start = second_ahead(1s);
  REQUIRE(f.add("CHG-1", start, "1h")["ok"] == true);
  CHECK(transport::test::run_until(f.io, [&] { return f.server.stats().sessions == 1; }, 10s));
  CHECK(f.status()["state"] == "open");
  CHECK_FALSE(f.handler.closing);
}

TEST_CASE("the handler is told closing in the last 5 minutes and cut at the end", "[integration][daemon]") {
  controller_fixture f(false, true);
  const auto start = second_ahead(1s);
  REQUIRE(f.add("CHG-1", start, "3s")["ok"] == true);
  REQUIRE(transport::test::run_until(f.io, [&] { return f.server.stats().sessions == 1; }, 10s));
  CHECK(f.handler.closing);
  CHECK(f.handler.cuts.empty());
  REQUIRE(transport::test::run_until(f.io, [&] { return !f.handler.cuts.empty(); }, 10s));
  CHECK(f.handler.cuts.front() == "window-end");
  const auto w = f.daemon->control({{"command", "window-show"}, {"id", "CHG-1"}}, f.root);
  CHECK(w["window"]["state"] == "closed");
}

TEST_CASE("an open window cannot be cancelled, only killed; a closed one is not cancelled", "[integration][daemon]") {
  controller_fixture f(false, true);
  REQUIRE(f.add("CHG-1", second_ahead(1s), "1h")["ok"] == true);
  REQUIRE(transport::test::run_until(f.io, [&] { return f.server.stats().sessions == 1; }, 10s));
  auto r = f.daemon->control({{"command", "window-cancel"}, {"id", "CHG-1"}}, f.root);
  CHECK(r["ok"] == false);
  CHECK(r["error"].get<std::string>().find("kill") != std::string::npos);
  r = f.daemon->control({{"command", "kill"}, {"reason", "enough"}}, peer_credentials{1, 1234, 0});
  CHECK(r["killed"] == "CHG-1");
  CHECK(f.handler.cuts == std::vector<std::string>{"killed: enough"});
  r = f.daemon->control({{"command", "window-cancel"}, {"id", "CHG-1"}}, f.root);
  CHECK(r["ok"] == false);
  CHECK(r["error"] == "window CHG-1 is already revoked");
  const auto w = f.daemon->control({{"command", "window-show"}, {"id", "CHG-1"}}, f.root)["window"];
  CHECK(w["changed_by"] == 1234);
}

TEST_CASE("the audit log reaches syslog over UDP as RFC 5424, uids from the peer", "[integration][daemon]") {
  boost::asio::io_context siem_io;
  boost::asio::ip::udp::socket siem(siem_io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = siem.local_endpoint().port();
  controller_fixture f(false, true,
                       "audit: {syslog: {endpoint: '127.0.0.1:" + std::to_string(port) +
                           "', transport: udp}}\n");
  REQUIRE(f.daemon->control({{"command", "window-add"}, {"id", "CHG-7"},
                             {"start", "2030-01-07T10:00:00Z"}, {"duration", "1h"}},
                            peer_credentials{1, 4242, 0})["ok"] == true);
  std::string all;
  char buf[65536];
  siem.non_blocking(true);
  // The datagrams are sent from the daemon's io loop: run it until window.added has come.
  REQUIRE(transport::test::run_until(f.io, [&] {
    boost::system::error_code ec;
    for (int i = 0; i < 20; ++i) {
      const auto n = siem.receive(boost::asio::buffer(buf), 0, ec);
      if (ec) break;
      all.append(buf, n);
    }
    return all.find("window.added") != std::string::npos;
  }, 10s));
  CHECK(all.find("agent.start") != std::string::npos);
  CHECK(all.find("config.loaded") != std::string::npos);
  CHECK(all.find("window.added") != std::string::npos);
  CHECK(all.find("admin_uid=\"4242\"") != std::string::npos);
}

TEST_CASE("a request over the control entry point must name a known command", "[integration][daemon]") {
  controller_fixture f(false, true);
  const auto r = f.daemon->control({{"command", "reboot"}}, f.root);
  CHECK(r["ok"] == false);
  CHECK(r["error"].get<std::string>().find("unknown command") != std::string::npos);
  CHECK(f.daemon->control({{"command", "window-add"}, {"id", "bad id!"}, {"start", "2030-01-07T10:00:00Z"},
                           {"duration", "1h"}}, f.root)["ok"] == false);
  CHECK(f.daemon->control({{"command", "window-add"}, {"id", "CHG-1"}, {"start", "2030-01-07T10:00:00Z"}},
                          f.root)["error"] == "give exactly one of --duration and --end");
}

TEST_CASE("results spooled between windows wait for the next window, then reach the console", "[integration][daemon]") {
  controller_fixture f(false, true);
  const auto r = f.results.begin_result(7, "facts", "ams-edge1");
  REQUIRE(r.status == transport::spool_status::ok);
  const std::vector<std::uint8_t> bytes(1000, 'x');
  REQUIRE(f.results.append(r.id.result_id, bytes).status == transport::spool_status::ok);
  REQUIRE(f.results.finish(r.id.result_id, transport::end_status::window_closed, "truncated").status ==
          transport::spool_status::ok);
  CHECK(f.status()["spool"]["chunks"] == 2);
  transport::test::run_until(f.io, [] { return false; }, 1s);
  CHECK(f.server.stats().accepted == 0);  // never outside a window
  REQUIRE(f.add("CHG-1", second_ahead(1s), "1h")["ok"] == true);
  CHECK(transport::test::run_until(f.io, [&] { return f.server.stats().stored >= 2; }, 10s));
  CHECK(transport::test::run_until(f.io, [&] { return f.status()["spool"]["chunks"] == 0; }, 10s));
}

TEST_CASE("a console whose clock is more than 60 s off is refused, and that is audited", "[integration][daemon]") {
  controller_fixture f(false, true, "", [](transport::tunnel_server_settings& s) {
    s.now_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 (clock_type::now() + 120s).time_since_epoch()).count();
    };
  });
  REQUIRE(f.add("CHG-1", second_ahead(1s), "1h")["ok"] == true);
  REQUIRE(transport::test::run_until(f.io, [&] { return f.audit_log().find("refused: ") != std::string::npos; }, 15s));
  CHECK(f.server.stats().sessions == 0);
  CHECK(f.status()["tunnel"].get<std::string>().rfind("refused: ", 0) == 0);
  CHECK(f.audit_log().find("clock") != std::string::npos);
}

TEST_CASE("the console's REQUEST and CANCEL reach the request handler while the window is open", "[integration][daemon]") {
  controller_fixture f(false, true);
  REQUIRE(f.add("CHG-1", second_ahead(1s), "1h")["ok"] == true);
  REQUIRE(transport::test::run_until(f.io, [&] { return f.server.agents().size() == 1; }, 10s));
  const auto sent = f.server.send_request("ams-1", R"({"collector":"facts","devices":["ams-edge1"]})");
  REQUIRE(sent.error.empty());
  REQUIRE(transport::test::run_until(f.io, [&] { return !f.handler.handled.empty(); }, 10s));
  CHECK(f.handler.handled.front() == sent.request_id);
  REQUIRE(f.server.cancel("ams-1", sent.request_id).empty());
  REQUIRE(transport::test::run_until(f.io, [&] { return !f.handler.cancelled.empty(); }, 10s));
  CHECK(f.handler.cancelled.front() == sent.request_id);
}
