// libFuzzer: any catalog text either fails to load with config_failure, or loads into a
// catalog whose every collector renders with its defaults to commands the allowlist accepts.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "collectors/collector_catalog.hpp"
#include "collectors/command_allowlist.hpp"
#include "collectors/command_renderer.hpp"
#include "config/config_error.hpp"

using namespace tether::collectors;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;  // catalogs are small; deep YAML nesting is yaml-cpp's concern
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const collector_catalog catalog = build_collector_catalog({{"fuzz.yaml", text}});
    for (const auto& [name, collector] : catalog.collectors) {
      const rendered_commands r = render(catalog, name, {});
      if (!r.ok()) std::abort();
      for (const auto& command : r.commands)
        if (!check_command(command).allowed()) std::abort();
    }
    for (const auto& command : catalog.extra_commands)
      if (!check_command(command).allowed()) std::abort();
  } catch (const tether::config::config_failure&) {
  }
  return 0;
}
