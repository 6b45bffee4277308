#include "agent/session_command.hpp"

#include <iostream>
#include <memory>
#include <optional>

#include "common/text_table.hpp"
#include "agent/transcript_store.hpp"
#include "config/agent_config.hpp"

namespace tether::agent {

namespace {

using ojson = nlohmann::ordered_json;

struct session_options {
  std::string config_file = "/etc/tether/agent.yaml";
  std::string window;
  std::uint64_t request = 0;
  std::string device;
  bool document = false;
  bool json = false;
};

transcript_store store_of(const session_options& o) {
  return transcript_store(config::load_agent_config(o.config_file).paths.state_dir);
}

std::optional<std::string> window_of(const session_options& o) {
  return o.window.empty() ? std::nullopt : std::optional<std::string>(o.window);
}

std::string dump(const ojson& j) { return j.dump(2, ' ', false, ojson::error_handler_t::replace); }

ojson request_json(const transcript_request& r) {
  return ojson{{"window", r.window},         {"request", r.request_id},
               {"engineer", r.engineer},     {"collector", r.collector},
               {"params", r.params},         {"devices", r.devices},
               {"received_at", r.received_at}, {"commands", r.commands}};
}

ojson device_json(const transcript_device& d) {
  return ojson{{"device", d.device},   {"status", d.status},   {"started_at", d.started_at},
               {"ended_at", d.ended_at}, {"sha256", d.sha256}, {"bytes", d.bytes},
               {"commands", d.commands}};
}

std::string field(const ojson& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return "-";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// How many of the request's device results ended in each status: {"ok": 2, "timeout": 1}.
ojson result_counts(const transcript_store& store, const transcript_request& r) {
  std::string ignored;
  ojson counts = ojson::object();
  for (const auto& d : store.devices(r, ignored)) counts[d.status] = counts.value(d.status, 0) + 1;
  return counts;
}

std::string counts_text(const ojson& counts) {
  std::string out;
  for (const auto& [status, n] : counts.items())
    out += (out.empty() ? "" : ", ") + n.dump() + " " + status;
  return out.empty() ? "-" : out;
}

int run_list(const session_options& o) {
  std::string error;
  const auto store = store_of(o);
  const auto requests = store.list(window_of(o), error);
  if (!error.empty()) std::cerr << "tetherctl session list: " << error << "\n";
  if (o.json) {
    ojson out = ojson::array();
    for (const auto& r : requests) {
      ojson j = request_json(r);
      j["results"] = result_counts(store, r);
      out.push_back(std::move(j));
    }
    std::cout << dump(out) << "\n";
  } else {
    common::text_table t({"WINDOW", "REQUEST", "RECEIVED", "ENGINEER", "COLLECTOR", "DEVICES", "RESULTS"});
    for (const auto& r : requests)
      t.add({r.window, std::to_string(r.request_id), r.received_at, r.engineer, r.collector,
             std::to_string(r.devices.size()), counts_text(result_counts(store, r))});
    std::cout << t.str();
  }
  return error.empty() ? 0 : 2;
}

void print_device(const transcript_device& d, const std::string& file) {
  std::cout << "\n" << d.device << ": " << d.status << ", " << d.started_at << " - " << d.ended_at
            << "\n  document " << file << "\n  " << d.bytes << " bytes, sha256 " << d.sha256 << "\n";
  common::text_table t({"COMMAND", "STATUS", "BYTES", "REDACTIONS", "TRUNCATED", "SHA256"});
  for (const auto& c : d.commands)
    t.add({field(c, "command"), field(c, "status"), field(c, "bytes"), field(c, "redactions"),
           field(c, "truncated"), field(c, "sha256")});
  std::cout << t.str();
}

int run_show(const session_options& o) {
  const auto store = store_of(o);
  std::string error;
  auto session = store.show(o.request, window_of(o), error);
  if (!session) throw std::invalid_argument("tetherctl session show: " + error);
  std::vector<transcript_device> devices;
  for (auto& d : session->devices)
    if (o.device.empty() || d.device == o.device) devices.push_back(d);
  if (!o.device.empty() && devices.empty())
    throw std::invalid_argument("tetherctl session show: request " + std::to_string(o.request) +
                                " has no recorded result for device " + o.device);
  const auto& r = session->request;
  if (o.document) {  // exactly the bytes that were handed over for sending
    auto bytes = store.document(r.window, r.request_id, o.device);
    if (!bytes) throw std::invalid_argument("tetherctl session show: no document for " + o.device);
    std::cout << *bytes;
    return 0;
  }
  if (o.json) {
    ojson out = request_json(r);
    out["results"] = ojson::array();
    for (const auto& d : devices) out["results"].push_back(device_json(d));
    std::cout << dump(out) << "\n";
    return 0;
  }
  std::cout << "request " << r.request_id << " in window " << r.window << ", received "
            << r.received_at << "\nengineer " << r.engineer << ", collector " << r.collector
            << ", params " << r.params.dump(-1, ' ', false, ojson::error_handler_t::replace)
            << "\ncommands " << ojson(r.commands).dump(-1, ' ', false, ojson::error_handler_t::replace)
            << "\ndevices " << r.devices.size() << ", results recorded " << session->devices.size()
            << "\n";
  const auto dir = store.root() / r.window / std::to_string(r.request_id);
  for (const auto& d : devices) print_device(d, (dir / (d.device + ".result")).string());
  return 0;
}

}  // namespace

void add_session_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<session_options>();
  CLI::App* session = app.add_subcommand(
      "session", "Session transcripts: what each request ran and the exact bytes that left");
  session->require_subcommand(1);
  CLI::App* list = session->add_subcommand("list", "Every request recorded, oldest first");
  CLI::App* show = session->add_subcommand(
      "show", "One request: its devices, commands, and the sha256 of what left");
  for (CLI::App* sub : {list, show}) {
    sub->add_option("--config", o->config_file, "Agent configuration (its state_dir)")
        ->capture_default_str();
    sub->add_option("--window", o->window, "Only this change window");
    sub->add_flag("--json", o->json, "JSON for machines");
  }
  show->add_option("REQUEST", o->request, "The request id")->required();
  auto* device = show->add_option("--device", o->device, "Only this device");
  show->add_flag("--document", o->document,
                 "Print exactly the result-document bytes handed over for this device")
      ->needs(device);
  list->callback([o, &exit_code] { exit_code = run_list(*o); });
  show->callback([o, &exit_code] { exit_code = run_show(*o); });
}

}  // namespace tether::agent
