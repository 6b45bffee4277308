#include "collectors/command_template.hpp"

namespace tether::collectors {

bool is_parameter_name(std::string_view name) {
  if (name.empty() || name.size() > 32 || name.front() < 'a' || name.front() > 'z') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::optional<std::vector<std::string>> template_placeholders(std::string_view text,
                                                              std::string& why) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') {
      why = "unmatched `}` at offset " + std::to_string(i);
      return std::nullopt;
    }
    if (text[i] != '{') continue;
    const std::size_t close = text.find('}', i + 1);
    const std::string_view name =
        close == std::string_view::npos ? std::string_view() : text.substr(i + 1, close - i - 1);
    if (close == std::string_view::npos || !is_parameter_name(name)) {
      why = "a placeholder is `{name}` with a name of a-z, 0-9 and _ (offset " +
            std::to_string(i) + ")";
      return std::nullopt;
    }
    names.emplace_back(name);
    i = close;
  }
  return names;
}

std::string fill_template(std::string_view text,
                          const std::function<std::string(std::string_view)>& value) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::size_t close = text[i] == '{' ? text.find('}', i + 1) : std::string_view::npos;
    if (close == std::string_view::npos) {
      out += text[i];
      continue;
    }
    out += value(text.substr(i + 1, close - i - 1));
    i = close;
  }
  return out;
}

}  // namespace tether::collectors
