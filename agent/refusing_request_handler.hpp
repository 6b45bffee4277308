#pragma once

#include <string>
#include <utility>

#include "agent/request_handler.hpp"
#include "agent/result_sink.hpp"

namespace tether::agent {

/// A request_handler that runs nothing: every REQUEST is denied with one reason. Used when a
/// window's dispatcher cannot be set up (the reason names the problem) and as a stand-in in
/// the daemon's tests.
class refusing_request_handler : public request_handler {
 public:
  refusing_request_handler(result_sink& sink, std::string reason, std::string message)
      : sink_(sink), reason_(std::move(reason)), message_(std::move(message)) {}

  void handle(const transport::request& request) override {
    sink_.deny(request.request_id, reason_, message_);
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
  std::string reason_;
  std::string message_;
  bool closing_ = false;
  int cuts_ = 0;
};

}  // namespace tether::agent
