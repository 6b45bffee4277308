#pragma once

#include <utility>  // before Asio (see docs/development.md)

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/audit_log.hpp"
#include "agent/console_request.hpp"
#include "agent/dispatcher_setup.hpp"
#include "agent/result_document.hpp"
#include "agent/result_sink.hpp"
#include "agent/transcript_store.hpp"
#include "collectors/fleet_runner.hpp"
#include "collectors/redactor.hpp"

namespace tether::agent {

/// Where a run writes: results to the sink, events to the audit log, transcripts to disk.
struct run_outputs {
  result_sink& sink;
  audit_log& audit;
  transcript_store& transcripts;
};

/// One accepted request running: a fleet of device sessions whose output is redacted as it
/// arrives and, per device, turned into one result document that goes to the sink, the
/// transcript and the audit log. Lives as long as its fleet's coroutines (shared).
class request_run : public collectors::fleet_consumer,
                    public std::enable_shared_from_this<request_run> {
 public:
  request_run(boost::asio::any_io_executor executor,
              std::shared_ptr<const dispatcher_setup> setup, run_outputs out,
              std::uint64_t request_id, console_request request,
              std::vector<collectors::fleet_target> targets,
              std::vector<std::string> commands, const collectors::collector_definition& def);

  ~request_run() override;
  request_run(const request_run&) = delete;
  request_run& operator=(const request_run&) = delete;

  /// Registers one result per device with the sink; on a refusal, finishes those already
  /// begun (agent_error) and returns the deny reason and message.
  std::optional<request_denial> open_results();
  /// Starts the device sessions; `on_done` runs when the fleet has ended.
  void start(std::function<void()> on_done);
  /// Stops every device session now and finishes each unfinished result as `status`
  /// (window_closed, cancelled), truncated, with the commands done so far.
  void stop(transport::end_status status, const std::string& why);
  /// From now on transcripts are kept for write_pending_transcripts() instead of being
  /// written at once: a window's cut writes hundreds of files, and the cut must not wait.
  void defer_transcripts() { defer_transcripts_ = true; }
  /// Writes up to `n` pending transcripts; returns how many it wrote.
  std::size_t write_pending_transcripts(std::size_t n);
  /// Whether transcripts are still waiting for write_pending_transcripts().
  bool transcripts_pending() const { return transcripts_written_ < pending_transcripts_.size(); }
  /// Stops the sessions and writes nothing more (the dispatcher is going away).
  void detach();

  boost::asio::awaitable<void> output(const std::string& device, std::size_t command,
                               std::string_view chunk) override;
  void finished(const collectors::command_outcome& outcome) override;
  void connected(const std::string& device, const collectors::connect_result& link) override;
  void progress(const std::string& device, std::string_view state) override;

 private:
  struct device_state;

  static boost::asio::awaitable<void> drive(std::shared_ptr<request_run> self);
  device_state* find(const std::string& device);
  void close_command(device_state& d, std::string status, bool truncated);
  void complete(device_state& d, transport::end_status status, bool truncated,
                const std::string& message);
  /// Finishes several devices at once: their audit records in one write, their results in
  /// one spool batch, so cutting hundreds costs a few syncs, not hundreds. Devices are
  /// taken in groups of at most about `group_budget` bytes of documents.
  void complete_all(const std::vector<device_state*>& devices, transport::end_status status,
                    bool truncated, const std::string& message);
  /// One group of complete_all from devices[first]; returns where the next group starts.
  std::size_t complete_group(const std::vector<device_state*>& devices, std::size_t first,
                             transport::end_status status, bool truncated, const std::string& message);
  /// Ends `d`'s result as agent_error with `why` (logged, and in its END and transcript).
  void fail_result(device_state& d, const std::string& why);
  static constexpr std::size_t group_budget = 64 * 1024 * 1024;
  /// Marks `d` done with its final status and parsed result; returns its session_end record.
  audit_log::entry conclude(device_state& d, transport::end_status status, bool truncated,
                            const std::string& message);
  /// The results.sent record of `document` about to leave for `d`.
  nlohmann::ordered_json results_sent_fields(const device_state& d, const std::string& document,
                                             transport::end_status status) const;
  /// Records the transcript of the first `handed` bytes of `document` (what left for `d`),
  /// now or (deferred) later.
  void record_transcript(const device_state& d, std::string document, std::size_t handed,
                         transport::end_status status);
  /// A transcript entry for `handed`, what left for `d`; `whole`: all of its document.
  transcript_device transcript_of(const device_state& d, const std::string& handed, bool whole,
                                  transport::end_status status) const;
  void add_parsed(device_result& result) const;
  /// Hands `document` to the sink in chunks and ends the result; returns how many bytes
  /// were handed. A refusal ends it agent_error and adds a results.not_stored record to
  /// `not_stored`.
  std::size_t store(device_state& d, const std::string& document, transport::end_status status,
                    const std::string& message, std::vector<audit_log::entry>& not_stored);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<const dispatcher_setup> setup_;
  run_outputs out_;
  std::uint64_t id_;
  console_request request_;
  std::vector<collectors::fleet_target> targets_;
  std::vector<std::string> commands_;
  std::optional<std::string> parser_;
  collectors::fleet_runner runner_;
  std::vector<std::unique_ptr<device_state>> devices_;
  std::map<std::string, device_state*, std::less<>> by_name_;
  bool detached_ = false;
  bool defer_transcripts_ = false;
  struct pending_transcript {
    transcript_device entry;
    std::string handed;
  };
  std::vector<pending_transcript> pending_transcripts_;
  std::size_t transcripts_written_ = 0;  // of pending_transcripts_
};

}  // namespace tether::agent
