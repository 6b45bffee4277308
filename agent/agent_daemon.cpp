#include "agent/agent_daemon.hpp"

#include <grp.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

#include "agent/checkpoint_frame.hpp"
#include "agent/file_text.hpp"
#include "config/config_error.hpp"
#include "config/duration.hpp"
#include "config/identifier.hpp"
#include "transport/component_logger.hpp"

namespace tether::agent {

namespace asio = boost::asio;
using nlohmann::json;
using clock_type = std::chrono::system_clock;

namespace {

constexpr const char* agent_version = "0.1.0";
constexpr std::chrono::milliseconds close_grace{500};

std::shared_ptr<spdlog::logger> policy_log() { return transport::component_logger("policy"); }

std::vector<std::string> config_errors(const std::exception& e) {
  if (const auto* f = dynamic_cast<const config::config_failure*>(&e)) {
    std::vector<std::string> out;
    for (const auto& err : f->errors()) out.push_back(err.to_string());
    return out;
  }
  return {e.what()};
}

std::optional<gid_t> group_id(const std::string& name) {
  std::vector<char> buf(16384);
  group g{};
  group* found = nullptr;
  if (getgrnam_r(name.c_str(), &g, buf.data(), buf.size(), &found) != 0 || found == nullptr)
    return std::nullopt;
  return g.gr_gid;
}

std::string make_private_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return "state folder " + dir + ": " + std::strerror(errno);
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return "state folder " + dir + ": not a folder";
  if ((st.st_mode & 077) != 0) return "state folder " + dir + ": others may enter it; chmod 700 it";
  return {};
}

std::int64_t unix_ms(date::sys_seconds t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string now_utc() {
  return config::format_utc(std::chrono::floor<std::chrono::seconds>(clock_type::now()));
}

json error_reply(const std::string& message) { return {{"ok", false}, {"error", message}}; }

std::string string_field(const json& request, const char* key) {
  auto it = request.find(key);
  return it != request.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// The system clock minus CLOCK_BOOTTIME (which counts through a suspend, unlike the
/// steady clock): it changes only when someone sets the system clock.
std::chrono::nanoseconds system_minus_boottime() {
  timespec boot {};
  ::clock_gettime(CLOCK_BOOTTIME, &boot);
  return clock_type::now().time_since_epoch() -
         (std::chrono::seconds(boot.tv_sec) + std::chrono::nanoseconds(boot.tv_nsec));
}

}  // namespace

agent_daemon::agent_daemon(asio::io_context& io, std::string config_file, handler_factory make_handler,
                           tunnel_result_sink& results, daemon_environment env)
    : io_(io),
      config_file_(std::move(config_file)),
      make_handler_(std::move(make_handler)),
      results_(results),
      env_(std::move(env)),
      timer_(io),
      window_end_(io),
      signals_(io) {}

agent_daemon::~agent_daemon() {
  results_.attach_tunnel(nullptr);
  results_.attach_spool(nullptr);
}

std::vector<std::string> agent_daemon::start() {
  try {
    config_ = config::load_agent_config(config_file_);
  } catch (const std::exception& e) {
    return config_errors(e);
  }
  auto problems = open_state();
  if (!problems.empty()) return problems;
  audit(audit_event::agent_start,
        {{"version", agent_version}, {"pid", ::getpid()}, {"config", config_file_}});
  audit_config_loaded();
  control_ = std::make_unique<control_server>(
      io_, config_.control.socket, control_group_,
      [this](const json& r, const peer_credentials& p) { return control(r, p); });
  if (auto e = control_->start(); !e.empty()) {
    stop("control socket failed");
    return {e};
  }
  signals_.add(SIGHUP);
  signals_.add(SIGTERM);
  signals_.add(SIGINT);
  wait_signal();
  clock_offset_ = system_minus_boottime();
  wait_timer();
  policy_log()->info("tether-agent {} started for site {}; control socket {}", agent_version,
              config_.site, config_.control.socket);
  replan("start");
  return {};
}

std::vector<std::string> agent_daemon::open_state() {
  std::vector<std::string> problems;
  auto settings = transport::client_settings_from(config_.console, config_.site);
  for (auto& e : settings.errors) problems.push_back(config_file_ + ": " + e);
  tunnel_settings_ = settings.value;
  if (auto gid = group_id(config_.control.group))
    control_group_ = *gid;
  else
    problems.push_back(config_file_ + ": control.group: no group \"" + config_.control.group +
                       "\" on this host");
  if (!problems.empty()) return problems;
  if (auto e = make_private_dir(config_.paths.state_dir); !e.empty()) return {e};
  auto opened = open_audit_log(config_.audit.log);
  if (!opened.log) return {"audit log " + config_.audit.log + ": " + opened.error};
  audit_ = std::move(opened.log);
  try {
    audit_->enable_checkpoints(audit_key::load_or_create(config_.audit.key),
                               config_.audit.checkpoint_every,
                               [this](const audit_anchor& a) { on_anchor(a); });
  } catch (const std::exception& e) {
    return {std::string("audit key ") + config_.audit.key + ": " + e.what()};
  }
  if (config_.audit.syslog) {
    syslog_options o;
    o.transport = config_.audit.syslog->transport == "udp" ? syslog_transport::udp
                                                           : syslog_transport::tcp;
    o.host = config_.audit.syslog->host;
    o.port = config_.audit.syslog->port;
    forwarder_ = std::make_unique<syslog_forwarder>(io_.get_executor(), o);
    forwarder_->start();
    audit_->on_written([this](const audit_record& r) { forwarder_->forward(r); });
  }
  auto registry = window_registry::open(config_.paths.state_dir + "/windows.sqlite");
  if (!registry.value) return {registry.error};
  registry_ = std::move(registry.value);
  auto spool = transport::spool::open(config_.paths.state_dir + "/spool.sqlite");
  if (!spool.value) return {spool.error};
  spool_ = std::move(spool.value);
  spool_->abandon_unfinished("the agent restarted while the result was being collected");
  results_.attach_spool(spool_.get());
  return {};
}

void agent_daemon::audit_config_loaded() {
  audit(audit_event::config_loaded,
        {{"path", config_file_}, {"sha256", sha256_hex(read_text(config_file_).value_or(""))}});
}

bool agent_daemon::audit(audit_event event, nlohmann::ordered_json fields) {
  if (!audit_) return false;
  const auto r = audit_->append(event, std::move(fields));
  if (!r.ok)
    transport::component_logger("audit")->error("audit record {} not written: {}",
                                                 event_code(event), r.error);
  return r.ok;
}

void agent_daemon::on_anchor(const audit_anchor& anchor) {
  const auto at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         clock_type::now().time_since_epoch()).count();
  auto frame = checkpoint_frame(anchor, at_ms);
  if (!frame) return;
  // The tunnel keeps the newest and resends it every session until the console ACKs it.
  pending_checkpoint_ = frame;
  if (tunnel_) tunnel_->checkpoint(*frame);
}

void agent_daemon::on_link(const std::shared_ptr<transport::tunnel_client>& client,
                           const transport::link_event& e) {
  if (tunnel_ != client) return;
  using kind = transport::link_event::kind;
  if (e.what == kind::up) {
    tunnel_state_ = "up";
    audit(audit_event::tunnel_up,
          {{"console", e.console_id.empty() ? config_.console.host : e.console_id},
           {"peer_fingerprint", e.peer_fingerprint}});
    return;
  }
  tunnel_state_ = e.what == kind::refused ? "refused: " + e.reason : "connecting";
  audit(audit_event::tunnel_down,
        {{"console", config_.console.host},
         {"reason", (e.what == kind::refused ? "refused: " : "") + e.reason}});
}

void agent_daemon::stop(const std::string& reason) {
  if (stopped_) return;
  stopped_ = true;
  if (open_window_) close_window("agent stopped: " + reason, std::nullopt, -1, true);
  audit(audit_event::agent_stop, {{"reason", reason}});
  if (audit_) audit_->checkpoint();
  if (control_) control_->stop();
  timer_.close();
  boost::system::error_code ignored;
  signals_.cancel(ignored);
  if (forwarder_) forwarder_->stop();
  policy_log()->info("tether-agent stopped: {}", reason);
}

void agent_daemon::reload() {
  config::agent_config fresh;
  transport::tunnel_client_settings_result settings;
  std::vector<std::string> errors;
  try {
    fresh = config::load_agent_config(config_file_);
    settings = transport::client_settings_from(fresh.console, fresh.site);
    errors = settings.errors;  // e.g. a proxy URL the loader let through
  } catch (const std::exception& e) {
    errors = config_errors(e);
  }
  if (!errors.empty() || !settings.value) {
    for (const auto& err : errors) transport::component_logger("config")->error("{}", err);
    transport::component_logger("config")->error("new configuration refused; the old one stays");
    audit(audit_event::config_refused, {{"path", config_file_}, {"errors", errors}});
    return;
  }
  // The policy and the console apply from now on, together; paths, the socket and the
  // audit settings are fixed at start (a restart applies them).
  config_.policy = fresh.policy;
  config_.console = fresh.console;
  tunnel_settings_ = settings.value;
  audit_config_loaded();
  transport::component_logger("config")->info("configuration reloaded from {}", config_file_);
  replan("reload");
  // A tunnel refused for good (a certificate, a pin) is dialled again after a reload.
  if (open_window_ && !tunnel_ && tunnel_settings_) start_tunnel();
}

void agent_daemon::wait_signal() {
  signals_.async_wait([this](boost::system::error_code ec, int sig) {
    if (ec || stopped_) return;
    if (sig == SIGHUP) {
      reload();
      wait_signal();
      return;
    }
    stop(sig == SIGTERM ? "SIGTERM" : "SIGINT");
  });
}

void agent_daemon::wait_timer() {
  timer_.async_wait([this](bool clock_was_set) {
    if (stopped_) return;
    check_clock_jump();
    replan(clock_was_set ? "clock set" : "timer");
    wait_timer();
  });
}

void agent_daemon::check_clock_jump() {
  const auto offset = system_minus_boottime();
  const auto moved = offset - clock_offset_;
  clock_offset_ = offset;
  if (moved <= std::chrono::seconds(1) && moved >= -std::chrono::seconds(1)) return;
  const auto moved_ms = std::chrono::duration_cast<std::chrono::milliseconds>(moved).count();
  policy_log()->warn("the system clock was set: it moved by {} ms against the boot-time clock", moved_ms);
  audit(audit_event::clock_jumped, {{"moved_ms", moved_ms}});
}

plan_input agent_daemon::plan_inputs() const {
  plan_input in;
  in.policy = &config_.policy;
  in.now = clock_type::now();
  in.clock_synchronized = env_.clock_synchronized();
  in.open_window = open_window_;
  for (const auto& w : registry_->list()) {
    if (w.state == window_state::cancelled) continue;
    std::string why;
    auto r = to_request(w, why);
    if (!r) continue;
    planned_window p{*r, std::nullopt};
    if (w.state != window_state::registered) p.spent = to_string(w.state);
    in.windows.push_back(std::move(p));
  }
  return in;
}

void agent_daemon::replan(const char* why) {
  if (stopped_) return;
  plan_ = plan_session(plan_inputs());
  if (open_window_ && plan_.window != open_window_) {
    const bool ended = closes_at_ && clock_type::now() >= *closes_at_;
    close_window(ended ? "window-end" : "window no longer valid (" + plan_.reason + ")",
                 ended ? std::optional(window_state::closed) : std::nullopt, -1, true);
  }
  if (plan_.state != session_state::idle) {
    if (!open_window_) open_window(plan_);
    if (open_window_) {
      if (handler_) handler_->set_closing(plan_.state == session_state::closing);
      send_notices(plan_);
    }
  }
  timer_.arm(plan_.wake_at);
  policy_log()->debug("re-planned on {}: {} {}", why, to_string(plan_.state), plan_.reason);
}

void agent_daemon::open_window(const session_plan& plan) {
  if (!tunnel_settings_) return;
  if (!audit(audit_event::window_opened,
             {{"window", *plan.window}, {"closes_at", config::format_utc(*plan.closes_at)}})) {
    policy_log()->error("window {} not opened: the audit log cannot record it", *plan.window);
    return;
  }
  open_window_ = plan.window;
  closes_at_ = plan.closes_at;
  handler_ = make_handler_(config_, *open_window_, results_, *audit_);
  arm_window_end();
  notices_sent_.clear();
  start_tunnel();
}

// The window lasts as long as it was approved even if the system clock is set back while it
// is open: its length is also measured on the steady clock, and whichever end comes first
// cuts the session.
void agent_daemon::arm_window_end() {
  window_end_.expires_after(*closes_at_ - clock_type::now());
  window_end_.async_wait([this, window = *open_window_](boost::system::error_code ec) {
    if (ec || stopped_ || open_window_ != window) return;
    policy_log()->warn("window {} ends by the steady clock: the system clock was set back", window);
    close_window("window-end", window_state::closed, -1, true);
    replan("window end (steady clock)");
  });
}

void agent_daemon::start_tunnel() {
  auto settings = *tunnel_settings_;
  settings.window_id = *open_window_;
  settings.window_closes_at_ms = unix_ms(*closes_at_);
  auto client = std::make_shared<transport::tunnel_client>(io_, settings, *spool_);
  client->on_request([this](const transport::request& r) {
    if (handler_) handler_->handle(r);
  });
  client->on_cancel([this](std::uint64_t id) {
    if (handler_) handler_->cancel(id);
  });
  std::weak_ptr<transport::tunnel_client> weak = client;
  client->on_link([this, weak](const transport::link_event& e) {
    if (auto c = weak.lock()) on_link(c, e);
  });
  if (pending_checkpoint_) client->checkpoint(*pending_checkpoint_);
  tunnel_ = client;
  tunnel_state_ = "connecting";
  results_.attach_tunnel(client.get());
  policy_log()->info("window {} open until {}: dialling the console", *open_window_,
                     config::format_utc(*closes_at_));
  asio::co_spawn(io_, client->run(), [this, client](std::exception_ptr e, transport::tunnel_result r) {
    if (tunnel_ == client) {
      tunnel_state_ = e ? "failed: internal error" : "failed: " + r.error;
      policy_log()->error("tunnel for window {} ended: {}", open_window_.value_or("?"), r.error);
      audit(audit_event::tunnel_down,
            {{"console", config_.console.host}, {"reason", e ? "internal error" : r.error}});
      pending_checkpoint_ = client->pending_checkpoint();
      results_.attach_tunnel(nullptr);
      tunnel_.reset();
    }
    // The client may only be destroyed after run() returned: release it from the loop.
    asio::post(io_, [client] {});
  });
}

void agent_daemon::send_notices(const session_plan& plan) {
  // Only the nearest notice due goes out, with the minutes really left: a window opened
  // after T-15 says once how long it has, not every notice it missed.
  if (plan.notices_due.empty() || notices_sent_.contains(plan.notices_due.back().count())) return;
  for (auto n : plan.notices_due) notices_sent_.insert(n.count());
  const auto left = std::chrono::ceil<std::chrono::minutes>(*closes_at_ - clock_type::now());
  const std::string text =
      "window " + *open_window_ + " closes in " + std::to_string(left.count()) + " min";
  if (tunnel_) tunnel_->notice(transport::notice_kind::window_closing, unix_ms(*closes_at_), text);
  policy_log()->info("{}", text);
}

void agent_daemon::close_window(const std::string& reason, std::optional<window_state> final_state,
                                std::int64_t uid, bool graceful) {
  const std::string window = *open_window_;
  window_end_.cancel();
  // Partial results are finished as truncated into the spool first, then the segment is
  // sealed, then the cut: whatever is unacknowledged goes in the next window.
  if (handler_) handler_->cut(reason);
  audit(audit_event::window_closed, {{"window", window}, {"reason", reason}});
  if (final_state) registry_->set_state(window, *final_state, uid, reason);
  audit_->checkpoint();
  if (tunnel_) {
    audit(audit_event::tunnel_down, {{"console", config_.console.host}, {"reason", reason}});
    // What the console has not acknowledged yet is offered again in the next window.
    pending_checkpoint_ = tunnel_->pending_checkpoint();
    if (graceful) {
      // NOTICE window_closed and GOAWAY on the way out, but the cut never waits on the
      // console: after close_grace the link is closed whatever it is doing.
      tunnel_->close_for_window_end(reason);
      auto timer = std::make_shared<asio::steady_timer>(io_, close_grace);
      timer->async_wait([timer, client = tunnel_](boost::system::error_code) { client->stop(); });
    } else {
      tunnel_->stop();
    }
    results_.attach_tunnel(nullptr);
    tunnel_.reset();
  }
  tunnel_state_ = "down";
  open_window_.reset();
  closes_at_.reset();
  policy_log()->info("window {} closed: {}", window, reason);
}

// ---- control -------------------------------------------------------------------------

json agent_daemon::control(const json& request, const peer_credentials& peer) {
  const std::string command = string_field(request, "command");
  if (stopped_) return error_reply("the agent is stopping");
  if (command == "status") return status();
  if (command == "window-add") return window_add(request, peer);
  if (command == "window-list") return window_list();
  if (command == "window-show") return window_show(request);
  if (command == "window-cancel") return window_cancel(request, peer);
  if (command == "kill") return kill(request, peer);
  return error_reply("unknown command \"" + command +
                     "\"; expected status, window-add, window-list, window-show, "
                     "window-cancel or kill");
}

json agent_daemon::status() const {
  json out = {{"ok", true}, {"site", config_.site}, {"state", to_string(plan_.state)}};
  out["window"] = plan_.window ? json(*plan_.window) : json(nullptr);
  out["reason"] = plan_.reason;
  if (plan_.closes_at) {
    out["closes_at"] = config::format_utc(*plan_.closes_at);
    out["seconds_left"] = std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::seconds>(*plan_.closes_at - clock_type::now())
               .count());
  }
  if (plan_.next_opens_at) out["next_opens_at"] = config::format_utc(*plan_.next_opens_at);
  out["tunnel"] = tunnel_state_;
  out["requests_in_flight"] = handler_ ? handler_->in_flight() : 0;
  out["spool"] = {{"chunks", spool_->chunk_count()}, {"bytes", spool_->used_bytes()}};
  out["clock_synchronized"] = env_.clock_synchronized();
  return out;
}

