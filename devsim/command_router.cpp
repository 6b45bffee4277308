#include "devsim/command_router.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <regex>
#include <sstream>

#include "devsim/command_outputs.hpp"
#include "devsim/config_generator.hpp"

namespace tether::devsim {

namespace {

/// A word of the typed line and where it starts (for the caret).
struct word {
  std::string text;
  std::size_t column;
};

std::vector<word> split_words(std::string_view line, std::size_t offset) {
  std::vector<word> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i >= line.size()) break;
    word w{{}, offset + i};
    if (line[i] == '"') {
      ++i;
      while (i < line.size() && line[i] != '"') w.text += line[i++];
      ++i;
    } else {
      while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])))
        w.text += line[i++];
    }
    out.push_back(std::move(w));
  }
  return out;
}

/// The line split at `|` outside quotes, each part with its offset in the line.
std::vector<std::pair<std::string_view, std::size_t>> split_pipes(std::string_view line) {
  std::vector<std::pair<std::string_view, std::size_t>> parts;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] == '"') quoted = !quoted;
    if (i == line.size() || (line[i] == '|' && !quoted)) {
      parts.emplace_back(line.substr(start, i - start), start);
      start = i + 1;
    }
  }
  return parts;
}

enum class command_id {
  version, hardware, chassis_alarms, system_alarms, core_dumps, configuration, log_file,
  interfaces, bgp_summary, ospf_neighbor, isis_adjacency, route_summary, support_info,
  screen_length, exit
};

const std::vector<std::pair<std::vector<std::string>, command_id>>& command_table() {
  static const std::vector<std::pair<std::vector<std::string>, command_id>> table = {
      {{"show", "version"}, command_id::version},
      {{"show", "chassis", "hardware"}, command_id::hardware},
      {{"show", "chassis", "alarms"}, command_id::chassis_alarms},
      {{"show", "system", "alarms"}, command_id::system_alarms},
      {{"show", "system", "core-dumps"}, command_id::core_dumps},
      {{"show", "configuration"}, command_id::configuration},
      {{"show", "log"}, command_id::log_file},
      {{"show", "interfaces"}, command_id::interfaces},
      {{"show", "bgp", "summary"}, command_id::bgp_summary},
      {{"show", "ospf", "neighbor"}, command_id::ospf_neighbor},
      {{"show", "isis", "adjacency"}, command_id::isis_adjacency},
      {{"show", "route", "summary"}, command_id::route_summary},
      {{"request", "support", "information"}, command_id::support_info},
      {{"set", "cli", "screen-length"}, command_id::screen_length},
      {{"exit"}, command_id::exit},
      {{"quit"}, command_id::exit},
  };
  return table;
}

/// Builds the error reply in the caller's style.
class error_text {
 public:
  error_text(cli_mode mode) : mode_(mode) {}

  command_reply unknown(const word& w) const {
    if (mode_ == cli_mode::exec) return err("error: unknown command: " + w.text + "\n");
    return err(caret(w.column) + "unknown command.\n");
  }
  command_reply syntax(const word& w) const {
    if (mode_ == cli_mode::exec)
      return err("error: syntax error, expecting <command>: " + w.text + "\n");
    return err(caret(w.column) + "syntax error, expecting <command>.\n");
  }
  command_reply incomplete(std::size_t column) const {
    if (mode_ == cli_mode::exec) return err("error: syntax error, expecting <command>.\n");
    return err(caret(column) + "syntax error, expecting <command>.\n");
  }
  command_reply ambiguous(const word& w, const std::vector<std::string>& options) const {
    std::string list = "Possible completions:\n";
    for (const auto& o : options) list += "  " + o + "\n";
    if (mode_ == cli_mode::exec) return err("error: '" + w.text + "' is ambiguous.\n" + list);
    return err(caret(w.column) + "'" + w.text + "' is ambiguous.\n" + list);
  }
  /// An error Junos prints the same way in both modes (`error: device foo not found`).
  command_reply message(const std::string& text) const { return err("error: " + text + "\n"); }
  command_reply value(const word& w, const std::string& what) const {
    if (mode_ == cli_mode::exec) return err("error: " + what + ": " + w.text + "\n");
    return err(caret(w.column) + what + "\n");
  }

 private:
  static command_reply err(std::string text) { return {command_reply::kind::error, std::move(text)}; }
  static std::string caret(std::size_t column) { return std::string(column, ' ') + "^\n"; }
  cli_mode mode_;
};

/// Matches `typed` against `options` the way Junos completes: exact, else unique prefix.
struct completion {
  std::vector<std::string> matches;
};

