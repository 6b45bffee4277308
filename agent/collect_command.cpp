#include "agent/collect_command.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <map>

#include "agent/data_files.hpp"
#include "agent/facts_scope.hpp"
#include "agent/file_text.hpp"
#include "agent/fleet_setup.hpp"
#include "collectors/collector_catalog.hpp"
#include "collectors/command_allowlist.hpp"
#include "collectors/command_renderer.hpp"
#include "collectors/parsers/parser_registry.hpp"
#include "agent/progress_bar.hpp"
#include "common/text_table.hpp"

namespace tether::agent {

namespace {

namespace asio = boost::asio;

struct collect_options {
  std::string config_file = "/etc/tether/agent.yaml";
  std::vector<std::string> devices;
  std::vector<std::string> commands;
  std::string collector;
  std::vector<std::string> params;
  std::string out_dir;
  std::size_t concurrency = 32;
};

/// The device commands to run and their limits: a catalog collector rendered with its
/// parameters, or the admin's own commands, each checked against the fixed read-only rules.
struct collect_plan {
  std::vector<std::string> commands;
  collectors::command_limits limits;
  std::string collector;               // empty for --command runs
  std::optional<std::string> parser;   // the collector's parser, if it has one
};

collectors::parameter_values parse_params(const std::vector<std::string>& params) {
  collectors::parameter_values values;
  for (const auto& p : params) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      throw std::invalid_argument("--param \"" + p + "\": expected NAME=VALUE");
    values[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return values;
}

collect_plan plan_collect(const collect_options& o, const fleet_setup& setup) {
  collect_plan plan;
  if (o.collector.empty() == o.commands.empty())
    throw std::invalid_argument("give either --collector NAME or --command CMD...");
  if (!o.collector.empty()) {
    const auto catalog = collectors::load_collector_catalog(shipped_data_file("junos.yaml"),
                                                            setup.agent.paths.catalog_dir);
    auto rendered = collectors::render(catalog, o.collector, parse_params(o.params));
    if (!rendered.ok())
      throw std::invalid_argument("collector " + o.collector + " refused: " +
                                  std::string(to_string(rendered.denied->reason)) + ": " +
                                  rendered.denied->detail);
    const auto* def = catalog.find(o.collector);
    plan.commands = rendered.commands;
    plan.collector = o.collector;
    plan.parser = def->parser;
    plan.limits.timeout = def->timeout;
    plan.limits.output_cap = std::size_t(def->output_cap);
    return plan;
  }
  for (const auto& c : o.commands) {
    const auto verdict = collectors::check_command(c);
    if (!verdict.allowed())
      throw std::invalid_argument("--command \"" + c + "\" refused (" +
                                  std::string(to_string(verdict.rule)) + "): " + verdict.detail);
  }
  plan.commands = o.commands;
  return plan;
}

// `show interfaces terse | display xml` -> `show-interfaces-terse-display-xml`.
std::string slug(const std::string& command) {
  std::string out;
  for (char c : command) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_';
    if (keep) out += c;
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.substr(0, 100);
}

/// Writes each command's output to its own file (mode 0600) as it arrives.
class file_consumer : public collectors::fleet_consumer {
 public:
  file_consumer(std::filesystem::path root, const std::vector<std::string>& commands,
                std::size_t total)
      : root_(std::move(root)), commands_(commands), bar_(stderr, total) {}
  ~file_consumer() override {
    for (auto& [key, fd] : files_) close(fd);
  }

  asio::awaitable<void> output(const std::string& device, std::size_t command,
                               std::string_view chunk) override {
    const int fd = file_for(device, command);
    for (std::size_t done = 0; done < chunk.size();) {
      ssize_t n = write(fd, chunk.data() + done, chunk.size() - done);
      if (n < 0) throw std::runtime_error("cannot write " + path_of(device, command).string());
      done += std::size_t(n);
    }
    co_return;
  }
  void finished(const collectors::command_outcome& o) override {
    file_for(o.device, index_of(o.command));  // an empty output is still a file
    bar_.update(++done_, o.device + ": " + o.command);
  }
  std::filesystem::path path_of(const std::string& device, std::size_t command) const {
    char prefix[8];
    std::snprintf(prefix, sizeof prefix, "%02zu-", command + 1);
    return root_ / device / (prefix + slug(commands_[command]) + ".txt");
  }
  void finish() { bar_.finish(); }

 private:
  std::size_t index_of(const std::string& command) const {
    for (std::size_t i = 0; i < commands_.size(); ++i)
      if (commands_[i] == command) return i;
    return 0;
  }
  int file_for(const std::string& device, std::size_t command) {
    auto key = std::make_pair(device, command);
    if (auto it = files_.find(key); it != files_.end()) return it->second;
    std::filesystem::create_directories(root_ / device);
    std::filesystem::permissions(root_ / device, std::filesystem::perms::owner_all);
    const auto path = path_of(device, command);
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + path.string());
    return files_[key] = fd;
  }

  std::filesystem::path root_;
  std::vector<std::string> commands_;
  progress_bar bar_;
  std::size_t done_ = 0;
  std::map<std::pair<std::string, std::size_t>, int> files_;
};

/// Writes DEVICE/COLLECTOR.json beside the raw outputs: the collector's parser applied to
/// them, with the scope verdict for facts. Returns the parsed results in target order.
std::vector<nlohmann::ordered_json> write_parsed(
    const collect_plan& plan, const fleet_setup& setup,
    const std::vector<collectors::fleet_target>& targets, const file_consumer& files) {
  std::vector<nlohmann::ordered_json> results;
  const auto parser = plan.parser ? collectors::find_parser(*plan.parser) : std::nullopt;
  if (!parser) return results;
  const auto table = collectors::load_end_of_support_table(shipped_data_file("junos-eos.yaml"));
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  for (const auto& t : targets) {
    std::vector<std::string> captures;
    for (std::size_t c = 0; c < plan.commands.size(); ++c)
      captures.push_back(read_text(files.path_of(t.endpoint.device, c)).value_or(""));
    auto parsed = (*parser)(captures);
    if (*plan.parser == "facts")
      add_scope(parsed, setup.devices.find(t.endpoint.device), table, today);
    const auto path = files.path_of(t.endpoint.device, 0).parent_path() / (plan.collector + ".json");
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const std::string text =
        parsed.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    const bool written = fd >= 0 && write(fd, text.data(), text.size()) == ssize_t(text.size());
    if (fd >= 0) close(fd);
    if (!written) throw std::runtime_error("cannot write " + path.string());
    results.push_back(std::move(parsed));
  }
  return results;
}

std::string field(const nlohmann::ordered_json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "-";
}

/// One row per device: what it is and whether it is in the service's scope.
std::string facts_table(const std::vector<collectors::fleet_target>& targets,
                        const std::vector<nlohmann::ordered_json>& facts) {
  common::text_table t({"DEVICE", "HOSTNAME", "MODEL", "RELEASE", "SERIAL", "SCOPE", "WHY"});
  for (std::size_t i = 0; i < facts.size(); ++i) {
    const auto& f = facts[i];
    const bool in = field(f, "scope") == "in";
    t.add({targets[i].endpoint.device, field(f, "hostname"), field(f, "model"),
           field(f, "version"), field(f, "serial"), field(f, "scope"),
           in ? "" : field(f["scope_check"], "detail")});
  }
  return t.str();
}

int run_collect(const collect_options& o) {
  const fleet_setup setup = load_fleet_setup(o.config_file);
  const auto targets = select_targets(setup, o.devices);
  const collect_plan plan = plan_collect(o, setup);
  collectors::fleet_options options;
  options.concurrency = o.concurrency;
  options.limits = plan.limits;
  file_consumer consumer(o.out_dir, plan.commands, targets.size() * plan.commands.size());
  const auto outcomes = run_fleet_now(targets, plan.commands, options, consumer);
  consumer.finish();
  const auto parsed = write_parsed(plan, setup, targets, consumer);
  common::text_table t({"DEVICE", "COMMAND", "STATUS", "BYTES", "OUTPUT OR REASON"});
  std::size_t ok = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const auto& r = outcomes[i];
    const bool good = r.status == collectors::collect_status::ok;
    ok += good ? 1 : 0;
    t.add({r.device, r.command, std::string(to_string(r.status)), std::to_string(r.bytes),
           good ? consumer.path_of(r.device, i % plan.commands.size()).string() : r.message});
  }
  std::cout << t.str() << "\n" << ok << " of " << outcomes.size() << " commands ok\n";
  if (plan.parser == "facts") std::cout << "\n" << facts_table(targets, parsed);
  return ok == outcomes.size() ? 0 : 1;
}

}  // namespace

void add_collect_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<collect_options>();
  CLI::App* collect = app.add_subcommand(
      "collect", "Run read-only commands on inventory devices and save each output");
  collect->add_option("--config", o->config_file, "Agent configuration")->capture_default_str();
  collect->add_option("--device", o->devices, "Inventory names, or all")->required();
  collect->add_option("--command", o->commands,
                      "Read-only commands to run, in order (checked against the fixed rules)");
  collect->add_option("--collector", o->collector, "A collector from the catalog, instead");
  collect->add_option("--param", o->params, "NAME=VALUE for the collector's parameters");
  collect->add_option("--out", o->out_dir, "Folder for the outputs")->required();
  collect->add_option("--concurrency", o->concurrency, "Devices at once")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  collect->callback([o, &exit_code] { exit_code = run_collect(*o); });
}

}  // namespace tether::agent
