// Any command line a client types must give a reply, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "devsim/command_router.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tether::devsim;
  static const command_router router(make_device_identity(2, 10, 1));
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const bool interactive = size > 0 && (data[0] & 1);
  const command_reply r = router.run(line, interactive ? cli_mode::interactive : cli_mode::exec, 20);
  if (r.type == command_reply::kind::error && r.text.empty()) __builtin_trap();
  return 0;
}
