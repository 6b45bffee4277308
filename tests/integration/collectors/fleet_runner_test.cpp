// The fleet runner against the real OpenSSH server: many devices, failures, backpressure.
#include <catch2/catch.hpp>

#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fstream>
#include <map>

#include "collectors/fleet_runner.hpp"
#include "tests/support/run_coroutine.hpp"
#include "tests/support/sshd_server.hpp"

using namespace tether::collectors;
using tether::testing::run_coroutine;

namespace {

namespace asio = boost::asio;

/// Records everything the runner says; counts devices in flight.
struct recording_consumer : fleet_consumer {
  std::map<std::string, std::string> output_by_device;
  std::vector<command_outcome> finished_outcomes;
  std::map<std::string, std::vector<std::string>> states;
  std::size_t in_flight = 0, max_in_flight = 0;

  asio::awaitable<void> output(const std::string& device, std::size_t,
                               std::string_view chunk) override {
    output_by_device[device].append(chunk);
    co_return;
  }
  void finished(const command_outcome& o) override { finished_outcomes.push_back(o); }
  void progress(const std::string& device, std::string_view state) override {
    auto& s = states[device];
    if (s.empty()) max_in_flight = std::max(max_in_flight, ++in_flight);
    if (state == "done") --in_flight;
    s.emplace_back(state);
  }
};

struct fleet_fixture {
  tether::testing::temp_dir dir;
  tether::testing::sshd_server sshd{dir};
  asio::io_context io;

  fleet_target target(const std::string& name, std::uint16_t port = 0) const {
    fleet_target t;
    t.endpoint = {name, "127.0.0.1", port ? port : sshd.port, sshd.known_hosts};
    t.login.name = "test";
    t.login.username = sshd.user;
    t.login.key_file = sshd.client_key;
    return t;
  }
};

}  // namespace

TEST_CASE("every device and command gets exactly one outcome, within the concurrency bound",
          "[integration][fleet]") {
  fleet_fixture f;
  std::vector<fleet_target> targets;
  for (int i = 1; i <= 40; ++i) targets.push_back(f.target("dev" + std::to_string(i)));
  fleet_options options;
  options.concurrency = 8;
  fleet_runner runner(f.io.get_executor(), options);
  recording_consumer consumer;
  auto outcomes = run_coroutine(f.io, runner.run(targets, {"show version", "show chassis alarms"},
                                                 consumer));
  REQUIRE(outcomes.size() == 80);
  for (const auto& o : outcomes) {
    INFO(o.device << " " << o.command << " " << o.message);
    CHECK(o.status == collect_status::ok);
    CHECK(o.host_key_fingerprint == f.sshd.host_key_fingerprint);
  }
  CHECK(consumer.finished_outcomes.size() == 80);
  CHECK(consumer.output_by_device["dev17"] ==
        "Hostname: sshd-r1\nModel: mx204\nJunos: 21.4R3-S5.4\nNo alarms currently active\n");
  CHECK(consumer.max_in_flight <= 8);
  CHECK(consumer.max_in_flight >= 2);
}

TEST_CASE("unreachable devices are retried with backoff, bad keys never", "[integration][fleet]") {
  fleet_fixture f;
  auto closed = f.target("closed", tether::testing::free_port());
  auto badkey = f.target("badkey");
  badkey.login.key_file = f.sshd.other_key;
  auto moved = f.target("moved");
  moved.endpoint.known_hosts = f.sshd.changed_known_hosts();
  fleet_options options;
  options.first_backoff = std::chrono::milliseconds(20);
  fleet_runner runner(f.io.get_executor(), options);
  recording_consumer consumer;
  auto outcomes = run_coroutine(
      f.io, runner.run({closed, badkey, moved, f.target("good")}, {"show version"}, consumer));
  REQUIRE(outcomes.size() == 4);
  CHECK(outcomes[0].status == collect_status::unreachable);
  CHECK(outcomes[0].attempts == 3);
  CHECK(outcomes[1].status == collect_status::auth_failed);
  CHECK(outcomes[1].attempts == 1);
  CHECK(outcomes[2].status == collect_status::hostkey_changed);
  CHECK(outcomes[2].attempts == 1);
  CHECK(outcomes[3].status == collect_status::ok);
}

