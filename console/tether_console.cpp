// tether-console: the vendor side. Each subcommand lives in its own file.
#include <CLI/CLI.hpp>

#include "console/agents_command.hpp"
#include "console/ca_command.hpp"
#include "console/cancel_command.hpp"
#include "console/notes_command.hpp"
#include "console/anchors_command.hpp"
#include "console/devices_command.hpp"
#include "console/results_command.hpp"
#include "console/run_command.hpp"
#include "console/serve_command.hpp"
#include "console/show_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"tether-console: the vendor's console for tether agents"};
  app.require_subcommand(1);
  int exit_code = 0;
  tether::console::add_ca_command(app, exit_code);
  tether::console::add_serve_command(app, exit_code);
  tether::console::add_agents_command(app, exit_code);
  tether::console::add_run_command(app, exit_code);
  tether::console::add_results_command(app, exit_code);
  tether::console::add_devices_command(app, exit_code);
  tether::console::add_anchors_command(app, exit_code);
  tether::console::add_show_command(app, exit_code);
  tether::console::add_notes_command(app, exit_code);
  tether::console::add_cancel_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}
