#include "console/anchors_command.hpp"

#include <iostream>
#include <memory>

#include "console/engineer_client.hpp"
#include "console/engineer_format.hpp"

namespace tether::console {

namespace {

struct anchors_options {
  server_location where;
  std::string site;
};

int run_anchors(const anchors_options& o) {
  const auto answer = ask_server(o.where, {{"op", "anchors"}, {"site", o.site}});
  if (!answer.value("ok", false)) return report_failure(o.where, answer);
  if (o.where.json) {  // JSON Lines: the file `tetherctl audit verify --anchors` reads
    for (const auto& a : answer["anchors"])
      std::cout << nlohmann::json{{"seq", a["seq"]}, {"hash", a["hash"]}, {"signature", a["signature"]}}.dump() << "\n";
    return 0;
  }
  if (answer["anchors"].empty()) {
    std::cout << "no audit anchors from " << o.site << " yet\n";
    return 0;
  }
  text_table t({"SEQ", "CHAIN HEAD", "SIGNED AT", "RECEIVED"});
  for (const auto& a : answer["anchors"])
    t.add({std::to_string(a.value("seq", std::uint64_t{0})), a.value("hash", ""),
           utc_text(a.value("at_ms", std::int64_t{0})), utc_text(a.value("received_ms", std::int64_t{0}))});
  std::cout << t.str();
  return 0;
}

}  // namespace

void add_anchors_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<anchors_options>();
  auto* cmd = app.add_subcommand(
      "anchors", "the signed audit checkpoints a site's agent sent (--json: the JSON Lines file "
                 "`tetherctl audit verify --anchors` reads)");
  cmd->add_option("SITE", o->site, "site ID")->required();
  o->where.add_to(*cmd);
  cmd->callback([o, &exit_code] { exit_code = run_anchors(*o); });
}

}  // namespace tether::console
