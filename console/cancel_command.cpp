#include "console/cancel_command.hpp"

#include <iostream>
#include <memory>

#include "console/engineer_client.hpp"

namespace tether::console {

namespace {

struct cancel_options {
  server_location where;
  std::string site;
  std::uint64_t request = 0;
};

int run_cancel(const cancel_options& o) {
  const auto answer = ask_server(o.where, {{"op", "cancel"}, {"site", o.site}, {"request_id", o.request}});
  if (!answer.value("ok", false)) return report_failure(o.where, answer);
  if (o.where.json) {
    std::cout << answer.dump() << "\n";
  } else {
    std::cout << "cancel of request " << o.request << " sent to " << o.site << "\n";
  }
  return 0;
}

}  // namespace

void add_cancel_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<cancel_options>();
  auto* cmd = app.add_subcommand("cancel", "stop a request's runs at the site's agent (they end cancelled)");
  cmd->add_option("SITE", o->site, "site ID")->required();
  cmd->add_option("REQUEST_ID", o->request, "the request id `run` printed")->required();
  o->where.add_to(*cmd);
  cmd->callback([o, &exit_code] { exit_code = run_cancel(*o); });
}

}  // namespace tether::console
