#include "agent/request_run.hpp"

#include <boost/asio/co_spawn.hpp>

#include <algorithm>
#include <stdexcept>

#include "agent/audit_event.hpp"
#include "agent/facts_scope.hpp"
#include "collectors/parsers/parser_registry.hpp"
#include "transport/component_logger.hpp"
#include "transport/message_text.hpp"

namespace tether::agent {

namespace asio = boost::asio;
using transport::end_status;
using collectors::collect_status;

/// One device of the run: its result as it grows and where its stream stands.
struct request_run::device_state {
  const collectors::fleet_target* target = nullptr;
  std::uint64_t result_id = 0;
  device_result result;
  std::size_t next = 0;                               // the command now collected
  std::unique_ptr<collectors::redactor> redactor;     // of command `next`, once output came
  std::string pending;                                // its redacted output so far
  std::vector<collect_status> outcomes;
  std::string first_failure;                          // the first non-ok command's message
  std::size_t device_bytes = 0;                       // read from the device
  std::string fingerprint;
  bool done = false;
};

request_run::request_run(asio::any_io_executor executor,
                         std::shared_ptr<const dispatcher_setup> setup, run_outputs out,
                         std::uint64_t request_id, console_request request,
                         std::vector<collectors::fleet_target> targets,
                         std::vector<std::string> commands,
                         const collectors::collector_definition& def)
    : executor_(executor),
      setup_(std::move(setup)),
      out_(out),
      id_(request_id),
      request_(std::move(request)),
      targets_(std::move(targets)),
      commands_(std::move(commands)),
      parser_(def.parser),
      runner_(executor, [&] {
        auto options = setup_->fleet;
        options.limits.timeout = def.timeout;
        options.limits.output_cap = std::size_t(def.output_cap);
        return options;
      }()) {
  for (const auto& t : targets_) {
    auto d = std::make_unique<device_state>();
    d->target = &t;
    d->result.request_id = id_;
    d->result.site = setup_->site;
    d->result.window = setup_->window;
    d->result.device = t.endpoint.device;
    d->result.host = t.endpoint.host;
    d->result.collector = request_.collector;
    for (const auto& c : commands_) {
      result_command command;
      command.command = c;
      d->result.commands.push_back(std::move(command));
    }
    by_name_[t.endpoint.device] = d.get();
    devices_.push_back(std::move(d));
  }
}

request_run::~request_run() = default;

std::optional<request_denial> request_run::open_results() {
  for (auto& d : devices_) {
    const auto w = out_.sink.begin_result(id_, request_.collector, d->result.device);
    if (w.status == transport::spool_status::ok) {
      d->result_id = w.id.result_id;
      continue;
    }
    for (auto& begun : devices_) {
      if (begun->result_id == 0) break;
      out_.sink.finish(begun->result_id, end_status::agent_error, "request refused: " + w.message);
      begun->done = true;
    }
    for (auto& rest : devices_) rest->done = true;
    const bool full = w.status == transport::spool_status::full;
    return request_denial{full ? "spool-full" : "agent-error", "the spool refused a result: " + w.message};
  }
  return std::nullopt;
}

asio::awaitable<void> request_run::drive(std::shared_ptr<request_run> self) {
  co_await self->runner_.run(self->targets_, self->commands_, *self);
}

void request_run::start(std::function<void()> on_done) {
  auto self = shared_from_this();
  asio::co_spawn(executor_, drive(self), [self, on_done = std::move(on_done)](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& what) {
        transport::component_logger("collector")
            ->error("[site={} req={}] device run failed: {}", self->setup_->site, self->id_, what.what());
      }
    }
    // Every command has had its outcome; a device still open here is an internal error.
    try {
      for (auto& d : self->devices_)
        if (!d->done && !self->detached_)
          self->complete(*d, end_status::agent_error, true, "the device run ended without outcomes");
    } catch (const std::exception& what) {
      // Nothing may escape into the io loop.
      transport::component_logger("collector")
          ->error("[site={} req={}] finishing results failed: {}", self->setup_->site, self->id_,
                  what.what());
    }
    if (on_done) on_done();
  });
}

request_run::device_state* request_run::find(const std::string& device) {
  auto it = by_name_.find(device);
  return it == by_name_.end() ? nullptr : it->second;
}

void request_run::progress(const std::string& device, std::string_view state) {
  auto* d = find(device);
  if (d && !d->done && d->result.started_at.empty() && state == "connecting")
    d->result.started_at = utc_now();
}

void request_run::connected(const std::string& device, const collectors::connect_result& link) {
  auto* d = find(device);
  if (!d || d->done || detached_ || !d->fingerprint.empty()) return;
  d->fingerprint = link.host_key_fingerprint;
  nlohmann::ordered_json fields{{"request", id_},
                                {"device", device},
                                {"host_key_fingerprint", link.host_key_fingerprint},
                                {"host", d->result.host},
                                {"collector", request_.collector}};
  const auto a = out_.audit.append(audit_event::device_session_start, std::move(fields));
  if (!a.ok) throw std::runtime_error("the audit log refused device.session_start: " + a.error);
}

