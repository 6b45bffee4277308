#include "devsim/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>

namespace tether::devsim {

spdlog::logger& log() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::get("devsim");
    if (!l) l = spdlog::stderr_logger_st("devsim");
    l->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %n %v");
    return l;
  }();
  return *logger;
}

}  // namespace tether::devsim