completion complete(const std::string& typed, const std::vector<std::string>& options) {
  completion c;
  for (const auto& o : options)
    if (o == typed) return {{o}};
  for (const auto& o : options)
    if (o.rfind(typed, 0) == 0 && std::find(c.matches.begin(), c.matches.end(), o) == c.matches.end())
      c.matches.push_back(o);
  return c;
}

/// The pipes after a command, once parsed.
struct pipe_options {
  bool xml = false, set = false, count = false, no_more = false;
  std::optional<std::size_t> last;
  std::vector<std::pair<bool, std::string>> filters;  // (keep matching?, pattern)
};

std::string apply_filters(std::string text, const pipe_options& p) {
  if (p.filters.empty() && !p.last && !p.count) return text;
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    bool keep = true;
    for (const auto& [want, pattern] : p.filters) {
      bool hit;
      try {
        hit = std::regex_search(line, std::regex(pattern));
      } catch (const std::regex_error&) {
        hit = line.find(pattern) != std::string::npos;
      }
      keep = keep && hit == want;
    }
    if (keep) lines.push_back(line);
  }
  if (p.last && lines.size() > *p.last) lines.erase(lines.begin(), lines.end() - long(*p.last));
  if (p.count) return "Count: " + std::to_string(lines.size()) + " lines\n";
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

/// A parsing step's outcome: its value, or the error reply to send instead.
template <class T>
struct step {
  std::optional<T> value;
  command_reply error;
};

/// The command a line names and where its arguments start.
struct resolved {
  command_id id;
  std::size_t args_from;
};

/// Walks the command table word by word, completing abbreviations.
step<resolved> resolve(const std::vector<word>& words, const error_text& errors,
                       std::size_t end_column) {
  auto candidates = command_table();
  for (std::size_t depth = 0; depth < words.size(); ++depth) {
    std::vector<std::string> options;
    for (const auto& [path, cid] : candidates)
      if (path.size() > depth) options.push_back(path[depth]);
    const completion c = complete(words[depth].text, options);
    if (c.matches.empty())
      return {{}, depth == 0 ? errors.unknown(words[0]) : errors.syntax(words[depth])};
    if (c.matches.size() > 1) return {{}, errors.ambiguous(words[depth], c.matches)};
    std::erase_if(candidates, [&](const auto& e) {
      return e.first.size() <= depth || e.first[depth] != c.matches[0];
    });
    for (const auto& [path, cid] : candidates)
      if (path.size() == depth + 1) return {resolved{cid, depth + 1}, {}};
  }
  return {{}, errors.incomplete(end_column)};
}

/// Parses the pipes after the command (parts[1..]).
step<pipe_options> parse_pipes(const std::vector<std::pair<std::string_view, std::size_t>>& parts,
                               std::size_t prompt_width, const error_text& errors) {
  pipe_options pipes;
  for (std::size_t p = 1; p < parts.size(); ++p) {
    const auto pw = split_words(parts[p].first, prompt_width + parts[p].second);
    if (pw.empty()) return {{}, errors.incomplete(prompt_width + parts[p].second + 1)};
    const completion c = complete(pw[0].text, {"display", "last", "no-more", "match", "except", "count"});
    if (c.matches.size() != 1) return {{}, errors.syntax(pw[0])};
    const std::string& verb = c.matches[0];
    const std::size_t after = pw[0].column + pw[0].text.size() + 1;
    if (verb == "display") {
      if (pw.size() < 2) return {{}, errors.incomplete(after)};
      const completion d = complete(pw[1].text, {"xml", "set"});
      if (d.matches.size() != 1) return {{}, errors.syntax(pw[1])};
      (d.matches[0] == "xml" ? pipes.xml : pipes.set) = true;
    } else if (verb == "last") {
      pipes.last = 10;
      if (pw.size() > 1) {
        if (pw[1].text.empty() || pw[1].text.find_first_not_of("0123456789") != std::string::npos ||
            pw[1].text.size() > 9)
          return {{}, errors.value(pw[1], "number expected")};
        pipes.last = std::stoul(pw[1].text);
      }
    } else if (verb == "match" || verb == "except") {
      if (pw.size() < 2) return {{}, errors.incomplete(after)};
      pipes.filters.emplace_back(verb == "match", pw[1].text);
    } else {
      (verb == "count" ? pipes.count : pipes.no_more) = true;
    }
  }
  return {pipes, {}};
}

