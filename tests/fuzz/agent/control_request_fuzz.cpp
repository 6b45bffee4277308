// The control socket's untrusted side: a request line, then the window fields the daemon
// reads from it (id, start, duration, end) as the registry turns them into a policy request.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "agent/control_server.hpp"
#include "agent/window_registry.hpp"
#include "config/identifier.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto request = tether::agent::parse_control_request(line, error);
  if (!request) {
    if (error.empty()) __builtin_trap();
    return 0;
  }
  auto field = [&](const char* key) {
    auto it = request->find(key);
    return it != request->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  tether::agent::registered_window w;
  w.id = field("id");
  w.start = field("start");
  w.duration = field("duration");
  w.end = field("end");
  w.notified_at = "2026-11-24T10:00:00Z";
  (void)tether::config::is_identifier(w.id);
  std::string why;
  (void)tether::agent::to_request(w, why);
  return 0;
}
