#include "agent/fleet_setup.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <stdexcept>

namespace tether::agent {

fleet_setup load_fleet_setup(const std::string& config_file) {
  fleet_setup s;
  s.agent = config::load_agent_config(config_file);
  s.devices = config::load_inventory(s.agent.paths.inventory);
  s.logins = config::load_credentials(s.agent.paths.credentials);
  return s;
}

std::vector<collectors::fleet_target> select_targets(const fleet_setup& setup,
                                                     const std::vector<std::string>& names) {
  std::vector<const config::device*> chosen;
  if (names.size() == 1 && names[0] == "all") {
    for (const auto& d : setup.devices.devices) chosen.push_back(&d);
  } else {
    for (const auto& name : names) {
      const config::device* d = setup.devices.find(name);
      if (!d) throw std::invalid_argument("device " + name + " is not in the inventory " +
                                          setup.agent.paths.inventory);
      chosen.push_back(d);
    }
  }
  std::vector<collectors::fleet_target> targets;
  for (const auto* d : chosen) {
    const config::credential* login = setup.logins.find(d->credential);
    if (!login) throw std::invalid_argument("device " + d->name + " uses credential " +
                                            d->credential + ", which is not in " +
                                            setup.agent.paths.credentials);
    targets.push_back({{d->name, d->host, d->port, setup.agent.paths.known_hosts}, *login});
  }
  return targets;
}

std::vector<collectors::command_outcome> run_fleet_now(
    const std::vector<collectors::fleet_target>& targets, const std::vector<std::string>& commands,
    const collectors::fleet_options& options, collectors::fleet_consumer& consumer) {
  boost::asio::io_context io;
  collectors::fleet_runner runner(io.get_executor(), options);
  std::vector<collectors::command_outcome> outcomes;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, runner.run(targets, commands, consumer),
                        [&](std::exception_ptr e, std::vector<collectors::command_outcome> r) {
                          failure = e;
                          outcomes = std::move(r);
                        });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return outcomes;
}

}  // namespace tether::agent
