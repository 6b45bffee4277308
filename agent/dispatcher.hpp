#pragma once

#include <utility>  // before Asio (see docs/development.md)

#include <boost/asio/any_io_executor.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/audit_log.hpp"
#include "agent/console_request.hpp"
#include "agent/dispatcher_setup.hpp"
#include "agent/request_handler.hpp"
#include "agent/result_sink.hpp"
#include "agent/transcript_store.hpp"

namespace tether::agent {

class request_run;

/// A console request checked against the window, catalog and inventory: what to run where,
/// or why not.
struct request_plan {
  console_request request;  // devices resolved (absent: the whole inventory)
  const collectors::collector_definition* collector = nullptr;
  std::vector<std::string> commands;
  std::vector<collectors::fleet_target> targets;
  std::optional<request_denial> denied;
};

/// Refuses request `request_id`: a `request.denied` audit record (engineer, collector, the
/// first devices, reason, message) and a DENY to the console, even when the log cannot
/// record it. The message is made safe for the wire and the log first.
void deny_request(result_sink& sink, audit_log& audit, const std::string& site, std::uint64_t request_id,
                  const console_request& what, const std::string& reason, const std::string& message);

/// Runs the console's requests in one window: console request -> strict JSON, catalog,
/// parameters, inventory and window checks -> fleet of device sessions -> redaction ->
/// parsing and scope -> result documents into the sink, the transcript and the audit log.
/// A refusal goes back with a stable reason and into the audit log (`request.denied`).
/// Used on one io thread; the sink, audit log and transcript store must outlive the
/// io_context's pending work.
class dispatcher : public request_handler {
 public:
  dispatcher(boost::asio::any_io_executor executor, dispatcher_setup setup, result_sink& sink,
             audit_log& audit, transcript_store& transcripts);
  /// Stops every device session; nothing more is written for them. Transcripts a cut left
  /// pending are written now.
  ~dispatcher() override;
  dispatcher(const dispatcher&) = delete;
  dispatcher& operator=(const dispatcher&) = delete;

  void handle(const transport::request& request) override;
  void cancel(std::uint64_t request_id) override;
  void set_closing(bool closing) override;
  void cut(const std::string& why) override;
  std::size_t in_flight() const override { return runs_.size(); }

 private:
  void run_checked(const transport::request& request, const request_parse_result& parsed);
  request_plan plan(std::uint64_t id, console_request request) const;
  std::optional<request_denial> resolve_devices(request_plan& plan) const;
  void start_run(std::uint64_t id, request_plan plan);
  void deny(std::uint64_t request_id, const console_request& what, const std::string& reason,
            const std::string& message);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<const dispatcher_setup> setup_;
  result_sink& sink_;
  audit_log& audit_;
  transcript_store& transcripts_;
  bool closing_ = false;
  /// After a cut: writes a few of the cut runs' transcripts, then yields to the io loop (the
  /// closing tunnel and device sessions go first) and comes back for the rest.
  void write_cut_transcripts_later();

  std::map<std::uint64_t, std::shared_ptr<request_run>> runs_;
  std::vector<std::shared_ptr<request_run>> cut_runs_;  // with transcripts still to write
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // checked by finished runs
};

}  // namespace tether::agent
