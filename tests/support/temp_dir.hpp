#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace tether::testing {

/// A private temporary folder (mode 0700), removed with everything in it at the end of a test.
struct temp_dir {
  std::filesystem::path path;

  temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tether-test-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  /// Writes `text` to `name` inside the folder with `mode`; returns the full path.
  std::string write(const std::string& name, const std::string& text,
                    std::filesystem::perms mode = std::filesystem::perms(0600)) const {
    const auto file = path / name;
    std::ofstream(file, std::ios::binary) << text;
    std::filesystem::permissions(file, mode);
    return file.string();
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

}  // namespace tether::testing
