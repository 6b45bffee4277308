#include "devsim/simulator.hpp"

#include <utility>  // before Asio: g++ 12 with Asio 1.18

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <memory>
#include <random>
#include <sys/resource.h>

#include "devsim/device_listener.hpp"
#include "devsim/log.hpp"
#include "devsim/rng.hpp"

namespace tether::devsim {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

std::string random_password() {
  std::random_device device;
  rng r((std::uint64_t(device()) << 32) ^ device());
  return r.text("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
}

// A thousand listeners and their connections need more descriptors than the usual 1024.
void raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

/// Frees libssh's globals after everything that used them is gone.
struct libssh_runtime {
  libssh_runtime() { ssh_init(); }
  ~libssh_runtime() { ssh_finalize(); }
};

/// The running fleet: listeners and the files that describe them.
class fleet_server {
 public:
  fleet_server(asio::io_context& io, fleet& f, const simulator_options& o, const state_paths& paths)
      : client_key_(load_or_create_key(paths.client_key), &ssh_key_free) {
    write_file(paths.client_key.string() + ".pub", public_key_line(client_key_.get()) + " tether-devsim\n", 0644);
    fs::create_directories(paths.host_keys);
    for (std::size_t i = 0; i < f.devices.size(); ++i) {
      simulated_device& d = f.devices[i];
      std::unique_ptr<ssh_key_struct, void (*)(ssh_key)> key(
          load_or_create_key(paths.host_keys / (d.identity.name + ".key")), &ssh_key_free);
      public_keys_.push_back(public_key_line(key.get()));
      if (d.fault.type == fault::kind::hostkey_change)
        key.reset(load_or_create_key(paths.host_keys / (d.identity.name + "-changed.key")));
      auto context = std::make_shared<device_context>(device_context{
          command_router(d.identity, d.fault.type == fault::kind::huge ? d.fault.amount << 20 : 0),
          d.fault, o.agent.username, o.agent.password, client_key_.get()});
      const std::uint16_t port = o.base_port == 0 ? 0 : std::uint16_t(o.base_port + i);
      try {
        // The listener owns the key from here on, also when it throws.
        listeners_.push_back(std::make_unique<device_listener>(io, o.listen, port, context, key.release()));
      } catch (const std::exception& e) {
        throw std::runtime_error(d.identity.name + ": cannot listen on " + o.listen + ":" +
                                 std::to_string(port) + ": " + e.what());
      }
      ports_.push_back(listeners_.back()->port());
    }
  }
  ~fleet_server() { listeners_.clear(); }  // before client_key_, which connections use
  fleet_server(const fleet_server&) = delete;
  fleet_server& operator=(const fleet_server&) = delete;

  void start() {
    for (auto& l : listeners_) l->start();
  }
  void stop() {
    for (auto& l : listeners_) l->stop();
  }
  const std::vector<std::uint16_t>& ports() const { return ports_; }
  const std::vector<std::string>& public_keys() const { return public_keys_; }

 private:
  std::unique_ptr<ssh_key_struct, void (*)(ssh_key)> client_key_;
  std::vector<std::string> public_keys_;
  std::vector<std::uint16_t> ports_;
  std::vector<std::unique_ptr<device_listener>> listeners_;
};

}  // namespace

int run_simulator(simulator_options o, std::ostream& out, std::ostream& err) {
  fleet f = build_fleet(o.fleet);
  if (o.state_dir.empty()) f.errors.push_back("--state-dir: a directory is required");
  if (o.base_port != 0 && o.base_port + f.devices.size() - 1 > 65535)
    f.errors.push_back("--base-port: " + std::to_string(f.devices.size()) + " devices from port " +
                       std::to_string(o.base_port) + " go past 65535");
  const auto level = spdlog::level::from_str(o.log_level);
  if (level == spdlog::level::off && o.log_level != "off")
    f.errors.push_back("--log-level: expected trace, debug, info, warn, error or off");
  for (const std::string& e : f.errors) err << "tether-devsim: " << e << "\n";
  for (const std::string& w : f.warnings) err << "tether-devsim: warning: " << w << "\n";
  if (!f.errors.empty()) return 2;
  log().set_level(level);
  if (o.agent.password.empty()) o.agent.password = random_password();
  raise_descriptor_limit();
  const state_paths paths(o.state_dir);
  libssh_runtime libssh;
  asio::io_context io(1);
  std::unique_ptr<fleet_server> server;
  try {
    fs::create_directories(paths.dir);
    fs::permissions(paths.dir, fs::perms::owner_all);
    server = std::make_unique<fleet_server>(io, f, o, paths);
    write_file(paths.known_hosts, known_hosts_text(server->public_keys(), server->ports(), o.listen), 0644);
    write_file(paths.inventory, inventory_yaml(f, server->ports(), o.listen), 0644);
    write_file(paths.credentials, credentials_yaml(paths, o.agent), 0600);
    write_file(paths.agent_config, agent_yaml(paths, o.agent), 0644);
    server->start();
  } catch (const std::exception& e) {
    err << "tether-devsim: " << e.what() << "\n";
    return 1;
  }
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (ec) return;
    log().info("stopping on signal");
    server->stop();
    io.stop();
  });
  const auto [low, high] = std::minmax_element(server->ports().begin(), server->ports().end());
  out << "listening: " << f.devices.size() << " devices on " << o.listen << ":" << *low << "-"
      << *high << std::endl;
  log().info("serving {} devices ({} with faults)", f.devices.size(),
             std::count_if(f.devices.begin(), f.devices.end(),
                           [](const simulated_device& d) { return d.fault.type != fault::kind::none; }));
  io.run();
  server.reset();
  out << "stopped" << std::endl;
  return 0;
}

}  // namespace tether::devsim
