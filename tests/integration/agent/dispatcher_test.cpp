// The dispatcher against real tether-devsim devices, the shipped catalog, a real audit log
// file and transcripts on disk; the sink records what the console would receive.
#include <catch2/catch.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <regex>
#include <set>

#include <sys/stat.h>

#include "config/agent_config.hpp"

#include "agent/audit_event.hpp"
#include "tests/integration/agent/dispatch_fixture.hpp"
#include "tests/support/run_process.hpp"

using tether::testing::dispatch_env;
using tether::transport::end_status;
using Catch::Contains;

namespace {

/// The raw (unredacted) output of one command on one device, read straight from devsim.
class capture : public tether::collectors::fleet_consumer {
 public:
  boost::asio::awaitable<void> output(const std::string&, std::size_t,
                                      std::string_view chunk) override {
    text.append(chunk);
    co_return;
  }
  void finished(const tether::collectors::command_outcome&) override {}
  std::string text;
};

/// The secrets of a devsim configuration: the quoted values on lines Junos marks as
/// secret, and the lines of a private key block.
std::set<std::string> secrets_in(const std::string& config) {
  std::set<std::string> out;
  static const std::regex quoted("\"([^\"]{6,})\"");
  std::istringstream lines(config);
  bool in_key = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("SECRET-DATA") != std::string::npos)
      for (std::sregex_iterator m(line.begin(), line.end(), quoted), end; m != end; ++m)
        out.insert((*m)[1]);
    if (line.find("BEGIN") != std::string::npos && line.find("PRIVATE KEY") != std::string::npos)
      in_key = true;
    else if (line.find("END") != std::string::npos && line.find("PRIVATE KEY") != std::string::npos)
      in_key = false;
    else if (in_key && line.size() > 20)
      out.insert(line.substr(0, 40));
  }
  return out;
}

nlohmann::json document_of(const tether::testing::recorded_result& r) {
  return nlohmann::json::parse(r.bytes);
}

}  // namespace

TEST_CASE("facts on three devices gives three parsed results, audited and transcribed",
          "[integration][devsim][dispatcher]") {
  dispatch_env env(3);
  env.request(1, R"({"collector":"facts","devices":["dev001","dev002","dev003"],"engineer":"alice"})");
  REQUIRE(env.dispatch->in_flight() == 1);
  REQUIRE(env.run_until([&] { return env.dispatch->in_flight() == 0; }));

  CHECK(env.sink.denials.empty());
  const auto results = env.sink.of(1);
  REQUIRE(results.size() == 3);
  std::string error;
  const auto transcript = env.transcripts.show(1, std::nullopt, error);
  REQUIRE(transcript);
  CHECK(transcript->request.engineer == "alice");
  REQUIRE(transcript->devices.size() == 3);
  for (const auto& [device, r] : results) {
    INFO(device);
    CHECK(r.finished);
    CHECK(r.status == end_status::ok);
    CHECK(r.collector == "facts");
    const auto doc = document_of(r);
    CHECK(doc["format"] == "tether-result/1");
    CHECK(doc["request_id"] == 1);
    CHECK(doc["window"] == "CHG-1");
    CHECK(doc["device"] == device);
    CHECK(doc["status"] == "ok");
    CHECK(doc["truncated"] == false);
    REQUIRE(doc["commands"].size() == 2);
    CHECK(doc["commands"][0]["command"] == "show version");
    for (const auto& c : doc["commands"]) {
      CHECK(c["status"] == "ok");
      CHECK(c["sha256"] == tether::agent::sha256_hex(c["output"].get<std::string>()));
      CHECK(c["bytes"] == c["output"].get<std::string>().size());
    }
    CHECK(doc["parsed"]["hostname"].is_string());
    CHECK(doc["scope"]["verdict"] == "in");
    // The transcript holds exactly the bytes the sink got.
    CHECK(env.transcripts.document("CHG-1", 1, device) == r.bytes);
  }
  for (const auto& d : transcript->devices)
    CHECK(d.sha256 == tether::agent::sha256_hex(results.at(d.device).bytes));

  const auto received = env.audit_records("request.received");
  REQUIRE(received.size() == 1);
  CHECK(received[0]["fields"]["engineer"] == "alice");
  CHECK(received[0]["fields"]["collector"] == "facts");
  CHECK(received[0]["fields"]["devices"].size() == 3);
  const auto starts = env.audit_records("device.session_start");
  REQUIRE(starts.size() == 3);
  for (const auto& s : starts)
    CHECK_THAT(s["fields"]["host_key_fingerprint"].get<std::string>(), Contains("SHA256:"));
  const auto ends = env.audit_records("device.session_end");
  REQUIRE(ends.size() == 3);
  for (const auto& e : ends) {
    CHECK(e["fields"]["status"] == "ok");
    CHECK(e["fields"]["commands"] == 2);
    CHECK(e["fields"]["bytes"].get<std::size_t>() > 0);
  }
  const auto sent = env.audit_records("results.sent");
  REQUIRE(sent.size() == 3);
  for (const auto& s : sent)
    CHECK(s["fields"]["sha256"] ==
          tether::agent::sha256_hex(results.at(s["fields"]["device"].get<std::string>()).bytes));
}

