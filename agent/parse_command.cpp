#include "agent/parse_command.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "agent/data_files.hpp"
#include "agent/facts_scope.hpp"
#include "agent/file_text.hpp"
#include "agent/parse_report.hpp"
#include "config/config_error.hpp"
#include "config/inventory.hpp"
#include "config/time_spec.hpp"
#include "collectors/parsers/parser_registry.hpp"

namespace tether::agent {

namespace {

/// What `tetherctl parse` was asked to do.
struct parse_options {
  std::string collector;
  std::vector<std::string> files;
  bool json = false;
  std::string inventory;  // facts only: judge the scope against this inventory
  std::string device;     // ... as this inventory device (default: matched by hostname/serial)
  std::string on;         // ... on this day (default today)
};

// The day the scope is judged on: --on YYYY-MM-DD, or today (UTC).
std::chrono::sys_days scope_day(const std::string& on) {
  if (on.empty()) return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  std::string why;
  auto day = config::parse_date(on, why);
  if (!day) throw std::invalid_argument("--on: " + why);
  return std::chrono::sys_days(date::sys_days(*day).time_since_epoch());
}

void judge_scope(const parse_options& o, nlohmann::ordered_json& facts) {
  const auto inventory = config::load_inventory(o.inventory);
  const auto table = collectors::load_end_of_support_table(shipped_data_file("junos-eos.yaml"));
  const std::optional<std::string> device = o.device.empty() ? std::nullopt
                                                             : std::optional(o.device);
  const config::device* registered = match_device(inventory, facts, device);
  if (device && !registered)
    throw std::invalid_argument("device " + o.device + " is not in the inventory " + o.inventory);
  add_scope(facts, registered, table, scope_day(o.on));
}

int run_parse(const parse_options& o) {
  const auto parser = collectors::find_parser(o.collector);
  if (!parser) {
    std::cerr << "tetherctl parse: unknown collector \"" << o.collector << "\"; known:";
    for (const auto& name : collectors::parser_names()) std::cerr << " " << name;
    std::cerr << "\n";
    return 2;
  }
  std::vector<std::string> captures;
  for (const auto& file : o.files) {
    auto text = read_text(file);
    if (!text) {
      std::cerr << "tetherctl parse: " << file << ": cannot read file\n";
      return 2;
    }
    captures.push_back(std::move(*text));
  }
  auto result = (*parser)(captures);
  if (!o.inventory.empty()) {
    if (o.collector != "facts") {
      std::cerr << "tetherctl parse: --inventory judges the scope of facts only\n";
      return 2;
    }
    try {
      judge_scope(o, result);
    } catch (const std::exception& e) {
      std::cerr << "tetherctl parse: " << e.what() << "\n";
      return 2;
    }
  }
  if (o.json) {
    // Device output is not always valid UTF-8: invalid bytes become U+FFFD, never an abort.
    std::cout << result.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  } else {
    std::cout << parse_report_table(result);
  }
  return 0;
}

}  // namespace

void add_parse_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<parse_options>();
  CLI::App* parse = app.add_subcommand(
      "parse", "Parse saved Junos output (text or | display xml), offline (exit 2 on bad input)");
  std::string names;
  for (const auto& name : collectors::parser_names()) names += (names.empty() ? "" : ", ") + name;
  parse->add_option("collector", options->collector, "Collector whose output the files hold: " + names)
      ->required();
  parse->add_option("files", options->files,
                    "Saved CLI captures (prompts and banners allowed); - reads standard input")
      ->required();
  parse->add_flag("--json", options->json, "Print JSON instead of a table");
  parse->add_option("--inventory", options->inventory,
                    "facts: judge the scope (serial as registered, End of Support) against "
                    "this inventory");
  parse->add_option("--device", options->device,
                    "facts: the inventory device the output came from (default: by hostname, "
                    "then by serial)");
  parse->add_option("--on", options->on, "facts: judge End of Support on this day (YYYY-MM-DD)");
  parse->callback([options, &exit_code] { exit_code = run_parse(*options); });
}

}  // namespace tether::agent
