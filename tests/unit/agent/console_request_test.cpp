// The console's REQUEST JSON, checked strictly before anything else looks at it.
#include <catch2/catch.hpp>

#include <string>

#include "agent/console_request.hpp"

using tether::agent::parse_console_request;

namespace {

std::string reason_of(const std::string& json) {
  const auto r = parse_console_request(json);
  return r.denied ? r.denied->reason : std::string("accepted");
}

}  // namespace

TEST_CASE("a well-formed request gives its collector, devices, parameters and engineer",
          "[console_request]") {
  const auto r = parse_console_request(
      R"({"collector":"logs","devices":["dev001","dev002"],"params":{"lines":"50"},"engineer":"alice"})");
  REQUIRE(r.request);
  CHECK_FALSE(r.denied);
  CHECK(r.request->collector == "logs");
  CHECK(r.request->devices == std::vector<std::string>{"dev001", "dev002"});
  CHECK(r.request->params.at("lines") == "50");
  CHECK(r.request->engineer == "alice");
}

TEST_CASE("devices and params may be left out", "[console_request]") {
  const auto r = parse_console_request(R"({"collector":"facts","engineer":"bob"})");
  REQUIRE(r.request);
  CHECK(r.request->devices.empty());
  CHECK(r.request->params.empty());
}

TEST_CASE("anything outside the contract is a malformed request", "[console_request]") {
  const char* bad[] = {
      "",
      "not json",
      "[1,2]",
      R"({"collector":"facts"})",                                           // no engineer
      R"({"engineer":"a"})",                                                // no collector
      R"({"collector":"facts","engineer":"a","command":"request system reboot"})",
      R"({"collector":"facts","engineer":"a","collector":"config"})",       // duplicate key
      R"({"collector":"facts","engineer":"a","params":{"x":"1","x":"2"}})",
      R"({"collector":"facts","engineer":"a","devices":"dev001"})",
      R"({"collector":"facts","engineer":"a","devices":["dev001","dev001"]})",
      R"({"collector":"facts","engineer":"a","devices":[1]})",
      R"({"collector":"facts","engineer":"a","params":{"lines":50}})",
      R"({"collector":"facts","engineer":"a","params":[]})",
      R"({"collector":"","engineer":"a"})",
      R"({"collector":"facts","engineer":""})",
      "{\"collector\":\"facts\",\"engineer\":\"a\\u0007b\"}",
      R"({"collector":"facts","engineer":"a"} {})",
      "{\"collector\":\"facts\",\"engineer\":\"\xff\"}",
  };
  for (const char* json : bad) {
    INFO(json);
    CHECK(reason_of(json) == "malformed-request");
  }
}

TEST_CASE("size and nesting are bounded before the JSON parser runs", "[console_request]") {
  std::string deep = R"({"collector":"facts","engineer":"a","params":)";
  for (int i = 0; i < 40; ++i) deep += "{\"a\":";
  deep += "1" + std::string(40, '}') + "}";
  CHECK(reason_of(deep) == "malformed-request");
  std::string big = R"({"collector":"facts","engineer":")" + std::string(70000, 'a') + "\"}";
  CHECK(reason_of(big) == "malformed-request");
}

TEST_CASE("a refused request still names who asked for what, for the audit record",
          "[console_request]") {
  const auto r = parse_console_request(
      R"({"collector":"config","engineer":"mallory","devices":["dev001",7]})");
  REQUIRE(r.denied);
  CHECK(r.partial.engineer == "mallory");
  CHECK(r.partial.collector == "config");
  CHECK(r.denied->message.find("devices") != std::string::npos);
}
