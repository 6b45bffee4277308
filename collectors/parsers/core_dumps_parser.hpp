#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::collectors {

/// One core file listed by `show system core-dumps`.
struct core_dump {
  std::optional<std::string> member;
  std::string path;
  std::optional<long long> size;   ///< bytes
  std::optional<std::string> date; ///< as listed: `Aug 8   2019` or `Mar 3 10:12`
};

/// Parses `show system core-dumps` (also `core-dumps no-forwarding`), text or `| display xml`.
std::vector<core_dump> parse_core_dumps(std::string_view capture);

/// {"core_dumps": [{"member","path","size","date"}]}
nlohmann::ordered_json to_json(const std::vector<core_dump>& dumps);

}  // namespace tether::collectors
