// The result document: one JSON object whose hashes agree with its outputs.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "agent/audit_event.hpp"
#include "agent/result_document.hpp"

using namespace tether::agent;
using tether::collectors::collect_status;
using tether::transport::end_status;

TEST_CASE("invalid UTF-8 becomes U+FFFD and valid text is unchanged", "[result_document]") {
  CHECK(valid_utf8("plain \xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80") == "plain \xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80");
  CHECK(valid_utf8("a\xffz") == "a\xef\xbf\xbdz");
  CHECK(valid_utf8("\xc0\xaf") == "\xef\xbf\xbd\xef\xbf\xbd");   // overlong
  CHECK(valid_utf8("\xed\xa0\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // surrogate
  CHECK(valid_utf8("cut \xe2\x82") == "cut \xef\xbf\xbd\xef\xbf\xbd");
}

TEST_CASE("the first command that failed decides the device's status", "[result_document]") {
  CHECK(end_status_of({collect_status::ok, collect_status::truncated}) == end_status::ok);
  CHECK(end_status_of({collect_status::ok, collect_status::timeout}) == end_status::timeout);
  CHECK(end_status_of({collect_status::auth_failed, collect_status::auth_failed}) ==
        end_status::auth_failed);
  CHECK(end_status_of({collect_status::hostkey_changed}) == end_status::host_key_changed);
  CHECK(end_status_of({collect_status::unreachable}) == end_status::device_error);
  CHECK(end_status_of({collect_status::cancelled}) == end_status::cancelled);
}

TEST_CASE("a result document parses and each command's sha256 is over its output",
          "[result_document]") {
  device_result r;
  r.request_id = 7;
  r.site = "lab";
  r.window = "CHG-1";
  r.device = "dev001";
  r.host = "127.0.0.1";
  r.collector = "facts";
  r.started_at = r.ended_at = "2026-11-24T10:00:00.000Z";
  r.commands.push_back({"show version", "ok", "Hostname: r1\n", 0, false});
  r.parsed = nlohmann::ordered_json{{"hostname", "r1"}};
  const std::string text = result_document(r);
  CHECK(text.back() == '\n');
  const auto doc = nlohmann::json::parse(text);
  CHECK(doc["format"] == "tether-result/1");
  CHECK(doc["request_id"] == 7);
  CHECK(doc["status"] == "ok");
  CHECK(doc["truncated"] == false);
  CHECK(doc["commands"][0]["output"] == "Hostname: r1\n");
  CHECK(doc["commands"][0]["bytes"] == 13);
  CHECK(doc["commands"][0]["sha256"] == sha256_hex("Hostname: r1\n"));
  CHECK(doc["parsed"]["hostname"] == "r1");
  CHECK_FALSE(doc.contains("scope"));
}
