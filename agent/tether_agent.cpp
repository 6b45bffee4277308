// tether-agent: the daemon on the jump host. Thin: the options, the daemon, the io thread.
#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <CLI/CLI.hpp>

#include <boost/asio/io_context.hpp>

#include <iostream>

#include "agent/agent_daemon.hpp"
#include "agent/tunnel_result_sink.hpp"
#include "agent/window_dispatcher.hpp"

int main(int argc, char** argv) {
  CLI::App app{"tether-agent: opens the vendor's tunnel only inside a registered, valid change window"};
  std::string config_file = "/etc/tether/agent.yaml";
  app.add_option("--config", config_file, "The agent configuration (YAML)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  boost::asio::io_context io(1);
  tether::agent::tunnel_result_sink results;
  auto dispatcher_of_window = [&io](const tether::config::agent_config& config, const std::string& window,
                                    tether::agent::result_sink& sink, tether::agent::audit_log& audit) {
    return tether::agent::make_window_dispatcher(io.get_executor(), config, window, sink, audit);
  };
  tether::agent::agent_daemon daemon(io, config_file, dispatcher_of_window, results);
  const auto problems = daemon.start();
  if (!problems.empty()) {
    for (const auto& p : problems) std::cerr << p << "\n";
    return 2;
  }
  std::cerr << "tether-agent ready\n";
  io.run();
  return 0;
}
