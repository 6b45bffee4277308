#pragma once

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/run_process.hpp"

namespace tether::testing {

inline const std::string tether_agent_bin = std::string(TETHER_BIN_DIR) + "/tether-agent";
inline const std::string tetherctl_bin = std::string(TETHER_BIN_DIR) + "/tetherctl";

/// A tether-agent a test starts on its configuration, and tetherctl against its control
/// socket, as the site admin would run it.
struct agent_process {
  std::string socket;  ///< the configuration's control socket
  std::unique_ptr<child_process> agent;

  /// Starts the daemon on `config` and waits for it to be ready.
  void start(const std::string& config) {
    agent = std::make_unique<child_process>(std::vector<std::string>{tether_agent_bin, "--config", config});
    REQUIRE(agent->wait_for("tether-agent ready"));
  }
  /// `tetherctl ARGS --socket SOCKET --json`.
  process_result ctl(std::vector<std::string> args) const {
    args.insert(args.begin(), tetherctl_bin);
    args.insert(args.end(), {"--socket", socket, "--json"});
    return run_process(args);
  }
  /// `tetherctl status`, which must succeed.
  nlohmann::json status() const {
    const auto r = ctl({"status"});
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  }
};

}  // namespace tether::testing
