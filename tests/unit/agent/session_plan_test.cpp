// The session controller's pure core: window x policy x clock -> idle/open/closing, the
// notices due and the next instant to wake, on injected time.
#include <catch2/catch.hpp>

#include "agent/session_plan.hpp"

using namespace tether::agent;
using namespace std::chrono_literals;
namespace config = tether::config;

namespace {

using tp = std::chrono::system_clock::time_point;

tp utc(const char* text) {
  std::string why;
  return config::parse_time(text, why)->absolute();
}

config::window_policy amsterdam() {
  config::window_policy p;
  p.timezone = "Europe/Amsterdam";
  p.zone = date::locate_zone(p.timezone);
  return p;
}

planned_window window(const char* id, const char* start, std::chrono::seconds duration) {
  std::string why;
  config::window_request r;
  r.id = id;
  r.start = *config::parse_time(start, why);
  r.duration = duration;
  r.notified_at = *config::parse_time("2026-11-01T00:00:00Z", why);
  return {r, std::nullopt};
}

session_plan plan_at(const config::window_policy& policy, std::vector<planned_window> windows,
                     const char* now, bool synced = true,
                     std::optional<std::string> open = std::nullopt) {
  plan_input in;
  in.policy = &policy;
  in.windows = std::move(windows);
  in.now = utc(now);
  in.clock_synchronized = synced;
  in.open_window = std::move(open);
  return plan_session(in);
}

}  // namespace

TEST_CASE("outside any window the plan is idle and wakes at the next start", "[session]") {
  const auto policy = amsterdam();
  const auto p = plan_at(policy, {window("CHG-1", "2026-12-08T09:00:00Z", 4h)}, "2026-12-08T08:59:59Z");
  CHECK(p.state == session_state::idle);
  CHECK(p.reason == "no-window");
  REQUIRE(p.wake_at);
  CHECK(*p.wake_at == utc("2026-12-08T09:00:00Z"));
  CHECK(*p.next_opens_at == date::sys_seconds(std::chrono::floor<std::chrono::seconds>(utc("2026-12-08T09:00:00Z"))));
}

TEST_CASE("with no window at all the plan never wakes", "[session]") {
  const auto policy = amsterdam();
  const auto p = plan_at(policy, {}, "2026-12-08T10:00:00Z");
  CHECK(p.state == session_state::idle);
  CHECK_FALSE(p.wake_at);
}

TEST_CASE("at the start a window is open and the next wake is T-15 min", "[session]") {
  const auto policy = amsterdam();
  const auto p = plan_at(policy, {window("CHG-1", "2026-12-08T09:00:00Z", 4h)}, "2026-12-08T09:00:00Z");
  CHECK(p.state == session_state::open);
  CHECK(p.window == "CHG-1");
  CHECK(*p.closes_at == std::chrono::floor<std::chrono::seconds>(utc("2026-12-08T13:00:00Z")));
  CHECK(p.notices_due.empty());
  CHECK(*p.wake_at == utc("2026-12-08T12:45:00Z"));
}

TEST_CASE("the T-15 and T-5 notices fall due in order and T-5 starts closing", "[session]") {
  const auto policy = amsterdam();
  const std::vector w{window("CHG-1", "2026-12-08T09:00:00Z", 4h)};
  SECTION("at T-15 min") {
    const auto p = plan_at(policy, w, "2026-12-08T12:45:00Z");
    CHECK(p.state == session_state::open);
    CHECK(p.notices_due == std::vector{15min});
    CHECK(*p.wake_at == utc("2026-12-08T12:55:00Z"));
  }
  SECTION("at T-5 min") {
    const auto p = plan_at(policy, w, "2026-12-08T12:55:00Z");
    CHECK(p.state == session_state::closing);
    CHECK(p.notices_due == std::vector{15min, 5min});
    CHECK(*p.wake_at == utc("2026-12-08T13:00:00Z"));
  }
  SECTION("a second before the end") {
    const auto p = plan_at(policy, w, "2026-12-08T12:59:59Z");
    CHECK(p.state == session_state::closing);
  }
  SECTION("at the end") {
    const auto p = plan_at(policy, w, "2026-12-08T13:00:00Z");
    CHECK(p.state == session_state::idle);
    CHECK_FALSE(p.wake_at);
  }
}

