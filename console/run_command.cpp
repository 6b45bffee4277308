#include "console/run_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include "console/engineer_client.hpp"
#include "console/engineer_format.hpp"

namespace tether::console {

namespace {

using clock = std::chrono::steady_clock;
using nlohmann::json;

struct run_options {
  server_location where;
  std::string site;
  std::string collector;
  std::vector<std::string> devices;
  std::vector<std::string> params;
  bool follow = false;
  int timeout_seconds = 600;
  int settle_ms = 2000;
};

/// One device's run as the follower sees it.
struct device_run {
  std::string status = "waiting";  ///< waiting, running, then the end status or "denied"
  std::uint64_t bytes = 0;
  std::int64_t result = 0;         ///< the index id once ended
  std::string message;
  clock::time_point started = clock::now();
  clock::time_point finished{};
  bool done() const { return status != "waiting" && status != "running"; }
};

/// What `run --follow` has seen of a request.
struct follow_state {
  std::vector<std::string> order;
  std::map<std::string, device_run> devices;
  std::string denied_reason;
  std::string denied_message;
  clock::time_point started = clock::now();
  clock::time_point last_event = clock::now();

  device_run& device(const std::string& name) {
    if (!devices.count(name)) order.push_back(name);
    return devices[name];
  }
};

/// Draws the per-device lines in place on a terminal.
class live_view {
 public:
  explicit live_view(bool terminal) : terminal_(terminal) {}
  void draw(const follow_state& s) {
    if (!terminal_) return;
    std::string out;
    if (drawn_ > 0) out += "\x1b[" + std::to_string(drawn_) + "A";
    for (const auto& name : s.order) out += "\x1b[2K" + line(name, s.devices.at(name)) + "\n";
    drawn_ = s.order.size();
    std::fputs(out.c_str(), stdout);
    std::fflush(stdout);
  }

