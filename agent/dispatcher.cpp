#include "agent/dispatcher.hpp"

#include <boost/asio/post.hpp>

#include <cstdint>

#include "agent/request_run.hpp"
#include "agent/result_document.hpp"
#include "collectors/command_renderer.hpp"
#include "transport/component_logger.hpp"
#include "transport/message_text.hpp"

namespace tether::agent {

namespace {

namespace asio = boost::asio;
using transport::end_status;

nlohmann::ordered_json json_of(const std::map<std::string, std::string, std::less<>>& params) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [k, v] : params) j[k] = v;
  return j;
}

// The names in `devices`, at most a few, for a message.
std::string some(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 5; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 5) out += " and " + std::to_string(names.size() - 5) + " more";
  return out;
}

std::shared_ptr<spdlog::logger> logger() { return transport::component_logger("collector"); }

}  // namespace

dispatcher::dispatcher(boost::asio::any_io_executor executor, dispatcher_setup setup,
                       result_sink& sink, audit_log& audit, transcript_store& transcripts)
    : executor_(std::move(executor)),
      setup_(std::make_shared<const dispatcher_setup>(std::move(setup))),
      sink_(sink),
      audit_(audit),
      transcripts_(transcripts) {}

dispatcher::~dispatcher() {
  *alive_ = false;
  for (auto& [id, run] : runs_) run->detach();
  for (auto& run : cut_runs_) run->write_pending_transcripts(SIZE_MAX);
}

void deny_request(result_sink& sink, audit_log& audit, const std::string& site, std::uint64_t request_id,
                  const console_request& what, const std::string& reason, const std::string& message) {
  // The message may quote console input: no control bytes reach the log, the audit record
  // or the console's screen.
  const std::string text = transport::message_text(message);
  // A refused request may name thousands of made-up devices: the record keeps the first
  // ones and the count, so one console message cannot make one huge audit line.
  constexpr std::size_t audited_devices = 64;
  const std::size_t kept = std::min(what.devices.size(), audited_devices);
  nlohmann::ordered_json fields{
      {"request", request_id},
      {"engineer", what.engineer},
      {"collector", what.collector},
      {"devices", std::vector<std::string>(what.devices.begin(), what.devices.begin() + long(kept))},
      {"reason", reason},
      {"message", text}};
  if (kept < what.devices.size()) fields["devices_not_listed"] = what.devices.size() - kept;
  logger()->warn("[site={} req={}] denied {}: {}", site, request_id, reason, text);
  // A refusal is safe to send even when the log cannot record it.
  audit.append(audit_event::request_denied, std::move(fields));
  sink.deny(request_id, reason, text);
}

void dispatcher::deny(std::uint64_t request_id, const console_request& what,
                      const std::string& reason, const std::string& message) {
  deny_request(sink_, audit_, setup_->site, request_id, what, reason, message);
}

void dispatcher::handle(const transport::request& request) {
  request_parse_result parsed;
  try {
    parsed = parse_console_request(request.json);
    if (parsed.denied)
      return deny(request.request_id, parsed.partial, parsed.denied->reason, parsed.denied->message);
    if (request.request_id == 0)
      return deny(0, parsed.partial, "malformed-request", "request id 0 is reserved");
    run_checked(request, parsed);
  } catch (const std::exception& e) {
    try {
      logger()->error("[site={} req={}] {}", setup_->site, request.request_id, e.what());
      deny(request.request_id, parsed.partial, "agent-error", std::string("agent error: ") + e.what());
    } catch (...) {
    }
  } catch (...) {
  }
}

request_plan dispatcher::plan(std::uint64_t id, console_request q) const {
  request_plan p;
  auto refuse = [&](std::string reason, std::string message) {
    p.request = std::move(q);
    p.denied = request_denial{std::move(reason), std::move(message)};
    return std::move(p);
  };
  if (closing_)
    return refuse("window-closing", "the change window " + setup_->window + " is closing: no new requests");
  if (runs_.count(id) || transcripts_.has_request(setup_->window, id))
    return refuse("malformed-request",
                  "request id " + std::to_string(id) + " was already used in window " + setup_->window);
  p.collector = setup_->catalog.find(q.collector);
  if (!p.collector) return refuse("unknown-collector", "\"" + q.collector + "\" is not in the catalog");
  if (!p.collector->redact)
    return refuse("redaction-required", "collector " + q.collector + " is marked redact: false in " +
                                            p.collector->defined_in + "; nothing leaves unredacted");
  auto rendered = collectors::render(setup_->catalog, q.collector, q.params);
  if (!rendered.ok()) {
    const bool unknown = rendered.denied->reason == collectors::denial_reason::unknown_collector;
    return refuse(unknown ? "unknown-collector" : "bad-parameter",
                  std::string(collectors::to_string(rendered.denied->reason)) + ": " +
                      rendered.denied->detail);
  }
  p.commands = std::move(rendered.commands);
  p.request = std::move(q);
  if (auto denied = resolve_devices(p)) {
    p.denied = std::move(denied);
    return p;
  }
  if (runs_.size() >= setup_->max_requests)
    p.denied = request_denial{"busy", std::to_string(runs_.size()) +
                                          " requests are running; try again later"};
  return p;
}

