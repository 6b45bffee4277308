#include "config/identifier.hpp"

namespace tether::config {

namespace {
bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
}  // namespace

bool is_identifier(std::string_view text) {
  if (text.empty() || text.size() > 64 || !is_alnum(text.front())) return false;
  for (char c : text)
    if (!is_alnum(c) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

std::string identifier_expected(std::string_view text) {
  return "expected a name of 1-64 letters, digits, '.', '_' or '-' starting with a letter or "
         "digit, got \"" + std::string(text) + "\"";
}

std::optional<std::string> read_identifier(yaml_document& doc, const YAML::Node& node,
                                           const std::string& field) {
  return read_scalar<std::string>(doc, node, field, [](std::string_view t, std::string& why) {
    if (is_identifier(t)) return std::optional<std::string>(t);
    why = identifier_expected(t);
    return std::optional<std::string>();
  });
}

}  // namespace tether::config
