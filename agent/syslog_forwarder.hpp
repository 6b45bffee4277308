#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "agent/audit_event.hpp"

namespace tether::agent {

namespace asio = boost::asio;

/// How audit records reach the SIEM: RFC 5424 over UDP, or over TCP with octet counting.
enum class syslog_transport { udp, tcp };

/// Where to forward and how much to hold back while the receiver is away.
struct syslog_options {
  syslog_transport transport = syslog_transport::tcp;
  std::string host = "127.0.0.1";  // an IP address
  std::uint16_t port = 514;
  std::string hostname;            // RFC 5424 HOSTNAME; empty: this machine's name
  std::size_t queue_limit = 10000;
  std::chrono::milliseconds reconnect_delay{1000};
};

/// A copy of the audit log for the SIEM: records are formatted as RFC 5424, queued (bounded)
/// and sent in order; TCP reconnects after a failure and resends the record that failed.
/// The file is the record of truth: when the queue is full new records are not queued, and
/// once it drains a `forwarder.gap` message names the seq range to read from the file.
/// Runs on one executor; call stop() and let the executor finish before destroying it.
class syslog_forwarder {
 public:
  syslog_forwarder(asio::any_io_executor executor, syslog_options options);

  /// Starts the sending loop.
  void start();
  /// Queues `record` for sending; false when the queue is full (the record is counted as
  /// a gap, still in the file).
  bool forward(const audit_record& record);
  /// Closes the socket and ends the loop; queued messages are not sent.
  void stop();

  /// Whether a TCP connection is up (UDP: never).
  bool connected() const { return connected_; }
  /// True once start()ed coroutines have all ended after stop(): safe to destroy.
  bool finished() const { return running_ == 0; }
  /// Messages handed to the network so far.
  std::uint64_t sent() const { return sent_; }
  /// Records not queued (queue full) plus UDP sends that failed.
  std::uint64_t dropped() const { return dropped_; }
  /// Messages waiting to be sent.
  std::size_t queued() const { return queue_.size(); }

 private:
  asio::awaitable<void> run();
  asio::awaitable<bool> connect_tcp();
  asio::awaitable<void> watch_peer(std::uint64_t connection);
  asio::awaitable<bool> send(const std::string& message);
  asio::awaitable<void> wait(asio::steady_timer& timer, std::chrono::milliseconds delay);
  void queue_gap_notice();

  asio::any_io_executor executor_;
  syslog_options options_;
  std::string hostname_;
  asio::ip::tcp::socket tcp_;
  asio::ip::udp::socket udp_;
  asio::steady_timer wake_;
  asio::steady_timer retry_;
  std::deque<std::string> queue_;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> gap_;  // first, last seq not queued
  bool stopped_ = false;
  bool connected_ = false;
  int running_ = 0;
  std::uint64_t connection_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace tether::agent
