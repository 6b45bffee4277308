#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tether::collectors {

/// The fixed rule a device command broke (`allowed` when it broke none). No configuration
/// (catalog, overlay, extra commands) can lift these rules; see docs/catalog.md.
enum class command_rule {
  allowed,
  empty,            // nothing to run
  too_long,         // over max_command_bytes
  forbidden_byte,   // newline, control, non-ASCII, or a byte outside the allowed set
  malformed,        // words not separated by single spaces, `|` glued to a word, bare `show`
  forbidden_verb,   // configure, edit, set, delete, request (other), start, file, ...
  not_show,         // any other first word: only `show ...` is read-only by construction
  path_traversal,   // `..` in a word, or a path given to `show log`
  forbidden_pipe,   // `| save`, `| load`, `| request`, ... or a pipe not in the allowed list
  pipe_argument,    // an allowed pipe with a missing, extra or wrong argument
  too_many_pipes,   // more than max_pipes
};

/// The stable code for a rule, as it appears in denials and audit records (`forbidden-byte`).
std::string_view to_string(command_rule rule);

/// The verdict on one device command: the rule it broke and a human-readable detail.
struct command_check {
  command_rule rule = command_rule::allowed;
  std::string detail;

  bool allowed() const { return rule == command_rule::allowed; }
};

/// Longest device command the agent sends, in bytes.
inline constexpr std::size_t max_command_bytes = 512;
/// Most `|` stages one command may have.
inline constexpr std::size_t max_pipes = 4;
/// The one non-`show` command the agent may send (read-only, large output).
inline constexpr std::string_view support_information_command = "request support information";

/// Checks a fully rendered device command against the fixed rules.
command_check check_command(std::string_view command);

/// Whether `c` may appear in a device command at all: ASCII letters, digits, space and
/// `- _ . : / , * + = @ % ^ ( ) [ ] |`. Everything else (control bytes, `;`, `&`, `$`,
/// backtick, quotes, braces, `<`, `>`, `\`, `?`, `!`, `#`, `~`, non-ASCII) is refused.
bool is_command_byte(unsigned char c);

/// Whether `c` may appear in a parameter value: a command byte other than space and `|`,
/// so that a value is always exactly one CLI word.
bool is_parameter_byte(unsigned char c);

}  // namespace tether::collectors
