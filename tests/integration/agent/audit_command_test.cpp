// Runs the real `tetherctl audit verify|show|export` on logs written by the library.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "agent/audit_log.hpp"
#include "tests/support/run_process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace tether::agent;
using tether::testing::run_process;
using tether::testing::temp_dir;
using Catch::Contains;

namespace {

const std::string tetherctl = std::string(TETHER_BIN_DIR) + "/tetherctl";


std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A log in `dir` with two windows' events, a key, its public half and the anchors.
struct site {
  temp_dir dir;
  std::string log = dir / "audit.log";
  std::string key = dir / "audit.key";
  std::string pub = dir / "audit.key.pub";
  std::string anchors = dir / "anchors.jsonl";

  int minutes = 0;

  site() {
    // A clock that advances one minute per record, from 2026-12-03T09:00:00Z.
    auto clock = [this] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(1796288400)) +
             std::chrono::minutes(minutes++);
    };
    auto opened = open_audit_log(log, clock);
    auto& l = *opened.log;
    l.enable_checkpoints(audit_key::load_or_create(key), 5, [this](const audit_anchor& a) {
      std::string error;
      append_anchor(anchors, a, error);
    });
    l.append(audit_event::agent_start, {{"version", "0.1.0"}, {"pid", 1}, {"config", "a"}});
    for (std::string w : {"CHG-1", "CHG-2"}) {
      l.append(audit_event::window_opened, {{"window", w}, {"closes_at", "later"}});
      l.append(audit_event::request_received, {{"request", "r-" + w},
                                               {"engineer", "vendor-eng"},
                                               {"collector", "show-version"},
                                               {"devices", {"r1"}}});
      l.append(audit_event::window_closed, {{"window", w}, {"reason", "end"}});
      l.checkpoint();
    }
  }
  tether::testing::process_result audit(std::vector<std::string> args) const {
    args.insert(args.begin(), {tetherctl, "audit"});
    return run_process(args);
  }
};

}  // namespace

TEST_CASE("audit verify exits 0 on an intact log and says what it checked", "[integration]") {
  site s;
  auto r = s.audit({"verify", "--log", s.log, "--key", s.pub, "--anchors", s.anchors});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("ok "));
  CHECK_THAT(r.out, Contains("2 signatures verified, 2 anchors matched"));
}

TEST_CASE("audit verify exits 1 and names the line of an edited record", "[integration]") {
  site s;
  std::string text = read(s.log);
  text.replace(text.find("vendor-eng"), 10, "someone-el");
  s.dir.write("audit.log", text);
  auto r = s.audit({"verify", "--log", s.log, "--key", s.pub});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Contains("TAMPERED " + s.log + ":3: hash does not match"));
}

TEST_CASE("audit verify exits 1 when the log ends before the console's last anchor",
          "[integration]") {
  site s;
  std::string text = read(s.log);
  std::size_t cut = 0;
  for (int i = 0; i < 6; ++i) cut = text.find('\n', cut) + 1;
  s.dir.write("audit.log", text.substr(0, cut));
  auto without = s.audit({"verify", "--log", s.log, "--key", s.pub});
  CHECK(without.exit_code == 0);  // a clean cut is invisible without the anchors...
  CHECK_THAT(without.out, Contains("cannot be ruled out"));
  CHECK_THAT(without.out, Contains("records after seq 4 are chained but not yet covered"));
  auto with = s.audit({"verify", "--log", s.log, "--key", s.pub, "--anchors", s.anchors});
  CHECK(with.exit_code == 1);  // ...and caught with them
  CHECK_THAT(with.out, Contains(":7: truncated"));
}

TEST_CASE("audit verify exits 2 when the log, key or anchors cannot be read", "[integration]") {
  site s;
  CHECK(s.audit({"verify", "--log", s.dir / "missing.log"}).exit_code == 2);
  CHECK(s.audit({"verify", "--log", s.log, "--key", s.dir.write("bad.pub", "junk")}).exit_code ==
        2);
  auto r = s.audit({"verify", "--log", s.log, "--anchors", s.dir.write("a", "{nope\n")});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(":1: not an anchor"));
}

TEST_CASE("audit show prints a table filtered by window and time", "[integration]") {
  site s;
  auto all = s.audit({"show", "--log", s.log});
  CHECK(all.exit_code == 0);
  CHECK_THAT(all.out, Contains("EVENT"));
  CHECK_THAT(all.out, Contains("engineer=vendor-eng"));
  auto one = s.audit({"show", "--log", s.log, "--window", "CHG-2"});
  CHECK_THAT(one.out, Contains("r-CHG-2"));
  CHECK_THAT(one.out, !Contains("r-CHG-1"));
  CHECK_THAT(one.out, !Contains("agent.start"));
  auto late = s.audit({"show", "--log", s.log, "--since", "2026-12-03T09:05:00Z"});
  CHECK_THAT(late.out, !Contains("agent.start"));
  CHECK_THAT(late.out, Contains("r-CHG-2"));
  CHECK(s.audit({"show", "--log", s.log, "--since", "yesterday"}).exit_code == 2);
}

TEST_CASE("audit export prints JSON lines or RFC 5424 lines", "[integration]") {
  site s;
  auto jsonl = s.audit({"export", "--log", s.log, "--format", "jsonl"});
  CHECK(jsonl.exit_code == 0);
  CHECK(jsonl.out == read(s.log));
  auto syslog = s.audit({"export", "--log", s.log, "--format", "rfc5424", "--hostname", "jump1"});
  CHECK(syslog.exit_code == 0);
  CHECK(syslog.out.rfind("<109>1 2026-12-03T09:", 0) == 0);
  CHECK_THAT(syslog.out, Contains(" jump1 tether - request.received [tether@32473 seq=\"3\""));
  CHECK(s.audit({"export", "--log", s.log, "--format", "xml"}).exit_code == 2);
}

TEST_CASE("with --config the audit commands find the log and key in the state folder",
          "[integration]") {
  site s;  // writes audit.log and audit.key.pub into its folder
  const std::string config =
      s.dir.write("agent.yaml", "site: lab\npolicy: {timezone: UTC}\n"
                                "console: {endpoint: 'console.invalid:443', ca: ca, cert: c, key: k}\n"
                                "paths: {state_dir: .}\n");
  auto verify = s.audit({"verify", "--config", config});
  CHECK(verify.exit_code == 0);
  CHECK_THAT(verify.out, Contains("2 signatures verified"));
  CHECK(s.audit({"show", "--config", config}).exit_code == 0);
  auto neither = s.audit({"export"});
  CHECK(neither.exit_code == 2);
  CHECK_THAT(neither.err, Contains("give --log FILE"));
  auto broken = s.audit({"verify", "--config", s.dir.write("bad.yaml", "site: [\n")});
  CHECK(broken.exit_code == 2);
}

TEST_CASE("audit show exits 2 at a line that is not a record, after the ones before it",
          "[integration]") {
  site s;
  std::ofstream(s.log, std::ios::app) << "not json\n";
  auto r = s.audit({"show", "--log", s.log});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.out, Contains("agent.start"));
  CHECK_THAT(r.err, Contains(":10: not valid JSON"));
}

TEST_CASE("audit --help lists verify, show and export", "[integration]") {
  auto r = run_process({tetherctl, "audit", "--help"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("verify"));
  CHECK_THAT(r.out, Contains("export"));
}
