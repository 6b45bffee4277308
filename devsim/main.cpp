// tether-devsim: simulated Junos devices on loopback (see devsim/README.md).
#include <CLI/CLI.hpp>
#include <iostream>

#include "devsim/simulator.hpp"

int main(int argc, char** argv) {
  tether::devsim::simulator_options o;
  CLI::App app{"tether-devsim: simulated Junos devices (libssh server) on loopback"};
  app.add_option("--devices", o.fleet.count, "number of devices, named dev001..devN")->required();
  app.add_option("--listen", o.listen, "address to listen on")->capture_default_str();
  app.add_option("--base-port", o.base_port,
                 "device i listens on base-port + i - 1; 0: ephemeral ports")->capture_default_str();
  app.add_option("--state-dir", o.state_dir,
                 "where host keys, inventory, credentials, known_hosts and agent.yaml go")->required();
  app.add_option("--seed", o.fleet.seed, "same seed and --devices: same fleet")->capture_default_str();
  app.add_option("--fault", o.fleet.faults,
                 "NAME=auth-fail|slow:MS|hang|drop-after:BYTES|huge:MB|hostkey-change|refuse");
  app.add_option("--eos", o.fleet.end_of_support, "NAME: give the device an End-of-Support release");
  app.add_option("--unregistered", o.fleet.unregistered,
                 "NAME: the inventory lists another serial than the device reports");
  app.add_option("--user", o.agent.username, "login name the devices accept")->capture_default_str();
  app.add_option("--password", o.agent.password, "password the devices accept (default: random)");
  app.add_option("--site", o.agent.site, "site id written to agent.yaml")->capture_default_str();
  app.add_option("--timezone", o.agent.timezone, "policy timezone in agent.yaml")->capture_default_str();
  app.add_option("--console", o.agent.console_endpoint, "console endpoint in agent.yaml")->capture_default_str();
  app.add_option("--log-level", o.log_level, "trace, debug, info, warn, error, off (stderr)")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return tether::devsim::run_simulator(std::move(o), std::cout, std::cerr);
}
