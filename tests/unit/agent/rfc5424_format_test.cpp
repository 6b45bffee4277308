// RFC 5424 lines for the audit export and the syslog forwarder.
#include <catch2/catch.hpp>

#include "agent/rfc5424_format.hpp"

using namespace tether::agent;

namespace {

audit_record sample(std::string event, nlohmann::ordered_json fields) {
  audit_record r;
  r.seq = 7;
  r.time = "2026-12-03T09:00:00.250Z";
  r.event = std::move(event);
  r.fields = std::move(fields);
  r.prev = std::string(64, 'a');
  r.hash = compute_record_hash(r);
  return r;
}

}  // namespace

TEST_CASE("an audit record becomes an RFC 5424 line with its fields as structured data",
          "[audit][rfc5424]") {
  auto r = sample("window.opened", {{"window", "CHG-1"}, {"closes_at", "2026-12-03T13:00:00Z"}});
  CHECK(format_rfc5424(r, "jump1") ==
        "<109>1 2026-12-03T09:00:00.250Z jump1 tether - window.opened [tether@32473 seq=\"7\" "
        "prev=\"" + std::string(64, 'a') + "\" hash=\"" + r.hash +
            "\"][fields@32473 window=\"CHG-1\" closes_at=\"2026-12-03T13:00:00Z\"] " +
            canonical_line(r));
}

TEST_CASE("denials are warnings, other events notices", "[audit][rfc5424]") {
  CHECK(format_rfc5424(sample("request.denied", {}), "h").rfind("<108>1 ", 0) == 0);
  CHECK(format_rfc5424(sample("tunnel.up", {}), "h").rfind("<109>1 ", 0) == 0);
}

TEST_CASE("structured data values escape quote, backslash and bracket", "[audit][rfc5424]") {
  CHECK(escape_sd_value(R"(a"b\c]d)") == R"(a\"b\\c\]d)");
  auto r = sample("request.denied", {{"reason", "x]\"y"}, {"devices", {"r1", "r2"}}});
  auto line = format_rfc5424(r, "h");
  CHECK_THAT(line, Catch::Contains(R"(reason="x\]\"y")"));
  CHECK_THAT(line, Catch::Contains(R"(devices="[\"r1\",\"r2\"\]")"));
}

TEST_CASE("header fields never carry spaces and an empty host name is the nil value",
          "[audit][rfc5424]") {
  auto line = format_rfc5424(sample("agent.stop", {}), "");
  CHECK(line.rfind("<109>1 2026-12-03T09:00:00.250Z - tether - agent.stop [", 0) == 0);
  CHECK_THAT(format_rfc5424(sample("agent.stop", {}), "my host"), Catch::Contains(" myhost "));
}

TEST_CASE("TCP framing prefixes the octet count", "[audit][rfc5424]") {
  CHECK(octet_counted("<13>1 - - - - - -") == "17 <13>1 - - - - - -");
}
