// Fuzzes the console's REQUEST JSON validation. Invariants: no crash; exactly one of a
// request or a denial; a denial is `malformed-request` with a message; an accepted
// request's names and values are printable and within their bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "agent/console_request.hpp"

using namespace tether::agent;

namespace {

bool printable(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto r = parse_console_request(text);
  if (r.request.has_value() == r.denied.has_value()) __builtin_trap();
  if (r.denied) {
    if (r.denied->reason != "malformed-request" || r.denied->message.empty()) __builtin_trap();
    return 0;
  }
  const auto& q = *r.request;
  if (q.engineer.empty() || q.engineer.size() > max_engineer_bytes || !printable(q.engineer))
    __builtin_trap();
  if (q.collector.empty() || !printable(q.collector)) __builtin_trap();
  if (q.devices.size() > max_request_devices || q.params.size() > max_request_params)
    __builtin_trap();
  for (const auto& d : q.devices)
    if (d.empty() || !printable(d)) __builtin_trap();
  for (const auto& [k, v] : q.params)
    if (k.empty() || v.size() > max_param_value_bytes) __builtin_trap();
  return 0;
}
