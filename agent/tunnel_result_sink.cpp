#include "agent/tunnel_result_sink.hpp"

#include <chrono>

#include "transport/component_logger.hpp"

namespace tether::agent {

namespace {

transport::spool_write no_spool() {
  return {transport::spool_status::io_error, {}, "the agent has no spool open"};
}

}  // namespace

transport::spool_write tunnel_result_sink::begin_result(std::uint64_t request_id,
                                                        const std::string& collector,
                                                        const std::string& device) {
  auto w = no_spool();
  if (tunnel_) {
    w = tunnel_->begin_result(request_id, collector, device);
  } else if (spool_) {
    w = spool_->begin_result(request_id, collector, device);
  }
  note_pressure(w);
  return w;
}

transport::spool_write tunnel_result_sink::append(std::uint64_t result_id,
                                                  std::span<const std::uint8_t> bytes) {
  auto w = no_spool();
  if (tunnel_) {
    w = tunnel_->append(result_id, bytes);
  } else if (spool_) {
    w = spool_->append(result_id, bytes);
  }
  note_pressure(w);
  return w;
}

void tunnel_result_sink::note_pressure(const transport::spool_write& w) {
  if (w.status != transport::spool_status::full) {
    if (w.status == transport::spool_status::ok) pressure_told_ = false;
    return;
  }
  transport::component_logger("tunnel")->warn("{}", w.message);
  if (pressure_told_ || !tunnel_) return;
  pressure_told_ = true;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  tunnel_->notice(transport::notice_kind::spool_pressure, now.count(), w.message);
}

transport::spool_write tunnel_result_sink::finish(std::uint64_t result_id,
                                                  transport::end_status status,
                                                  const std::string& message) {
  if (tunnel_) return tunnel_->finish(result_id, status, message);
  return spool_ ? spool_->finish(result_id, status, message) : no_spool();
}

void tunnel_result_sink::begin_batch() {
  if (spool_) spool_->begin_batch();
}

void tunnel_result_sink::end_batch() {
  if (!spool_) return;
  if (const auto error = spool_->end_batch(); !error.empty())
    transport::component_logger("tunnel")->error("spool: syncing the results just written failed: {}", error);
}

void tunnel_result_sink::deny(std::uint64_t request_id, const std::string& reason,
                              const std::string& message) {
  if (tunnel_) {
    tunnel_->deny(request_id, reason, message);
    return;
  }
  // A request can only arrive through a tunnel; without one there is nobody to tell.
  transport::component_logger("tunnel")->warn("request {} denied with no tunnel open: {} ({})",
                                               request_id, reason, message);
}

}  // namespace tether::agent
