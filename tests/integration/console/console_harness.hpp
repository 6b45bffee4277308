#pragma once

#include <utility>  // before Asio: Boost 1.74's Asio misses it under g++ 12

#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <map>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "console/result_document.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/run_process.hpp"
#include "tests/support/temp_dir.hpp"
#include "transport/spool.hpp"
#include "transport/tunnel_client.hpp"

namespace tether::console::test {

inline const std::string console_bin = std::string(TETHER_BIN_DIR) + "/tether-console";

/// Runs `tether-console ARGS...`.
inline testing::process_result console(const std::vector<std::string>& args) {
  std::vector<std::string> argv{console_bin};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::run_process(argv, {}, std::chrono::seconds(120));
}

/// The result document the harness agent sends for one device, as bytes.
inline std::string result_document(std::uint64_t request_id, const std::string& device,
                                   const std::string& collector) {
  std::string output = "Hostname: " + device + "\nModel: mx204\nJunos: 21.4R3-S5\n";
  for (int i = 0; i < 60; ++i) output += "interface ge-0/0/" + std::to_string(i) + " up up\n";
  const nlohmann::json doc{
      {"format", "tether-result/1"}, {"request_id", request_id}, {"device", device},
      {"collector", collector},      {"status", "ok"},
      {"commands", {{{"command", "show version"}, {"status", "ok"}, {"bytes", output.size()},
                     {"sha256", sha256_hex(output)}, {"redactions", 1}, {"truncated", false},
                     {"output", output}}}},
      {"parsed", {{"hostname", device}, {"version", "21.4R3-S5"}}},
      {"scope", {{"eos", false}}}};
  return doc.dump();
}

/// A stand-in for the agent daemon: a tunnel_client on its own io thread whose request
/// handler answers each device of the inventory (dev001..dev003) with a result document cut
/// into 1000-byte chunks, and denies a request naming any other device. Collector `slow`
/// sends one chunk per device and ends only when the console cancels the request.
class harness_agent {
 public:
  explicit harness_agent(transport::tunnel_client_settings settings) {
    auto opened = transport::spool::open(dir_.path / "spool.db");
    REQUIRE(opened.value);
    spool_ = std::move(opened.value);
    client_ = std::make_unique<transport::tunnel_client>(io_, std::move(settings), *spool_);
    client_->on_request([this](const transport::request& r) { answer(r); });
    client_->on_cancel([this](std::uint64_t request_id) { cancel(request_id); });
    client_->on_link([this](const transport::link_event& e) {
      if (e.what == transport::link_event::kind::up) ++sessions_up_;
    });
    boost::asio::co_spawn(io_, client_->run(), [this](std::exception_ptr, transport::tunnel_result r) {
      error_ = r.error;
      end_ = r.end;
      ended_.set_value();
    });
    thread_ = std::thread([this] { io_.run(); });
  }
  ~harness_agent() { stop(); }
  harness_agent(const harness_agent&) = delete;
  harness_agent& operator=(const harness_agent&) = delete;

  /// Stops the client and joins its thread; afterwards error() and end() are stable.
  void stop() {
    if (!thread_.joinable()) return;
    boost::asio::post(io_, [this] { client_->stop(); });
    thread_.join();
  }
  /// Waits (bounded) until run() returned; true when it did.
  bool wait_ended(std::chrono::seconds deadline = std::chrono::seconds(30)) {
    return ended_future_.wait_for(deadline) == std::future_status::ready;
  }
  int sessions_up() const { return sessions_up_; }
  /// Hands the client an audit checkpoint (on its io thread).
  void checkpoint(const transport::audit_checkpoint& c) {
    boost::asio::post(io_, [this, c] { client_->checkpoint(c); });
  }
  const std::string& error() const { return error_; }
  transport::tunnel_end end() const { return end_; }

 private:
  void answer(const transport::request& r) {
    const auto ask = nlohmann::json::parse(r.json, nullptr, false);
    const std::string collector = ask.value("collector", "facts");
    std::vector<std::string> devices{"dev001", "dev002", "dev003"};
    if (ask.contains("devices")) devices = ask["devices"].get<std::vector<std::string>>();
    for (const auto& d : devices) {
      if (!inventory_.count(d)) {
        client_->deny(r.request_id, "device-not-in-inventory", d + " is not in the inventory");
        return;
      }
    }
    if (collector == "slow") {  // one chunk, then nothing until CANCEL
      for (const auto& d : devices) {
        const auto begun = client_->begin_result(r.request_id, collector, d);
        const std::string piece = "partial output\n";
        client_->append(begun.id.result_id,
                        std::span(reinterpret_cast<const std::uint8_t*>(piece.data()), piece.size()));
        running_.emplace(r.request_id, begun.id.result_id);
      }
      return;
    }
    for (const auto& d : devices) {
      const auto doc = result_document(r.request_id, d, collector);
      const auto begun = client_->begin_result(r.request_id, collector, d);
      for (std::size_t at = 0; at < doc.size(); at += 1000) {
        const auto piece = doc.substr(at, 1000);
        client_->append(begun.id.result_id,
                        std::span(reinterpret_cast<const std::uint8_t*>(piece.data()), piece.size()));
      }
      client_->finish(begun.id.result_id, transport::end_status::ok, "");
    }
  }