asio::awaitable<void> request_run::output(const std::string& device, std::size_t command,
                                          std::string_view chunk) {
  auto* d = find(device);
  if (!d || d->done || detached_ || command != d->next) co_return;
  if (!d->redactor) d->redactor = std::make_unique<collectors::redactor>(setup_->key);
  d->redactor->feed(chunk, d->pending);  // nothing unredacted is kept past this line
  co_return;
}

void request_run::close_command(device_state& d, std::string status, bool truncated) {
  auto& c = d.result.commands[d.next];
  if (d.redactor) {
    d.redactor->finish(d.pending);
    c.redactions = d.redactor->redactions();
    d.redactor.reset();
  }
  c.output = valid_utf8(d.pending);
  d.pending.clear();
  c.status = std::move(status);
  c.truncated = truncated;
}

void request_run::finished(const collectors::command_outcome& o) {
  auto* d = find(o.device);
  if (!d || d->done || detached_ || d->next >= commands_.size()) return;
  close_command(*d, std::string(collectors::to_string(o.status)),
                o.status == collect_status::truncated);
  d->outcomes.push_back(o.status);
  d->device_bytes += o.bytes;
  if (d->fingerprint.empty()) d->fingerprint = o.host_key_fingerprint;
  if (o.status != collect_status::ok && d->first_failure.empty())
    d->first_failure = o.command + ": " + std::string(collectors::to_string(o.status)) +
                       (o.message.empty() ? "" : ": " + o.message);
  if (++d->next < commands_.size()) return;
  const auto status = end_status_of(d->outcomes);
  complete(*d, status, false, status == end_status::ok ? "" : d->first_failure);
}

void request_run::stop(end_status status, const std::string& why) {
  runner_.stop();
  std::vector<device_state*> cut;
  for (auto& d : devices_) {
    if (d->done || detached_) continue;
    std::size_t kept = d->next;
    if (d->next < commands_.size() && (d->redactor || !d->pending.empty())) {
      close_command(*d, "cancelled", true);  // the command cut mid-output keeps what came
      ++kept;
    }
    d->result.commands.resize(kept);
    cut.push_back(d.get());
  }
  complete_all(cut, status, true, "truncated: " + why);
}

void request_run::detach() {
  detached_ = true;
  runner_.stop();
}

void request_run::add_parsed(device_result& result) const {
  if (!parser_ || result.status != end_status::ok) return;
  const auto parser = collectors::find_parser(*parser_);
  if (!parser) return;
  std::vector<std::string> captures;
  for (const auto& c : result.commands) captures.push_back(c.output);
  auto parsed = (*parser)(captures);
  if (*parser_ == "facts" && parsed.is_object()) {
    const auto day = std::chrono::floor<std::chrono::days>(setup_->clock());
    add_scope(parsed, setup_->inventory.find(result.device), setup_->end_of_support, day);
    nlohmann::ordered_json scope = nlohmann::ordered_json::object();
    scope["verdict"] = parsed["scope"];
    scope["check"] = parsed["scope_check"];
    parsed.erase("scope");
    parsed.erase("scope_check");
    result.scope = std::move(scope);
  }
  result.parsed = std::move(parsed);
}

std::size_t request_run::store(device_state& d, const std::string& document, end_status status,
                               const std::string& message, std::vector<audit_log::entry>& not_stored) {
  std::size_t handed = 0;
  while (handed < document.size()) {
    const std::size_t n = std::min<std::size_t>(transport::max_chunk_size, document.size() - handed);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(document.data() + handed);
    const auto w = out_.sink.append(d.result_id, {bytes, n});
    if (w.status != transport::spool_status::ok) {
      not_stored.push_back({audit_event::results_not_stored,
                            {{"request", id_}, {"device", d.result.device}, {"bytes_stored", handed},
                             {"reason", transport::message_text(w.message)}}});
      out_.sink.finish(d.result_id, end_status::agent_error, transport::message_text("result not stored: " + w.message));
      return handed;
    }
    handed += n;
  }
  out_.sink.finish(d.result_id, status, transport::message_text(message));
  return handed;
}

audit_log::entry request_run::conclude(device_state& d, end_status status, bool truncated,
                                       const std::string& message) {
  d.done = true;
  auto& r = d.result;
  r.status = status;
  r.truncated = truncated;
  r.ended_at = utc_now();
  if (r.started_at.empty()) r.started_at = r.ended_at;
  try {
    add_parsed(r);
  } catch (const std::exception& e) {  // parsers do not throw; if one did, the raw result still goes
    transport::component_logger("collector")
        ->error("[site={} req={} dev={}] parser failed: {}", setup_->site, id_, r.device, e.what());
  }
  std::size_t redactions = 0;
  for (const auto& c : r.commands) redactions += c.redactions;
  transport::component_logger("collector")
      ->info("[site={} req={} dev={}] {}: {} command(s), {} bytes read, {} redaction(s)",
             setup_->site, id_, r.device, transport::to_string(status), r.commands.size(), d.device_bytes,
             redactions);
  return {audit_event::device_session_end,
          {{"request", id_},
           {"device", r.device},
           {"commands", r.commands.size()},
           {"bytes", d.device_bytes},
           {"status", std::string(transport::to_string(status))},
           {"redactions", redactions},
           {"host_key_fingerprint", d.fingerprint},
           {"message", transport::message_text(message)}}};
}

