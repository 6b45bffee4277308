#include "console/openssl_handles.hpp"

#include <openssl/err.h>

namespace tether::console {

std::string openssl_errors(const std::string& fallback) {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!text.empty()) text += "; ";
    text += buf;
  }
  return text.empty() ? fallback : text;
}

}  // namespace tether::console
