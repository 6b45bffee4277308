#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace tether::testing {

/// A tether-devsim process serving `devices` simulated Junos devices on ephemeral loopback
/// ports, with its state (inventory, credentials, known_hosts, agent.yaml) in `dir`/devsim.
class devsim_fleet {
 public:
  devsim_fleet(const temp_dir& dir, int devices, std::vector<std::string> extra = {})
      : state_dir(dir / "devsim") {
    std::vector<std::string> argv{std::string(TETHER_BIN_DIR) + "/tether-devsim", "--devices",
                                  std::to_string(devices), "--state-dir", state_dir};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process = std::make_unique<child_process>(argv);
    if (!process->wait_for("listening:", std::chrono::seconds(120)))
      throw std::runtime_error("tether-devsim did not start: " + process->output());
  }

  std::string file(const std::string& name) const { return state_dir + "/" + name; }

  std::string state_dir;
  std::unique_ptr<child_process> process;
};

}  // namespace tether::testing
