// The whole product as real processes: tether-devsim (the site's devices), tether-console
// serve (the vendor's console, fresh CA), tether-agent (the site's daemon) reaching the
// console through a relay owned by this test (which counts every TCP connection), tetherctl
// for the admin and tether-console run/results/show for the engineer. One change window,
// followed from before its start to after its end (issue 6, "Done when").
#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <catch2/catch.hpp>

#include <signal.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "config/time_spec.hpp"
#include "tests/integration/console/console_harness.hpp"
#include "tests/integration/transport/chaos_proxy.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/devsim_fleet.hpp"
#include "tests/support/agent_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/run_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_policy.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using tether::console::test::console_bin;
using tether::console::test::console_process;
using tether::testing::child_process;
using tether::testing::devsim_fleet;
using tether::testing::eventually;
using tether::testing::run_process;
using tether::testing::second_ahead;
using tether::testing::temp_dir;
using clock_type = std::chrono::system_clock;

namespace {

const std::string& tetherctl = tether::testing::tetherctl_bin;

/// The test's relay in front of the console: every TCP connection the agent makes is an
/// accept() here, counted. Runs on its own io thread.
struct counting_relay {
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work =
      boost::asio::make_work_guard(io);
  tether::transport::test::chaos_proxy proxy;
  std::thread thread;

  explicit counting_relay(std::uint16_t console_port) : proxy(io, console_port, 1, 0, 0) {
    thread = std::thread([this] { io.run(); });
  }
  ~counting_relay() {
    boost::asio::post(io, [this] { proxy.stop(); });
    work.reset();
    io.stop();
    thread.join();
  }
  int accepted() const { return proxy.accepted(); }
};

/// The site's agent configuration: a test policy (any hour, no notice, no spacing) and the
/// devsim fleet's inventory; `closing_lead` empty means the default (5 minutes).
std::string agent_yaml(const console_process& c, std::uint16_t relay_port, const devsim_fleet& fleet,
                       const temp_dir& dir, const std::string& closing_lead) {
  const auto ca = (c.dir.path / "ca").string();
  return "site: ams-1\n" +
         tether::testing::permissive_policy_yaml(closing_lead.empty() ? "" : "  closing_lead: " + closing_lead + "\n") +
         "console:\n"
         "  endpoint: 127.0.0.1:" + std::to_string(relay_port) + "\n"
         "  ca: " + ca + "/ca.crt\n"
         "  cert: " + ca + "/site-ams-1.crt\n"
         "  key: " + ca + "/site-ams-1.key\n"
         "paths:\n"
         "  state_dir: " + (dir.path / "state").string() + "\n"
         "  inventory: " + fleet.file("inventory.yaml") + "\n"
         "  credentials: " + fleet.file("credentials.yaml") + "\n"
         "  known_hosts: " + fleet.file("known_hosts") + "\n"
         "  catalog_dir: " + (dir.path / "catalog.d").string() + "\n"
         "control:\n"
         "  socket: " + (dir.path / "control.sock").string() + "\n"
         "  group: root\n"
         "audit: {checkpoint_every: 4}\n";
}

/// The site side: the agent process, restartable, and what the admin runs against it.
struct site : tether::testing::agent_process {
  temp_dir dir;
  std::string config;
  std::string log = dir / "state/audit.log";

