// tetherctl: the End User admin's command line. Each subcommand lives in its own file.
#include <CLI/CLI.hpp>

#include <iostream>

#include "agent/audit_command.hpp"
#include "agent/collect_command.hpp"
#include "agent/inventory_command.hpp"
#include "agent/kill_command.hpp"
#include "agent/parse_command.hpp"
#include "agent/redact_command.hpp"
#include "agent/session_command.hpp"
#include "agent/status_command.hpp"
#include "agent/window_admin_command.hpp"
#include "agent/window_check_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"tetherctl: control and inspect the tether agent on this jump host"};
  app.require_subcommand(1);
  int exit_code = 0;
  tether::agent::add_window_command(app, exit_code);
  tether::agent::add_window_admin_command(app, exit_code);
  tether::agent::add_status_command(app, exit_code);
  tether::agent::add_kill_command(app, exit_code);
  tether::agent::add_inventory_command(app, exit_code);
  tether::agent::add_collect_command(app, exit_code);
  tether::agent::add_parse_command(app, exit_code);
  tether::agent::add_audit_command(app, exit_code);
  tether::agent::add_redact_command(app, exit_code);
  tether::agent::add_session_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    // A subcommand that cannot go on (bad configuration, unknown device) says why, once here.
    std::cerr << e.what() << "\n";
    return 2;
  }
  return exit_code;
}
