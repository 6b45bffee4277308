#include "config/time_spec.hpp"

namespace tether::config {

namespace {

/// A cursor over the text being parsed; every read checks bounds.
struct scanner {
  std::string_view text;
  std::size_t pos = 0;

  bool done() const { return pos == text.size(); }
  bool peek(char c) const { return pos < text.size() && text[pos] == c; }
  bool take(char c) {
    if (!peek(c)) return false;
    ++pos;
    return true;
  }
  bool take_any(std::string_view chars) {
    if (pos < text.size() && chars.find(text[pos]) != std::string_view::npos) {
      ++pos;
      return true;
    }
    return false;
  }
  std::optional<int> digits(std::size_t count) {
    if (text.size() - pos < count) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      char c = text[pos + i];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    pos += count;
    return value;
  }
};

std::optional<date::year_month_day> scan_date(scanner& s) {
  auto y = s.digits(4);
  if (!y || !s.take('-')) return std::nullopt;
  auto m = s.digits(2);
  if (!m || !s.take('-')) return std::nullopt;
  auto d = s.digits(2);
  if (!d) return std::nullopt;
  date::year_month_day ymd{date::year(*y), date::month(unsigned(*m)), date::day(unsigned(*d))};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::optional<std::chrono::seconds> scan_clock(scanner& s) {
  auto h = s.digits(2);
  if (!h || !s.take(':')) return std::nullopt;
  auto m = s.digits(2);
  if (!m || *h > 23 || *m > 59) return std::nullopt;
  int sec = 0;
  if (s.take(':')) {
    auto v = s.digits(2);
    if (!v || *v > 59) return std::nullopt;
    sec = *v;
    if (s.take('.')) {
      std::size_t start = s.pos;
      while (s.take_any("0123456789")) {
      }
      if (s.pos == start) return std::nullopt;
    }
  }
  return std::chrono::hours(*h) + std::chrono::minutes(*m) + std::chrono::seconds(sec);
}

// Returns the offset east of UTC, or nothing if there is no zone designator.
std::optional<std::optional<std::chrono::minutes>> scan_offset(scanner& s) {
  if (s.done()) return std::optional<std::chrono::minutes>();
  if (s.take_any("Zz")) return std::optional<std::chrono::minutes>(std::chrono::minutes(0));
  char sign = s.text[s.pos];
  if (!s.take_any("+-")) return std::nullopt;
  auto h = s.digits(2);
  if (!h || !s.take(':')) return std::nullopt;
  auto m = s.digits(2);
  if (!m || *h > 23 || *m > 59) return std::nullopt;
  std::chrono::minutes off = std::chrono::hours(*h) + std::chrono::minutes(*m);
  return std::optional<std::chrono::minutes>(sign == '-' ? -off : off);
}

}  // namespace

std::optional<time_spec> parse_time(std::string_view text, std::string& why) {
  scanner s{text};
  auto ymd = scan_date(s);
  std::optional<std::chrono::seconds> clock;
  std::optional<std::optional<std::chrono::minutes>> offset;
  if (ymd && s.take_any("Tt ")) clock = scan_clock(s);
  if (clock) offset = scan_offset(s);
  if (!offset || !s.done()) {
    why = "expected a time such as 2026-12-08T10:00 (site-local) or 2026-12-08T09:00:00Z / "
          "2026-12-08T10:00:00+01:00 (absolute), got \"" + std::string(text) + "\"";
    return std::nullopt;
  }
  auto wall = date::local_days(*ymd) + *clock;
  if (!*offset) return time_spec{date::local_seconds(wall)};
  return time_spec{date::sys_seconds(wall.time_since_epoch() - **offset)};
}

std::optional<date::year_month_day> parse_date(std::string_view text, std::string& why) {
  scanner s{text};
  auto ymd = scan_date(s);
  if (!ymd || !s.done()) {
    why = "expected a date such as 2026-12-25, got \"" + std::string(text) + "\"";
    return std::nullopt;
  }
  return ymd;
}

std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text, std::string& why,
                                                      bool allow_end_of_day) {
  if (allow_end_of_day && text == "24:00") return std::chrono::hours(24);
  scanner s{text};
  auto h = s.digits(2);
  std::optional<int> m;
  if (h && s.take(':')) m = s.digits(2);
  if (!m || !s.done() || *h > 23 || *m > 59) {
    why = std::string("expected a time of day HH:MM from 00:00 to ") +
          (allow_end_of_day ? "24:00" : "23:59") + ", got \"" + std::string(text) + "\"";
    return std::nullopt;
  }
  return std::chrono::hours(*h) + std::chrono::minutes(*m);
}

std::string format_utc(date::sys_seconds t) { return date::format("%Y-%m-%dT%H:%M:%SZ", t); }

}  // namespace tether::config
