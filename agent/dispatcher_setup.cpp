#include "agent/dispatcher_setup.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "agent/data_files.hpp"

namespace tether::agent {

dispatcher_setup load_dispatcher_setup(const config::agent_config& agent, const std::string& window) {
  if (mkdir(agent.paths.state_dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw std::runtime_error("state folder " + agent.paths.state_dir + ": " + std::strerror(errno));
  auto key = collectors::load_or_create_site_key(agent.paths.state_dir + "/site.key");
  if (!key.key) throw std::runtime_error(key.error);
  return dispatcher_setup{
      .site = agent.site,
      .window = window,
      .inventory = config::load_inventory(agent.paths.inventory),
      .logins = config::load_credentials(agent.paths.credentials),
      .known_hosts = agent.paths.known_hosts,
      .catalog = collectors::load_collector_catalog(shipped_data_file("junos.yaml"),
                                                    agent.paths.catalog_dir),
      .key = *key.key,
      .end_of_support = collectors::load_end_of_support_table(shipped_data_file("junos-eos.yaml")),
  };
}

}  // namespace tether::agent