  site() { socket = dir / "control.sock"; }
  void start() { agent_process::start(config); }
  /// `tetherctl session show REQUEST --json`: the transcript's sha256 per device.
  std::map<std::string, std::string> transcript_sha256(const std::string& request) const {
    const auto r = run_process({tetherctl, "session", "show", request, "--config", config, "--json"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    std::map<std::string, std::string> out;
    const auto session = json::parse(r.out);
    for (const auto& d : session["results"]) out[d["device"]] = d["sha256"];
    return out;
  }
  /// The audit records of `event` (a torn last line is skipped).
  std::vector<json> audit(const std::string& event) const {
    std::ifstream in(log);
    std::vector<json> out;
    for (std::string line; std::getline(in, line);) {
      auto j = json::parse(line, nullptr, false);
      if (j.is_object() && j["event"] == event) out.push_back(std::move(j));
    }
    return out;
  }
  tether::testing::process_result verify(const std::string& file) const {
    return run_process({tetherctl, "audit", "verify", "--log", file, "--key", dir / "state/audit.key.pub"});
  }
};

std::string utc(clock_type::time_point t) {
  return tether::config::format_utc(std::chrono::floor<std::chrono::seconds>(t));
}

/// The request id from `tether-console run`'s first line, "request N: ..." or "request N sent ...".
std::string request_of(const std::string& out) {
  const auto at = out.find("request ");
  REQUIRE(at != std::string::npos);
  const auto digits = out.find_first_not_of("0123456789", at + 8);
  REQUIRE(digits > at + 8);
  return out.substr(at + 8, digits - at - 8);
}

/// The console's results of one request: device -> the result's JSON.
std::map<std::string, json> console_results(const console_process& c, const std::string& request) {
  const auto r = c.engineer({"results", "ams-1", "--request", request, "--json"});
  std::map<std::string, json> out;
  const auto answer = json::parse(r.out, nullptr, false);
  if (r.exit_code != 0 || !answer.is_object()) return out;
  for (const auto& result : answer["results"]) out[result["device"]] = result;
  return out;
}

std::size_t console_result_count(const console_process& c, const std::string& request) {
  const auto answer = json::parse(c.engineer({"results", "ams-1", "--request", request, "--json"}).out);
  return answer["results"].size();
}

/// An audit record's time ("2026-12-08T09:00:00.123Z") as an instant.
clock_type::time_point record_time(const json& record) {
  const auto text = record["time"].get<std::string>();
  REQUIRE(text.size() == 24);
  std::string why;
  const auto second = tether::config::parse_time(text.substr(0, 19) + "Z", why);
  REQUIRE(second);
  return second->absolute() + std::chrono::milliseconds(std::stoi(text.substr(20, 3)));
}

bool has_denial(const site& s, const std::string& reason) {
  for (const auto& r : s.audit("request.denied"))
    if (r["fields"]["reason"] == reason) return true;
  return false;
}

}  // namespace

TEST_CASE("a change window end to end: devsim, console and agent as real processes",
          "[integration][end-to-end]") {
  console_process console;
  counting_relay relay(console.port);
  temp_dir devsim_dir;
  // dev003 is slow (1 KiB per second), dev004 never answers.
  devsim_fleet fleet(devsim_dir, 4, {"--site", "ams-1", "--fault", "dev003=slow:1000", "--fault", "dev004=hang"});
  site s;
  s.config = s.dir.write("agent.yaml", agent_yaml(console, relay.proxy.port(), fleet, s.dir, "0s"));
  s.start();

  const auto start = second_ahead(4s);
  const auto end = start + 30s;
  const auto add = s.ctl({"window", "add", "--change", "CHG-E2E", "--start", utc(start), "--duration", "30s"});
  INFO(add.out << add.err);
  REQUIRE(add.exit_code == 0);
  CHECK(s.status()["next_opens_at"] == utc(start));

  // Before the window: not one TCP connection towards the console.
  CHECK(console.engineer({"run", "ams-1", "facts"}).exit_code == 2);  // no agent connected
  REQUIRE(eventually([&] { return clock_type::now() >= start - 300ms; }, 10s));
  CHECK(relay.accepted() == 0);

  // The window opens: the agent dials in.
  REQUIRE(console.wait_for_agent());
  CHECK(relay.accepted() >= 1);
  WARN("connected " << std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start).count()
                    << " ms after the window start (upper bound: seen by `agents`)");

