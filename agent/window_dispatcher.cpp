#include "agent/window_dispatcher.hpp"

#include "agent/dispatcher.hpp"
#include "agent/refusing_request_handler.hpp"
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
    return std::make_unique<refusing_request_handler>(sink, "agent-error", why);
  }
}

}  // namespace tether::agent
