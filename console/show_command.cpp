#include "console/show_command.hpp"

#include <iostream>
#include <memory>

#include "console/engineer_client.hpp"
#include "console/engineer_format.hpp"

namespace tether::console {

namespace {

struct show_options {
  server_location where;
  std::int64_t id = 0;
  bool raw = false;
};

std::string from_hex(const std::string& hex) {
  std::string out;
  auto digit = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(digit(hex[i]) * 16 + digit(hex[i + 1])));
  return out;
}

int run_show(const show_options& o) {
  nlohmann::json ask{{"op", "show"}, {"id", o.id}};
  if (o.raw) ask["raw"] = true;
  const auto answer = ask_server(o.where, ask);
  if (!answer.value("ok", false)) return report_failure(o.where, answer);
  if (o.raw) {
    std::cout << from_hex(answer.value("raw_hex", ""));
    return 0;
  }
  if (o.where.json) {
    std::cout << answer.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  const auto& r = answer["result"];
  const auto stored = answer.value("stored_sha256", "");
  std::cout << "result " << r.value("id", 0) << ": " << r.value("collector", "") << " on "
            << r.value("device", "") << " at " << r.value("site", "") << " (window "
            << r.value("window", "") << ", request " << r.value("request_id", std::uint64_t{0}) << ")\n"
            << "status: " << r.value("status", "")
            << (r.value("message", "").empty() ? "" : ": " + r.value("message", "")) << "\n"
            << "bytes: " << r.value("bytes", std::uint64_t{0}) << "\n"
            << "sha256: " << r.value("sha256", "")
            << (stored == r.value("sha256", "") ? " (verified)" : " (MISMATCH: stored bytes hash to " + stored + ")")
            << "\n";
  if (answer.contains("document")) {
    const auto& doc = answer["document"];
    if (doc.contains("commands") && doc["commands"].is_array()) {
      for (const auto& c : doc["commands"]) {
        if (!c.is_object()) continue;
        std::cout << "\n== " << c.value("command", std::string("?")) << " (" << c.value("status", std::string("?"))
                  << ", " << c.value("bytes", std::uint64_t{0}) << " bytes";
        if (c.value("redactions", std::uint64_t{0}) > 0) std::cout << ", " << c.value("redactions", std::uint64_t{0}) << " redactions";
        if (c.value("truncated", false)) std::cout << ", truncated";
        std::cout << ")\n";
        if (c.contains("output") && c["output"].is_string()) {
          const auto out = printable(c["output"].get<std::string>());
          std::cout << out << (out.empty() || out.back() == '\n' ? "" : "\n");
        }
      }
    }
  } else {
    std::cout << "\n" << printable(from_hex(answer.value("raw_hex", "")));
  }
  return 0;
}

}  // namespace

void add_show_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<show_options>();
  auto* cmd = app.add_subcommand("show", "one result: its commands and outputs (or raw bytes) and its sha256");
  cmd->add_option("RESULT_ID", o->id, "the ID `results` lists")->required();
  cmd->add_flag("--raw", o->raw, "write the stored bytes exactly as received");
  o->where.add_to(*cmd);
  cmd->callback([o, &exit_code] { exit_code = run_show(*o); });
}

}  // namespace tether::console
