#pragma once

#include <date/tz.h>

#include "config/time_spec.hpp"

namespace tether::config {

/// How a site-local wall time maps onto instants in its zone.
enum class local_kind {
  unique,       // one instant
  nonexistent,  // skipped by a clock jump forward (DST gap)
  ambiguous,    // passed twice by a clock jump back (DST overlap)
};

/// The instants a wall time stands for. For `nonexistent`, both are the wall time read with
/// the offset in force before the gap (02:30 in a 02:00->03:00 gap is 03:30 after it), as
/// RFC 5545, java.time and Python's zoneinfo do; for `ambiguous`, the first and second pass.
struct local_resolution {
  local_kind kind;
  date::sys_seconds earliest;
  date::sys_seconds latest;
};

/// Resolves `wall` in `zone`.
local_resolution resolve_local(const date::time_zone& zone, date::local_seconds wall);

/// Resolves a time as written: an absolute time is `unique`; a wall time as above.
local_resolution resolve_time(const date::time_zone& zone, const time_spec& t);

/// The first instant whose wall time is at or after `wall` (a gap moves it to the jump).
date::sys_seconds first_instant_at_or_after(const date::time_zone& zone, date::local_seconds wall);

/// The last instant whose wall time is at or before `wall` (an overlap takes its second pass).
date::sys_seconds last_instant_at_or_before(const date::time_zone& zone, date::local_seconds wall);

}  // namespace tether::config