TEST_CASE("a consumer that stops reading stops the device reads", "[integration][fleet]") {
  fleet_fixture f;
  const std::string progress = f.dir / "progress";
  constexpr int chunks = 800;  // 800 x 64 KiB = 50 MiB from the device

  /// Holds the first chunk until released, like a console that stopped reading.
  struct stalled_consumer : recording_consumer {
    asio::steady_timer* gate = nullptr;
    std::size_t bytes = 0;
    asio::awaitable<void> output(const std::string&, std::size_t, std::string_view c) override {
      bytes += c.size();
      boost::system::error_code ec;
      if (gate) co_await gate->async_wait(asio::redirect_error(asio::use_awaitable, ec));
      gate = nullptr;
    }
  } consumer;
  asio::steady_timer gate(f.io, asio::steady_timer::time_point::max());
  consumer.gate = &gate;

  long device_chunks_while_stalled = -1;
  auto watch = [&]() -> asio::awaitable<void> {
    // Wait (bounded) until the device's progress stops moving for 1 s, then release.
    asio::steady_timer tick(f.io);
    long last = -1;
    int still = 0;
    for (int i = 0; i < 200 && still < 10; ++i) {
      tick.expires_after(std::chrono::milliseconds(100));
      co_await tick.async_wait(asio::use_awaitable);
      long now = 0;
      std::ifstream(progress) >> now;
      still = (now == last && now > 0) ? still + 1 : 0;
      last = now;
    }
    device_chunks_while_stalled = last;
    gate.cancel();
  };
  asio::co_spawn(f.io, watch(), asio::detached);
  fleet_runner runner(f.io.get_executor(), {});
  auto outcomes = run_coroutine(
      f.io, runner.run({f.target("big")}, {"counted " + std::to_string(chunks)}, consumer));
  REQUIRE(outcomes.size() == 1);
  CHECK(outcomes[0].status == collect_status::ok);
  CHECK(consumer.bytes == std::size_t(chunks) * 65536);
  // While stalled, the device got no further than SSH's window and socket buffers allow.
  CHECK(device_chunks_while_stalled > 0);
  CHECK(device_chunks_while_stalled * 65536 < 16 * 1024 * 1024);
}

TEST_CASE("stopping the fleet cancels every device at once", "[integration][fleet]") {
  fleet_fixture f;
  std::vector<fleet_target> targets;
  for (int i = 1; i <= 6; ++i) targets.push_back(f.target("dev" + std::to_string(i)));
  fleet_runner runner(f.io.get_executor(), {});
  recording_consumer consumer;
  asio::steady_timer later(f.io, std::chrono::milliseconds(500));
  later.async_wait([&](boost::system::error_code) { runner.stop(); });
  auto started = std::chrono::steady_clock::now();
  auto outcomes = run_coroutine(f.io, runner.run(targets, {"hang", "show version"}, consumer));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  REQUIRE(outcomes.size() == 12);
  for (const auto& o : outcomes) CHECK(o.status == collect_status::cancelled);
}

TEST_CASE("a consumer that cannot store output ends that device with an error, once per command",
          "[integration][fleet]") {
  fleet_fixture f;
  struct failing_consumer : recording_consumer {
    asio::awaitable<void> output(const std::string&, std::size_t, std::string_view) override {
      throw std::runtime_error("disk full");
      co_return;
    }
  } consumer;
  fleet_runner runner(f.io.get_executor(), {});
  auto outcomes = run_coroutine(
      f.io, runner.run({f.target("r1"), f.target("r2")}, {"show version", "show chassis alarms"},
                       consumer));
  REQUIRE(outcomes.size() == 4);
  for (const auto& o : outcomes) {
    CHECK(o.status == collect_status::error);
    CHECK(o.message == "result not stored: disk full");
  }
  CHECK(consumer.finished_outcomes.size() == 4);
}

TEST_CASE("the consumer hears connected with the pinned fingerprint before a device's first command",
          "[integration][fleet]") {
  fleet_fixture f;
  struct connect_consumer : recording_consumer {
    std::vector<std::string> events;
    void connected(const std::string& device, const connect_result& link) override {
      events.push_back("connected " + device + " " + link.host_key_fingerprint);
    }
    void finished(const command_outcome& o) override {
      events.push_back("finished " + o.device);
      recording_consumer::finished(o);
    }
  } consumer;
  fleet_runner runner(f.io.get_executor(), {});
  auto outcomes = run_coroutine(
      f.io, runner.run({f.target("r1"), f.target("closed", tether::testing::free_port())},
                       {"show version"}, consumer));
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[0].status == collect_status::ok);
  CHECK(outcomes[1].status == collect_status::unreachable);  // never connected: never told
  std::vector<std::string> r1;
  for (const auto& e : consumer.events)
    if (e.find(" r1") != std::string::npos) r1.push_back(e);
  CHECK(r1 == std::vector<std::string>{"connected r1 " + f.sshd.host_key_fingerprint, "finished r1"});
  CHECK(std::count_if(consumer.events.begin(), consumer.events.end(),
                      [](const std::string& e) { return e.rfind("connected", 0) == 0; }) == 1);
}
