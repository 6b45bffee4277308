#include "transport/stream_table.hpp"

namespace tether::transport {

bool may_send(tunnel_role role, frame_type type) {
  switch (type) {
    case frame_type::goaway:
    case frame_type::ping:
    case frame_type::pong:
      return true;
    case frame_type::hello_ack:
    case frame_type::request:
    case frame_type::cancel:
    case frame_type::credit:
    case frame_type::ack:
      return role == tunnel_role::console;
    case frame_type::hello:
    case frame_type::deny:
    case frame_type::open_stream:
    case frame_type::data:
    case frame_type::end_stream:
    case frame_type::notice:
    case frame_type::audit_checkpoint:
      return role == tunnel_role::agent;
  }
  return false;
}

outbound_streams::outbound_streams(std::uint16_t max_streams, std::uint32_t initial_credit)
    : max_streams_(max_streams), initial_credit_(initial_credit) {}

std::optional<std::uint32_t> outbound_streams::open(std::uint64_t result_id) {
  if (streams_.size() >= max_streams_ || last_id_ == 0xffffffffu) return std::nullopt;
  const auto id = ++last_id_;
  streams_.emplace(id, entry{result_id, send_credit(initial_credit_)});
  return id;
}

bool outbound_streams::try_send(std::uint32_t stream, std::size_t bytes) {
  const auto it = streams_.find(stream);
  return it != streams_.end() && it->second.credit.consume(bytes) == credit_status::ok;
}

stream_check outbound_streams::on_credit(const credit& c) {
  if (c.stream == 0 || c.stream > last_id_)
    return {false, 0, "CREDIT for stream " + std::to_string(c.stream) + ", never opened"};
  const auto it = streams_.find(c.stream);
  if (it == streams_.end()) return {};  // crossed our END_STREAM: harmless
  const auto status = it->second.credit.grant(c.bytes);
  if (status != credit_status::ok)
    return {false, 0,
            "CREDIT for stream " + std::to_string(c.stream) + ": " + to_string(status)};
  return {true, it->second.result_id, {}};
}

void outbound_streams::close(std::uint32_t stream) { streams_.erase(stream); }

std::uint32_t outbound_streams::available(std::uint32_t stream) const {
  const auto it = streams_.find(stream);
  return it == streams_.end() ? 0 : it->second.credit.available();
}

inbound_streams::inbound_streams(std::uint16_t max_streams, std::uint32_t initial_credit)
    : max_streams_(max_streams), initial_credit_(initial_credit) {}

stream_check inbound_streams::on_open(const open_stream& f) {
  const auto name = "OPEN_STREAM " + std::to_string(f.stream) + ": ";
  if (f.stream <= last_id_)
    return violation(name + "stream ids must increase (last was " + std::to_string(last_id_) + ")");
  if (streams_.size() >= max_streams_)
    return violation(name + "more than " + std::to_string(max_streams_) + " streams open");
  for (const auto& [id, e] : streams_)
    if (e.result_id == f.result_id)
      return violation(name + "result " + std::to_string(f.result_id) + " is already on stream " +
                       std::to_string(id));
  last_id_ = f.stream;
  streams_.emplace(f.stream, entry{f.result_id, receive_credit(initial_credit_)});
  return {true, f.result_id, {}};
}

stream_check inbound_streams::on_data(const data& f) {
  const auto it = streams_.find(f.stream);
  if (it == streams_.end())
    return violation("DATA on stream " + std::to_string(f.stream) + ", which is not open");
  if (it->second.credit.on_data(f.bytes.size()) != credit_status::ok)
    return violation("DATA on stream " + std::to_string(f.stream) + ": " +
                     std::to_string(f.bytes.size()) + " bytes with " +
                     std::to_string(it->second.credit.outstanding()) + " bytes of credit");
  return {true, it->second.result_id, {}};
}

stream_check inbound_streams::on_end(const end_stream& f) {
  const auto it = streams_.find(f.stream);
  if (it == streams_.end())
    return violation("END_STREAM on stream " + std::to_string(f.stream) + ", which is not open");
  const auto result = it->second.result_id;
  streams_.erase(it);
  return {true, result, {}};
}

std::uint32_t inbound_streams::on_consumed(std::uint32_t stream, std::size_t bytes) {
  const auto it = streams_.find(stream);
  return it == streams_.end() ? 0 : it->second.credit.on_consumed(bytes);
}

}  // namespace tether::transport