TEST_CASE("a policy's closing_lead moves the start of closing, and the plan wakes for it", "[session]") {
  auto policy = amsterdam();
  policy.closing_lead = 10s;
  const std::vector w{window("CHG-1", "2026-12-08T09:00:00Z", 40s)};
  const auto open = plan_at(policy, w, "2026-12-08T09:00:00Z");
  CHECK(open.state == session_state::open);  // shorter than 5 min, yet open
  CHECK(*open.wake_at == utc("2026-12-08T09:00:30Z"));
  const auto closing = plan_at(policy, w, "2026-12-08T09:00:30Z");
  CHECK(closing.state == session_state::closing);
  CHECK(*closing.wake_at == utc("2026-12-08T09:00:40Z"));
  SECTION("the default: a window shorter than 5 minutes is closing from its start") {
    const auto p = plan_at(amsterdam(), w, "2026-12-08T09:00:00Z");
    CHECK(p.state == session_state::closing);
  }
}

TEST_CASE("a window given in wall time opens at the right instant after a DST change", "[session]") {
  const auto policy = amsterdam();
  // Summer time begins on Sunday 2027-03-28: Monday 10:00 in Amsterdam is 08:00Z.
  const std::vector w{window("CHG-DST", "2027-03-29T10:00", 2h)};
  CHECK(plan_at(policy, w, "2027-03-29T07:59:59Z").state == session_state::idle);
  CHECK(*plan_at(policy, w, "2027-03-29T07:00:00Z").wake_at == utc("2027-03-29T08:00:00Z"));
  const auto p = plan_at(policy, w, "2027-03-29T08:00:00Z");
  CHECK(p.state == session_state::open);
  CHECK(*p.closes_at == std::chrono::floor<std::chrono::seconds>(utc("2027-03-29T10:00:00Z")));
}

TEST_CASE("a window that breaks the policy never opens", "[session]") {
  const auto policy = amsterdam();
  // Saturday.
  const auto p = plan_at(policy, {window("CHG-SAT", "2026-12-12T09:00:00Z", 2h)}, "2026-12-12T10:00:00Z");
  CHECK(p.state == session_state::idle);
  CHECK(p.reason == "window-invalid");
}

TEST_CASE("a revoked or closed window does not open again", "[session]") {
  const auto policy = amsterdam();
  auto w = window("CHG-1", "2026-12-08T09:00:00Z", 4h);
  w.spent = "revoked";
  const auto p = plan_at(policy, {w}, "2026-12-08T10:00:00Z");
  CHECK(p.state == session_state::idle);
  CHECK(p.reason == "window-revoked");
  CHECK(*p.wake_at == utc("2026-12-08T13:00:00Z"));
}

TEST_CASE("a cancelled window (not given to the plan) frees its day for another", "[session]") {
  const auto policy = amsterdam();
  const auto later = window("CHG-2", "2026-12-08T14:00:00Z", 1h);
  // With CHG-1 earlier that day, CHG-2 breaks the 24 h spacing and stays shut...
  const auto both = plan_at(policy, {window("CHG-1", "2026-12-08T09:00:00Z", 1h), later},
                            "2026-12-08T14:30:00Z");
  CHECK(both.state == session_state::idle);
  CHECK(both.reason == "window-invalid");
  // ...and once CHG-1 is cancelled (the daemon leaves it out), CHG-2 opens.
  const auto p = plan_at(policy, {later}, "2026-12-08T14:30:00Z");
  CHECK(p.state == session_state::open);
  CHECK(p.window == "CHG-2");
}

TEST_CASE("an unsynchronised clock keeps a window shut unless the policy allows it", "[session]") {
  auto policy = amsterdam();
  const std::vector w{window("CHG-1", "2026-12-08T09:00:00Z", 4h)};
  SECTION("refused, and looked at again soon") {
    const auto p = plan_at(policy, w, "2026-12-08T09:00:00Z", false);
    CHECK(p.state == session_state::idle);
    CHECK(p.reason == "clock-unsynchronized");
    CHECK(*p.wake_at == utc("2026-12-08T09:00:30Z"));
  }
  SECTION("a window already open stays open") {
    const auto p = plan_at(policy, w, "2026-12-08T10:00:00Z", false, "CHG-1");
    CHECK(p.state == session_state::open);
  }
  SECTION("allowed by the site policy") {
    policy.allow_unsynchronized_clock = true;
    CHECK(plan_at(policy, w, "2026-12-08T09:00:00Z", false).state == session_state::open);
  }
}
