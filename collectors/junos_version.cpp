#include "collectors/junos_version.hpp"

namespace tether::collectors {

namespace {

/// Reads text as a cursor; each take_* consumes on success only.
class cursor {
 public:
  explicit cursor(std::string_view text) : text_(text) {}

  bool done() const { return pos_ == text_.size(); }

  /// 1 to `max_digits` decimal digits.
  std::optional<int> take_number(std::size_t max_digits) {
    std::size_t end = pos_;
    int value = 0;
    while (end < text_.size() && end - pos_ < max_digits && text_[end] >= '0' && text_[end] <= '9')
      value = value * 10 + (text_[end++] - '0');
    if (end == pos_ || (end < text_.size() && text_[end] >= '0' && text_[end] <= '9'))
      return std::nullopt;
    pos_ = end;
    return value;
  }

  bool take(std::string_view literal) {
    if (text_.substr(pos_, literal.size()) != literal) return false;
    pos_ += literal.size();
    return true;
  }

  bool take_one_of(std::string_view chars) {
    if (done() || chars.find(text_[pos_]) == std::string_view::npos) return false;
    ++pos_;
    return true;
  }

  /// `.build` after a release number, if present; false when a `.` is not followed by one.
  bool take_optional_build() {
    const std::size_t before = pos_;
    if (!take(".")) return true;
    if (take_number(4)) return true;
    pos_ = before;
    return false;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

std::string junos_version::train() const {
  std::string out = std::to_string(major) + "." + std::to_string(minor);
  if (special) out += "X" + std::to_string(*special);
  if (evolved) out += "-EVO";
  return out;
}

std::optional<junos_version> parse_junos_version(std::string_view text) {
  cursor c(trim(text));
  junos_version v;
  auto major = c.take_number(2);
  if (!major || !c.take(".")) return std::nullopt;
  auto minor = c.take_number(1);
  if (!minor) return std::nullopt;
  v.major = *major;
  v.minor = *minor;
  if (c.take("X")) {
    auto special = c.take_number(3);
    if (!special) return std::nullopt;
    v.special = *special;
  }
  // The release itself: R3, F6, B1, I20 on a regular train; -D200 on an X train.
  const bool release = v.special ? c.take("-D") || c.take_one_of("RFBI") : c.take_one_of("RFBI");
  if (!release || !c.take_number(4) || !c.take_optional_build()) return std::nullopt;
  if (c.take("-S") && (!c.take_number(4) || !c.take_optional_build())) return std::nullopt;
  if (c.take("-EVO")) v.evolved = true;
  if (!c.done()) return std::nullopt;
  return v;
}

}  // namespace tether::collectors