TEST_CASE("no secret of a device configuration is in the config collector's result",
          "[integration][devsim][dispatcher]") {
  dispatch_env env(1, {"--fault", "dev001=huge:1"});  // over 1 MiB: many chunks
  capture raw;
  tether::collectors::fleet_options options;
  tether::agent::run_fleet_now(tether::agent::select_targets(env.setup, {"dev001"}),
                               {"show configuration | display set"}, options, raw);
  const auto secrets = secrets_in(raw.text);
  REQUIRE(secrets.size() >= 5);  // the devsim configuration does carry secrets

  env.request(4, R"({"collector":"config","devices":["dev001"],"engineer":"alice"})");
  REQUIRE(env.run_until([&] { return env.dispatch->in_flight() == 0; }));
  const auto results = env.sink.of(4);
  REQUIRE(results.size() == 1);
  const auto& r = results.at("dev001");
  CHECK(r.status == end_status::ok);
  CHECK(r.bytes.size() > 1024 * 1024);
  CHECK(r.chunks == int((r.bytes.size() + 65535) / 65536));  // cut into chunks the spool takes
  const auto doc = document_of(r);
  const std::string output = doc["commands"][0]["output"];
  CHECK(output.size() > 1000);
  CHECK(doc["commands"][0]["redactions"].get<int>() >= int(secrets.size()) / 2);
  CHECK_THAT(output, Contains("<redacted:"));
  for (const auto& s : secrets) {
    INFO(s);
    CHECK(output.find(s) == std::string::npos);
    CHECK(r.bytes.find(s) == std::string::npos);
  }
  const auto transcript = env.transcripts.document("CHG-1", 4, "dev001");
  REQUIRE(transcript);
  for (const auto& s : secrets) CHECK(transcript->find(s) == std::string::npos);
  const auto ends = env.audit_records("device.session_end");
  REQUIRE(ends.size() == 1);
  CHECK(ends[0]["fields"]["redactions"].get<int>() > 0);
}

