#include "agent/syslog_forwarder.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>

#include "agent/rfc5424_format.hpp"

namespace tether::agent {

using asio::redirect_error;
using asio::use_awaitable;
using boost::system::error_code;

syslog_forwarder::syslog_forwarder(asio::any_io_executor executor, syslog_options options)
    : executor_(executor),
      options_(std::move(options)),
      hostname_(options_.hostname.empty() ? local_hostname() : options_.hostname),
      tcp_(executor),
      udp_(executor),
      wake_(executor),
      retry_(executor) {}

void syslog_forwarder::start() {
  ++running_;
  asio::co_spawn(executor_, run(), [this](std::exception_ptr) {
    connected_ = false;
    --running_;
  });
}

bool syslog_forwarder::forward(const audit_record& record) {
  if (stopped_) return false;
  if (queue_.size() >= options_.queue_limit) {
    ++dropped_;
    if (!gap_) gap_.emplace(record.seq, record.seq);
    gap_->second = record.seq;
    return false;
  }
  queue_gap_notice();
  queue_.push_back(format_rfc5424(record, hostname_));
  wake_.cancel();
  return true;
}

// Once there is room again, the SIEM learns which records it must fetch from the file.
void syslog_forwarder::queue_gap_notice() {
  if (!gap_) return;
  audit_record note;
  note.time = format_record_time(std::chrono::system_clock::now());
  note.event = "forwarder.gap";
  note.fields = {{"first_seq", gap_->first}, {"last_seq", gap_->second},
                 {"reason", "forwarding queue full; read these records from the audit log"}};
  note.prev = genesis_hash;
  note.hash = genesis_hash;  // not part of the chain
  queue_.push_back(format_rfc5424(note, hostname_));
  gap_.reset();
}

void syslog_forwarder::stop() {
  stopped_ = true;
  error_code ignored;
  tcp_.close(ignored);
  udp_.close(ignored);
  wake_.cancel();
  retry_.cancel();
}

asio::awaitable<void> syslog_forwarder::wait(asio::steady_timer& timer,
                                             std::chrono::milliseconds delay) {
  error_code ec;
  if (delay.count() < 0)
    timer.expires_at(asio::steady_timer::time_point::max());
  else
    timer.expires_after(delay);
  co_await timer.async_wait(redirect_error(use_awaitable, ec));
}

asio::awaitable<bool> syslog_forwarder::connect_tcp() {
  error_code ec;
  const asio::ip::tcp::endpoint to(asio::ip::make_address(options_.host, ec), options_.port);
  if (ec) co_return false;
  co_await tcp_.async_connect(to, redirect_error(use_awaitable, ec));
  if (ec || stopped_) {
    error_code ignored;
    tcp_.close(ignored);
    co_return false;
  }
  connected_ = true;
  ++running_;
  asio::co_spawn(executor_, watch_peer(++connection_), [this](std::exception_ptr) { --running_; });
  co_return true;
}

// A syslog receiver never sends; a completed read means it closed or reset the connection,
// so the next record waits for a new connection instead of vanishing into a dead socket.
asio::awaitable<void> syslog_forwarder::watch_peer(std::uint64_t connection) {
  std::array<char, 256> buffer{};
  error_code ec;
  while (!ec && !stopped_)
    co_await tcp_.async_read_some(asio::buffer(buffer), redirect_error(use_awaitable, ec));
  if (connection != connection_) co_return;  // a newer connection already replaced this one
  connected_ = false;
  error_code ignored;
  tcp_.close(ignored);
  wake_.cancel();
}

asio::awaitable<bool> syslog_forwarder::send(const std::string& message) {
  error_code ec;
  if (options_.transport == syslog_transport::udp) {
    const asio::ip::udp::endpoint to(asio::ip::make_address(options_.host, ec), options_.port);
    if (!ec && !udp_.is_open()) udp_.open(to.protocol(), ec);
    if (!ec) co_await udp_.async_send_to(asio::buffer(message), to,
                                         redirect_error(use_awaitable, ec));
    co_return !ec;
  }
  const std::string frame = octet_counted(message);
  co_await asio::async_write(tcp_, asio::buffer(frame), redirect_error(use_awaitable, ec));
  if (ec) {
    error_code ignored;
    tcp_.close(ignored);
    connected_ = false;
  }
  co_return !ec;
}

asio::awaitable<void> syslog_forwarder::run() {
  const bool tcp = options_.transport == syslog_transport::tcp;
  while (!stopped_) {
    if (tcp && !tcp_.is_open()) {
      if (!co_await connect_tcp()) co_await wait(retry_, options_.reconnect_delay);
      continue;
    }
    if (queue_.empty()) {
      co_await wait(wake_, std::chrono::milliseconds(-1));
      continue;
    }
    const std::string message = queue_.front();
    if (co_await send(message)) {
      queue_.pop_front();
      ++sent_;
      queue_gap_notice();
    } else if (!tcp) {
      queue_.pop_front();  // UDP has no connection to repair: count it and go on
      ++dropped_;
    }
  }
}

}  // namespace tether::agent