std::vector<std::optional<config::window_verdict>> agent_daemon::verdicts(
    const std::vector<registered_window>& windows) const {
  std::vector<config::window_request> requests;
  std::vector<std::size_t> row;  // requests[k] is windows[row[k]]
  for (std::size_t i = 0; i < windows.size(); ++i) {
    std::string why;
    if (auto r = to_request(windows[i], why)) {
      requests.push_back(*r);
      row.push_back(i);
    }
  }
  auto evaluated = config::evaluate(config_.policy, requests, std::nullopt).windows;
  std::vector<std::optional<config::window_verdict>> out(windows.size());
  for (std::size_t k = 0; k < evaluated.size() && k < row.size(); ++k) out[row[k]] = std::move(evaluated[k]);
  return out;
}

json agent_daemon::window_json(const registered_window& w,
                               const std::optional<config::window_verdict>& v) const {
  json out = {{"id", w.id},
              {"start", w.start},
              {"state", to_string(w.state)},
              {"notified_at", w.notified_at},
              {"added_by", w.added_by}};
  if (!w.duration.empty()) out["duration"] = w.duration;
  if (!w.end.empty()) out["end"] = w.end;
  if (w.state != window_state::registered) {
    out["changed_by"] = w.changed_by;
    out["reason"] = w.reason;
  }
  if (v) {
    out["start_utc"] = v->start ? json(config::format_utc(*v->start)) : json(nullptr);
    out["end_utc"] = v->end ? json(config::format_utc(*v->end)) : json(nullptr);
    json reasons = json::array();
    for (const auto& x : v->violations) reasons.push_back(x.to_string());
    out["violations"] = reasons;
    // A registered window whose end passed without it opening (agent down, clock untrusted).
    if (w.state == window_state::registered && v->end && clock_type::now() >= *v->end)
      out["ended"] = true;
  }
  out["open"] = open_window_ == w.id;
  return out;
}

