#include "agent/data_files.hpp"

#include <cstdlib>
#include <filesystem>

namespace tether::agent {

std::string shipped_data_file(const std::string& name) {
  namespace fs = std::filesystem;
  if (const char* dir = std::getenv("TETHER_DATA_DIR")) return (fs::path(dir) / name).string();
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share/tether" / name;
    if (fs::exists(installed, ec)) return installed.string();
  }
  return (fs::path(TETHER_SOURCE_DATA_DIR) / name).string();
}

}  // namespace tether::agent
