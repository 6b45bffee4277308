#include "agent/window_dispatcher.hpp"

#include "agent/dispatcher.hpp"
#include "agent/transcript_store.hpp"

namespace tether::agent {

namespace {

/// The dispatcher together with the transcript store it writes into.
class window_dispatcher : public request_handler {
 public:
  window_dispatcher(boost::asio::any_io_executor executor, dispatcher_setup setup,
                    const std::string& state_dir, result_sink& sink, audit_log& audit)
      : transcripts_(state_dir), dispatcher_(std::move(executor), std::move(setup), sink, audit, transcripts_) {}

  void handle(const transport::request& request) override { dispatcher_.handle(request); }
  void cancel(std::uint64_t request_id) override { dispatcher_.cancel(request_id); }
  void set_closing(bool closing) override { dispatcher_.set_closing(closing); }
  void cut(const std::string& why) override { dispatcher_.cut(why); }
  std::size_t in_flight() const override { return dispatcher_.in_flight(); }

 private:
  transcript_store transcripts_;  // before the dispatcher, which refers to it
  dispatcher dispatcher_;
};

/// A window whose setup could not be loaded: every request is denied `agent-error` naming
/// the problem, and audited like any other denial.
class unavailable_window : public request_handler {
 public:
  unavailable_window(std::string site, std::string why, result_sink& sink, audit_log& audit)
      : site_(std::move(site)), why_(std::move(why)), sink_(sink), audit_(audit) {}

  void handle(const transport::request& request) override {
    const auto parsed = parse_console_request(request.json);
    deny_request(sink_, audit_, site_, request.request_id, parsed.partial, "agent-error", why_);
  }
  void cancel(std::uint64_t) override {}
  void set_closing(bool) override {}
  void cut(const std::string&) override {}
  std::size_t in_flight() const override { return 0; }

 private:
  std::string site_;
  std::string why_;
  result_sink& sink_;
  audit_log& audit_;
};

}  // namespace

std::unique_ptr<request_handler> make_window_dispatcher(boost::asio::any_io_executor executor,
                                                        const config::agent_config& config,
                                                        const std::string& window, result_sink& sink,
                                                        audit_log& audit) {
  try {
    auto setup = load_dispatcher_setup(config, window);
    return std::make_unique<window_dispatcher>(std::move(executor), std::move(setup),
                                               config.paths.state_dir, sink, audit);
  } catch (const std::exception& e) {
    const std::string why = std::string("the window's inventory, logins or catalog cannot be loaded: ") + e.what();
    audit.append(audit_event::config_refused, {{"window", window}, {"error", why}});
    return std::make_unique<unavailable_window>(config.site, why, sink, audit);
  }
}

}  // namespace tether::agent
