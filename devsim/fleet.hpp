#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "devsim/device_identity.hpp"
#include "devsim/fault.hpp"

namespace tether::devsim {

/// What the command line asks the fleet to be.
struct fleet_options {
  std::size_t count = 1;
  std::uint64_t seed = 1;
  std::vector<std::string> faults;        // NAME=KIND[:ARG]
  std::vector<std::string> end_of_support; // names given an End-of-Support release
  std::vector<std::string> unregistered;  // names whose inventory serial differs
};

/// One device of the fleet: who it is, how it misbehaves, and what the inventory says.
struct simulated_device {
  device_identity identity;
  devsim::fault fault;
  std::string inventory_serial;  // the serial written to inventory.yaml
};

/// The fleet, or every problem with the options.
struct fleet {
  std::vector<simulated_device> devices;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;  // allowed, but probably not what was meant

  /// The device named `name` (dev007), or nullptr.
  simulated_device* find(const std::string& name);
};

/// Builds the fleet deterministically from the options; unknown names are errors.
fleet build_fleet(const fleet_options& options);

}  // namespace tether::devsim
