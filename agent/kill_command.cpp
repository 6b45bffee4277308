#include "agent/kill_command.hpp"

#include <iostream>
#include <memory>

#include "agent/control_target.hpp"

namespace tether::agent {

namespace {

struct kill_options {
  control_target target;
  std::string reason;
};

int run(const kill_options& o) {
  const auto reply = o.target.call({{"command", "kill"}, {"reason", o.reason}});
  if (o.target.json) {
    std::cout << reply.dump(2) << "\n";
    return reply.value("ok", false) ? 0 : 2;
  }
  if (!reply.value("ok", false)) {
    std::cerr << reply.value("error", std::string("refused")) << "\n";
    return 2;
  }
  if (reply["killed"].is_null())
    std::cout << "no session was open\n";
  else
    std::cout << "killed the session of window " << reply["killed"].get<std::string>()
              << "; the window is revoked\n";
  return 0;
}

}  // namespace

void add_kill_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<kill_options>();
  CLI::App* kill = app.add_subcommand(
      "kill", "End the vendor's session now, locally, and revoke its window");
  kill->add_option("--reason", o->reason, "Why (goes into the audit log)");
  o->target.add_options(kill);
  kill->callback([o, &exit_code] { exit_code = run(*o); });
}

}  // namespace tether::agent
