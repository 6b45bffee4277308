#include "collectors/command_allowlist.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <vector>

namespace tether::collectors {

namespace {

// ---------------------------------------------------------------------------------------
// The tables. What a peer may make the device run is decided here and nowhere else.
// ---------------------------------------------------------------------------------------

/// A first word that is refused, and why (kept for a readable denial: anything that is not
/// `show` is refused anyway).
struct refused_word {
  std::string_view word;
  std::string_view why;
};

constexpr std::array refused_verbs{
    refused_word{"configure", "enters configuration mode"},
    refused_word{"edit", "configuration mode"},
    refused_word{"set", "changes configuration or CLI settings"},
    refused_word{"delete", "changes configuration"},
    refused_word{"commit", "changes configuration"},
    refused_word{"rollback", "changes configuration"},
    refused_word{"load", "changes configuration"},
    refused_word{"save", "writes a file"},
    refused_word{"request", "acts on the device (reboot, software, files, chassis); only "
                            "`request support information` is allowed"},
    refused_word{"start", "`start shell` opens a shell"},
    refused_word{"file", "copies, deletes, shows or writes files"},
    refused_word{"restart", "restarts daemons"},
    refused_word{"clear", "clears state (counters, sessions, neighbours)"},
    refused_word{"test", "runs tests that act on the device"},
    refused_word{"op", "runs op scripts"},
    refused_word{"monitor", "streams without end; `monitor start` writes files"},
    refused_word{"ping", "sends traffic from the device"},
    refused_word{"traceroute", "sends traffic from the device"},
    refused_word{"telnet", "opens a session from the device"},
    refused_word{"ssh", "opens a session from the device"},
    refused_word{"ftp", "opens a session from the device"},
    refused_word{"run", "escapes configuration mode"},
    refused_word{"exit", "changes the CLI session"},
    refused_word{"quit", "changes the CLI session"},
};

/// A pipe that is refused, and why.
constexpr std::array refused_pipes{
    refused_word{"save", "writes a file on the device"},
    refused_word{"append", "writes a file on the device"},
    refused_word{"tee", "writes a file on the device"},
    refused_word{"load", "loads configuration"},
    refused_word{"request", "`| request message` writes to other users' terminals"},
    refused_word{"refresh", "repeats without end"},
    refused_word{"hold", "holds the session open"},
    refused_word{"resolve", "makes the device send DNS queries"},
};

/// What an allowed pipe takes after its name.
enum class pipe_takes {
  nothing,          // | no-more, | count
  optional_number,  // | last, | last 100
  number,           // | trim 10
  word,             // | match ge-0, | except down, | find Errors
  display_format,   // | display xml|json|set|inheritance
  rollback,         // | compare rollback 1
};

struct allowed_pipe {
  std::string_view name;
  pipe_takes takes;
};

constexpr std::array allowed_pipes{
    allowed_pipe{"no-more", pipe_takes::nothing},
    allowed_pipe{"count", pipe_takes::nothing},
    allowed_pipe{"last", pipe_takes::optional_number},
    allowed_pipe{"trim", pipe_takes::number},
    allowed_pipe{"match", pipe_takes::word},
    allowed_pipe{"except", pipe_takes::word},
    allowed_pipe{"find", pipe_takes::word},
    allowed_pipe{"display", pipe_takes::display_format},
    allowed_pipe{"compare", pipe_takes::rollback},
};

constexpr std::array display_formats{std::string_view("xml"), std::string_view("json"),
                                     std::string_view("set"), std::string_view("inheritance")};

// Punctuation a command may contain besides letters, digits and space.
constexpr std::string_view command_punctuation = "-_.:/,*+=@%^()[]|";

// Largest number a `| last N`, `| trim N` or `| compare rollback N` may carry.
constexpr long max_pipe_number = 1'000'000;

// ---------------------------------------------------------------------------------------

using words = std::vector<std::string_view>;

command_check refuse(command_rule rule, std::string detail) { return {rule, std::move(detail)}; }

std::string describe_byte(unsigned char c) {
  if (c >= 0x21 && c < 0x7f) return std::string("'") + char(c) + "'";
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02x", unsigned(c));
  return hex;
}

template <std::size_t N>
const refused_word* find_word(const std::array<refused_word, N>& table, std::string_view w) {
  for (const auto& entry : table)
    if (entry.word == w) return &entry;
  return nullptr;
}

const allowed_pipe* find_pipe(std::string_view name) {
  for (const auto& p : allowed_pipes)
    if (p.name == name) return &p;
  return nullptr;
}

bool is_number(std::string_view w, long lo, long hi) {
  if (w.empty() || w.size() > 7) return false;
  long value = 0;
  for (char c : w) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return value >= lo && value <= hi;
}

std::string join(const words& ws) {
  std::string out;
  for (auto w : ws) out += (out.empty() ? "" : " ") + std::string(w);
  return out;
}

/// Splits on single spaces; nullopt when a word is empty (double, leading or trailing space).
std::optional<words> split_words(std::string_view text) {
  words out;
  std::size_t start = 0;
  while (true) {
    const std::size_t space = text.find(' ', start);
    const std::string_view w = text.substr(start, space == std::string_view::npos
                                                      ? std::string_view::npos
                                                      : space - start);
    if (w.empty()) return std::nullopt;
    out.push_back(w);
    if (space == std::string_view::npos) return out;
    start = space + 1;
  }
}

command_check check_bytes(std::string_view command) {
  for (std::size_t i = 0; i < command.size(); ++i) {
    const auto c = static_cast<unsigned char>(command[i]);
    if (!is_command_byte(c))
      return refuse(command_rule::forbidden_byte,
                    "byte " + describe_byte(c) + " at offset " + std::to_string(i));
  }
  return {};
}

command_check check_pipe(const words& stage) {
  if (stage.empty()) return refuse(command_rule::malformed, "empty pipe stage");
  const std::string_view name = stage.front();
  if (const auto* refused = find_word(refused_pipes, name))
    return refuse(command_rule::forbidden_pipe,
                  "| " + std::string(name) + ": " + std::string(refused->why));
  const allowed_pipe* pipe = find_pipe(name);
  if (!pipe)
    return refuse(command_rule::forbidden_pipe, "| " + std::string(name) + " is not an allowed pipe");
  const std::size_t args = stage.size() - 1;
  bool ok = false;
  switch (pipe->takes) {
    case pipe_takes::nothing: ok = args == 0; break;
    case pipe_takes::optional_number:
      ok = args == 0 || (args == 1 && is_number(stage[1], 1, max_pipe_number));
      break;
    case pipe_takes::number: ok = args == 1 && is_number(stage[1], 0, max_pipe_number); break;
    case pipe_takes::word: ok = args == 1; break;
    case pipe_takes::display_format:
      ok = args == 1 && std::find(display_formats.begin(), display_formats.end(), stage[1]) !=
                            display_formats.end();
      break;
    case pipe_takes::rollback:
      ok = args == 2 && stage[1] == "rollback" && is_number(stage[2], 0, 49);
      break;
  }
  if (!ok) return refuse(command_rule::pipe_argument, "| " + join(stage));
  return {};
}

command_check check_show(const words& base) {
  if (base.size() < 2) return refuse(command_rule::malformed, "`show` needs a subject");
  for (auto w : base)
    if (w.find("..") != std::string_view::npos)
      return refuse(command_rule::path_traversal, "`..` in \"" + std::string(w) + "\"");
  // `show log NAME` reads NAME from /var/log; a path would read any file.
  if (base[1] == "log" && base.size() > 2 && base[2].find('/') != std::string_view::npos)
    return refuse(command_rule::path_traversal, "`show log` takes a file name, not a path");
  return {};
}

command_check check_base(const words& base, bool& support_information) {
  if (base.empty()) return refuse(command_rule::empty, "no command before `|`");
  support_information = join(base) == support_information_command;
  if (support_information) return {};
  if (const auto* verb = find_word(refused_verbs, base.front()))
    return refuse(command_rule::forbidden_verb,
                  std::string(verb->word) + ": " + std::string(verb->why));
  if (base.front() != "show")
    return refuse(command_rule::not_show,
                  "\"" + std::string(base.front()) + "\": only `show` commands are read-only");
  return check_show(base);
}

}  // namespace

std::string_view to_string(command_rule rule) {
  switch (rule) {
    case command_rule::allowed: return "allowed";
    case command_rule::empty: return "empty";
    case command_rule::too_long: return "too-long";
    case command_rule::forbidden_byte: return "forbidden-byte";
    case command_rule::malformed: return "malformed";
    case command_rule::forbidden_verb: return "forbidden-verb";
    case command_rule::not_show: return "not-show";
    case command_rule::path_traversal: return "path-traversal";
    case command_rule::forbidden_pipe: return "forbidden-pipe";
    case command_rule::pipe_argument: return "pipe-argument";
    case command_rule::too_many_pipes: return "too-many-pipes";
  }
  return "unknown";
}

bool is_command_byte(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ')
    return true;
  return c != 0 && command_punctuation.find(char(c)) != std::string_view::npos;
}

bool is_parameter_byte(unsigned char c) { return c != ' ' && c != '|' && is_command_byte(c); }

command_check check_command(std::string_view command) {
  if (command.empty()) return refuse(command_rule::empty, "empty command");
  if (command.size() > max_command_bytes)
    return refuse(command_rule::too_long, std::to_string(command.size()) + " bytes, at most " +
                                              std::to_string(max_command_bytes));
  if (auto bytes = check_bytes(command); !bytes.allowed()) return bytes;
  const auto all = split_words(command);
  if (!all) return refuse(command_rule::malformed, "words must be separated by single spaces");

  // Cut into stages at standalone `|`; a `|` inside a word is never a separator we accept.
  std::vector<words> stages(1);
  for (auto w : *all) {
    if (w == "|") {
      stages.emplace_back();
    } else if (w.find('|') != std::string_view::npos) {
      return refuse(command_rule::malformed, "`|` must stand alone between spaces");
    } else {
      stages.back().push_back(w);
    }
  }
  if (stages.size() - 1 > max_pipes)
    return refuse(command_rule::too_many_pipes, std::to_string(stages.size() - 1) +
                                                    " pipes, at most " + std::to_string(max_pipes));
  bool support_information = false;
  if (auto base = check_base(stages.front(), support_information); !base.allowed()) return base;
  for (std::size_t i = 1; i < stages.size(); ++i) {
    if (support_information && (i > 1 || stages[i] != words{"no-more"}))
      return refuse(command_rule::forbidden_pipe,
                    "`request support information` takes only `| no-more`");
    if (auto pipe = check_pipe(stages[i]); !pipe.allowed()) return pipe;
  }
  return {};
}

}  // namespace tether::collectors
