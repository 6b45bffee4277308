#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>

#include "tests/integration/transport/tunnel_fixture.hpp"

using namespace tether::transport;
using namespace tether::transport::test;
namespace asio = boost::asio;

namespace {

std::int64_t wall_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// A console and one agent for site ams-1, with every server event and link event recorded.
struct control_fixture {
  asio::io_context io;
  tunnel_pki pki;
  tether::testing::temp_dir work;
  std::vector<audit_checkpoint> anchored;
  int anchor_failures = 0;  ///< the next N anchor calls fail
  std::vector<tunnel_event> events;
  std::vector<link_event> links;
  std::unique_ptr<tunnel_server> server;
  std::unique_ptr<spool> agent_spool;
  std::unique_ptr<tunnel_client> client;
  std::optional<tunnel_result> result;

  explicit control_fixture(std::function<void(tunnel_server_settings&)> tweak = {}) {
    start_server(0, tweak);
    auto opened = spool::open(work.path / "spool.db");
    REQUIRE(opened.value);
    agent_spool = std::move(opened.value);
  }
  ~control_fixture() {
    if (client) {
      client->stop();
      run_until(io, [&] { return result.has_value(); });
    }
    if (server) server->stop();
    io.restart();
    io.poll();
  }
  void start_server(std::uint16_t port, const std::function<void(tunnel_server_settings&)>& tweak = {}) {
    auto settings = server_settings(pki, work.path / "console");
    settings.anchor = [this](const std::string& site, const audit_checkpoint& c) -> std::string {
      if (anchor_failures > 0) {
        --anchor_failures;
        return "disk full (test)";
      }
      CHECK(site == "ams-1");
      anchored.push_back(c);
      return {};
    };
    if (tweak) tweak(settings);
    server = std::make_unique<tunnel_server>(io, settings);
    REQUIRE(server->listen({asio::ip::make_address("127.0.0.1"), port}).empty());
    server->on_event([this](const tunnel_event& e) { events.push_back(e); });
    server->start();
  }
  void start_client(tunnel_client_settings settings) {
    client = std::make_unique<tunnel_client>(io, std::move(settings), *agent_spool);
    client->on_link([this](const link_event& e) { links.push_back(e); });
    test::start_client(io, *client, result);
  }
  const tunnel_event* find(tunnel_event::kind k) const {
    for (const auto& e : events)
      if (e.what == k) return &e;
    return nullptr;
  }
};

}  // namespace

TEST_CASE("set_window puts the window in the next HELLO and the console lists it with RTT and fingerprint",
          "[tunnel][control]") {
  control_fixture f;
  auto settings = client_settings(f.pki, f.server->port());
  settings.window_closes_at_ms = 0;  // as the daemon starts: no window yet
  settings.window_id = "none";
  const auto closes = wall_now() + 1800000;
  f.start_client(settings);
  f.client->set_window("CHG-42", closes);
  REQUIRE(run_until(f.io, [&] {
    const auto agents = f.server->agents();
    return agents.size() == 1 && agents[0].rtt_ms.has_value();
  }));
  const auto agent = f.server->agents()[0];
  CHECK(agent.site == "ams-1");
  CHECK(agent.window_id == "CHG-42");
  CHECK(agent.window_closes_at_ms == closes);
  CHECK(*agent.rtt_ms >= 0.0);
  CHECK(agent.peer_fingerprint.size() == 64);
  CHECK(std::abs(agent.connected_since_ms - wall_now()) < 60000);
  REQUIRE(!f.links.empty());
  CHECK(f.links[0].what == link_event::kind::up);
  CHECK(f.links[0].console_id == "console-test");
  CHECK(f.links[0].peer_fingerprint.size() == 64);
  REQUIRE(f.find(tunnel_event::kind::session_up) != nullptr);
}

TEST_CASE("a window that is already closed is refused and reported as a refused link", "[tunnel][control]") {
  control_fixture f;
  auto settings = client_settings(f.pki, f.server->port());
  settings.window_closes_at_ms = wall_now() - 1000;
  f.start_client(settings);
  REQUIRE(run_until(f.io, [&] { return f.result.has_value(); }));
  CHECK(f.result->end == tunnel_end::permanent);
  REQUIRE(!f.links.empty());
  CHECK(f.links.back().what == link_event::kind::refused);
  CHECK(f.links.back().reason.find("window-closed") != std::string::npos);
}

