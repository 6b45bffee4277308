#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "devsim/fleet.hpp"
#include "devsim/state_dir.hpp"

namespace tether::devsim {

/// Everything `tether-devsim` was asked for on its command line.
struct simulator_options {
  fleet_options fleet;
  std::string listen = "127.0.0.1";
  std::uint16_t base_port = 0;  // 0: every device on an ephemeral port
  std::string state_dir;
  agent_settings agent;         // password empty: a random one is made
  std::string log_level = "info";  // spdlog level for the devsim logger (stderr)
};

/// Builds the fleet, writes the state directory, listens for every device on one
/// io_context thread, prints `listening: N devices on HOST:P-Q` and serves until SIGINT or
/// SIGTERM. Returns the exit code: 0 after a clean stop, 2 for bad options, 1 when a port
/// or file cannot be had.
int run_simulator(simulator_options options, std::ostream& out, std::ostream& err);

}  // namespace tether::devsim
