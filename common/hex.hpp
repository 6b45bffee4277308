#pragma once

#include <cstddef>
#include <string>

namespace tether::common {

/// `n` bytes at `p` as lowercase hex, two digits each.
inline std::string to_hex(const void* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  const auto* bytes = static_cast<const unsigned char*>(p);
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[bytes[i] >> 4]);
    out.push_back(digits[bytes[i] & 15]);
  }
  return out;
}

}  // namespace tether::common