TEST_CASE("a console clock more than 60 s off is refused by the agent and reported as clock-skew",
          "[tunnel][control]") {
  control_fixture f([](tunnel_server_settings& s) {
    s.now_ms = [] { return wall_now() + 120000; };
    s.handshake.max_clock_skew = std::chrono::hours(1);  // the console tolerates it; the agent must not
  });
  f.start_client(client_settings(f.pki, f.server->port()));
  REQUIRE(run_until(f.io, [&] { return !f.links.empty(); }));
  CHECK(f.links[0].what == link_event::kind::refused);
  CHECK(f.links[0].reason.find("clock-skew") != std::string::npos);
  CHECK(f.server->stats().sessions >= 1);  // the console accepted; the agent refused
}

TEST_CASE("requests and cancels reach the agent's handlers; denies and notices reach the console",
          "[tunnel][control]") {
  control_fixture f;
  f.start_client(client_settings(f.pki, f.server->port()));
  std::vector<request> requests;
  std::vector<std::uint64_t> cancels;
  f.client->on_request([&](const request& r) { requests.push_back(r); });
  f.client->on_cancel([&](std::uint64_t id) { cancels.push_back(id); });
  // Queued while the link is still down: sent once the session is up.
  f.client->notice(notice_kind::window_closing, wall_now() + 900000, "the window closes in 15 minutes");
  REQUIRE(run_until(f.io, [&] { return f.server->agents().size() == 1; }));
  CHECK(f.server->send_request("nowhere", R"({"collector":"facts"})").error ==
        "no agent connected for site nowhere");
  const auto sent = f.server->send_request("ams-1", R"({"collector":"facts","devices":["dev001"]})");
  REQUIRE(sent.error.empty());
  REQUIRE(run_until(f.io, [&] { return requests.size() == 1; }));
  CHECK(requests[0].request_id == sent.request_id);
  CHECK(requests[0].json == R"({"collector":"facts","devices":["dev001"]})");
  CHECK(f.server->send_request("ams-1", "not json").error.find("request JSON") == 0);
  const auto second = f.server->send_request("ams-1", R"({"collector":"facts"})");
  CHECK(second.request_id > sent.request_id);
  REQUIRE(f.server->cancel("ams-1", sent.request_id).empty());
  REQUIRE(run_until(f.io, [&] { return cancels.size() == 1; }));
  CHECK(cancels[0] == sent.request_id);
  f.client->deny(second.request_id, "device-not-in-inventory", "dev999 is not in the inventory");
  REQUIRE(run_until(f.io, [&] { return f.find(tunnel_event::kind::denied) != nullptr; }));
  const auto* denied = f.find(tunnel_event::kind::denied);
  CHECK(denied->request_id == second.request_id);
  CHECK(denied->reason == "device-not-in-inventory");
  CHECK(denied->message == "dev999 is not in the inventory");
  const auto* notice = f.find(tunnel_event::kind::notice);
  REQUIRE(notice != nullptr);
  CHECK(notice->notice == notice_kind::window_closing);
  CHECK(notice->message == "the window closes in 15 minutes");
}

TEST_CASE("an audit checkpoint is anchored, acknowledged, and resent on a new session until it is",
          "[tunnel][control]") {
  control_fixture f;
  f.anchor_failures = 1;  // the console cannot store the first attempt: no ACK
  audit_checkpoint c;
  c.audit_sequence = 17;
  c.at_ms = wall_now();
  c.chain_head.fill(0xab);
  c.ed25519.fill(0xcd);
  f.start_client(client_settings(f.pki, f.server->port()));
  f.client->checkpoint(c);
  REQUIRE(run_until(f.io, [&] { return f.anchor_failures == 0 && f.server->agents().size() == 1; }));
  CHECK(f.client->pending_checkpoint().has_value());
  // The console restarts on the same port; the agent redials and sends the checkpoint again.
  const auto port = f.server->port();
  f.server->stop();
  f.server.reset();
  f.start_server(port);
  REQUIRE(run_until(f.io, [&] { return !f.client->pending_checkpoint().has_value(); }));
  REQUIRE(f.anchored.size() == 1);
  CHECK(f.anchored[0] == c);
  CHECK(f.client->sessions() >= 2);
  const auto* anchored = f.find(tunnel_event::kind::checkpoint);
  REQUIRE(anchored != nullptr);
  CHECK(anchored->result_id == 17);
}