 private:
  static std::string line(const std::string& name, const device_run& d) {
    constexpr int width = 20;
    int filled = 0;
    if (d.done()) {
      filled = width;
    } else if (d.status == "running") {
      filled = 1 + static_cast<int>(std::min<std::uint64_t>(d.bytes / 4096, width - 2));
    }
    std::string bar = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                      std::string(static_cast<std::size_t>(width - filled), '.') + "]";
    char text[256];
    std::snprintf(text, sizeof text, "%-20s %s %10s  %s", name.c_str(), bar.c_str(), bytes_text(d.bytes).c_str(),
                  d.status.c_str());
    return text;
  }
  bool terminal_;
  std::size_t drawn_ = 0;
};

/// Applies one event line; returns a plain line to print when not on a terminal (or empty).
std::string apply(follow_state& s, const json& e) {
  s.last_event = clock::now();
  const auto kind = e.value("event", "");
  const auto name = e.value("device", "");
  if (kind == "opened") {
    auto& d = s.device(name);
    if (d.status == "waiting") d.started = clock::now();
    d.status = "running";
    d.bytes = e.value("bytes", std::uint64_t{0});
    return name + ": started " + e.value("collector", "");
  }
  if (kind == "bytes") {
    s.device(name).bytes = e.value("bytes", std::uint64_t{0});
    return {};
  }
  if (kind == "ended") {
    auto& d = s.device(name);
    d.status = e.value("status", "unknown");
    d.bytes = e.value("bytes", std::uint64_t{0});
    d.result = e.value("id", std::int64_t{0});
    d.message = e.value("message", "");
    d.finished = clock::now();
    return name + ": " + d.status + ", " + bytes_text(d.bytes) + " (result " + std::to_string(d.result) + ")" +
           (d.message.empty() ? "" : ": " + d.message);
  }
  if (kind == "denied") {
    s.denied_reason = e.value("reason", "");
    s.denied_message = e.value("message", "");
    for (auto& [n, d] : s.devices) {
      if (d.done()) continue;
      d.status = "denied";
      d.message = s.denied_reason;
      d.finished = clock::now();
    }
    return "denied: " + s.denied_reason + ": " + s.denied_message;
  }
  if (kind == "notice") return "notice " + e.value("kind", "") + ": " + e.value("message", "");
  if (kind == "link_down") return "link to the agent down (results resume when it redials): " + e.value("message", "");
  return {};
}

bool finished(const follow_state& s, bool devices_given, int settle_ms) {
  if (!s.denied_reason.empty()) return true;
  if (s.order.empty()) return false;
  for (const auto& [n, d] : s.devices)
    if (!d.done()) return false;
  return devices_given || clock::now() - s.last_event >= std::chrono::milliseconds(settle_ms);
}

json summary_of(const follow_state& s, bool timed_out) {
  json devices = json::array();
  int ok = 0, failed = 0, denied = 0, pending = 0;
  std::uint64_t total = 0;
  for (const auto& name : s.order) {
    const auto& d = s.devices.at(name);
    const auto end = d.done() ? d.finished : clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(end - d.started).count();
    devices.push_back({{"device", name}, {"status", d.status}, {"bytes", d.bytes}, {"ms", ms},
                       {"result", d.result}, {"message", d.message}});
    total += d.bytes;
    if (d.status == "ok") ++ok;
    else if (d.status == "denied") ++denied;
    else if (!d.done()) ++pending;
    else ++failed;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - s.started).count();
  json out{{"devices", devices}, {"ok", ok}, {"failed", failed}, {"denied", denied}, {"pending", pending},
           {"bytes", total}, {"ms", ms}, {"timed_out", timed_out}};
  if (!s.denied_reason.empty()) out["denied_reason"] = s.denied_reason, out["denied_message"] = s.denied_message;
  return out;
}

void print_summary(const json& summary) {
  std::cout << "\n";
  text_table t({"DEVICE", "STATUS", "BYTES", "TIME", "RESULT"});
  for (const auto& d : summary["devices"])
    t.add({d.value("device", ""), d.value("status", ""), bytes_text(d.value("bytes", std::uint64_t{0})),
           duration_text(d.value("ms", std::int64_t{0})),
           d.value("result", std::int64_t{0}) > 0 ? std::to_string(d.value("result", std::int64_t{0})) : "-"});
  if (!summary["devices"].empty()) std::cout << t.str();
  if (summary.contains("denied_reason"))
    std::cout << "request denied: " << summary.value("denied_reason", "") << ": " << summary.value("denied_message", "") << "\n";
  std::cout << summary.value("ok", 0) << " ok, " << summary.value("failed", 0) << " failed, "
            << summary.value("denied", 0) << " denied";
  if (summary.value("pending", 0) > 0) std::cout << ", " << summary.value("pending", 0) << " unfinished";
  std::cout << "; " << bytes_text(summary.value("bytes", std::uint64_t{0})) << " in "
            << duration_text(summary.value("ms", std::int64_t{0}))
            << (summary.value("timed_out", false) ? " (stopped following: --timeout)" : "") << "\n";
}

int follow(engineer_client& client, const run_options& o, std::uint64_t request_id) {
  follow_state s;
  for (const auto& d : o.devices) s.device(d);
  const bool terminal = !o.where.json && ::isatty(STDOUT_FILENO) == 1;
  live_view view(terminal);
  view.draw(s);
  const auto deadline = clock::now() + std::chrono::seconds(o.timeout_seconds);
  bool timed_out = false;
  while (!finished(s, !o.devices.empty(), o.settle_ms)) {
    if (clock::now() >= deadline) {
      timed_out = true;
      break;
    }
    const auto line = client.next(std::chrono::milliseconds(250));
    if (line.what == server_line::kind::timeout) continue;
    if (line.what != server_line::kind::line) {
      std::cerr << "tether-console: the console closed the connection while following request " << request_id
                << (line.error.empty() ? "" : ": " + line.error) << "\n";
      return 2;
    }
    const auto text = apply(s, line.value);
    if (o.where.json) {
      std::cout << line.value.dump(-1, ' ', false, json::error_handler_t::replace) << "\n" << std::flush;
    } else if (terminal) {
      view.draw(s);
    } else if (!text.empty()) {
      std::cout << text << "\n" << std::flush;
    }
  }
  const auto summary = summary_of(s, timed_out);
  if (o.where.json) {
    std::cout << json{{"summary", summary}}.dump() << "\n";
  } else {
    view.draw(s);
    print_summary(summary);
  }
  const bool all_ok = summary.value("failed", 0) == 0 && summary.value("denied", 0) == 0 &&
                      summary.value("pending", 0) == 0 && !summary.contains("denied_reason") && !timed_out;
  return all_ok ? 0 : 1;
}

int run_run(const run_options& o) {
  json ask{{"op", "run"}, {"site", o.site}, {"collector", o.collector}, {"follow", o.follow}};
  if (!o.devices.empty()) ask["devices"] = o.devices;
  json params = json::object();
  for (const auto& p : o.params) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "tether-console: --param " << p << ": expected NAME=VALUE\n";
      return 2;
    }
    params[p.substr(0, eq)] = p.substr(eq + 1);
  }
  if (!params.empty()) ask["params"] = params;
  engineer_client client;
  auto error = client.connect(o.where.path());
  if (error.empty()) error = client.send(ask);
  json answer;
  if (error.empty()) {
    const auto line = client.next();
    if (line.what == server_line::kind::line) answer = line.value;
    else error = line.error.empty() ? "the console did not answer" : line.error;
  }
  if (!error.empty()) answer = {{"ok", false}, {"error", error}};
  if (!answer.value("ok", false)) return report_failure(o.where, answer);
  const auto id = answer.value("request_id", std::uint64_t{0});
  if (!o.follow) {
    if (o.where.json) std::cout << answer.dump() << "\n";
    else std::cout << "request " << id << " sent to " << o.site << " (results " << o.site << " --request " << id << ")\n";
    return 0;
  }
  if (o.where.json) std::cout << answer.dump() << "\n" << std::flush;
  else std::cout << "request " << id << ": " << o.collector << " at " << o.site << "\n" << std::flush;
  return follow(client, o, id);
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<run_options>();
  auto* cmd = app.add_subcommand("run", "run a collector at a site's agent; --follow shows progress, then a summary");
  cmd->add_option("SITE", o->site, "site ID")->required();
  cmd->add_option("COLLECTOR", o->collector, "catalog collector")->required();
  cmd->add_option("--devices", o->devices, "device names (default: every device in the agent's inventory)")->delimiter(',');
  cmd->add_option("--param", o->params, "NAME=VALUE, repeatable");
  cmd->add_flag("--follow", o->follow, "show per-device progress until the request is done, then a summary");
  cmd->add_option("--timeout", o->timeout_seconds, "stop following after this many seconds (600)");
  cmd->add_option("--settle-ms", o->settle_ms, "without --devices: done once every result ended and nothing new came for this long (2000)");
  o->where.add_to(*cmd);
  cmd->callback([o, &exit_code] { exit_code = run_run(*o); });
}

}  // namespace tether::console
