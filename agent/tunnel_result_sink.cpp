#include "agent/tunnel_result_sink.hpp"

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
  if (tunnel_) return tunnel_->begin_result(request_id, collector, device);
  return spool_ ? spool_->begin_result(request_id, collector, device) : no_spool();
}

transport::spool_write tunnel_result_sink::append(std::uint64_t result_id,
                                                  std::span<const std::uint8_t> bytes) {
  if (tunnel_) return tunnel_->append(result_id, bytes);
  return spool_ ? spool_->append(result_id, bytes) : no_spool();
}

transport::spool_write tunnel_result_sink::finish(std::uint64_t result_id,
                                                  transport::end_status status,
                                                  const std::string& message) {
  if (tunnel_) return tunnel_->finish(result_id, status, message);
  return spool_ ? spool_->finish(result_id, status, message) : no_spool();
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
