// libFuzzer target: the facts parser on arbitrary bytes must not crash, hang or leak,
// and must always produce JSON that serialises.
#include <cstddef>
#include <cstdint>
#include <string>

#include "collectors/parsers/parser_registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto parse = *tether::collectors::find_parser("facts");
  const std::string capture(reinterpret_cast<const char*>(data), size);
  (void)parse({capture}).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return 0;
}
