#include "console/results_command.hpp"

#include <iostream>
#include <memory>
#include <optional>

#include "console/engineer_client.hpp"
#include "console/engineer_format.hpp"

namespace tether::console {

namespace {

struct results_options {
  server_location where;
  std::string site;
  std::optional<std::uint64_t> request;
};

int run_results(const results_options& o) {
  nlohmann::json ask{{"op", "results"}, {"site", o.site}};
  if (o.request) ask["request_id"] = *o.request;
  const auto answer = ask_server(o.where, ask);
  if (!answer.value("ok", false)) return report_failure(o.where, answer);
  if (o.where.json) {
    std::cout << nlohmann::json{{"results", answer["results"]}, {"requests", answer["requests"]}}.dump(2) << "\n";
    return 0;
  }
  text_table t({"ID", "REQUEST", "DEVICE", "COLLECTOR", "STATUS", "BYTES", "SHA256", "FINISHED"});
  for (const auto& r : answer["results"]) {
    const auto sha = r.value("sha256", "");
    t.add({std::to_string(r.value("id", 0)), std::to_string(r.value("request_id", std::uint64_t{0})),
           r.value("device", ""), r.value("collector", ""), r.value("status", ""),
           bytes_text(r.value("bytes", std::uint64_t{0})), sha.empty() ? "-" : sha.substr(0, 16),
           utc_text(r.value("finished_ms", std::int64_t{0}))});
  }
  if (answer["results"].empty()) {
    std::cout << "no results for " << o.site << (o.request ? " request " + std::to_string(*o.request) : "") << "\n";
  } else {
    std::cout << t.str();
  }
  for (const auto& r : answer["requests"]) {
    if (r.value("denied_reason", "").empty()) continue;
    std::cout << "request " << r.value("request_id", std::uint64_t{0}) << " (" << r.value("collector", "")
              << ", " << r.value("engineer", "") << ") denied: " << r.value("denied_reason", "") << ": "
              << r.value("denied_message", "") << "\n";
  }
  return 0;
}

}  // namespace

void add_results_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<results_options>();
  auto* cmd = app.add_subcommand("results", "the results stored for a site (of one request with --request)");
  cmd->add_option("SITE", o->site, "site ID")->required();
  cmd->add_option("--request", o->request, "only this request's results");
  o->where.add_to(*cmd);
  cmd->callback([o, &exit_code] { exit_code = run_results(*o); });
}

}  // namespace tether::console
