#pragma once

#include <string_view>

namespace tether::common {

/// Whether a JSON text nests objects and arrays deeper than `max`, counting brackets outside
/// strings. A cheap guard before a recursive parser sees bytes from outside (a console
/// frame, an audit line read back from disk).
inline bool json_nests_deeper_than(std::string_view text, int max) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

}  // namespace tether::common
