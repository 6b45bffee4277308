// The audit log's writing side: canonical records, the chain, durable file appends,
// enforced delivery, checkpoints and crash recovery.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <fstream>
#include <sstream>

#include "agent/audit_log.hpp"
#include "agent/audit_verify.hpp"
#include "agent/failing_audit_sink.hpp"
#include "agent/memory_audit_sink.hpp"
#include "tests/support/temp_dir.hpp"

using namespace tether::agent;
using tether::testing::temp_dir;

namespace {

std::chrono::system_clock::time_point fixed_time() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1796288400)) +
         std::chrono::milliseconds(250);  // 2026-12-03T09:00:00.250Z
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("every event has a distinct dotted code that parses back", "[audit]") {
  std::set<std::string_view> seen;
  for (auto e : all_events()) {
    auto code = event_code(e);
    CHECK(code.find('.') != std::string_view::npos);
    CHECK(seen.insert(code).second);
    CHECK(parse_event_code(code) == e);
  }
  CHECK(seen.size() == 21);
  CHECK_FALSE(parse_event_code("window.exploded"));
}

TEST_CASE("a record serialises to one canonical line in a fixed key order", "[audit]") {
  memory_audit_sink* sink = nullptr;
  auto owned = std::make_unique<memory_audit_sink>();
  sink = owned.get();
  audit_log log(std::move(owned), {}, fixed_time);
  auto r = log.append(audit_event::window_opened,
                      {{"window", "CHG-1"}, {"closes_at", "2026-12-03T13:00:00Z"}});
  REQUIRE(r.ok);
  REQUIRE(sink->lines.size() == 1);
  const std::string expected_body =
      R"({"seq":1,"time":"2026-12-03T09:00:00.250Z","event":"window.opened",)"
      R"("fields":{"window":"CHG-1","closes_at":"2026-12-03T13:00:00Z"},"prev":")" +
      genesis_hash + R"("})";
  CHECK(sink->lines[0] == expected_body.substr(0, expected_body.size() - 1) + R"(,"hash":")" +
                              r.hash + "\"}\n");
  auto parsed = parse_record_line(sink->lines[0].substr(0, sink->lines[0].size() - 1));
  REQUIRE(parsed.record);
  CHECK(canonical_body(*parsed.record) == expected_body);
}

TEST_CASE("each record's hash covers the previous hash and the record", "[audit]") {
  auto owned = std::make_unique<memory_audit_sink>();
  auto* sink = owned.get();
  audit_log log(std::move(owned), {}, fixed_time);
  auto a = log.append(audit_event::agent_start, {{"version", "0.1.0"}, {"pid", 42}, {"config", "x"}});
  auto b = log.append(audit_event::agent_stop, {{"reason", "signal"}});
  REQUIRE(a.ok);
  REQUIRE(b.ok);
  CHECK(b.seq == 2);
  auto second = parse_record_line(sink->lines[1].substr(0, sink->lines[1].size() - 1));
  REQUIRE(second.record);
  CHECK(second.record->prev == a.hash);
  CHECK(compute_record_hash(*second.record) == b.hash);
  CHECK(log.tip().seq == 2);
  CHECK(verify_audit_log(sink->text()).verdict == audit_verdict::ok);
}

TEST_CASE("a sink that cannot write refuses the record and every later one", "[audit]") {
  auto owned = std::make_unique<failing_audit_sink>(1);
  auto* sink = owned.get();
  audit_log log(std::move(owned), {}, fixed_time);
  CHECK(log.append(audit_event::agent_stop, {{"reason", "test"}}).ok);
  auto refused = log.append(audit_event::session_kill, {{"admin_uid", 0}, {"reason", "test"}});
  CHECK_FALSE(refused.ok);
  CHECK_THAT(refused.error, Catch::Contains("no space left"));
  CHECK(log.failed());
  CHECK(log.tip().seq == 1);
  auto later = log.append(audit_event::agent_stop, {{"reason", "test"}});
  CHECK_FALSE(later.ok);
  CHECK(sink->failures == 1);  // the log no longer even tries
}

TEST_CASE("the file sink appends durable lines to a private file", "[audit]") {
  temp_dir dir;
  const std::string path = dir / "audit.log";
  {
    auto opened = open_audit_log(path, fixed_time);
    REQUIRE(opened.log);
    CHECK(opened.log->append(audit_event::agent_stop, {{"reason", "one"}}).ok);
  }
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  {
    auto reopened = open_audit_log(path, fixed_time);
    REQUIRE(reopened.log);
    CHECK_FALSE(reopened.recovered);
    auto r = reopened.log->append(audit_event::agent_stop, {{"reason", "two"}});
    CHECK(r.seq == 2);
  }
  auto v = verify_audit_log(read(path));
  CHECK(v.verdict == audit_verdict::ok);
  CHECK(v.records == 2);
}

