#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "console/result_index.hpp"
#include "tests/support/temp_dir.hpp"

using namespace tether::console;

namespace {

result_row row(std::uint64_t result_id, const std::string& device) {
  result_row r;
  r.site = "ams-1";
  r.window_id = "CHG-7";
  r.request_id = 42;
  r.result_id = result_id;
  r.device = device;
  r.collector = "facts";
  r.started_ms = 1000;
  return r;
}

}  // namespace

TEST_CASE("the index is created 0600 and refuses a file others may read", "[console][index]") {
  tether::testing::temp_dir dir;
  const auto path = dir.path / "index.sqlite";
  auto opened = result_index::open(path);
  REQUIRE(opened.value);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  opened.value.reset();
  ::chmod(path.c_str(), 0644);
  const auto again = result_index::open(path);
  CHECK_FALSE(again.value);
  CHECK(again.error.find("mode 0644") != std::string::npos);
}

TEST_CASE("a result is running when opened, complete when finished, and a resend keeps its start", "[console][index]") {
  tether::testing::temp_dir dir;
  auto index = std::move(result_index::open(dir.path / "index.sqlite").value);
  REQUIRE(index);
  REQUIRE(index->open_result(row(7, "dev001")).empty());
  auto resent = row(7, "dev001");
  resent.started_ms = 5000;
  REQUIRE(index->open_result(resent).empty());
  auto listed = index->results("ams-1");
  REQUIRE(listed.rows.size() == 1);
  CHECK(listed.rows[0].status == "running");
  CHECK(listed.rows[0].started_ms == 1000);
  auto done = row(7, "dev001");
  done.status = "ok";
  done.bytes = 123;
  done.sha256 = std::string(64, 'a');
  done.commands_json = R"([{"command":"show version"}])";
  done.finished_ms = 2000;
  REQUIRE(index->finish_result(done).empty());
  // A result whose open the console never saw still gets a row when it ends.
  auto orphan = row(8, "dev002");
  orphan.status = "timeout";
  REQUIRE(index->finish_result(orphan).empty());
  listed = index->results("ams-1", 42);
  REQUIRE(listed.rows.size() == 2);
  CHECK(listed.rows[0].status == "ok");
  CHECK(listed.rows[0].bytes == 123);
  CHECK(listed.rows[0].commands_json == R"([{"command":"show version"}])");
  CHECK(listed.rows[1].status == "timeout");
  const auto one = index->result(listed.rows[1].id);
  REQUIRE(one.rows.size() == 1);
  CHECK(one.rows[0].device == "dev002");
  CHECK(index->results("ams-1", 99).rows.empty());
  CHECK(index->results("par-2").rows.empty());
}

TEST_CASE("requests keep their denial, notes their author, anchors their sequence once", "[console][index]") {
  tether::testing::temp_dir dir;
  auto index = std::move(result_index::open(dir.path / "index.sqlite").value);
  REQUIRE(index);
  REQUIRE(index->add_request({42, "ams-1", "alice", "facts", R"({"collector":"facts"})", 1000, {}, {}}).empty());
  REQUIRE(index->deny_request("par-2", 42, "bogus", "another site's agent").empty());  // not its request
  CHECK(index->requests("ams-1", 42).rows[0].denied_reason.empty());
  REQUIRE(index->deny_request("ams-1", 42, "device-not-in-inventory", "dev999").empty());
  const auto requests = index->requests("ams-1", 42);
  REQUIRE(requests.rows.size() == 1);
  CHECK(requests.rows[0].engineer == "alice");
  CHECK(requests.rows[0].denied_reason == "device-not-in-inventory");
  REQUIRE(index->add_note({0, "ams-1", 1000, "alice", "first"}).empty());
  REQUIRE(index->add_note({0, "ams-1", 2000, "bob", "second"}).empty());
  const auto notes = index->notes("ams-1");
  REQUIRE(notes.rows.size() == 2);
  CHECK(notes.rows[1].author == "bob");
  REQUIRE(index->add_anchor({"ams-1", 17, "ab", "cd", 1000, 1001}).empty());
  REQUIRE(index->add_anchor({"ams-1", 17, "ab", "cd", 1000, 1002}).empty());  // resent: kept once
  CHECK_THAT(index->add_anchor({"ams-1", 17, "99", "cd", 1000, 1002}),  // rewritten: refused
             Catch::Contains("audit anchor conflict") && Catch::Contains("anchored before as ab"));
  REQUIRE(index->add_anchor({"ams-1", 3, "ef", "01", 900, 1003}).empty());
  const auto anchors = index->anchors("ams-1");
  REQUIRE(anchors.rows.size() == 2);
  CHECK(anchors.rows[0].audit_sequence == 3);
  CHECK(anchors.rows[1].received_ms == 1001);
}