TEST_CASE("cutting the window mid-collection finishes every result truncated within a second",
          "[integration][devsim][dispatcher]") {
  dispatch_env env(3, {"--fault", "dev002=hang", "--fault", "dev003=slow:200"});
  env.request(9, R"({"collector":"config","engineer":"alice"})");  // every device
  REQUIRE(env.run_until([&] {
    return env.sink.of(9).at("dev001").finished &&
           env.audit_records("device.session_start").size() == 3;
  }));
  REQUIRE(env.dispatch->in_flight() == 1);

  const auto before = std::chrono::steady_clock::now();
  env.dispatch->cut("window CHG-1 ended");
  const auto took = std::chrono::steady_clock::now() - before;
  CHECK(took < std::chrono::milliseconds(1000));  // measured ~2-60 ms; 1 s is the contract
  WARN("cut took " << std::chrono::duration_cast<std::chrono::microseconds>(took).count() << " us");
  CHECK(env.dispatch->in_flight() == 0);

  const auto results = env.sink.of(9);
  REQUIRE(results.size() == 3);
  CHECK(results.at("dev001").status == end_status::ok);
  for (const char* device : {"dev002", "dev003"}) {
    INFO(device);
    const auto& r = results.at(device);
    REQUIRE(r.finished);
    CHECK(r.status == end_status::window_closed);
    CHECK_THAT(r.message, Contains("truncated: window CHG-1 ended"));
    const auto doc = document_of(r);
    CHECK(doc["status"] == "window_closed");
    CHECK(doc["truncated"] == true);
    CHECK(doc["commands"].size() <= 1);
    for (const auto& c : doc["commands"]) {
      CHECK(c["truncated"] == true);
      CHECK(c["sha256"] == tether::agent::sha256_hex(c["output"].get<std::string>()));
    }
  }
  // New requests after the cut are refused.
  env.request(10, R"({"collector":"facts","engineer":"alice"})");
  REQUIRE_FALSE(env.sink.denials.empty());
  CHECK(env.sink.denials.back().request_id == 10);
  CHECK(env.sink.denials.back().reason == "window-closing");
  // Nothing reaches a finished result afterwards, however the sessions unwind.
  env.dispatch.reset();
  env.io.restart();
  env.io.run_for(std::chrono::seconds(30));
  for (const auto& [device, r] : env.sink.of(9)) CHECK(r.writes_after_finish == 0);
  // The cut's transcripts, written after it, were all written when the dispatcher went.
  for (const char* device : {"dev002", "dev003"})
    CHECK(env.transcripts.document("CHG-1", 9, device) == results.at(device).bytes);
  CHECK(env.audit_records("device.session_end").size() == 3);
}

TEST_CASE("a cancelled request ends cancelled; a second request while one runs is busy",
          "[integration][devsim][dispatcher]") {
  dispatch_env env(2, {"--fault", "dev001=hang"}, 1);
  env.request(1, R"({"collector":"facts","devices":["dev001"],"engineer":"alice"})");
  REQUIRE(env.run_until([&] { return env.audit_records("device.session_start").size() == 1; }));
  env.request(2, R"({"collector":"facts","devices":["dev002"],"engineer":"bob"})");
  REQUIRE(env.sink.denials.size() == 1);
  CHECK(env.sink.denials[0].request_id == 2);
  CHECK(env.sink.denials[0].reason == "busy");

  env.dispatch->cancel(1);
  CHECK(env.dispatch->in_flight() == 0);
  const auto r = env.sink.of(1).at("dev001");
  CHECK(r.finished);
  CHECK(r.status == end_status::cancelled);
  CHECK(document_of(r)["status"] == "cancelled");
  CHECK(document_of(r)["truncated"] == true);

  env.request(3, R"({"collector":"facts","devices":["dev002"],"engineer":"bob"})");
  REQUIRE(env.run_until([&] { return env.dispatch->in_flight() == 0; }));
  CHECK(env.sink.of(3).at("dev002").status == end_status::ok);
}

TEST_CASE("a device that refuses the login gives an auth_failed result and no session",
          "[integration][devsim][dispatcher]") {
  dispatch_env env(1, {"--fault", "dev001=auth-fail"});
  env.request(5, R"({"collector":"facts","engineer":"alice"})");
  REQUIRE(env.run_until([&] { return env.dispatch->in_flight() == 0; }));
  const auto r = env.sink.of(5).at("dev001");
  CHECK(r.status == end_status::auth_failed);
  CHECK(document_of(r)["status"] == "auth_failed");
  CHECK(env.audit_records("device.session_start").empty());
  REQUIRE(env.audit_records("device.session_end").size() == 1);
  CHECK(env.audit_records("device.session_end")[0]["fields"]["status"] == "auth_failed");
}

