// The daemon's window registry over SQLite: rows survive a reopen, ids are unique,
// states move with who and why, the file is private.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "agent/control_server.hpp"
#include "agent/window_registry.hpp"
#include "tests/support/temp_dir.hpp"

using namespace tether::agent;
using tether::testing::temp_dir;

namespace {

registered_window sample(const std::string& id) {
  registered_window w;
  w.id = id;
  w.start = "2026-12-08T10:00";
  w.duration = "4h";
  w.notified_at = "2026-11-20T09:00:00Z";
  w.added_by = 1000;
  return w;
}

}  // namespace

TEST_CASE("a registered window survives a reopen with its fields", "[registry]") {
  temp_dir dir;
  const auto path = dir.path / "windows.sqlite";
  {
    auto r = window_registry::open(path);
    REQUIRE(r.value);
    CHECK(r.value->add(sample("CHG-1")).ok);
  }
  auto r = window_registry::open(path);
  REQUIRE(r.value);
  const auto w = r.value->find("CHG-1");
  REQUIRE(w);
  CHECK(w->start == "2026-12-08T10:00");
  CHECK(w->duration == "4h");
  CHECK(w->added_by == 1000);
  CHECK(w->state == window_state::registered);
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("a window id cannot be registered twice", "[registry]") {
  temp_dir dir;
  auto r = window_registry::open(dir.path / "windows.sqlite");
  REQUIRE(r.value);
  REQUIRE(r.value->add(sample("CHG-1")).ok);
  const auto again = r.value->add(sample("CHG-1"));
  CHECK_FALSE(again.ok);
  CHECK(again.error == "exists");
  CHECK(r.value->list().size() == 1);
}

TEST_CASE("cancelling records the state, the admin and the reason", "[registry]") {
  temp_dir dir;
  auto r = window_registry::open(dir.path / "windows.sqlite");
  REQUIRE(r.value);
  REQUIRE(r.value->add(sample("CHG-1")).ok);
  REQUIRE(r.value->set_state("CHG-1", window_state::cancelled, 0, "postponed").ok);
  const auto w = r.value->find("CHG-1");
  CHECK(w->state == window_state::cancelled);
  CHECK(w->changed_by == 0);
  CHECK(w->reason == "postponed");
  CHECK(r.value->set_state("CHG-9", window_state::cancelled, 0, "x").error == "unknown");
}

TEST_CASE("a registry readable by others is refused", "[registry]") {
  temp_dir dir;
  const auto path = dir.write("windows.sqlite", "", std::filesystem::perms(0644));
  const auto r = window_registry::open(path);
  CHECK_FALSE(r.value);
  CHECK(r.error.find("chmod 600") != std::string::npos);
}

TEST_CASE("a registered window reads back as a policy request", "[registry]") {
  std::string why;
  auto w = sample("CHG-1");
  auto r = to_request(w, why);
  REQUIRE(r);
  CHECK(r->start.is_local());
  CHECK(r->duration == std::chrono::hours(4));
  w.duration.clear();
  w.end = "2026-12-08T12:00:00Z";
  r = to_request(w, why);
  REQUIRE(r);
  CHECK(r->end);
}

TEST_CASE("the control socket admits root and the agent's user, not others outside the group", "[control]") {
  CHECK(peer_allowed({1, 0, 0}, 4321));
  CHECK(peer_allowed({1, std::int64_t(geteuid()), 0}, 4321));
  CHECK(peer_allowed({1, 65534, 4321}, 4321));
  CHECK_FALSE(peer_allowed({1, 65534, 65534}, 4321));
  CHECK_FALSE(peer_allowed({}, 4321));
}
