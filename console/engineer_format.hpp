#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/text_table.hpp"

namespace tether::console {

using common::text_table;

/// Unix ms as `YYYY-MM-DDTHH:MM:SSZ`; "-" for 0.
std::string utc_text(std::int64_t ms);

/// A byte count for humans: `812 B`, `4.2 KiB`, `17.0 MiB`.
std::string bytes_text(std::uint64_t bytes);

/// A duration in ms for humans: `850 ms`, `12.3 s`, `4m05s`.
std::string duration_text(std::int64_t ms);

/// `text` safe for a terminal: control characters other than TAB and LF (escape sequences
/// included) become `?`.
std::string printable(const std::string& text);

}  // namespace tether::console
