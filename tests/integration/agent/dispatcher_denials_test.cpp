// Every refusal goes back to the console with its stable reason and into the audit log;
// nothing is run and no result is opened.
#include <catch2/catch.hpp>

#include "tests/integration/agent/dispatch_fixture.hpp"

using tether::testing::dispatch_env;

namespace {

/// Sends one request and checks it was refused with `reason`, audited with who and what.
void check_denied(dispatch_env& env, std::uint64_t id, const std::string& json,
                  const std::string& reason) {
  INFO(json);
  const auto denials_before = env.sink.denials.size();
  const auto audited_before = env.audit_records("request.denied").size();
  const auto results_before = env.sink.results.size();
  env.request(id, json);
  REQUIRE(env.sink.denials.size() == denials_before + 1);
  const auto& d = env.sink.denials.back();
  CHECK(d.request_id == id);
  CHECK(d.reason == reason);
  CHECK_FALSE(d.message.empty());
  CHECK(d.message.size() <= tether::transport::max_message_size);
  const auto audited = env.audit_records("request.denied");
  REQUIRE(audited.size() == audited_before + 1);
  const auto& f = audited.back()["fields"];
  CHECK(f["request"] == id);
  CHECK(f["reason"] == reason);
  CHECK(f.contains("engineer"));
  CHECK(f.contains("collector"));
  CHECK(f["devices"].is_array());
  CHECK(env.dispatch->in_flight() == 0);
  CHECK(env.sink.results.size() == results_before);
}

}  // namespace

TEST_CASE("a non-catalog command, a device outside the inventory and a request in the last 5 minutes are refused and audited",
          "[integration][devsim][dispatcher]") {
  dispatch_env env(2);
  check_denied(env, 1, R"({"collector":"request system reboot","engineer":"mallory"})",
               "unknown-collector");
  check_denied(env, 2,
               R"({"collector":"facts","engineer":"mallory","command":"request system reboot"})",
               "malformed-request");
  check_denied(env, 3, R"({"collector":"facts","devices":["dev001","core9"],"engineer":"mallory"})",
               "device-not-in-inventory");
  const auto denied = env.audit_records("request.denied");
  CHECK(denied[2]["fields"]["engineer"] == "mallory");
  CHECK(denied[2]["fields"]["devices"] == nlohmann::json::array({"dev001", "core9"}));
  env.dispatch->set_closing(true);
  check_denied(env, 4, R"({"collector":"facts","engineer":"alice"})", "window-closing");
  env.dispatch->set_closing(false);
  env.request(5, R"({"collector":"facts","devices":["dev001"],"engineer":"alice"})");
  CHECK(env.dispatch->in_flight() == 1);  // open again: accepted
  REQUIRE(env.run_until([&] { return env.dispatch->in_flight() == 0; }));
  CHECK(env.audit_records("request.received").size() == 1);
}

TEST_CASE("bad parameters, bad JSON, reused ids and a full spool are refused and audited",
          "[integration][devsim][dispatcher]") {
  dispatch_env env(1);
  check_denied(env, 1, R"({"collector":"logs","params":{"lines":"10; request system reboot"},"engineer":"a"})",
               "bad-parameter");
  check_denied(env, 2, R"({"collector":"logs","params":{"file":"/etc/passwd"},"engineer":"a"})",
               "bad-parameter");
  check_denied(env, 3, R"({"collector":"facts","params":{"nope":"1"},"engineer":"a"})",
               "bad-parameter");
  check_denied(env, 4, "{\"collector\":", "malformed-request");
  check_denied(env, 5, R"(["facts"])", "malformed-request");
  check_denied(env, 9, "{\"collector\":\"facts\",\"engineer\":\"a\",\"x\\ny\":1}", "malformed-request");
  CHECK(env.sink.denials.back().message.find('\n') == std::string::npos);
  CHECK(env.sink.denials.back().message.find("x?y") != std::string::npos);
  check_denied(env, 6, std::string("{\"collector\":\"facts\",\"engineer\":\"a\",\"x\":\"") +
                           std::string(70000, 'y') + "\"}",
               "malformed-request");
  env.sink.refuse_begin = true;
  check_denied(env, 7, R"({"collector":"facts","engineer":"a"})", "spool-full");
  env.sink.refuse_begin = false;
  env.request(8, R"({"collector":"facts","engineer":"a"})");
  REQUIRE(env.run_until([&] { return env.dispatch->in_flight() == 0; }));
  check_denied(env, 8, R"({"collector":"facts","engineer":"a"})", "malformed-request");
}

TEST_CASE("a catalog entry that would send output unredacted is refused",
          "[integration][devsim][dispatcher]") {
  dispatch_env env(1, {}, 8,
                   {{"overlay.yaml", "collectors:\n  raw-version:\n    description: raw\n"
                                     "    commands: [show version]\n    redact: false\n"}});
  check_denied(env, 1, R"({"collector":"raw-version","engineer":"a"})", "redaction-required");
}

TEST_CASE("a request naming thousands of unknown devices is audited with the first 64 and a count",
          "[integration][devsim][dispatcher]") {
  dispatch_env env(1);
  nlohmann::json request{{"collector", "facts"}, {"engineer", "mallory"}};
  for (int i = 0; i < 4000; ++i) request["devices"].push_back("fake" + std::to_string(i));
  check_denied(env, 1, request.dump(), "device-not-in-inventory");
  const auto f = env.audit_records("request.denied").back()["fields"];
  CHECK(f["devices"].size() == 64);
  CHECK(f["devices_not_listed"] == 4000 - 64);
  CHECK_THAT(env.sink.denials.back().message.substr(0, 100),
             Catch::Contains("fake0, fake1, fake2, fake3, fake4 and 3995 more"));
}

TEST_CASE("a result the spool refuses ends agent_error and is audited as not stored",
          "[integration][devsim][dispatcher]") {
  dispatch_env env(1);
  env.sink.refuse_append = true;
  env.request(1, R"({"collector":"facts","engineer":"a"})");
  REQUIRE(env.run_until([&] { return env.dispatch->in_flight() == 0; }));
  REQUIRE(env.sink.results.size() == 1);
  const auto& r = env.sink.results.begin()->second;
  CHECK(r.finished);
  CHECK(r.status == tether::transport::end_status::agent_error);
  CHECK_THAT(r.message, Catch::Contains("result not stored: spool full"));
  const auto not_stored = env.audit_records("results.not_stored");
  REQUIRE(not_stored.size() == 1);
  CHECK(not_stored[0]["fields"]["request"] == 1);
  CHECK(not_stored[0]["fields"]["device"] == r.device);
  CHECK(not_stored[0]["fields"]["bytes_stored"] == 0);
  CHECK_THAT(not_stored[0]["fields"]["reason"].get<std::string>(), Catch::Contains("spool full"));
}