json agent_daemon::window_add(const json& request, const peer_credentials& peer) {
  registered_window w;
  w.id = string_field(request, "id");
  w.start = string_field(request, "start");
  w.duration = string_field(request, "duration");
  w.end = string_field(request, "end");
  w.notified_at = now_utc();
  w.added_by = peer.uid;
  if (!config::is_identifier(w.id)) return error_reply("--change: " + config::identifier_expected(w.id));
  if (w.duration.empty() == w.end.empty()) return error_reply("give exactly one of --duration and --end");
  std::string why;
  auto candidate = to_request(w, why);
  if (!candidate) return error_reply(why);
  if (registry_->find(w.id)) return error_reply("window " + w.id + " is already registered");
  // The policy is checked against every window that still counts (not cancelled).
  std::vector<registered_window> all;
  for (auto& x : registry_->list())
    if (x.state != window_state::cancelled) all.push_back(x);
  all.push_back(w);
  const auto v = *verdicts(all).back();  // the candidate converted above
  json reasons = json::array();
  for (const auto& x : v.violations) reasons.push_back(x.to_string());
  if (v.valid() && v.end && clock_type::now() >= *v.end) reasons.push_back("already-ended");
  if (!reasons.empty())
    return {{"ok", false}, {"error", "window " + w.id + " refused by the site policy"},
            {"reasons", reasons}};
  if (!audit(audit_event::window_added, {{"window", w.id},
                                         {"start", config::format_utc(*v.start)},
                                         {"end", config::format_utc(*v.end)},
                                         {"notified_at", w.notified_at},
                                         {"admin_uid", peer.uid}}))
    return error_reply("the audit log cannot record it; window not added");
  if (auto r = registry_->add(w); !r.ok) return error_reply("window registry: " + r.error);
  policy_log()->info("window {} added by uid {}: {} to {}", w.id, peer.uid, config::format_utc(*v.start),
              config::format_utc(*v.end));
  replan("window added");
  return {{"ok", true}, {"window", window_json(*registry_->find(w.id), v)}};
}