TEST_CASE("a crash-torn last line is set aside and a log.recovered record continues the chain",
          "[audit]") {
  temp_dir dir;
  const std::string path = dir / "audit.log";
  {
    auto opened = open_audit_log(path, fixed_time);
    REQUIRE(opened.log);
    opened.log->append(audit_event::agent_stop, {{"reason", "one"}});
    opened.log->append(audit_event::agent_stop, {{"reason", "two"}});
  }
  const std::string before = read(path);
  std::ofstream(path, std::ios::app) << R"({"seq":3,"time":"2026-12-03T09:0)";
  auto reopened = open_audit_log(path, fixed_time);
  REQUIRE(reopened.log);
  REQUIRE(reopened.recovered);
  CHECK_THAT(*reopened.recovered, Catch::Contains("after seq 2"));
  CHECK(read(path + ".torn-2") == R"({"seq":3,"time":"2026-12-03T09:0)");
  const std::string after = read(path);
  CHECK(after.substr(0, before.size()) == before);
  CHECK_THAT(after, Catch::Contains(R"("event":"log.recovered")"));
  auto v = verify_audit_log(after);
  CHECK(v.verdict == audit_verdict::ok);
  CHECK(v.last_seq == 3);
}

TEST_CASE("a log with an edited record is never continued", "[audit]") {
  temp_dir dir;
  const std::string path = dir / "audit.log";
  {
    auto opened = open_audit_log(path, fixed_time);
    opened.log->append(audit_event::agent_stop, {{"reason", "honest"}});
  }
  std::string text = read(path);
  text.replace(text.find("honest"), 6, "hacked");
  dir.write("audit.log", text);
  auto reopened = open_audit_log(path, fixed_time);
  CHECK_FALSE(reopened.log);
  CHECK_THAT(reopened.error, Catch::Contains(":1: hash does not match"));
  CHECK(read(path) == text);  // left untouched as evidence
}

TEST_CASE("checkpoints sign the head every N records and hand out anchors", "[audit]") {
  auto owned = std::make_unique<memory_audit_sink>();
  auto* sink = owned.get();
  audit_log log(std::move(owned), {}, fixed_time);
  auto key = audit_key::generate();
  std::vector<audit_anchor> anchors;
  log.enable_checkpoints(key, 3, [&](const audit_anchor& a) { anchors.push_back(a); });
  for (int i = 0; i < 7; ++i) REQUIRE(log.append(audit_event::agent_stop, {{"reason", i}}).ok);
  // records 1-3, checkpoint 4, records 5-7, checkpoint 8
  CHECK(sink->lines.size() == 9);
  REQUIRE(anchors.size() == 2);
  CHECK(anchors[0].seq == 3);
  CHECK(anchors[1].seq == 7);
  CHECK(key.verify(checkpoint_message(anchors[1].seq, anchors[1].hash), anchors[1].signature));
  CHECK_THAT(sink->lines[3], Catch::Contains(R"("event":"log.checkpoint")"));
  REQUIRE(log.checkpoint().ok);  // on demand, e.g. at the window's end
  audit_verify_options options;
  options.key = &key;
  options.anchors = anchors;
  auto v = verify_audit_log(sink->text(), options);
  CHECK(v.verdict == audit_verdict::ok);
  CHECK(v.signatures_checked == 3);
  CHECK(v.anchors_checked == 3);
}

TEST_CASE("the audit key is created once with mode 0600 and its public half exported",
          "[audit]") {
  temp_dir dir;
  const std::string path = dir / "audit.key";
  auto key = audit_key::load_or_create(path);
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto again = audit_key::load_or_create(path);
  CHECK(again.key_id() == key.key_id());
  auto pub = audit_key::load_public(path + ".pub");
  CHECK_FALSE(pub.has_private());
  CHECK(pub.verify("m", key.sign("m")));
  CHECK_FALSE(pub.verify("n", key.sign("m")));
  CHECK_THROWS(audit_key::from_pem("-----BEGIN NONSENSE-----"));
}

TEST_CASE("a record without a field its event requires is refused and the log goes on",
          "[audit]") {
  audit_log log(std::make_unique<memory_audit_sink>(), {}, fixed_time);
  auto r = log.append(audit_event::request_denied, {{"request", "r1"}, {"engineer", "eve"}});
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.error, Catch::Contains("request.denied record lacks its \"collector\" field"));
  CHECK_FALSE(log.failed());
  CHECK(log.append(audit_event::agent_stop, {{"reason", "x"}}).seq == 1);
}