  void cancel(std::uint64_t request_id) {
    auto [from, to] = running_.equal_range(request_id);
    for (auto it = from; it != to; ++it)
      client_->finish(it->second, transport::end_status::cancelled, "cancelled by the console");
    running_.erase(request_id);
  }

  testing::temp_dir dir_;
  boost::asio::io_context io_;
  std::multimap<std::uint64_t, std::uint64_t> running_;  ///< slow runs: request -> result
  std::unique_ptr<transport::spool> spool_;
  std::unique_ptr<transport::tunnel_client> client_;
  std::thread thread_;
  std::promise<void> ended_;
  std::future<void> ended_future_ = ended_.get_future();
  std::atomic<int> sessions_up_{0};
  std::string error_;
  transport::tunnel_end end_ = transport::tunnel_end::stopped;
  const std::set<std::string> inventory_{"dev001", "dev002", "dev003"};
};

/// A real `tether-console serve` on 127.0.0.1 with a fresh CA (`ca init`, `ca issue`), its
/// certificate files named in a config file and the port and data folder given as flags.
struct console_process {
  testing::temp_dir dir;
  std::string ca = (dir.path / "ca").string();
  std::string data = (dir.path / "data").string();
  std::unique_ptr<testing::child_process> serve;
  std::uint16_t port = 0;

  console_process() {
    REQUIRE(console({"ca", "init", "--dir", ca}).exit_code == 0);
    REQUIRE(console({"ca", "issue", "--dir", ca, "--console", "127.0.0.1"}).exit_code == 0);
    REQUIRE(console({"ca", "issue", "--dir", ca, "--site", "ams-1"}).exit_code == 0);
    const auto config = dir.write("serve.yaml",
                                  "cert: ca/console-127.0.0.1.crt\n"
                                  "key: ca/console-127.0.0.1.key\n"
                                  "ca: ca/ca.crt\n"
                                  "listen: 127.0.0.1:1\n"  // overridden by --listen
                                  "console_id: console-test\n"
                                  "keepalive_seconds: 2\n");
    serve = std::make_unique<testing::child_process>(std::vector<std::string>{
        console_bin, "serve", "--config", config, "--listen", "127.0.0.1:0", "--data-dir", data});
    REQUIRE(serve->wait_for("engineer socket"));
    const auto out = serve->output();
    const auto at = out.find("listening on 127.0.0.1:");
    REQUIRE(at != std::string::npos);
    port = static_cast<std::uint16_t>(std::stoi(out.substr(at + 23)));
  }

  /// Settings for an agent of site ams-1 dialling this console.
  transport::tunnel_client_settings agent_settings(const std::string& site = "ams-1") const {
    transport::tunnel_client_settings s;
    s.host = "127.0.0.1";
    s.port = port;
    s.tls.identity = {dir.path / "ca" / ("site-" + site + ".crt"), dir.path / "ca" / ("site-" + site + ".key"),
                      dir.path / "ca" / "ca.crt"};
    s.tls.server_name = "127.0.0.1";
    s.site_id = site;
    s.window_id = "CHG-7";
    s.window_closes_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count() + 3600000;
    s.backoff = {std::chrono::milliseconds(20), std::chrono::milliseconds(200), 0};
    return s;
  }

  /// Runs an engineer command against this console (`--data-dir` appended).
  testing::process_result engineer(std::vector<std::string> args) const {
    args.push_back("--data-dir");
    args.push_back(data);
    return console(args);
  }

  /// Waits until `agents --json` lists `site` with a round-trip time.
  bool wait_for_agent(const std::string& site = "ams-1") const {
    return tether::testing::eventually([&] {
      const auto r = engineer({"agents", "--json"});
      const auto list = nlohmann::json::parse(r.out, nullptr, false);
      if (list.is_array())
        for (const auto& a : list)
          if (a.value("site", "") == site && a["rtt_ms"].is_number()) return true;
      return false;
    }, std::chrono::seconds(30));
  }
};

}  // namespace tether::console::test
