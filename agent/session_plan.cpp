#include "agent/session_plan.hpp"

#include <algorithm>

namespace tether::agent {

namespace {

using clock = std::chrono::system_clock;

void wake_no_later_than(session_plan& p, clock::time_point t) {
  if (!p.wake_at || t < *p.wake_at) p.wake_at = t;
}

std::optional<date::sys_seconds> next_opening(const plan_input& in,
                                              const config::schedule_verdict& v,
                                              date::sys_seconds at) {
  std::optional<date::sys_seconds> next;
  for (std::size_t i = 0; i < v.windows.size(); ++i) {
    const auto& w = v.windows[i];
    if (!w.valid() || !w.start || *w.start <= at || in.windows[i].spent) continue;
    if (!next || *w.start < *next) next = w.start;
  }
  return next;
}

void plan_open(const plan_input& in, session_plan& p, const std::string& window,
               date::sys_seconds closes_at) {
  p.window = window;
  p.closes_at = closes_at;
  const clock::time_point closing_from = closes_at - in.policy->closing_lead;
  p.state = in.now >= closing_from ? session_state::closing : session_state::open;
  if (p.state == session_state::open) wake_no_later_than(p, closing_from);
  for (auto n : closing_notices) {
    const clock::time_point due = closes_at - n;
    if (in.now >= due)
      p.notices_due.push_back(n);
    else
      wake_no_later_than(p, due);
  }
  wake_no_later_than(p, closes_at);
}

}  // namespace

const char* to_string(session_state state) {
  switch (state) {
    case session_state::idle: return "idle";
    case session_state::open: return "open";
    case session_state::closing: return "closing";
  }
  return "idle";
}

session_plan plan_session(const plan_input& in) {
  std::vector<config::window_request> requests;
  for (const auto& w : in.windows) requests.push_back(w.request);
  const auto at = std::chrono::floor<std::chrono::seconds>(in.now);
  const auto verdict = config::evaluate(*in.policy, requests, at);
  const auto& d = *verdict.decision;
  session_plan p;
  p.next_opens_at = next_opening(in, verdict, at);
  if (p.next_opens_at) wake_no_later_than(p, *p.next_opens_at);
  if (!d.allowed) {
    p.reason = d.reason.value_or("no-window");
    return p;
  }
  const auto spent = std::find_if(in.windows.begin(), in.windows.end(), [&](const auto& w) {
    return w.request.id == *d.window;
  })->spent;
  if (spent) {
    p.reason = "window-" + *spent;
    wake_no_later_than(p, *d.closes_at);
    return p;
  }
  const bool already_open = in.open_window == d.window;
  if (!in.clock_synchronized && !in.policy->allow_unsynchronized_clock && !already_open) {
    p.reason = "clock-unsynchronized";
    p.window = d.window;
    p.closes_at = d.closes_at;
    wake_no_later_than(p, std::min<clock::time_point>(in.now + unsynced_recheck, *d.closes_at));
    return p;
  }
  plan_open(in, p, *d.window, *d.closes_at);
  return p;
}

}  // namespace tether::agent
