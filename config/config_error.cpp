#include "config/config_error.hpp"

namespace tether::config {

std::string config_error::to_string() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  out += ": ";
  if (!field.empty()) out += field + ": ";
  return out + message;
}

namespace {
std::string summary(const std::vector<config_error>& errors) {
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : "\n") + e.to_string();
  return out;
}
}  // namespace

config_failure::config_failure(std::vector<config_error> errors)
    : std::runtime_error(summary(errors)), errors_(std::move(errors)) {}

}  // namespace tether::config