TEST_CASE("tetherctl session list and show read the transcripts offline",
          "[integration][devsim][dispatcher][tetherctl]") {
  dispatch_env env(2);
  env.request(11, R"({"collector":"facts","engineer":"alice"})");
  REQUIRE(env.run_until([&] { return env.dispatch->in_flight() == 0; }));
  const std::string tetherctl = std::string(TETHER_BIN_DIR) + "/tetherctl";
  const std::string config = env.fleet.file("agent.yaml");

  auto list = tether::testing::run_process({tetherctl, "session", "list", "--config", config, "--json"});
  REQUIRE(list.exit_code == 0);
  const auto requests = nlohmann::json::parse(list.out);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0]["request"] == 11);
  CHECK(requests[0]["window"] == "CHG-1");
  CHECK(requests[0]["engineer"] == "alice");
  CHECK(requests[0]["devices"] == nlohmann::json::array({"dev001", "dev002"}));
  CHECK(requests[0]["commands"] == nlohmann::json::array({"show version", "show chassis hardware"}));
  CHECK(requests[0]["results"] == nlohmann::json{{"ok", 2}});

  auto table = tether::testing::run_process({tetherctl, "session", "list", "--config", config});
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Contains("CHG-1") && Contains("alice") && Contains("facts") && Contains("2 ok"));
  auto other = tether::testing::run_process(
      {tetherctl, "session", "list", "--config", config, "--window", "CHG-2", "--json"});
  CHECK(nlohmann::json::parse(other.out).empty());

  auto show = tether::testing::run_process({tetherctl, "session", "show", "11", "--config", config, "--json"});
  REQUIRE(show.exit_code == 0);
  const auto session = nlohmann::json::parse(show.out);
  REQUIRE(session["results"].size() == 2);
  for (const auto& d : session["results"]) {
    const auto sent = env.sink.of(11).at(d["device"].get<std::string>());
    CHECK(d["sha256"] == tether::agent::sha256_hex(sent.bytes));
    CHECK(d["bytes"] == sent.bytes.size());
    CHECK(d["commands"].size() == 2);
  }

  auto text = tether::testing::run_process({tetherctl, "session", "show", "11", "--config", config,
                                            "--device", "dev002"});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Contains("show chassis hardware") && Contains("dev002.result"));
  CHECK_THAT(text.out, !Contains("dev001"));

  auto document = tether::testing::run_process({tetherctl, "session", "show", "11", "--config",
                                                config, "--device", "dev001", "--document"});
  CHECK(document.exit_code == 0);
  CHECK(document.out == env.sink.of(11).at("dev001").bytes);  // exactly the bytes that left

  auto missing = tether::testing::run_process({tetherctl, "session", "show", "99", "--config", config});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Contains("no request 99"));
}

// The cut devices' audit records go in one fdatasync'd group and their results in one spool
// batch; the bound here is generous (a loaded VM), the measured time is printed, and
// bench/window_cut_bench.sh measures hundreds of devices.
TEST_CASE("cutting twenty hung device sessions finishes them all at once",
          "[integration][devsim][dispatcher]") {
  std::vector<std::string> flags;
  for (int i = 1; i <= 20; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "dev%03d", i);
    flags.insert(flags.end(), {"--fault", std::string(name) + "=hang"});
  }
  dispatch_env env(20, flags);
  env.request(3, R"({"collector":"facts","engineer":"alice"})");
  REQUIRE(env.run_until([&] { return env.audit_records("device.session_start").size() == 20; }));
  const auto before = std::chrono::steady_clock::now();
  env.dispatch->cut("window CHG-1 ended");
  const auto took = std::chrono::steady_clock::now() - before;
  WARN("cut of 20 sessions took "
       << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
  CHECK(took < std::chrono::milliseconds(2000));
  const auto results = env.sink.of(3);
  REQUIRE(results.size() == 20);
  for (const auto& [device, r] : results) {
    CHECK(r.finished);
    CHECK(r.status == end_status::window_closed);
  }
  CHECK(env.audit_records("device.session_end").size() == 20);
  CHECK(env.audit_records("results.sent").size() == 20);
  // The transcripts follow once the io loop has had its turn (the cut does not wait for them).
  REQUIRE(env.run_until([&] {
    for (const auto& [device, r] : results)
      if (env.transcripts.document("CHG-1", 3, device) != r.bytes) return false;
    return true;
  }));
}

