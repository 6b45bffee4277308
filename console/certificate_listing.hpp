#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "console/site_identity.hpp"

namespace tether::console {

/// One certificate found in a CA folder, and whether it still does its job.
struct listed_certificate {
  std::string file;                     // name inside the folder
  std::string role;                     // "ca", "site" or "console"
  std::string name;                     // site ID, console name, or the CA's common name
  std::optional<cert_time> not_after;
  std::string problem;                  // empty when it verifies against ca.crt for its role
  std::optional<expiry_notice> notice;  // set when it expires within the threshold

  /// Whether it verifies and is not about to expire.
  bool healthy() const { return problem.empty() && !notice; }
};

/// Lists `ca.crt`, `site-*.crt` and `console-*.crt` in `dir` (the CA first, then by file
/// name), each verified at `now` against ca.crt for its role (site: TLS client, console:
/// TLS server) and checked for expiry within `threshold`. Without a readable ca.crt
/// returns nothing and sets `error`.
std::vector<listed_certificate> list_certificates(const std::filesystem::path& dir, cert_time now,
                                                  std::chrono::days threshold, std::string& error);

}  // namespace tether::console
