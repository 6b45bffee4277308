#include "console/notes_command.hpp"

#include <iostream>
#include <memory>

#include "console/engineer_client.hpp"
#include "console/engineer_format.hpp"

namespace tether::console {

namespace {

struct notes_options {
  server_location where;
  std::string site;
  std::vector<std::string> words;  ///< empty (list) or `add TEXT...`
};

int run_notes(const notes_options& o) {
  nlohmann::json ask{{"op", "notes"}, {"site", o.site}};
  if (!o.words.empty()) {
    if (o.words[0] != "add" || o.words.size() < 2) {
      std::cerr << "tether-console: notes SITE [add TEXT]\n";
      return 2;
    }
    std::string text;
    for (std::size_t i = 1; i < o.words.size(); ++i) text += (i > 1 ? " " : "") + o.words[i];
    ask["add"] = text;
  }
  const auto answer = ask_server(o.where, ask);
  if (!answer.value("ok", false)) return report_failure(o.where, answer);
  if (o.where.json) {
    std::cout << answer["notes"].dump(2) << "\n";
    return 0;
  }
  if (answer["notes"].empty()) {
    std::cout << "no notes for " << o.site << "\n";
    return 0;
  }
  text_table t({"TIME", "AUTHOR", "NOTE"});
  for (const auto& n : answer["notes"])
    t.add({utc_text(n.value("at_ms", std::int64_t{0})), n.value("author", ""), n.value("text", "")});
  std::cout << t.str();
  return 0;
}

}  // namespace

void add_notes_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<notes_options>();
  auto* cmd = app.add_subcommand("notes", "the hand-off notes of a site: list, or `add TEXT`");
  cmd->add_option("SITE", o->site, "site ID")->required();
  cmd->add_option("words", o->words, "add TEXT");
  o->where.add_to(*cmd);
  cmd->callback([o, &exit_code] { exit_code = run_notes(*o); });
}

}  // namespace tether::console
