#include "agent/window_admin_command.hpp"

#include <iostream>
#include <memory>

#include "agent/control_target.hpp"
#include "common/text_table.hpp"

namespace tether::agent {

namespace {

using nlohmann::json;

struct admin_options {
  control_target target;
  std::string id, start, duration, end, reason;
};

std::string text(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "-";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

/// Prints a failed answer (with the policy's reasons) and gives its exit code.
int print_failure(const json& reply) {
  std::cerr << text(reply, "error") << "\n";
  if (reply.contains("reasons")) {
    for (const auto& r : reply["reasons"]) std::cerr << "  " << r.get<std::string>() << "\n";
    return 1;
  }
  return 2;
}

void print_windows(const json& windows) {
  common::text_table t({"WINDOW", "STATE", "START (UTC)", "END (UTC)", "AS WRITTEN", "NOTIFIED", "BY UID"});
  for (const auto& w : windows) {
    std::string state = text(w, "state");
    if (w.value("open", false)) state = "open";
    if (w.value("ended", false)) state = "ended unopened";
    const std::string written = text(w, "start") + (w.contains("duration") ? " +" + text(w, "duration")
                                                                           : " .. " + text(w, "end"));
    t.add({text(w, "id"), state, text(w, "start_utc"), text(w, "end_utc"), written,
           text(w, "notified_at"), text(w, "added_by")});
  }
  std::cout << t.str();
}

int run(const admin_options& o, const json& request, bool list) {
  const json reply = o.target.call(request);
  if (o.target.json) {
    std::cout << reply.dump(2) << "\n";
    if (!reply.value("ok", false)) return reply.contains("reasons") ? 1 : 2;
    return 0;
  }
  if (!reply.value("ok", false)) return print_failure(reply);
  if (list)
    print_windows(reply["windows"]);
  else if (reply.contains("window") && reply["window"].is_object())
    print_windows(json::array({reply["window"]}));
  else
    std::cout << "window " << text(reply, "window") << " " << text(reply, "state") << "\n";
  return 0;
}

}  // namespace

void add_window_admin_command(CLI::App& app, int& exit_code) {
  CLI::App* window = app.get_subcommand("window");
  auto o = std::make_shared<admin_options>();

  CLI::App* add = window->add_subcommand(
      "add", "Register a change window with the daemon (exit 1 when the policy refuses it)");
  add->add_option("--change", o->id, "The change ID, e.g. CHG-1001")->required();
  add->add_option("--start", o->start, "Start: 2026-12-08T10:00 (site-local) or RFC 3339")->required();
  auto* duration = add->add_option("--duration", o->duration, "Length: 4h, 4h30m");
  auto* end = add->add_option("--end", o->end, "End, instead of --duration");
  duration->excludes(end);
  o->target.add_options(add);
  add->callback([o, &exit_code] {
    exit_code = run(*o, {{"command", "window-add"}, {"id", o->id}, {"start", o->start},
                         {"duration", o->duration}, {"end", o->end}}, false);
  });

  CLI::App* list = window->add_subcommand("list", "The daemon's registered windows");
  list->callback([o, &exit_code] { exit_code = run(*o, {{"command", "window-list"}}, true); });
  o->target.add_options(list);

  CLI::App* show = window->add_subcommand("show", "One registered window");
  show->add_option("id", o->id, "The change ID")->required();
  o->target.add_options(show);
  show->callback([o, &exit_code] {
    exit_code = run(*o, {{"command", "window-show"}, {"id", o->id}}, false);
  });

  CLI::App* cancel = window->add_subcommand("cancel", "Cancel a window that has not opened");
  cancel->add_option("id", o->id, "The change ID")->required();
  cancel->add_option("--reason", o->reason, "Why (goes into the audit log)");
  o->target.add_options(cancel);
  cancel->callback([o, &exit_code] {
    exit_code = run(*o, {{"command", "window-cancel"}, {"id", o->id}, {"reason", o->reason}}, false);
  });
}

}  // namespace tether::agent
