#include "agent/window_check_command.hpp"

#include <iostream>

#include "agent/window_report.hpp"
#include "config/local_time.hpp"
#include "config/policy_file.hpp"
#include "config/windows_file.hpp"

namespace tether::agent {

namespace {

struct check_options {
  std::string policy_file;
  std::string windows_file;
  std::string at;
  bool json = false;
};

// `--at` as an instant; a wall time is read in the site's zone and must be unambiguous.
std::optional<date::sys_seconds> parse_at(const std::string& text,
                                          const config::window_policy& policy) {
  std::string why;
  auto spec = config::parse_time(text, why);
  if (!spec) throw std::invalid_argument("--at: " + why);
  auto r = config::resolve_time(*policy.zone, *spec);
  if (r.kind == config::local_kind::unique) return r.earliest;
  throw std::invalid_argument("--at: \"" + text + "\" " +
                              (r.kind == config::local_kind::ambiguous
                                   ? "happens twice in " + policy.timezone + "; give an offset"
                                   : "does not exist in " + policy.timezone + " (DST gap)"));
}

int run_check(const check_options& o) {
  config::window_policy policy;
  std::vector<config::window_request> windows;
  std::optional<date::sys_seconds> at;
  try {
    policy = config::load_window_policy(o.policy_file);
    windows = config::load_windows(o.windows_file);
    if (!o.at.empty()) at = parse_at(o.at, policy);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  const config::schedule_verdict verdict = config::evaluate(policy, windows, at);
  if (o.json)
    std::cout << window_report_json(verdict).dump(2) << "\n";
  else
    std::cout << window_report_table(policy, windows, verdict, at);
  for (const auto& w : verdict.windows)
    if (!w.valid()) return 1;
  return 0;
}

}  // namespace

void add_window_command(CLI::App& app, int& exit_code) {
  CLI::App* window = app.add_subcommand("window", "Change windows: check a schedule offline; add, list, show, cancel with the daemon");
  window->require_subcommand(1);
  auto options = std::make_shared<check_options>();
  CLI::App* check = window->add_subcommand(
      "check", "Check windows against a site policy, offline (exit 0 valid, 1 invalid, 2 malformed)");
  check->add_option("--policy", options->policy_file, "YAML file with a top-level policy: map")
      ->required();
  check->add_option("--windows", options->windows_file, "YAML file with a top-level windows: list")
      ->required();
  check->add_option("--at", options->at,
                    "Also decide whether the vendor may be connected at this time "
                    "(2026-12-08T10:30:00Z, or site-local 2026-12-08T11:30)");
  check->add_flag("--json", options->json, "Print JSON instead of a table");
  check->callback([options, &exit_code] { exit_code = run_check(*options); });
}

}  // namespace tether::agent