TEST_CASE("a line nested deeper than any record is rejected before it is re-serialised",
          "[audit]") {
  std::string deep = R"({"seq":1,"time":"t","event":"e","fields":{"a":)" + std::string(100000, '[') +
                     std::string(100000, ']') + "}}";
  auto r = parse_record_line(deep);
  CHECK_FALSE(r.record);
  CHECK_THAT(r.error, Catch::Contains("nested"));
}

TEST_CASE("an observer sees each record only after it was written", "[audit]") {
  auto owned = std::make_unique<failing_audit_sink>(1);
  audit_log log(std::move(owned), {}, fixed_time);
  std::vector<std::uint64_t> seen;
  log.on_written([&](const audit_record& r) { seen.push_back(r.seq); });
  log.append(audit_event::agent_stop, {{"reason", "written"}});
  log.append(audit_event::agent_stop, {{"reason", "refused"}});
  CHECK(seen == std::vector<std::uint64_t>{1});
}

TEST_CASE("a log file that cannot grow refuses the record and keeps no partial line",
          "[audit]") {
  temp_dir dir;
  const std::string path = dir / "audit.log";
  auto opened = open_audit_log(path, fixed_time);
  REQUIRE(opened.log);
  REQUIRE(opened.log->append(audit_event::agent_stop, {{"reason", "fits"}}).ok);
  const std::string before = read(path);
  // The kernel refuses to grow any file past the limit, as a full disk would.
  signal(SIGXFSZ, SIG_IGN);
  rlimit old{};
  getrlimit(RLIMIT_FSIZE, &old);
  rlimit limit = old;
  limit.rlim_cur = before.size() + 40;
  setrlimit(RLIMIT_FSIZE, &limit);
  auto refused = opened.log->append(audit_event::agent_stop, {{"reason", std::string(200, 'x')}});
  setrlimit(RLIMIT_FSIZE, &old);
  CHECK_FALSE(refused.ok);
  CHECK_THAT(refused.error, Catch::Contains("audit log write"));
  CHECK(read(path) == before);
  CHECK(opened.log->failed());
}

TEST_CASE("a second writer cannot open a log that is in use", "[audit]") {
  temp_dir dir;
  auto first = open_audit_log(dir / "audit.log", fixed_time);
  REQUIRE(first.log);
  auto second = open_audit_log(dir / "audit.log", fixed_time);
  CHECK_FALSE(second.log);
  CHECK_THAT(second.error, Catch::Contains("in use by another writer"));
}

TEST_CASE("a group of records is chained and written with one write, or not at all", "[audit]") {
  auto owned = std::make_unique<memory_audit_sink>();
  auto* sink = owned.get();
  audit_log log(std::move(owned), {}, fixed_time);
  std::vector<std::uint64_t> seen;
  log.on_written([&](const audit_record& r) { seen.push_back(r.seq); });
  REQUIRE(log.append(audit_event::agent_stop, {{"reason", "first"}}).ok);
  std::vector<audit_log::entry> group;
  for (int i = 0; i < 3; ++i) group.push_back({audit_event::agent_stop, {{"reason", std::to_string(i)}}});
  const auto r = log.append_group(std::move(group));
  REQUIRE(r.ok);
  CHECK(r.seq == 4);
  CHECK(r.hash == log.tip().hash);
  REQUIRE(sink->lines.size() == 2);  // the group went in one write
  CHECK(std::count(sink->lines[1].begin(), sink->lines[1].end(), '\n') == 3);
  CHECK(seen == std::vector<std::uint64_t>{1, 2, 3, 4});
  CHECK(verify_audit_log(sink->text()).verdict == audit_verdict::ok);

  // One record lacking a field refuses the whole group; the log goes on.
  std::vector<audit_log::entry> bad;
  bad.push_back({audit_event::agent_stop, {{"reason", "fine"}}});
  bad.push_back({audit_event::session_kill, {{"reason", "no admin_uid"}}});
  const auto refused = log.append_group(std::move(bad));
  CHECK_FALSE(refused.ok);
  CHECK_THAT(refused.error, Catch::Contains("session.kill record lacks its \"admin_uid\" field"));
  CHECK(sink->lines.size() == 2);
  CHECK(log.tip().seq == 4);
  CHECK_FALSE(log.failed());
}

TEST_CASE("a group the sink cannot write is refused whole and the log stops", "[audit]") {
  auto owned = std::make_unique<failing_audit_sink>(0);
  auto* sink = owned.get();
  audit_log log(std::move(owned), {}, fixed_time);
  std::vector<audit_log::entry> group;
  group.push_back({audit_event::agent_stop, {{"reason", "a"}}});
  group.push_back({audit_event::agent_stop, {{"reason", "b"}}});
  CHECK_FALSE(log.append_group(std::move(group)).ok);
  CHECK(log.failed());
  CHECK(log.tip().seq == 0);
  CHECK(sink->accepted.empty());
}
