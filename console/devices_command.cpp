#include "console/devices_command.hpp"

#include <iostream>
#include <memory>

#include "console/engineer_client.hpp"
#include "console/engineer_format.hpp"

namespace tether::console {

namespace {

struct devices_options {
  server_location where;
  std::string site;
};

/// A cell: the value printed safely, "-" when nobody reported it.
std::string cell(const nlohmann::json& value) {
  if (value.is_null()) return "-";
  return printable(value.is_string() ? value.get<std::string>() : value.dump());
}

int run_devices(const devices_options& o) {
  const auto answer = ask_server(o.where, {{"op", "devices"}, {"site", o.site}});
  if (!answer.value("ok", false)) return report_failure(o.where, answer);
  if (o.where.json) {
    std::cout << nlohmann::json{{"site", o.site}, {"devices", answer["devices"]}}.dump(2) << "\n";
    return 0;
  }
  if (answer["devices"].empty()) {
    std::cout << "no facts or alarms results for " << o.site << " yet (run facts and alarms first)\n";
    return 0;
  }
  text_table t({"DEVICE", "HOSTNAME", "MODEL", "RELEASE", "SERIAL", "SCOPE", "ALARMS"});
  for (const auto& d : answer["devices"])
    t.add({cell(d["device"]), cell(d["hostname"]), cell(d["model"]), cell(d["release"]),
           cell(d["serial"]), cell(d["scope"]), cell(d["alarms"])});
  std::cout << t.str();
  return 0;
}

}  // namespace

void add_devices_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<devices_options>();
  auto* cmd = app.add_subcommand(
      "devices", "a site's devices from their newest facts and alarms results: identity, scope, active alarms");
  cmd->add_option("SITE", o->site, "site ID")->required();
  o->where.add_to(*cmd);
  cmd->callback([o, &exit_code] { exit_code = run_devices(*o); });
}

}  // namespace tether::console
