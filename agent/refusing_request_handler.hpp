#pragma once

#include "agent/request_handler.hpp"
#include "agent/result_sink.hpp"

namespace tether::agent {

/// A request_handler that runs nothing: every REQUEST is denied as `unavailable`. The
/// tether-agent main uses it until the dispatcher is wired in; tests use it as a stand-in.
class refusing_request_handler : public request_handler {
 public:
  explicit refusing_request_handler(result_sink& sink) : sink_(sink) {}

  void handle(const transport::request& request) override {
    sink_.deny(request.request_id, "unavailable", "this agent runs no collectors yet");
  }
  void cancel(std::uint64_t) override {}
  void set_closing(bool closing) override { closing_ = closing; }
  void cut(const std::string&) override { ++cuts_; }
  std::size_t in_flight() const override { return 0; }

  /// Whether the daemon said new requests are refused (T-5 min).
  bool closing() const { return closing_; }
  /// How many times the daemon cut the session.
  int cuts() const { return cuts_; }

 private:
  result_sink& sink_;
  bool closing_ = false;
  int cuts_ = 0;
};

}  // namespace tether::agent
