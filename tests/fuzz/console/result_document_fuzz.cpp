// Fuzzes what the console reads from an agent's stored result: any bytes through
// document_commands. Invariants: no crash; a summary is always an array of objects holding
// only the six known fields with their types, and never the output; bytes that are not a
// tether-result/1 object give no commands.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "console/result_document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  bool is_document = false;
  const auto commands = tether::console::document_commands(bytes, is_document);
  if (!commands.is_array()) __builtin_trap();
  if (!is_document && !commands.empty()) __builtin_trap();
  static const std::set<std::string> known{"command", "status", "bytes", "sha256", "redactions", "truncated"};
  for (const auto& c : commands) {
    if (!c.is_object()) __builtin_trap();
    for (const auto& [key, value] : c.items()) {
      if (!known.count(key)) __builtin_trap();
      if ((key == "bytes" || key == "redactions") && !value.is_number_unsigned()) __builtin_trap();
      if (key == "truncated" && !value.is_boolean()) __builtin_trap();
    }
    (void)c.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
