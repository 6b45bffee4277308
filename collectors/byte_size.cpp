#include "collectors/byte_size.hpp"

#include <array>

namespace tether::collectors {

namespace {

struct unit {
  std::string_view suffix;
  std::uint64_t bytes;
};
constexpr std::array<unit, 4> units{
    {{"GiB", 1ULL << 30}, {"MiB", 1ULL << 20}, {"KiB", 1ULL << 10}, {"", 1}}};

// One TiB: far beyond any device output; bigger numbers are typing mistakes.
constexpr std::uint64_t max_bytes = 1ULL << 40;

}  // namespace

std::optional<std::uint64_t> parse_byte_size(std::string_view text, std::string& why) {
  std::size_t digits = 0;
  std::uint64_t number = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    number = number * 10 + std::uint64_t(text[digits] - '0');
    if (number > max_bytes) break;
    ++digits;
  }
  const std::string_view suffix = text.substr(digits);
  for (const auto& u : units) {
    if (digits == 0 || suffix != u.suffix || number > max_bytes / u.bytes) continue;
    return number * u.bytes;
  }
  why = "expected a size such as 65536, 512KiB, 64MiB or 1GiB (at most 1024GiB), got \"" +
        std::string(text) + "\"";
  return std::nullopt;
}

std::string format_byte_size(std::uint64_t bytes) {
  for (const auto& u : units)
    if (bytes != 0 && bytes % u.bytes == 0) return std::to_string(bytes / u.bytes) + std::string(u.suffix);
  return std::to_string(bytes);
}

}  // namespace tether::collectors