  // The engineer runs a collector; the results arrive whole: the console's stored bytes
  // hash to what the agent's transcript recorded leaving.
  {
    const auto run = console.engineer({"run", "ams-1", "facts", "--devices", "dev001,dev002", "--follow"});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("2 ok, 0 failed, 0 denied"));
    const auto request = request_of(run.out);
    const auto stored = console_results(console, request);
    const auto sent = s.transcript_sha256(request);
    REQUIRE(stored.size() == 2);
    REQUIRE(sent.size() == 2);
    for (const auto& [device, result] : stored) {
      INFO(device);
      CHECK(result["status"] == "ok");
      CHECK(result["window"] == "CHG-E2E");
      CHECK(result["sha256"] == sent.at(device));
      const auto raw = console.engineer({"show", std::to_string(result["id"].get<std::int64_t>()), "--raw"});
      const auto document = run_process({tetherctl, "session", "show", request, "--device", device,
                                         "--document", "--config", s.config});
      REQUIRE(raw.exit_code == 0);
      CHECK(raw.out == document.out);
      CHECK(json::parse(raw.out)["parsed"]["hostname"].is_string());
    }
  }

  // A command outside the catalog and a device outside the inventory are refused and audited.
  {
    // The console already refuses what is not a collector name at all ...
    const auto words = console.engineer({"run", "ams-1", "request system reboot", "--devices", "dev001"});
    CHECK(words.exit_code == 2);
    CHECK_THAT(words.err, Catch::Contains("expected an identifier"));
    // ... and the agent whatever its catalog does not hold.
    const auto reboot = console.engineer({"run", "ams-1", "request_system_reboot", "--devices", "dev001", "--follow"});
    INFO(reboot.out << reboot.err);
    CHECK(reboot.exit_code == 1);
    CHECK_THAT(reboot.out, Catch::Contains("denied: unknown-collector"));
    const auto outside = console.engineer({"run", "ams-1", "facts", "--devices", "dev001,dev999", "--follow"});
    INFO(outside.out << outside.err);
    CHECK(outside.exit_code == 1);
    CHECK_THAT(outside.out, Catch::Contains("denied: device-not-in-inventory"));
    CHECK(has_denial(s, "unknown-collector"));
    CHECK(has_denial(s, "device-not-in-inventory"));
  }

  // SIGKILL mid-session: the console is frozen so nothing is acknowledged, the agent
  // spools dev003's result, is killed, and restarted inside the window it resends it.
  {
    const auto run = console.engineer({"run", "ams-1", "facts", "--devices", "dev003"});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const auto request = request_of(run.out);
    REQUIRE(eventually([&] { return s.status()["requests_in_flight"] == 1; }, 10s));
    REQUIRE(::kill(console.serve->pid(), SIGSTOP) == 0);
    const bool spooled = eventually([&] {
      const auto st = s.status();
      return st["requests_in_flight"] == 0 && st["spool"]["chunks"].get<int>() > 0;
    }, 30s);
    if (!spooled) ::kill(console.serve->pid(), SIGCONT);
    REQUIRE(spooled);
    WARN("spooled, unacknowledged: " << s.status()["spool"].dump());
    s.agent->stop(SIGKILL);
    CHECK_THAT(s.agent->output(), !Catch::Contains("Sanitizer") && !Catch::Contains("runtime error"));
    REQUIRE(::kill(console.serve->pid(), SIGCONT) == 0);
    s.start();
    const auto verify = s.verify(s.log);
    INFO(verify.out << verify.err);
    CHECK(verify.exit_code == 0);
    const auto sent = s.transcript_sha256(request);
    REQUIRE(sent.size() == 1);
    REQUIRE(eventually([&] {
      const auto stored = console_results(console, request);
      return stored.count("dev003") && stored.at("dev003")["status"] == "ok" &&
             stored.at("dev003")["sha256"] == sent.at("dev003");
    }, 30s));
    CHECK(console_result_count(console, request) == 1);  // resent, not stored twice
    REQUIRE(eventually([&] { return s.status()["spool"]["chunks"] == 0; }, 10s));
  }

  // A request on a device that never answers is in flight when the window ends.
  child_process follower({console_bin, "run", "ams-1", "facts", "--devices", "dev004", "--follow",
                          "--data-dir", console.data});
  REQUIRE(follower.wait_for("request "));
  REQUIRE(eventually([&] { return s.status()["requests_in_flight"] == 1; }, 10s));
  WARN("the request on the hanging device runs "
       << std::chrono::duration_cast<std::chrono::milliseconds>(end - clock_type::now()).count()
       << " ms before the window end");
  REQUIRE(clock_type::now() < end - 3s);  // the steps above fit in the window

