#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devsim/device_identity.hpp"

namespace tether::devsim {

/// Where a command line came from: an exec channel (errors as one `error: ...` line) or
/// the interactive CLI (errors as a caret under the offending word).
enum class cli_mode { exec, interactive };

/// What one command line produced.
struct command_reply {
  enum class kind { output, error, exit };
  command_reply() = default;
  command_reply(kind k, std::string t) : type(k), text(std::move(t)) {}

  kind type = kind::output;
  std::string text;  // the bytes the device prints, newline-terminated ("" for nothing)
  bool no_more = false;                     // `| no-more`: the CLI must not page this
  std::optional<std::size_t> screen_length; // set by `set cli screen-length N`
};

/// Maps a Junos operational command line, with its pipes (`| display xml`, `| display set`,
/// `| last N`, `| match RE`, `| except RE`, `| count`, `| no-more`), to the device's output
/// or to Junos's own error text. Words may be abbreviated to any unique prefix, as on Junos.
class command_router {
 public:
  /// `huge_bytes` > 0 makes `show configuration` at least that large (the huge:MB fault).
  explicit command_router(device_identity device, std::size_t huge_bytes = 0);

  /// Runs one line; `prompt_width` places the interactive caret under the typed line.
  command_reply run(std::string_view line, cli_mode mode, std::size_t prompt_width = 0) const;

  /// The device this router answers for.
  const device_identity& device() const { return device_; }

 private:
  device_identity device_;
  std::size_t huge_bytes_;
};

}  // namespace tether::devsim
