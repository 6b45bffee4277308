#include "agent/inventory_command.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <fstream>
#include <iostream>
#include <map>

#include "agent/fleet_setup.hpp"
#include "agent/progress_bar.hpp"
#include "common/text_table.hpp"

namespace tether::agent {

namespace {

namespace asio = boost::asio;
using collectors::collect_status;

struct inventory_options {
  std::string config_file = "/etc/tether/agent.yaml";
  std::vector<std::string> devices{"all"};
  std::size_t concurrency = 32;
  bool yes = false;
};

/// Keeps `show version` per device and draws progress.
struct check_consumer : collectors::fleet_consumer {
  std::map<std::string, std::string> version_output;
  progress_bar bar;
  std::size_t done = 0;
  explicit check_consumer(std::size_t total) : bar(stderr, total) {}
  asio::awaitable<void> output(const std::string& device, std::size_t,
                               std::string_view chunk) override {
    auto& text = version_output[device];
    if (text.size() < 64 * 1024) text.append(chunk.substr(0, 64 * 1024 - text.size()));
    co_return;
  }
  void finished(const collectors::command_outcome& o) override { bar.update(++done, o.device); }
};

// "mx204 21.4R3-S5.4" from the Model: and Junos: lines, when present.
std::string model_and_release(const std::string& text) {
  auto field = [&text](const std::string& key) {
    auto at = text.find("\n" + key);
    if (at == std::string::npos && text.rfind(key, 0) == 0) at = 0;
    else if (at != std::string::npos) ++at;
    if (at == std::string::npos) return std::string();
    auto start = at + key.size();
    return text.substr(start, text.find('\n', start) - start);
  };
  std::string out = field("Model: ");
  std::string release = field("Junos: ");
  return release.empty() ? out : out + " " + release;
}

int run_check(const inventory_options& o) {
  const fleet_setup setup = load_fleet_setup(o.config_file);
  const auto targets = select_targets(setup, o.devices);
  collectors::fleet_options options;
  options.concurrency = o.concurrency;
  check_consumer consumer(targets.size());
  const auto outcomes = run_fleet_now(targets, {"show version"}, options, consumer);
  consumer.bar.finish();
  common::text_table t({"DEVICE", "ADDRESS", "STATE", "HOST KEY", "DETAIL"});
  int failures = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const auto& out = outcomes[i];
    const auto& ep = targets[i].endpoint;
    const bool ok = out.status == collect_status::ok;
    failures += ok ? 0 : 1;
    t.add({out.device, ep.host + ":" + std::to_string(ep.port), std::string(to_string(out.status)),
           out.host_key_fingerprint.empty() ? "-" : out.host_key_fingerprint,
           ok ? model_and_release(consumer.version_output[out.device]) : out.message});
  }
  std::cout << t.str() << "\n"
            << outcomes.size() - std::size_t(failures) << " of " << outcomes.size()
            << " devices reachable, pinned and logged in\n";
  return failures == 0 ? 0 : 1;
}

std::vector<collectors::connect_result> probe_keys(
    const std::vector<collectors::fleet_target>& targets) {
  asio::io_context io;
  std::vector<collectors::connect_result> results(targets.size());
  collectors::ssh_settings settings;
  settings.trust_unknown_key = true;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    asio::co_spawn(io, [&, i]() -> asio::awaitable<void> {
      collectors::libssh_session s(co_await asio::this_coro::executor);
      results[i] = co_await s.connect(targets[i].endpoint, targets[i].login, settings);
    }, [](std::exception_ptr) {});
  }
  io.run();
  return results;
}

bool confirmed(bool yes) {
  if (yes) return true;
  if (!isatty(STDIN_FILENO)) {
    std::cerr << "not a terminal: re-run with --yes once you have checked the fingerprints\n";
    return false;
  }
  std::cerr << "Record these host keys? Compare each fingerprint with the device's console "
               "(show system ssh-fingerprint or the key file) first. [y/N] ";
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

int run_trust(const inventory_options& o) {
  const fleet_setup setup = load_fleet_setup(o.config_file);
  const auto targets = select_targets(setup, o.devices);
  const auto results = probe_keys(targets);
  common::text_table t({"DEVICE", "ADDRESS", "KEY", "FINGERPRINT", "STATE"});
  std::vector<std::string> new_lines;
  int problems = 0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& r = results[i];
    const auto& ep = targets[i].endpoint;
    std::string state;
    if (r.status == collect_status::ok && r.pinned) {
      state = "already pinned";
    } else if (r.status == collect_status::ok) {
      state = "NEW: will be pinned";
      new_lines.push_back(r.known_hosts_line);
    } else {
      ++problems;
      state = r.status == collect_status::hostkey_changed
                  ? "CHANGED: not replaced; if the device really was replaced, remove its "
                    "line (ssh-keygen -R '[" + ep.host + "]:" + std::to_string(ep.port) +
                        "' -f " + ep.known_hosts + ") and trust again"
                  : std::string(to_string(r.status)) + ": " + r.message;
    }
    t.add({ep.device, ep.host + ":" + std::to_string(ep.port), r.host_key_type,
           r.host_key_fingerprint.empty() ? "-" : r.host_key_fingerprint, state});
  }
  std::cout << t.str();
  if (!new_lines.empty() && confirmed(o.yes)) {
    const std::string& file = setup.agent.paths.known_hosts;
    const mode_t old = umask(077);
    std::ofstream out(file, std::ios::app);
    umask(old);
    for (const auto& line : new_lines) out << line << "\n";
    if (!out) throw std::runtime_error("cannot write " + file);
    std::cout << new_lines.size() << " host keys pinned in " << file << "\n";
  } else if (!new_lines.empty()) {
    std::cout << "nothing recorded\n";
    return 1;
  }
  return problems == 0 ? 0 : 1;
}

}  // namespace

void add_inventory_command(CLI::App& app, int& exit_code) {
  CLI::App* inventory = app.add_subcommand("inventory", "The End User devices in scope");
  inventory->require_subcommand(1);
  auto o = std::make_shared<inventory_options>();
  CLI::App* check = inventory->add_subcommand(
      "check", "Connect to each device, verify its pinned host key and login, run show version");
  CLI::App* trust = inventory->add_subcommand(
      "trust", "Pin the SSH host keys of devices after you confirm their fingerprints");
  for (CLI::App* sub : {check, trust}) {
    sub->add_option("--config", o->config_file, "Agent configuration")->capture_default_str();
  }
  check->add_option("--device", o->devices, "Inventory names, or all")->capture_default_str();
  check->add_option("--concurrency", o->concurrency, "Devices at once")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  trust->add_option("devices", o->devices, "Inventory names, or all")->required();
  trust->add_flag("--yes", o->yes, "Record without asking (after checking the fingerprints)");
  check->callback([o, &exit_code] { exit_code = run_check(*o); });
  trust->callback([o, &exit_code] { exit_code = run_trust(*o); });
}

}  // namespace tether::agent
