// The fleet runner against 200 tether-devsim devices with a mix of faults: exactly one
// correct outcome per device and command, and no fault stalls the others.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "collectors/fleet_runner.hpp"
#include "config/credentials.hpp"
#include "config/inventory.hpp"
#include "tests/support/devsim_fleet.hpp"
#include "tests/support/run_coroutine.hpp"

using namespace tether::collectors;
using tether::testing::run_coroutine;
using Catch::Contains;

namespace {

namespace asio = boost::asio;

struct text_consumer : fleet_consumer {
  std::map<std::pair<std::string, std::size_t>, std::string> text;
  std::size_t finished_count = 0;
  asio::awaitable<void> output(const std::string& d, std::size_t c, std::string_view chunk) override {
    auto& t = text[{d, c}];
    if (t.size() < 4096) t.append(chunk.substr(0, 4096 - t.size()));
    co_return;
  }
  void finished(const command_outcome&) override { ++finished_count; }
};

std::vector<fleet_target> targets_from(const tether::testing::devsim_fleet& fleet) {
  auto inventory = tether::config::load_inventory(fleet.file("inventory.yaml"));
  auto logins = tether::config::load_credentials(fleet.file("credentials.yaml"));
  std::vector<fleet_target> targets;
  for (const auto& d : inventory.devices)
    targets.push_back({{d.name, d.host, d.port, fleet.file("known_hosts")},
                       *logins.find(d.credential)});
  return targets;
}

}  // namespace

TEST_CASE("200 simulated devices with faults give one correct outcome per device and command",
          "[integration][fleet][devsim]") {
  tether::testing::temp_dir dir;
  tether::testing::devsim_fleet fleet(
      dir, 200,
      {"--fault", "dev001=auth-fail", "--fault", "dev002=hang", "--fault", "dev009=slow:20",
       "--fault", "dev004=drop-after:3000", "--fault", "dev005=huge:8", "--fault",
       "dev006=hostkey-change", "--fault", "dev007=refuse"});
  const auto targets = targets_from(fleet);
  REQUIRE(targets.size() == 200);
  fleet_options options;
  options.concurrency = 32;
  options.first_backoff = std::chrono::milliseconds(50);
  // Generous for a sanitizer build on a loaded machine; the hanging device costs two of these.
  options.limits.timeout = std::chrono::seconds(20);
  options.limits.output_cap = 4u << 20;
  asio::io_context io;
  fleet_runner runner(io.get_executor(), options);
  text_consumer consumer;
  const std::vector<std::string> commands{"show version", "show configuration | display set"};
  auto outcomes = run_coroutine(io, runner.run(targets, commands, consumer),
                                std::chrono::seconds(300));

  REQUIRE(outcomes.size() == 400);
  CHECK(consumer.finished_count == 400);
  std::set<std::pair<std::string, std::string>> seen;
  std::map<std::string, std::vector<collect_status>> by_device;
  for (const auto& o : outcomes) {
    seen.insert({o.device, o.command});
    by_device[o.device].push_back(o.status);
  }
  CHECK(seen.size() == 400);
  using s = collect_status;
  CHECK(by_device["dev001"] == std::vector{s::auth_failed, s::auth_failed});
  CHECK(by_device["dev002"] == std::vector{s::timeout, s::timeout});
  CHECK(by_device["dev003"] == std::vector{s::ok, s::ok});
  CHECK(by_device["dev009"] == std::vector{s::ok, s::ok});  // slow (20 ms per KiB), not stalled
  CHECK(by_device["dev004"].back() == s::error);
  CHECK(by_device["dev005"] == std::vector{s::ok, s::truncated});
  CHECK(by_device["dev006"] == std::vector{s::hostkey_changed, s::hostkey_changed});
  CHECK(by_device["dev007"] == std::vector{s::unreachable, s::unreachable});
  CHECK(outcomes[6 * 2].attempts == 3);  // dev007 was retried, dev001 and dev006 were not
  CHECK(outcomes[0].attempts == 1);
  CHECK(outcomes[5 * 2].attempts == 1);
  for (std::size_t d = 7; d < 200; ++d) {
    INFO(targets[d].endpoint.device);
    CHECK(outcomes[d * 2].status == s::ok);
    CHECK(outcomes[d * 2 + 1].status == s::ok);
    const std::string& name = targets[d].endpoint.device;
    const std::string version = consumer.text[std::pair(name, std::size_t(0))];
    const std::string config = consumer.text[std::pair(name, std::size_t(1))];
    CHECK_THAT(version, Contains("Hostname: "));
    CHECK_THAT(config, Contains("set system host-name"));
  }
}
