#include "agent/control_target.hpp"

#include <stdexcept>

#include "agent/control_client.hpp"
#include "config/agent_config.hpp"

namespace tether::agent {

void control_target::add_options(CLI::App* command) {
  command->add_option("--config", config_file, "The agent configuration naming the control socket");
  command->add_option("--socket", socket, "The daemon's control socket (instead of --config)");
  command->add_flag("--json", json, "Print the daemon's JSON answer");
}

std::string control_target::socket_path() const {
  if (!socket.empty()) return socket;
  return config::load_agent_config(config_file).control.socket;
}

nlohmann::json control_target::call(const nlohmann::json& request) const {
  auto r = call_control(socket_path(), request);
  if (!r.reply) throw std::runtime_error(r.error);
  return *r.reply;
}

}  // namespace tether::agent
