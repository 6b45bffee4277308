#include "transport/component_logger.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <mutex>

namespace tether::transport {

std::shared_ptr<spdlog::logger> component_logger(const std::string& name) {
  static std::mutex creating;
  std::lock_guard<std::mutex> lock(creating);
  if (auto existing = spdlog::get(name)) return existing;
  return spdlog::stderr_color_mt(name);
}

}  // namespace tether::transport
