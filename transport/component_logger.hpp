#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace tether::transport {

/// The spdlog component logger `name` ("tunnel", "console"): the registered one, or a new
/// one on stderr. Tests swap its sinks for a recording sink to check what was logged.
std::shared_ptr<spdlog::logger> component_logger(const std::string& name);

}  // namespace tether::transport