TEST_CASE("close_for_window_end sends NOTICE window_closed and GOAWAY window-closed, then stops",
          "[tunnel][control]") {
  control_fixture f;
  f.start_client(client_settings(f.pki, f.server->port()));
  REQUIRE(run_until(f.io, [&] { return f.server->agents().size() == 1; }));
  audit_checkpoint sealed;  // the daemon seals the window's audit segment just before
  sealed.audit_sequence = 42;
  sealed.at_ms = wall_now();
  sealed.chain_head.fill(0x5a);
  f.client->checkpoint(sealed);
  const auto asked = std::chrono::steady_clock::now();
  f.client->close_for_window_end("change window CHG-1 is over");
  REQUIRE(run_until(f.io, [&] { return f.result.has_value() && f.find(tunnel_event::kind::session_down); }));
  CHECK(std::chrono::steady_clock::now() - asked < std::chrono::seconds(1));
  CHECK(f.result->end == tunnel_end::stopped);
  const auto* notice = f.find(tunnel_event::kind::notice);
  REQUIRE(notice != nullptr);
  CHECK(notice->notice == notice_kind::window_closed);
  CHECK(notice->message == "change window CHG-1 is over");
  CHECK(f.find(tunnel_event::kind::session_down)->message.find("window-closed") != std::string::npos);
  CHECK(f.client->sessions() == 1);  // no redial
  REQUIRE(f.anchored.size() == 1);   // the anchor went out before the goodbye
  CHECK(f.anchored[0].audit_sequence == 42);
  REQUIRE(!f.links.empty());
  CHECK(f.links.back().what == link_event::kind::down);
}

TEST_CASE("a second session of the same site replaces the first, which is told and does not redial",
          "[tunnel][control]") {
  control_fixture f;
  f.start_client(client_settings(f.pki, f.server->port()));
  REQUIRE(run_until(f.io, [&] { return f.server->agents().size() == 1; }));
  const auto first_peer = f.server->agents()[0].peer;
  auto opened = spool::open(f.work.path / "spool2.db");
  REQUIRE(opened.value);
  tunnel_client second(f.io, client_settings(f.pki, f.server->port()), *opened.value);
  std::optional<tunnel_result> second_result;
  start_client(f.io, second, second_result);
  REQUIRE(run_until(f.io, [&] { return f.result.has_value() && second.sessions() == 1; }));
  CHECK(f.result->end == tunnel_end::permanent);
  CHECK(f.result->error.find("session-replaced") != std::string::npos);
  const auto agents = f.server->agents();
  REQUIRE(agents.size() == 1);
  CHECK(agents[0].peer != first_peer);
  second.stop();
  REQUIRE(run_until(f.io, [&] { return second_result.has_value(); }));
}

TEST_CASE("certificates expiring within 30 days are warned about by both ends at session up",
          "[tunnel][control]") {
  log_capture logs;  // the test PKI's certificates are valid for one day
  control_fixture f;
  f.start_client(client_settings(f.pki, f.server->port()));
  REQUIRE(run_until(f.io, [&] { return f.server->agents().size() == 1; }));
  CHECK(logs.sink->contains({"[site=ams-1] peer certificate CN=console", "expires at", "renew it"}));
  CHECK(logs.sink->contains({"[site=ams-1] own certificate CN=agent", "expires at"}));
  CHECK(logs.sink->contains({"site=ams-1] peer certificate CN=agent", "expires at"}));
  CHECK(logs.sink->contains({"site=ams-1] own certificate CN=console", "expires at"}));
}