  // In the last 5 minutes (the default closing lead, applied by SIGHUP) new requests are refused.
  s.dir.write("agent.yaml", agent_yaml(console, relay.proxy.port(), fleet, s.dir, ""));
  REQUIRE(::kill(s.agent->pid(), SIGHUP) == 0);
  REQUIRE(s.agent->wait_for("configuration reloaded"));
  REQUIRE(eventually([&] { return s.status()["state"] == "closing"; }, 5s));
  {
    const auto late = console.engineer({"run", "ams-1", "facts", "--devices", "dev001", "--follow"});
    INFO(late.out << late.err);
    CHECK(late.exit_code == 1);
    CHECK_THAT(late.out, Catch::Contains("denied: window-closing"));
    CHECK(has_denial(s, "window-closing"));
  }
  REQUIRE(clock_type::now() < end);

  // The end: the session is cut within 1 s, measured at the engineer's follower.
  std::optional<clock_type::time_point> seen;
  REQUIRE(eventually([&] {
    const auto out = follower.output();
    if (out.find("link to the agent down") == std::string::npos && out.find("window_closed") == std::string::npos)
      return false;
    seen = clock_type::now();
    return true;
  }, 60s));
  const auto cut_ms = std::chrono::duration_cast<std::chrono::milliseconds>(*seen - end).count();
  WARN("the console's follower saw the session end " << cut_ms << " ms after the window end");
  CHECK(cut_ms >= 0);
  CHECK(cut_ms < 1000);
  follower.stop();
  REQUIRE(eventually([&] { return !s.audit("window.closed").empty(); }, 5s));
  const auto closed = s.audit("window.closed").back();
  const auto closed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(record_time(closed) - end).count();
  WARN("window.closed audited " << closed_ms << " ms after the window end");
  CHECK(closed["fields"]["window"] == "CHG-E2E");
  CHECK(closed_ms >= 0);
  CHECK(closed_ms < 1000);
  // The device session on the hanging device was cut as well, its end audited.
  std::optional<json> device_end;
  for (const auto& r : s.audit("device.session_end"))
    if (r["fields"]["device"] == "dev004") device_end = r;
  REQUIRE(device_end);
  const auto device_ms = std::chrono::duration_cast<std::chrono::milliseconds>(record_time(*device_end) - end).count();
  WARN("dev004's session ended (" << (*device_end)["fields"]["status"] << ") " << device_ms << " ms after the window end");
  CHECK(device_ms < 1000);

  // After the window: no TCP connection either.
  const auto accepted = relay.accepted();
  WARN("TCP connections to the console inside the window: " << accepted);
  REQUIRE(eventually([&] { return clock_type::now() >= end + 2s; }, 10s));
  CHECK(s.status()["state"] == "idle");
  CHECK(relay.accepted() == accepted);

  // The log verifies; a copy with one field of one record edited does not, naming the line.
  s.agent->stop();
  for (const auto* p : {s.agent.get(), console.serve.get(), fleet.process.get()})
    CHECK_THAT(p->output(), !Catch::Contains("Sanitizer") && !Catch::Contains("runtime error"));
  const auto verify = s.verify(s.log);
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);
  std::ifstream in(s.log);
  std::string tampered;
  std::size_t line_no = 0, edited = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    const auto at = line.find("\"reason\":\"unknown-collector\"");
    if (!edited && at != std::string::npos) {
      line.replace(at, 28, "\"reason\":\"window-closing\"");
      edited = line_no;
    }
    tampered += line + "\n";
  }
  REQUIRE(edited > 0);
  const auto copy = s.dir.write("audit-copy.log", tampered);
  const auto bad = s.verify(copy);
  INFO(bad.out << bad.err);
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.out, Catch::Contains("TAMPERED") && Catch::Contains(":" + std::to_string(edited) + ":") &&
                          Catch::Contains("edited"));
}
