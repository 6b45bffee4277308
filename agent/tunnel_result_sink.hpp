#pragma once

#include "agent/result_sink.hpp"
#include "transport/spool.hpp"
#include "transport/tunnel_client.hpp"

namespace tether::agent {

/// The dispatcher's result_sink over the daemon's spool and, while a window is open, its
/// tunnel: results always go into the spool first (the tunnel sends them when it can);
/// refusals go to the console through the open tunnel (queued there while it redials), and
/// so does NOTICE spool_pressure when the spool refuses data because the console has not
/// acknowledged enough. Made before the dispatcher and the daemon, which attaches the spool
/// at start and the tunnel per window.
class tunnel_result_sink : public result_sink {
 public:
  /// The spool results are written to (null: every write fails as io_error).
  void attach_spool(transport::spool* s) { spool_ = s; }
  /// The window's tunnel (null between windows).
  void attach_tunnel(transport::tunnel_client* t) { tunnel_ = t; }

  transport::spool_write begin_result(std::uint64_t request_id, const std::string& collector,
                                      const std::string& device) override;
  transport::spool_write append(std::uint64_t result_id,
                                std::span<const std::uint8_t> bytes) override;
  transport::spool_write finish(std::uint64_t result_id, transport::end_status status,
                                const std::string& message) override;
  void deny(std::uint64_t request_id, const std::string& reason, const std::string& message) override;
  void begin_batch() override;
  void end_batch() override;

 private:
  /// Tells the console once that the spool refused data (NOTICE spool_pressure), again
  /// only after a write has gone through since.
  void note_pressure(const transport::spool_write& w);

  transport::spool* spool_ = nullptr;
  transport::tunnel_client* tunnel_ = nullptr;
  bool pressure_told_ = false;
};

}  // namespace tether::agent
