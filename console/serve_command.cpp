#include "console/serve_command.hpp"

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <boost/asio/signal_set.hpp>

#include <iostream>
#include <memory>
#include <optional>

#include "console/console_server.hpp"
#include "console/serve_config.hpp"

namespace tether::console {

namespace {

struct serve_options {
  std::optional<std::string> config;
  std::optional<std::string> listen, cert, key, ca, data_dir, socket, console_id;
};

int run_serve(const serve_options& o) {
  serve_config c;
  if (o.config) {
    auto loaded = load_serve_config(*o.config);
    if (!loaded.errors.empty()) {
      for (const auto& e : loaded.errors) std::cerr << "tether-console: " << e.to_string() << "\n";
      return 2;
    }
    c = loaded.value;
  }
  auto take = [](const std::optional<std::string>& flag, std::string& into) {
    if (flag) into = *flag;
  };
  take(o.listen, c.listen);
  take(o.cert, c.cert_file);
  take(o.key, c.key_file);
  take(o.ca, c.ca_file);
  take(o.data_dir, c.data_dir);
  take(o.socket, c.socket);
  take(o.console_id, c.console_id);
  if (const auto missing = missing_fields(c); !missing.empty()) {
    std::cerr << "tether-console: serve: missing";
    for (const auto& m : missing) std::cerr << " " << m;
    std::cerr << " (flags or --config FILE)\n";
    return 2;
  }
  const auto where = parse_listen(c.listen);
  if (!where.error.empty()) {
    std::cerr << "tether-console: --listen " << c.listen << ": " << where.error << "\n";
    return 2;
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(where.host, ec);
  if (ec) {
    std::cerr << "tether-console: --listen " << c.listen << ": not an IP address\n";
    return 2;
  }
  console_server_settings settings;
  settings.tunnel.tls.identity = {c.cert_file, c.key_file, c.ca_file};
  settings.tunnel.console_id = c.console_id;
  settings.tunnel.keepalive_interval = std::chrono::seconds(c.keepalive_seconds);
  settings.listen = {address, where.port};
  settings.data_dir = c.data_dir;
  settings.socket_path = c.socket;
  boost::asio::io_context io;
  console_server server(io, settings);
  // Installed before the readiness lines: a signal right after them must stop cleanly.
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int signal) {
    if (error) return;
    std::cout << "stopping on signal " << signal << std::endl;
    server.stop();
    io.stop();
  });
  if (auto error = server.start(); !error.empty()) {
    std::cerr << "tether-console: serve: " << error << "\n";
    return 1;
  }
  std::cout << "listening on " << address.to_string() << ":" << server.port() << "\n"
            << "engineer socket " << server.socket_path().string() << std::endl;
  io.run();
  server.stop();
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<serve_options>();
  auto* cmd = app.add_subcommand("serve", "serve agents (TLS) and engineers (Unix socket) until SIGINT/SIGTERM");
  cmd->add_option("--config", o->config, "YAML file: listen, cert, key, ca, data_dir, socket, console_id, keepalive_seconds");
  cmd->add_option("--listen", o->listen, "HOST:PORT for agents (port 0: any free port)");
  cmd->add_option("--cert", o->cert, "the console's certificate (PEM)");
  cmd->add_option("--key", o->key, "its private key (PEM, 0600)");
  cmd->add_option("--ca", o->ca, "the CA certificate agents' certificates must chain to");
  cmd->add_option("--data-dir", o->data_dir, "results, index.sqlite and console.sock (created 0700)");
  cmd->add_option("--socket", o->socket, "the engineer socket (default DATA_DIR/console.sock)");
  cmd->add_option("--console-id", o->console_id, "the id HELLO_ACK carries (default console)");
  cmd->callback([o, &exit_code] { exit_code = run_serve(*o); });
}

}  // namespace tether::console