/// `set cli screen-length N`.
command_reply screen_length(const std::vector<word>& args, const error_text& errors,
                            std::size_t end_column) {
  if (args.empty()) return errors.incomplete(end_column);
  if (args.size() > 1) return errors.syntax(args[1]);
  if (args[0].text.empty() || args[0].text.find_first_not_of("0123456789") != std::string::npos ||
      args[0].text.size() > 6)
    return errors.value(args[0], "number expected");
  command_reply r{command_reply::kind::output, "Screen length set to " + args[0].text + "\n"};
  r.screen_length = std::stoul(args[0].text);
  return r;
}

/// Output of the commands that take no arguments.
std::string plain_output(command_id id, const device_identity& d, output_format f) {
  switch (id) {
    case command_id::version: return show_version(d, f);
    case command_id::hardware: return show_chassis_hardware(d, f);
    case command_id::chassis_alarms: return show_chassis_alarms(d, f);
    case command_id::system_alarms: return show_system_alarms(d, f);
    case command_id::core_dumps: return show_system_core_dumps(d, f);
    case command_id::bgp_summary: return show_bgp_summary(d, f);
    case command_id::ospf_neighbor: return show_ospf_neighbor(d, f);
    case command_id::isis_adjacency: return show_isis_adjacency(d, f);
    case command_id::route_summary: return show_route_summary(d, f);
    case command_id::support_info: return request_support_information(d, f);
    default: return {};
  }
}

/// `show interfaces terse` or `show interfaces NAME [extensive]`.
step<std::string> interfaces_output(const std::vector<word>& args, const device_identity& d,
                                    output_format f, const error_text& errors) {
  if (complete(args[0].text, {"terse"}).matches.size() == 1) {
    if (args.size() > 1) return {{}, errors.syntax(args[1])};
    return {show_interfaces_terse(d, f), {}};
  }
  if (args.size() > 2) return {{}, errors.syntax(args[2])};
  if (args.size() == 2 && complete(args[1].text, {"extensive"}).matches.size() != 1)
    return {{}, errors.syntax(args[1])};
  auto extensive = show_interface_extensive(d, args[0].text, f);
  if (!extensive) return {{}, errors.message("device " + args[0].text + " not found")};
  return {std::move(*extensive), {}};
}

}  // namespace

command_router::command_router(device_identity device, std::size_t huge_bytes)
    : device_(std::move(device)), huge_bytes_(huge_bytes) {}

command_reply command_router::run(std::string_view line, cli_mode mode,
                                  std::size_t prompt_width) const {
  const error_text errors(mode);
  const auto parts = split_pipes(line);
  const std::vector<word> words = split_words(parts[0].first, prompt_width + parts[0].second);
  if (words.empty()) return {};
  const std::size_t end_column = prompt_width + parts[0].second + parts[0].first.size() + 1;
  const step<resolved> command = resolve(words, errors, end_column);
  if (!command.value) return command.error;
  const command_id id = command.value->id;
  const std::vector<word> args(words.begin() + long(command.value->args_from), words.end());
  const step<pipe_options> pipes = parse_pipes(parts, prompt_width, errors);
  if (!pipes.value) return pipes.error;
  const output_format f = pipes.value->xml ? output_format::xml : output_format::text;

  step<std::string> out;
  if (id == command_id::exit) return {command_reply::kind::exit, ""};
  if (id == command_id::screen_length) return screen_length(args, errors, end_column);
  if (id == command_id::configuration) {
    std::vector<std::string> path;
    for (const word& w : args) path.push_back(w.text);
    const config_form form = pipes.value->xml ? config_form::xml
                             : pipes.value->set ? config_form::set
                                                : config_form::hierarchy;
    out.value = render_configuration(device_, build_configuration(device_, huge_bytes_), path, form);
  } else if (id == command_id::log_file || id == command_id::interfaces) {
    if (args.empty()) return errors.incomplete(end_column);
    if (id == command_id::interfaces) {
      out = interfaces_output(args, device_, f, errors);
    } else if (args.size() > 1) {
      return errors.syntax(args[1]);
    } else if (auto log = show_log(device_, args[0].text, f)) {
      out.value = std::move(*log);
    } else {
      return errors.message("could not resolve file: " + args[0].text);
    }
  } else {
    if (!args.empty()) return errors.syntax(args[0]);
    out.value = plain_output(id, device_, f);
  }
  if (!out.value) return out.error;
  command_reply reply{command_reply::kind::output, apply_filters(std::move(*out.value), *pipes.value)};
  reply.no_more = pipes.value->no_more;
  return reply;
}

}  // namespace tether::devsim