json agent_daemon::window_list() const {
  const auto windows = registry_->list();
  const auto all = verdicts(windows);
  json out = json::array();
  for (std::size_t i = 0; i < windows.size(); ++i) out.push_back(window_json(windows[i], all[i]));
  return {{"ok", true}, {"windows", out}};
}

json agent_daemon::window_show(const json& request) const {
  const std::string id = string_field(request, "id");
  const auto windows = registry_->list();
  const auto all = verdicts(windows);
  for (std::size_t i = 0; i < windows.size(); ++i)
    if (windows[i].id == id)
      return {{"ok", true}, {"window", window_json(windows[i], all[i])}};
  return error_reply("no window " + id);
}

json agent_daemon::window_cancel(const json& request, const peer_credentials& peer) {
  const std::string id = string_field(request, "id");
  std::string reason = string_field(request, "reason");
  if (reason.empty()) reason = "cancelled by the admin";
  const auto w = registry_->find(id);
  if (!w) return error_reply("no window " + id);
  if (open_window_ == id) return error_reply("window " + id + " is open: tetherctl kill ends it");
  if (w->state != window_state::registered)
    return error_reply("window " + id + " is already " + to_string(w->state));
  if (!audit(audit_event::window_cancelled, {{"window", id}, {"admin_uid", peer.uid}, {"reason", reason}}))
    return error_reply("the audit log cannot record it; window not cancelled");
  if (auto r = registry_->set_state(id, window_state::cancelled, peer.uid, reason); !r.ok)
    return error_reply("window registry: " + r.error);
  policy_log()->info("window {} cancelled by uid {}", id, peer.uid);
  replan("window cancelled");
  return {{"ok", true}, {"window", id}, {"state", "cancelled"}};
}

json agent_daemon::kill(const json& request, const peer_credentials& peer) {
  std::string reason = string_field(request, "reason");
  if (reason.empty()) reason = "killed by the admin";
  // The kill happens whatever the audit log says: ending access is always safe.
  audit(audit_event::session_kill, {{"admin_uid", peer.uid}, {"reason", reason}});
  if (!open_window_) {
    if (audit_) audit_->checkpoint();
    return {{"ok", true}, {"killed", nullptr}};
  }
  const std::string window = *open_window_;
  audit(audit_event::window_revoked, {{"window", window}, {"admin_uid", peer.uid}, {"reason", reason}});
  close_window("killed: " + reason, window_state::revoked, peer.uid, false);
  policy_log()->warn("session of window {} killed by uid {}: {}", window, peer.uid, reason);
  replan("kill");
  return {{"ok", true}, {"killed", window}};
}

}  // namespace tether::agent
