#include <catch2/catch.hpp>

#include "console/device_overview.hpp"

using tether::console::device_overview;
using nlohmann::json;

namespace {

json facts(const std::string& hostname, const std::string& verdict) {
  return {{"format", "tether-result/1"}, {"status", "ok"},
          {"parsed", {{"hostname", hostname}, {"model", "mx204"}, {"version", "21.4R3-S5"}, {"serial", "JN1"}}},
          {"scope", {{"verdict", verdict}}}};
}

json alarms(std::vector<int> active) {
  json summaries = json::array();
  for (int a : active) summaries.push_back({{"member", nullptr}, {"active", a}});
  return {{"status", "ok"}, {"parsed", {{"summaries", summaries}, {"alarms", json::array()}}}};
}

}  // namespace

TEST_CASE("the device overview joins facts and alarms per device, in name order", "[console][overview]") {
  device_overview o;
  o.add("dev002", "facts", facts("r2", "in"));
  o.add("dev001", "alarms", alarms({1, 2}));
  o.add("dev001", "facts", facts("r1", "end-of-support"));
  const auto rows = o.rows();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0]["device"] == "dev001");
  CHECK(rows[0]["hostname"] == "r1");
  CHECK(rows[0]["release"] == "21.4R3-S5");
  CHECK(rows[0]["scope"] == "end-of-support");
  CHECK(rows[0]["alarms"] == 3);
  CHECK(rows[1]["hostname"] == "r2");
  CHECK(rows[1]["alarms"].is_null());
}

TEST_CASE("a newer result replaces an older one; failed or foreign results are ignored", "[console][overview]") {
  device_overview o;
  o.add("dev001", "facts", facts("old", "in"));
  o.add("dev001", "facts", facts("new", "unregistered"));
  auto failed = facts("broken", "in");
  failed["status"] = "timeout";
  o.add("dev001", "facts", failed);
  o.add("dev001", "config", facts("config", "in"));
  o.add("dev003", "facts", json("not a document"));
  const auto rows = o.rows();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0]["hostname"] == "new");
  CHECK(rows[0]["scope"] == "unregistered");
}

TEST_CASE("alarm summaries without counts leave the alarms unknown", "[console][overview]") {
  device_overview o;
  o.add("dev001", "alarms", {{"status", "ok"}, {"parsed", {{"summaries", {{{"active", "x"}}}}}}});
  CHECK(o.rows()[0]["alarms"].is_null());
}
