#include "devsim/fault.hpp"

#include <charconv>

namespace tether::devsim {

namespace {

struct fault_spelling {
  std::string_view name;
  fault::kind type;
  bool takes_amount;
};

constexpr fault_spelling spellings[] = {
    {"auth-fail", fault::kind::auth_fail, false},   {"slow", fault::kind::slow, true},
    {"hang", fault::kind::hang, false},             {"drop-after", fault::kind::drop_after, true},
    {"huge", fault::kind::huge, true},              {"hostkey-change", fault::kind::hostkey_change, false},
    {"refuse", fault::kind::refuse, false},
};

}  // namespace

std::optional<named_fault> parse_fault(std::string_view text, std::string& why) {
  why = "expected NAME=auth-fail|slow:MS|hang|drop-after:BYTES|huge:MB|hostkey-change|refuse, got \"" +
        std::string(text) + "\"";
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) return std::nullopt;
  std::string_view spec = text.substr(eq + 1);
  const auto colon = spec.find(':');
  const std::string_view name = spec.substr(0, colon);
  for (const fault_spelling& s : spellings) {
    if (s.name != name) continue;
    named_fault out{std::string(text.substr(0, eq)), {s.type, 0}};
    if (!s.takes_amount) {
      if (colon != std::string_view::npos) return std::nullopt;
      return out;
    }
    if (colon == std::string_view::npos) return std::nullopt;
    const std::string_view number = spec.substr(colon + 1);
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), out.what.amount);
    if (ec != std::errc() || end != number.data() + number.size() || number.empty()) return std::nullopt;
    if (s.type == fault::kind::huge && (out.what.amount == 0 || out.what.amount > 4096)) {
      why = "huge:MB takes 1 to 4096 MB, got \"" + std::string(text) + "\"";
      return std::nullopt;
    }
    return out;
  }
  return std::nullopt;
}

std::string to_string(const fault& f) {
  for (const fault_spelling& s : spellings)
    if (s.type == f.type)
      return std::string(s.name) + (s.takes_amount ? ":" + std::to_string(f.amount) : "");
  return "none";
}

}  // namespace tether::devsim
