#include "console/agents_command.hpp"

#include <cstdio>
#include <iostream>
#include <memory>

#include "console/engineer_client.hpp"
#include "console/engineer_format.hpp"

namespace tether::console {

namespace {

int run_agents(const server_location& where) {
  const auto answer = ask_server(where, {{"op", "agents"}});
  if (!answer.value("ok", false)) return report_failure(where, answer);
  const auto& agents = answer["agents"];
  if (where.json) {
    std::cout << agents.dump(2) << "\n";
    return 0;
  }
  if (agents.empty()) {
    std::cout << "no agent connected\n";
    return 0;
  }
  text_table t({"SITE", "WINDOW", "CONNECTED SINCE", "WINDOW CLOSES AT", "RTT", "SOFTWARE"});
  for (const auto& a : agents) {
    std::string rtt = "-";
    if (a["rtt_ms"].is_number()) {
      char text[32];
      std::snprintf(text, sizeof text, "%.1f ms", a["rtt_ms"].get<double>());
      rtt = text;
    }
    t.add({a.value("site", ""), a.value("window", ""), utc_text(a.value("connected_since_ms", std::int64_t{0})),
           utc_text(a.value("window_closes_at_ms", std::int64_t{0})), rtt, a.value("software", "")});
  }
  std::cout << t.str();
  return 0;
}

}  // namespace

void add_agents_command(CLI::App& app, int& exit_code) {
  auto where = std::make_shared<server_location>();
  auto* cmd = app.add_subcommand("agents", "the connected agents: site, window, connected since, window end, round trip");
  where->add_to(*cmd);
  cmd->callback([where, &exit_code] { exit_code = run_agents(*where); });
}

}  // namespace tether::console
