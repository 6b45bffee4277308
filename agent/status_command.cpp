#include "agent/status_command.hpp"

#include <iostream>
#include <memory>

#include "agent/control_target.hpp"

namespace tether::agent {

namespace {

using nlohmann::json;

std::string text(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "-";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string time_left(const json& s) {
  if (!s.contains("seconds_left")) return "-";
  const auto left = s["seconds_left"].get<std::int64_t>();
  return std::to_string(left / 3600) + "h" + std::to_string(left / 60 % 60) + "m" +
         std::to_string(left % 60) + "s";
}

int run(const control_target& target) {
  const json s = target.call({{"command", "status"}});
  if (target.json) {
    std::cout << s.dump(2) << "\n";
    return s.value("ok", false) ? 0 : 2;
  }
  if (!s.value("ok", false)) {
    std::cerr << text(s, "error") << "\n";
    return 2;
  }
  std::cout << "site:         " << text(s, "site") << "\n"
            << "state:        " << text(s, "state")
            << (s.value("reason", std::string()).empty() ? "" : " (" + text(s, "reason") + ")") << "\n"
            << "window:       " << text(s, "window") << "\n"
            << "closes at:    " << text(s, "closes_at") << "\n"
            << "time left:    " << time_left(s) << "\n"
            << "next opens:   " << text(s, "next_opens_at") << "\n"
            << "tunnel:       " << text(s, "tunnel") << "\n"
            << "in flight:    " << text(s, "requests_in_flight") << "\n"
            << "spool:        " << text(s["spool"], "chunks") << " chunks, "
            << text(s["spool"], "bytes") << " bytes\n"
            << "clock synced: " << text(s, "clock_synchronized") << "\n";
  return 0;
}

}  // namespace

void add_status_command(CLI::App& app, int& exit_code) {
  auto target = std::make_shared<control_target>();
  CLI::App* status = app.add_subcommand("status", "The daemon's window, tunnel, requests and spool");
  target->add_options(status);
  status->callback([target, &exit_code] { exit_code = run(*target); });
}

}  // namespace tether::agent
