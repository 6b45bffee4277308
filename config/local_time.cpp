#include "config/local_time.hpp"

namespace tether::config {

namespace {
date::sys_seconds with_offset(date::local_seconds wall, std::chrono::seconds offset) {
  return date::sys_seconds(wall.time_since_epoch() - offset);
}
}  // namespace

local_resolution resolve_local(const date::time_zone& zone, date::local_seconds wall) {
  const date::local_info info = zone.get_info(wall);
  switch (info.result) {
    case date::local_info::nonexistent: {
      auto t = with_offset(wall, info.first.offset);
      return {local_kind::nonexistent, t, t};
    }
    case date::local_info::ambiguous:
      return {local_kind::ambiguous, with_offset(wall, info.first.offset),
              with_offset(wall, info.second.offset)};
    default: {
      auto t = with_offset(wall, info.first.offset);
      return {local_kind::unique, t, t};
    }
  }
}

local_resolution resolve_time(const date::time_zone& zone, const time_spec& t) {
  if (!t.is_local()) return {local_kind::unique, t.absolute(), t.absolute()};
  return resolve_local(zone, t.local());
}

date::sys_seconds first_instant_at_or_after(const date::time_zone& zone, date::local_seconds wall) {
  const date::local_info info = zone.get_info(wall);
  if (info.result == date::local_info::nonexistent) return info.first.end;
  return with_offset(wall, info.first.offset);
}

date::sys_seconds last_instant_at_or_before(const date::time_zone& zone, date::local_seconds wall) {
  const date::local_info info = zone.get_info(wall);
  if (info.result == date::local_info::nonexistent) return info.first.end;
  if (info.result == date::local_info::ambiguous) return with_offset(wall, info.second.offset);
  return with_offset(wall, info.first.offset);
}

}  // namespace tether::config
