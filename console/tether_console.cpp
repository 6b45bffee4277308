// tether-console: the vendor side. Each subcommand lives in its own file.
#include <CLI/CLI.hpp>

#include "console/ca_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"tether-console: the vendor's console for tether agents"};
  app.require_subcommand(1);
  int exit_code = 0;
  tether::console::add_ca_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}
