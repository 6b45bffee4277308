#include "config/duration.hpp"

#include <array>
#include <cstdint>
#include <limits>

namespace tether::config {

namespace {

struct unit {
  char letter;
  std::int64_t seconds;
};
constexpr std::array<unit, 4> units{{{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};

// Ten years is far beyond any window or notice period; bigger values are typing mistakes.
constexpr std::int64_t max_seconds = 10LL * 366 * 86400;

std::optional<std::chrono::seconds> fail(std::string& why, std::string_view text,
                                         std::string_view reason) {
  why = "expected a duration such as 90m, 4h30m, 14d or 30s, got \"" + std::string(text) +
        "\" (" + std::string(reason) + ")";
  return std::nullopt;
}

}  // namespace

std::optional<std::chrono::seconds> parse_duration(std::string_view text, std::string& why) {
  if (text.empty()) return fail(why, text, "empty");
  std::int64_t total = 0;
  std::size_t next_unit = 0;  // units must come largest first, each once
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t number = 0;
    std::size_t digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
      number = number * 10 + (text[i] - '0');
      if (number > max_seconds) return fail(why, text, "too large");
    }
    if (digits == 0) return fail(why, text, "a number must come before each unit");
    if (i == text.size()) return fail(why, text, "a unit d, h, m or s must follow each number");
    std::size_t u = next_unit;
    while (u < units.size() && units[u].letter != text[i]) ++u;
    if (u == units.size()) return fail(why, text, "units are d, h, m, s, largest first, each once");
    total += number * units[u].seconds;
    if (total > max_seconds) return fail(why, text, "too large");
    next_unit = u + 1;
    ++i;
  }
  return std::chrono::seconds(total);
}

std::string format_duration(std::chrono::seconds d) {
  std::int64_t left = d.count();
  if (left == 0) return "0s";
  std::string out = left < 0 ? "-" : "";
  if (left < 0) left = -left;
  for (const auto& u : units) {
    // Up to two days read better in hours: "24h", "36h", but "14d".
    if (u.letter == 'd' && left < 2 * u.seconds) continue;
    if (left >= u.seconds) {
      out += std::to_string(left / u.seconds) + u.letter;
      left %= u.seconds;
    }
  }
  return out;
}

}  // namespace tether::config