TEST_CASE("the daemon's dispatcher setup loads from the agent configuration with a private site key",
          "[integration][devsim][dispatcher]") {
  tether::testing::temp_dir dir;
  tether::testing::devsim_fleet fleet(dir, 2);
  const auto agent = tether::config::load_agent_config(fleet.file("agent.yaml"));
  const auto setup = tether::agent::load_dispatcher_setup(agent, "CHG-7");
  CHECK(setup.window == "CHG-7");
  CHECK(setup.site == agent.site);
  CHECK(setup.inventory.devices.size() == 2);
  CHECK(setup.catalog.find("facts"));
  CHECK_FALSE(setup.end_of_support.trains.empty());
  struct stat st {};
  REQUIRE(stat((agent.paths.state_dir + "/site.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // The same key next time: tokens stay comparable across windows.
  const auto again = tether::agent::load_dispatcher_setup(agent, "CHG-8");
  CHECK(again.key.token("secret") == setup.key.token("secret"));
}

TEST_CASE("when the audit log cannot record, nothing runs and nothing is sent",
          "[integration][devsim][dispatcher]") {
  SECTION("request.received refused: the request is denied before any result opens") {
    dispatch_env env(1, {}, 8, {}, 0);
    env.request(1, R"({"collector":"facts","engineer":"alice"})");
    REQUIRE(env.sink.denials.size() == 1);
    CHECK(env.sink.denials[0].reason == "audit-unavailable");
    CHECK(env.sink.results.empty());
    CHECK(env.dispatch->in_flight() == 0);
  }
  SECTION("device.session_start refused: the device's result ends agent_error, empty") {
    dispatch_env env(1, {}, 8, {}, 1);  // only request.received is written
    env.request(2, R"({"collector":"config","engineer":"alice"})");
    REQUIRE(env.run_until([&] { return env.dispatch->in_flight() == 0; }));
    const auto r = env.sink.of(2).at("dev001");
    CHECK(r.finished);
    CHECK(r.status == end_status::agent_error);
    CHECK_THAT(r.message, Contains("audit log refused"));
    CHECK(r.bytes.empty());
    CHECK(env.transcripts.document("CHG-1", 2, "dev001") == std::string());
  }
  SECTION("the cut's records refused: every cut result ends agent_error, nothing stored") {
    // request.received and three device.session_start records are written, then nothing.
    dispatch_env env(3, {"--fault", "dev001=hang", "--fault", "dev002=hang", "--fault", "dev003=hang"},
                     8, {}, 4);
    env.request(3, R"({"collector":"facts","engineer":"alice"})");
    REQUIRE(env.run_until([&] { return env.audit->tip().seq == 4; }));  // sessions up
    env.dispatch->cut("window CHG-1 ended");
    CHECK(env.audit->failed());
    const auto results = env.sink.of(3);
    REQUIRE(results.size() == 3);
    for (const auto& [device, r] : results) {
      CHECK(r.finished);
      CHECK(r.status == end_status::agent_error);
      CHECK_THAT(r.message, Contains("audit log refused"));
      CHECK(r.bytes.empty());
    }
  }
}

TEST_CASE("a device whose host key changed is stopped and audited with the key it showed",
          "[integration][devsim][dispatcher]") {
  dispatch_env env(1, {"--fault", "dev001=hostkey-change"});
  env.request(6, R"({"collector":"facts","engineer":"alice"})");
  REQUIRE(env.run_until([&] { return env.dispatch->in_flight() == 0; }));
  const auto r = env.sink.of(6).at("dev001");
  CHECK(r.status == end_status::host_key_changed);
  const auto doc = document_of(r);
  CHECK(doc["status"] == "host_key_changed");
  for (const auto& c : doc["commands"]) CHECK(c["output"] == "");
  CHECK(env.audit_records("device.session_start").empty());
  const auto ends = env.audit_records("device.session_end");
  REQUIRE(ends.size() == 1);
  CHECK(ends[0]["fields"]["status"] == "host_key_changed");
  CHECK_THAT(ends[0]["fields"]["host_key_fingerprint"].get<std::string>(), Contains("SHA256:"));
}
