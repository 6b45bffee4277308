#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tether::collectors {

/// Parses a size in bytes: a whole number with an optional binary unit, `65536`, `512KiB`,
/// `64MiB`, `1GiB`. Sets `why` and returns nothing for anything else (decimal `MB` included,
/// so nobody has to guess which one was meant).
std::optional<std::uint64_t> parse_byte_size(std::string_view text, std::string& why);

/// The shortest exact form parse_byte_size reads back: `64MiB`, `1536KiB`, `100`.
std::string format_byte_size(std::uint64_t bytes);

}  // namespace tether::collectors
