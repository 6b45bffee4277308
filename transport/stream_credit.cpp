#include "transport/stream_credit.hpp"

#include <algorithm>

#include "transport/frame.hpp"

namespace tether::transport {

const char* to_string(credit_status status) {
  switch (status) {
    case credit_status::ok: return "ok";
    case credit_status::exceeded: return "exceeded";
    case credit_status::overflow: return "overflow";
    case credit_status::invalid: return "invalid";
  }
  return "unknown";
}

send_credit::send_credit(std::uint32_t initial)
    : available_(std::min(initial, max_credit_window)) {}

credit_status send_credit::consume(std::size_t bytes) {
  if (bytes == 0) return credit_status::invalid;
  if (bytes > available_) return credit_status::exceeded;
  available_ -= static_cast<std::uint32_t>(bytes);
  return credit_status::ok;
}

credit_status send_credit::grant(std::uint32_t bytes) {
  if (bytes == 0) return credit_status::invalid;
  if (bytes > max_credit_window - available_) return credit_status::overflow;
  available_ += bytes;
  return credit_status::ok;
}

receive_credit::receive_credit(std::uint32_t window)
    : window_(std::min(window, max_credit_window)), outstanding_(window_) {}

credit_status receive_credit::on_data(std::size_t bytes) {
  if (bytes == 0) return credit_status::invalid;
  if (bytes > outstanding_) return credit_status::exceeded;
  outstanding_ -= static_cast<std::uint32_t>(bytes);
  buffered_ += static_cast<std::uint32_t>(bytes);
  return credit_status::ok;
}

std::uint32_t receive_credit::on_consumed(std::size_t bytes) {
  if (bytes == 0 || bytes > buffered_) return 0;
  buffered_ -= static_cast<std::uint32_t>(bytes);
  pending_grant_ += static_cast<std::uint32_t>(bytes);
  // Grant in batches: one CREDIT per half window instead of one per chunk, but never so
  // late that the sender sits idle with a full window of consumed bytes.
  if (pending_grant_ < std::max<std::uint32_t>(1, window_ / 2)) return 0;
  const auto grant = pending_grant_;
  pending_grant_ = 0;
  outstanding_ += grant;
  return grant;
}

}  // namespace tether::transport
