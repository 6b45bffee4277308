#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/signal_set.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/audit_log.hpp"
#include "agent/control_server.hpp"
#include "agent/request_handler.hpp"
#include "agent/session_plan.hpp"
#include "agent/syslog_forwarder.hpp"
#include "agent/tunnel_result_sink.hpp"
#include "agent/wall_clock_timer.hpp"
#include "agent/window_registry.hpp"
#include "config/agent_config.hpp"
#include "transport/spool.hpp"
#include "transport/tunnel_client.hpp"

namespace tether::agent {

/// What the daemon reads from its surroundings, injectable for tests.
struct daemon_environment {
  std::function<bool()> clock_synchronized = kernel_clock_synchronized;
};

/// Builds the request handler of one window when it opens (the dispatcher in tether-agent).
using handler_factory = std::function<std::unique_ptr<request_handler>(
    const config::agent_config& config, const std::string& window, result_sink& results,
    audit_log& audit)>;

/// The tether-agent daemon: the Asio shell around session_plan. One io thread owns it all:
/// the window registry, the wall-clock timer (next deadline or a clock set), signals
/// (SIGHUP reload, SIGTERM/SIGINT stop), the control socket, one tunnel_client per open
/// window, and the audit log with its syslog copy and signed checkpoints.
class agent_daemon {
 public:
  agent_daemon(boost::asio::io_context& io, std::string config_file, handler_factory make_handler,
               tunnel_result_sink& results, daemon_environment env = {});
  ~agent_daemon();
  agent_daemon(const agent_daemon&) = delete;
  agent_daemon& operator=(const agent_daemon&) = delete;

  /// Loads the configuration and opens the state, the audit log and the control socket;
  /// every problem found, and nothing started, when it cannot.
  std::vector<std::string> start();
  /// Ends any session (the window stays registered), audits agent.stop and closes
  /// everything, so that io.run() returns.
  void stop(const std::string& reason);

  /// Answers one control request (exposed for tests; the socket calls it).
  nlohmann::json control(const nlohmann::json& request, const peer_credentials& peer);

 private:
  std::vector<std::string> open_state();
  void reload();
  void replan(const char* why);
  plan_input plan_inputs() const;
  void open_window(const session_plan& plan);
  void arm_window_end();
  void start_tunnel();
  void close_window(const std::string& reason, std::optional<window_state> final_state,
                    std::int64_t uid, bool graceful);
  void send_notices(const session_plan& plan);
  void wait_timer();
  void wait_signal();
  void check_clock_jump();
  bool audit(audit_event event, nlohmann::ordered_json fields);
  /// `config.loaded` with the sha256 of the configuration file.
  void audit_config_loaded();
  void on_anchor(const audit_anchor& anchor);
  void on_link(const std::shared_ptr<transport::tunnel_client>& client,
               const transport::link_event& e);

  nlohmann::json status() const;
  nlohmann::json window_add(const nlohmann::json& request, const peer_credentials& peer);
  nlohmann::json window_list() const;
  nlohmann::json window_show(const nlohmann::json& request) const;
  nlohmann::json window_cancel(const nlohmann::json& request, const peer_credentials& peer);
  nlohmann::json kill(const nlohmann::json& request, const peer_credentials& peer);
  nlohmann::json window_json(const registered_window& w,
                             const std::optional<config::window_verdict>& verdict) const;
  /// Each window's verdict against the others, in the order given; none for a row that cannot
  /// be read as a window.
  std::vector<std::optional<config::window_verdict>> verdicts(const std::vector<registered_window>& windows) const;

  boost::asio::io_context& io_;
  std::string config_file_;
  handler_factory make_handler_;
  std::unique_ptr<request_handler> handler_;  // the open window's, else none
  tunnel_result_sink& results_;
  daemon_environment env_;
  config::agent_config config_;
  gid_t control_group_ = 0;
  std::unique_ptr<audit_log> audit_;
  std::unique_ptr<syslog_forwarder> forwarder_;
  std::unique_ptr<window_registry> registry_;
  std::unique_ptr<transport::spool> spool_;
  std::optional<transport::tunnel_client_settings> tunnel_settings_;
  std::shared_ptr<transport::tunnel_client> tunnel_;
  std::string tunnel_state_ = "down";
  std::unique_ptr<control_server> control_;
  wall_clock_timer timer_;
  boost::asio::steady_timer window_end_;  // the open window's end on the steady clock too
  boost::asio::signal_set signals_;
  session_plan plan_;
  std::optional<std::string> open_window_;
  std::optional<date::sys_seconds> closes_at_;
  std::set<std::chrono::minutes::rep> notices_sent_;
  std::optional<transport::audit_checkpoint> pending_checkpoint_;  // the newest, for the next tunnel
  std::chrono::nanoseconds clock_offset_{0};  // system - boot-time clock at the last look
  bool stopped_ = false;
};

}  // namespace tether::agent