std::optional<request_denial> dispatcher::resolve_devices(request_plan& p) const {
  auto& names = p.request.devices;
  if (names.empty())
    for (const auto& d : setup_->inventory.devices) names.push_back(d.name);
  std::vector<std::string> unknown;
  for (const auto& name : names) {
    const auto* d = setup_->inventory.find(name);
    if (!d) {
      unknown.push_back(name);
      continue;
    }
    const auto* login = setup_->logins.find(d->credential);
    if (!login)
      return request_denial{"credential-missing", "device " + name + " uses credential " +
                                                      d->credential + ", which is not configured"};
    p.targets.push_back({{d->name, d->host, d->port, setup_->known_hosts}, *login});
  }
  if (!unknown.empty())
    return request_denial{"device-not-in-inventory", "not in the inventory: " + some(unknown)};
  if (p.targets.empty()) return request_denial{"device-not-in-inventory", "the inventory is empty"};
  return std::nullopt;
}

void dispatcher::run_checked(const transport::request& request, const request_parse_result& parsed) {
  const auto id = request.request_id;
  request_plan p = plan(id, *parsed.request);
  const console_request& q = p.request;
  if (p.denied) return deny(id, q, p.denied->reason, p.denied->message);
  const auto received = audit_.append(
      audit_event::request_received,
      {{"request", id}, {"engineer", q.engineer}, {"collector", q.collector}, {"devices", q.devices},
       {"params", json_of(q.params)}, {"commands", p.commands}});
  if (!received.ok) {
    logger()->error("[site={} req={}] audit log refused request.received: {}", setup_->site, id,
                    received.error);
    sink_.deny(id, "audit-unavailable", "the audit log cannot record the request");
    return;
  }
  transcript_request t{setup_->window, id,        q.engineer, q.collector, json_of(q.params),
                       q.devices,       utc_now(), p.commands};
  if (auto s = transcripts_.begin_request(t); !s.ok())
    return deny(id, q, "agent-error", "the transcript cannot be written: " + s.error);
  start_run(id, std::move(p));
}

void dispatcher::start_run(std::uint64_t id, request_plan p) {
  auto run = std::make_shared<request_run>(executor_, setup_, run_outputs{sink_, audit_, transcripts_},
                                           id, p.request, std::move(p.targets), p.commands,
                                           *p.collector);
  if (auto refused = run->open_results()) return deny(id, p.request, refused->reason, refused->message);
  logger()->info("[site={} req={}] {} asks for {} on {} device(s)", setup_->site, id,
                 p.request.engineer, p.request.collector, p.request.devices.size());
  runs_[id] = run;
  std::weak_ptr<bool> alive = alive_;
  run->start([this, alive, id, raw = run.get()] {
    auto still = alive.lock();
    if (!still || !*still) return;
    // Only this run: a cut or cancel may already have replaced it.
    if (auto it = runs_.find(id); it != runs_.end() && it->second.get() == raw) runs_.erase(it);
  });
}

void dispatcher::cancel(std::uint64_t request_id) {
  auto it = runs_.find(request_id);
  if (it == runs_.end()) return;
  auto run = it->second;
  runs_.erase(it);
  logger()->info("[site={} req={}] cancelled by the console", setup_->site, request_id);
  run->stop(end_status::cancelled, "cancelled by the console");
}

void dispatcher::set_closing(bool closing) { closing_ = closing; }

void dispatcher::cut(const std::string& why) {
  closing_ = true;
  auto runs = std::move(runs_);
  runs_.clear();
  if (!runs.empty())
    logger()->info("[site={}] cutting {} request(s): {}", setup_->site, runs.size(), why);
  for (auto& [id, run] : runs) {
    run->defer_transcripts();
    run->stop(end_status::window_closed, why);
    cut_runs_.push_back(run);
  }
  if (!runs.empty()) write_cut_transcripts_later();
}

void dispatcher::write_cut_transcripts_later() {
  asio::post(executor_, [this, alive = alive_] {
    if (!*alive) return;  // the destructor wrote them
    std::size_t budget = 16;  // transcripts per turn of the io loop
    while (!cut_runs_.empty() && budget > 0) {
      budget -= cut_runs_.back()->write_pending_transcripts(budget);
      if (!cut_runs_.back()->transcripts_pending()) cut_runs_.pop_back();
    }
    if (!cut_runs_.empty()) write_cut_transcripts_later();
  });
}

}  // namespace tether::agent
