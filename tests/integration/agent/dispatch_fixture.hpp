#pragma once

#include <utility>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "agent/audit_log.hpp"
#include "agent/dispatcher.hpp"
#include "agent/failing_audit_sink.hpp"
#include "agent/fleet_setup.hpp"
#include "agent/result_sink.hpp"
#include "agent/transcript_store.hpp"
#include "collectors/collector_catalog.hpp"
#include "collectors/end_of_support.hpp"
#include "tests/support/devsim_fleet.hpp"
#include "tests/support/temp_dir.hpp"

namespace tether::testing {

/// A result as the console would receive it.
struct recorded_result {
  std::uint64_t request_id = 0;
  std::string collector;
  std::string device;
  std::string bytes;
  bool finished = false;
  transport::end_status status = transport::end_status::ok;
  std::string message;
  int writes_after_finish = 0;
  int chunks = 0;
};

/// A result_sink that keeps everything it is given (the daemon's tunnel stands here).
class recording_sink : public agent::result_sink {
 public:
  transport::spool_write begin_result(std::uint64_t request_id, const std::string& collector,
                                      const std::string& device) override {
    if (refuse_begin) return {transport::spool_status::full, {}, "spool full: test"};
    recorded_result r;
    r.request_id = request_id;
    r.collector = collector;
    r.device = device;
    results[next_] = r;
    return {transport::spool_status::ok, {next_++, 0}, {}};
  }
  transport::spool_write append(std::uint64_t result_id,
                                std::span<const std::uint8_t> bytes) override {
    auto& r = results.at(result_id);
    if (r.finished) ++r.writes_after_finish;
    if (refuse_append) return {transport::spool_status::full, {}, "spool full: test"};
    if (bytes.empty() || bytes.size() > transport::max_chunk_size)  // as the spool refuses
      return {transport::spool_status::too_large, {}, "chunk of " + std::to_string(bytes.size())};
    ++r.chunks;
    r.bytes.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return {};
  }
  transport::spool_write finish(std::uint64_t result_id, transport::end_status status,
                                const std::string& message) override {
    auto& r = results.at(result_id);
    if (r.finished) ++r.writes_after_finish;
    r.finished = true;
    r.status = status;
    r.message = message;
    return {};
  }
  void deny(std::uint64_t request_id, const std::string& reason,
            const std::string& message) override {
    denials.push_back({request_id, reason, message});
  }

  /// The results of one request, keyed by device.
  std::map<std::string, recorded_result> of(std::uint64_t request_id) const {
    std::map<std::string, recorded_result> out;
    for (const auto& [id, r] : results)
      if (r.request_id == request_id) out[r.device] = r;
    return out;
  }

  std::map<std::uint64_t, recorded_result> results;
  std::vector<transport::deny> denials;
  bool refuse_begin = false;
  bool refuse_append = false;

 private:
  std::uint64_t next_ = 1;
};

/// A devsim fleet, a real audit log file, a transcript store and a dispatcher over them.
struct dispatch_env {
  explicit dispatch_env(int devices, std::vector<std::string> devsim_flags = {},
                        std::size_t max_requests = 8,
                        std::vector<collectors::catalog_source> overlays = {},
                        int audit_successes = -1)  // >= 0: the log fails after that many records
      : fleet(dir, devices, std::move(devsim_flags)),
        setup(agent::load_fleet_setup(fleet.file("agent.yaml"))),
        transcripts(setup.agent.paths.state_dir) {
    if (audit_successes >= 0) {
      audit = std::make_unique<agent::audit_log>(
          std::make_unique<agent::failing_audit_sink>(std::size_t(audit_successes)));
    } else {
      auto opened = agent::open_audit_log(dir.path / "audit.log");
      if (!opened.log) throw std::runtime_error(opened.error);
      audit = std::move(opened.log);
    }
    const std::string data = std::string(TETHER_SOURCE_DIR) + "/collectors/catalog/";
    std::ifstream shipped(data + "junos.yaml");
    std::stringstream text;
    text << shipped.rdbuf();
    std::vector<collectors::catalog_source> sources{{data + "junos.yaml", text.str()}};
    sources.insert(sources.end(), overlays.begin(), overlays.end());
    collectors::fleet_options options;
    options.ssh.connect_timeout = std::chrono::seconds(20);
    agent::dispatcher_setup s{
        .site = setup.agent.site,
        .window = "CHG-1",
        .inventory = setup.devices,
        .logins = setup.logins,
        .known_hosts = setup.agent.paths.known_hosts,
        .catalog = collectors::build_collector_catalog(sources),
        .key = collectors::site_key::random(),
        .end_of_support = collectors::load_end_of_support_table(data + "junos-eos.yaml"),
        .fleet = options,
        .max_requests = max_requests,
    };
    dispatch = std::make_unique<agent::dispatcher>(io.get_executor(), std::move(s), sink, *audit,
                                                   transcripts);
  }

  /// Stops the dispatcher and lets its device sessions unwind before anything they use goes.
  ~dispatch_env() {
    dispatch.reset();
    io.restart();
    io.run_for(std::chrono::seconds(30));  // returns as soon as no work is left
  }
  dispatch_env(const dispatch_env&) = delete;
  dispatch_env& operator=(const dispatch_env&) = delete;

  /// Sends a REQUEST as the console would.
  void request(std::uint64_t id, const std::string& json) { dispatch->handle({id, json}); }

  /// Runs the io_context until `done` holds or `deadline` passes; returns `done()`.
  bool run_until(const std::function<bool()>& done,
                 std::chrono::seconds deadline = std::chrono::seconds(120)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    io.restart();
    while (!done() && std::chrono::steady_clock::now() < until)
      io.run_one_for(std::chrono::milliseconds(100));
    return done();
  }

  /// The audit records written so far, as JSON.
  std::vector<nlohmann::json> audit_records(const std::string& event = {}) const {
    std::ifstream in(dir.path / "audit.log");
    std::vector<nlohmann::json> out;
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line);
      if (event.empty() || j["event"] == event) out.push_back(j);
    }
    return out;
  }

  temp_dir dir;
  devsim_fleet fleet;
  agent::fleet_setup setup;
  boost::asio::io_context io;
  recording_sink sink;
  std::unique_ptr<agent::audit_log> audit;
  agent::transcript_store transcripts;
  std::unique_ptr<agent::dispatcher> dispatch;
};

}  // namespace tether::testing