void request_run::complete(device_state& d, end_status status, bool truncated,
                           const std::string& message) {
  complete_all({&d}, status, truncated, message);
}

void request_run::complete_all(const std::vector<device_state*>& devices, end_status status,
                               bool truncated, const std::string& message) {
  std::size_t next = 0;
  while (next < devices.size()) next = complete_group(devices, next, status, truncated, message);
}

std::size_t request_run::complete_group(const std::vector<device_state*>& devices, std::size_t first,
                                        end_status status, bool truncated, const std::string& message) {
  std::vector<device_state*> group;
  std::vector<std::string> documents;
  std::vector<audit_log::entry> records;
  std::size_t bytes = 0;
  std::size_t i = first;
  for (; i < devices.size() && bytes < group_budget; ++i) {
    auto& d = *devices[i];
    try {
      // The session's end and the document about to leave, audited before it is handed over.
      auto end = conclude(d, status, truncated, message);
      auto document = result_document(d.result);
      auto sent = results_sent_fields(d, document, status);
      records.push_back(std::move(end));
      records.push_back({audit_event::results_sent, std::move(sent)});
      bytes += document.size();
      documents.push_back(std::move(document));
      group.push_back(&d);
    } catch (const std::exception& what) {
      fail_result(d, std::string("the result could not be finished: ") + what.what());
    }
  }
  audit_append_result audited;
  try {
    audited = out_.audit.append_group(std::move(records));
  } catch (const std::exception& what) {
    audited.error = what.what();
  }
  std::vector<audit_log::entry> not_stored;
  out_.sink.begin_batch();
  for (std::size_t k = 0; k < group.size(); ++k) {
    if (!audited.ok) {  // if the log refuses, nothing leaves
      fail_result(*group[k], "audit log refused: " + audited.error);
      continue;
    }
    try {
      const auto handed = store(*group[k], documents[k], status, message, not_stored);
      record_transcript(*group[k], std::move(documents[k]), handed, status);
    } catch (const std::exception& what) {
      // The sink failed this result (its adapter threw): the others must still be finished.
      transport::component_logger("collector")
          ->error("[site={} req={} dev={}] finishing the result failed: {}", setup_->site, id_,
                  group[k]->result.device, what.what());
    }
  }
  out_.sink.end_batch();
  if (!not_stored.empty()) out_.audit.append_group(std::move(not_stored));
  return i;
}

void request_run::fail_result(device_state& d, const std::string& why) {
  d.done = true;
  transport::component_logger("collector")
      ->error("[site={} req={} dev={}] {}", setup_->site, id_, d.result.device, why);
  try {
    out_.sink.finish(d.result_id, end_status::agent_error, transport::message_text(why));
    record_transcript(d, {}, 0, end_status::agent_error);
  } catch (const std::exception& what) {
    transport::component_logger("collector")
        ->error("[site={} req={} dev={}] ending the result failed: {}", setup_->site, id_,
                d.result.device, what.what());
  }
}

nlohmann::ordered_json request_run::results_sent_fields(const device_state& d, const std::string& document,
                                                        end_status status) const {
  return {{"request", id_},
          {"device", d.result.device},
          {"collector", request_.collector},
          {"sha256", sha256_hex(document)},
          {"bytes", document.size()},
          {"status", std::string(transport::to_string(status))}};
}

transcript_device request_run::transcript_of(const device_state& d, const std::string& handed,
                                            bool whole, end_status status) const {
  const auto& r = d.result;
  transcript_device t;
  t.device = r.device;
  t.status = whole ? std::string(transport::to_string(status)) : "agent_error";
  t.started_at = r.started_at;
  t.ended_at = r.ended_at;
  for (const auto& c : r.commands) t.commands.push_back(command_summary(c));
  t.sha256 = sha256_hex(handed);
  t.bytes = handed.size();
  return t;
}

void request_run::record_transcript(const device_state& d, std::string document, std::size_t handed,
                                    end_status status) {
  const bool whole = handed == document.size();
  document.resize(handed);  // exactly what left
  auto t = transcript_of(d, document, whole, status);
  if (defer_transcripts_) {
    pending_transcripts_.push_back({std::move(t), std::move(document)});
    return;
  }
  out_.transcripts.record_device(setup_->window, id_, t, document);
}

std::size_t request_run::write_pending_transcripts(std::size_t n) {
  std::size_t written = 0;
  for (; written < n && transcripts_pending(); ++written) {
    auto& p = pending_transcripts_[transcripts_written_++];
    out_.transcripts.record_device(setup_->window, id_, p.entry, p.handed);
    p = {};  // its memory goes now
  }
  if (!transcripts_pending()) {
    pending_transcripts_.clear();
    transcripts_written_ = 0;
  }
  return written;
}

}  // namespace tether::agent
