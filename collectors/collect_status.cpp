#include "collectors/collect_status.hpp"

namespace tether::collectors {

std::string_view to_string(collect_status s) {
  switch (s) {
    case collect_status::ok: return "ok";
    case collect_status::timeout: return "timeout";
    case collect_status::auth_failed: return "auth-failed";
    case collect_status::hostkey_unknown: return "hostkey-unknown";
    case collect_status::hostkey_changed: return "hostkey-changed";
    case collect_status::unreachable: return "unreachable";
    case collect_status::truncated: return "truncated";
    case collect_status::cancelled: return "cancelled";
    case collect_status::error: return "error";
  }
  return "error";
}

bool is_transient(collect_status s) {
  return s == collect_status::unreachable || s == collect_status::timeout;
}

}  // namespace tether::collectors
