#pragma once

#include <utility>  // before Asio (see docs/development.md)

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <list>
#include <string>
#include <vector>

#include "collectors/libssh_session.hpp"

namespace tether::collectors {

/// One device to visit: where it is and how to log in.
struct fleet_target {
  ssh_endpoint endpoint;
  config::credential login;
};

/// The result of one command on one device: exactly one per device and command.
struct command_outcome {
  std::string device;
  std::string command;
  collect_status status = collect_status::error;
  std::string message;
  std::size_t bytes = 0;
  std::string host_key_fingerprint;
  int attempts = 0;
};

/// How hard the runner pushes.
struct fleet_options {
  std::size_t concurrency = 32;
  int max_attempts = 3;  // connection attempts per device, for transient failures only
  std::chrono::milliseconds first_backoff{250};
  ssh_settings ssh;
  command_limits limits;
};

/// What the runner tells its consumer. Output is awaited: the device is not read again until
/// `output` returns, which is the runner's backpressure.
class fleet_consumer {
 public:
  virtual ~fleet_consumer() = default;
  /// A chunk of `command`'s output on `device`, in order.
  virtual asio::awaitable<void> output(const std::string& device, std::size_t command,
                                       std::string_view chunk) = 0;
  /// One command finished (any status).
  virtual void finished(const command_outcome& outcome) = 0;
  /// A device session is up (host key pinned, logged in), before its first command runs.
  /// Throwing here ends that device's remaining commands as errors (e.g. audit refused).
  virtual void connected(const std::string& device, const connect_result& link) {
    (void)device, (void)link;
  }
  /// Progress: a device is connecting, retrying (with the reason) or done.
  virtual void progress(const std::string& device, std::string_view state) { (void)device, (void)state; }
};

/// Runs a list of commands against many devices with bounded concurrency, retrying
/// transient connection failures with exponential backoff and jitter, never
/// authentication or host-key failures.
class fleet_runner {
 public:
  fleet_runner(asio::any_io_executor executor, fleet_options options);

  /// Visits every target; completes when each has one outcome per command.
  asio::awaitable<std::vector<command_outcome>> run(const std::vector<fleet_target>& targets,
                                                    const std::vector<std::string>& commands,
                                                    fleet_consumer& consumer);
  /// Cancels every device session now; unfinished commands end `cancelled`.
  void stop();

 private:
  asio::awaitable<void> worker(const std::vector<fleet_target>& targets,
                               const std::vector<std::string>& commands, fleet_consumer& consumer,
                               std::vector<command_outcome>& outcomes);
  asio::awaitable<void> visit(const fleet_target& target, const std::vector<std::string>& commands,
                              fleet_consumer& consumer, command_outcome* outcomes);
  asio::awaitable<void> visit_commands(const fleet_target& target,
                                       const std::vector<std::string>& commands,
                                       fleet_consumer& consumer, command_outcome* outcomes,
                                       std::size_t& next);
  asio::awaitable<bool> back_off(int attempt);

  asio::any_io_executor executor_;
  fleet_options options_;
  std::size_t next_ = 0;
  bool stopped_ = false;
  std::list<libssh_session*> live_;
  std::list<asio::steady_timer*> sleeping_;  // backoff waits, cut short by stop()
};

}  // namespace tether::collectors
