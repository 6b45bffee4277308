#pragma once

#include <memory>
#include <spdlog/spdlog.h>

namespace tether::devsim {

/// The `devsim` component logger (stderr). Device output is never logged, only its size.
spdlog::logger& log();

}  // namespace tether::devsim
